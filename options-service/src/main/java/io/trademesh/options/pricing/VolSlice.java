package io.trademesh.options.pricing;

import java.util.Arrays;

/**
 * An operator's implied volatilities for one expiry: points of strike (price units,
 * increasing) and yearly volatility (9 decimals). Between points the volatility is linear in
 * the log of the strike; beyond the outermost points it stays flat, which adds no arbitrage
 * (a constant volatility prices a smooth, convex, decreasing call curve in the wings).
 */
public record VolSlice(long expiryMs, long[] strikes, long[] volsE9) {

    public static final long VOL_ONE = 1_000_000_000L;
    /** 1000% a year: above it a volatility is a typing error, not a market. */
    public static final long MAX_VOL_E9 = 10 * VOL_ONE;

    /** What makes the points unusable, or null. */
    public String invalid() {
        if (strikes.length == 0 || strikes.length != volsE9.length) {
            return "a slice needs at least one point, each a strike and a volatility";
        }
        if (strikes.length > 200) {
            return "at most 200 points per expiry";
        }
        for (int i = 0; i < strikes.length; i++) {
            if (strikes[i] <= 0 || (i > 0 && strikes[i] <= strikes[i - 1])) {
                return "strikes must be positive and increasing";
            }
            if (volsE9[i] <= 0 || volsE9[i] > MAX_VOL_E9) {
                return "volatilities must be in (0, 10]";
            }
        }
        return null;
    }

    /** The volatility at {@code strike}, linear in log-strike between points, flat beyond. */
    public double vol(double strike) {
        int n = strikes.length;
        if (n == 1 || strike <= strikes[0]) {
            return volsE9[0] / (double) VOL_ONE;
        }
        if (strike >= strikes[n - 1]) {
            return volsE9[n - 1] / (double) VOL_ONE;
        }
        int hi = Arrays.binarySearch(strikes, (long) Math.ceil(strike));
        hi = hi >= 0 ? hi : -hi - 1;
        int lo = hi - 1;
        if (hi < n && strikes[hi] == strike) {
            return volsE9[hi] / (double) VOL_ONE;
        }
        double t = (Math.log(strike) - Math.log(strikes[lo])) / (Math.log(strikes[hi]) - Math.log(strikes[lo]));
        return (volsE9[lo] + t * (volsE9[hi] - volsE9[lo])) / VOL_ONE;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VolSlice v && v.expiryMs == expiryMs && Arrays.equals(v.strikes, strikes)
                && Arrays.equals(v.volsE9, volsE9);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(expiryMs) * 31 + Arrays.hashCode(strikes) * 17 + Arrays.hashCode(volsE9);
    }

    @Override
    public String toString() {
        return "VolSlice[" + expiryMs + " " + Arrays.toString(strikes) + " " + Arrays.toString(volsE9) + "]";
    }
}
