package io.trademesh.options.pricing;

/**
 * The volatility at which Black-Scholes gives a price: Newton's method on vega, falling back
 * to bisection where vega is too small to step with. A price outside the no-arbitrage bounds
 * (below the discounted intrinsic value, or above the underlying for a call, the discounted
 * strike for a put) has no implied volatility: NaN.
 */
public final class ImpliedVolatility {

    public static final double MIN_VOL = 1e-4;
    public static final double MAX_VOL = 10.0;
    private static final int MAX_ITERATIONS = 100;

    private ImpliedVolatility() {
    }

    /** The implied volatility of {@code price}, to {@code tolerance} in volatility; NaN when there is none. */
    public static double solve(boolean call, double price, double spot, double strike, double years, double rate,
                               double tolerance) {
        if (!(price > 0) || years <= 0) {
            return Double.NaN;
        }
        double discounted = strike * Math.exp(-rate * years);
        double lower = Math.max(0, call ? spot - discounted : discounted - spot);
        double upper = call ? spot : discounted;
        if (price <= lower || price >= upper) {
            return Double.NaN;
        }
        double lo = MIN_VOL;
        double hi = MAX_VOL;
        if (price < BlackScholes.price(call, spot, strike, years, lo, rate)
                || price > BlackScholes.price(call, spot, strike, years, hi, rate)) {
            return Double.NaN;
        }
        // Start where the at-the-money approximation puts it (Brenner-Subrahmanyam).
        double vol = Math.min(hi, Math.max(lo, price / spot * Math.sqrt(2 * Math.PI / years)));
        for (int i = 0; i < MAX_ITERATIONS; i++) {
            double diff = BlackScholes.price(call, spot, strike, years, vol, rate) - price;
            if (diff == 0 || hi - lo < tolerance) {
                return vol;
            }
            if (diff > 0) {
                hi = vol;
            } else {
                lo = vol;
            }
            double vega = BlackScholes.rawVega(spot, strike, years, vol, rate);
            double step = vega > 1e-12 ? diff / vega : Double.NaN;
            if (Math.abs(step) < tolerance) {
                return vol - step;
            }
            double next = vol - step;
            vol = next > lo && next < hi ? next : 0.5 * (lo + hi);
        }
        return vol;
    }
}
