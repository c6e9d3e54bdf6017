package io.trademesh.options.pricing;

import org.apache.commons.statistics.distribution.NormalDistribution;

/**
 * European option prices and greeks under Black-Scholes, in {@code double}: pricing models
 * only, never a balance (marks become fixed-point prices at the edge, rounded to the tick).
 *
 * <pre>
 *   d1 = (ln(S/K) + (r + sigma^2/2) T) / (sigma sqrt T),   d2 = d1 - sigma sqrt T
 *   call = S N(d1) - K e^(-rT) N(d2)                        put = K e^(-rT) N(-d2) - S N(-d1)
 *   delta = N(d1) (call), N(d1) - 1 (put)                   gamma = phi(d1) / (S sigma sqrt T)
 *   vega  = S phi(d1) sqrt T / 100        (per volatility point)
 *   theta = (-S phi(d1) sigma / (2 sqrt T) -+ r K e^(-rT) N(+-d2)) / 365   (per calendar day)
 * </pre>
 * S: the underlying (the index), K: the strike, T: years to expiry, sigma: the yearly
 * volatility, r: the yearly rate (the venue prices crypto options with r = 0: the premium
 * and the settlement are in the same stable asset). N is the standard normal CDF (Commons
 * Statistics'), phi its density. The greeks are written into a {@link Greeks} the caller owns,
 * so a chain is priced without allocating.
 */
public final class BlackScholes {

    private static final NormalDistribution STANDARD = NormalDistribution.of(0, 1);
    private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2.0 * Math.PI);
    public static final double DAYS_PER_YEAR = 365.0;

    private BlackScholes() {
    }

    /** The standard normal CDF. */
    public static double cdf(double x) {
        return STANDARD.cumulativeProbability(x);
    }

    /** The standard normal density. */
    public static double pdf(double x) {
        return INV_SQRT_2PI * Math.exp(-0.5 * x * x);
    }

    /** The price of a call or put; at or past expiry (or with no volatility) its discounted intrinsic value. */
    public static double price(boolean call, double spot, double strike, double years, double vol, double rate) {
        if (years <= 0 || vol <= 0) {
            double forwardIntrinsic = call ? spot - strike * Math.exp(-rate * Math.max(years, 0))
                    : strike * Math.exp(-rate * Math.max(years, 0)) - spot;
            return Math.max(0, forwardIntrinsic);
        }
        double sqrtT = Math.sqrt(years);
        double d1 = (Math.log(spot / strike) + (rate + 0.5 * vol * vol) * years) / (vol * sqrtT);
        double d2 = d1 - vol * sqrtT;
        double discounted = strike * Math.exp(-rate * years);
        return call ? spot * cdf(d1) - discounted * cdf(d2) : discounted * cdf(-d2) - spot * cdf(-d1);
    }

    /** Price and greeks into {@code out}; returns it. */
    public static Greeks greeks(boolean call, double spot, double strike, double years, double vol, double rate,
                                Greeks out) {
        if (years <= 0 || vol <= 0) {
            out.price = price(call, spot, strike, years, vol, rate);
            boolean inTheMoney = call ? spot > strike : spot < strike;
            out.delta = inTheMoney ? (call ? 1 : -1) : 0;
            out.gamma = 0;
            out.vega = 0;
            out.theta = 0;
            return out;
        }
        double sqrtT = Math.sqrt(years);
        double d1 = (Math.log(spot / strike) + (rate + 0.5 * vol * vol) * years) / (vol * sqrtT);
        double d2 = d1 - vol * sqrtT;
        double discounted = strike * Math.exp(-rate * years);
        double nd1 = cdf(d1);
        double nd2 = cdf(d2);
        double density = pdf(d1);
        out.price = call ? spot * nd1 - discounted * nd2 : discounted * (1 - nd2) - spot * (1 - nd1);
        out.delta = call ? nd1 : nd1 - 1;
        out.gamma = density / (spot * vol * sqrtT);
        out.vega = spot * density * sqrtT / 100;
        double decay = -spot * density * vol / (2 * sqrtT);
        out.theta = (call ? decay - rate * discounted * nd2 : decay + rate * discounted * (1 - nd2)) / DAYS_PER_YEAR;
        return out;
    }

    /** Vega per unit of volatility (not per point): what an implied-volatility solver steps with. */
    static double rawVega(double spot, double strike, double years, double vol, double rate) {
        double sqrtT = Math.sqrt(years);
        double d1 = (Math.log(spot / strike) + (rate + 0.5 * vol * vol) * years) / (vol * sqrtT);
        return spot * pdf(d1) * sqrtT;
    }
}
