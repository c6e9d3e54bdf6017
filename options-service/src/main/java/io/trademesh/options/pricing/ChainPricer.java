package io.trademesh.options.pricing;

import java.util.Arrays;

/**
 * Marks, implied volatilities and greeks of a whole chain, recomputed on each index tick into
 * arrays it owns (no allocation per tick). Instrument {@code i} is a call or a put at
 * {@code strike[i]} expiring at {@code expiryMs[i]}; {@code bid[i]} and {@code ask[i]} are
 * the book's best premiums (NaN when a side is empty), from which the bid and ask implied
 * volatilities are solved. Marks are model prices at the surface's volatility, in the same
 * units as the index; the caller rounds them to the tick.
 */
public final class ChainPricer {

    /** Implied volatilities are solved to this much of the premium. */
    public static final double IV_TOLERANCE = 1e-9;

    public final int size;
    public final boolean[] call;
    public final double[] strike;
    public final long[] expiryMs;
    public final double[] bid;
    public final double[] ask;
    public final double[] mark;
    public final double[] markIv;
    public final double[] bidIv;
    public final double[] askIv;
    public final double[] delta;
    public final double[] gamma;
    public final double[] vega;
    public final double[] theta;
    private final Greeks greeks = new Greeks();

    public ChainPricer(int size) {
        this.size = size;
        call = new boolean[size];
        strike = new double[size];
        expiryMs = new long[size];
        bid = new double[size];
        ask = new double[size];
        Arrays.fill(bid, Double.NaN);
        Arrays.fill(ask, Double.NaN);
        mark = new double[size];
        markIv = new double[size];
        bidIv = new double[size];
        askIv = new double[size];
        delta = new double[size];
        gamma = new double[size];
        vega = new double[size];
        theta = new double[size];
    }

    /** Recomputes every instrument at {@code index} and {@code nowMs}; instruments with no volatility get NaN marks. */
    public void reprice(double index, VolSurface surface, long nowMs) {
        for (int i = 0; i < size; i++) {
            double years = (expiryMs[i] - nowMs) / VolSurface.YEAR_MS;
            double vol = surface.vol(strike[i], expiryMs[i], nowMs);
            markIv[i] = vol;
            if (Double.isNaN(vol)) {
                mark[i] = delta[i] = gamma[i] = vega[i] = theta[i] = Double.NaN;
            } else {
                BlackScholes.greeks(call[i], index, strike[i], years, vol, 0, greeks);
                mark[i] = greeks.price;
                delta[i] = greeks.delta;
                gamma[i] = greeks.gamma;
                vega[i] = greeks.vega;
                theta[i] = greeks.theta;
            }
            bidIv[i] = Double.isNaN(bid[i]) ? Double.NaN
                    : ImpliedVolatility.solve(call[i], bid[i], index, strike[i], years, 0, IV_TOLERANCE);
            askIv[i] = Double.isNaN(ask[i]) ? Double.NaN
                    : ImpliedVolatility.solve(call[i], ask[i], index, strike[i], years, 0, IV_TOLERANCE);
        }
    }
}
