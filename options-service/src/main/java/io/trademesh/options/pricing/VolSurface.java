package io.trademesh.options.pricing;

import java.util.ArrayList;
import java.util.List;

/**
 * One underlying's implied volatility by strike and expiry, from the operator's slices
 * ({@link VolSlice}). Across expiries the total variance {@code w = vol^2 x T} is linear in
 * time at the same strike (the forward is the index: the venue prices with no rate), between
 * the slices around the expiry; before the first slice and after the last the volatility of
 * the nearest slice holds. A slice is refused if it would make total variance fall with
 * time at any strike of it or of its neighbours (calendar arbitrage).
 */
public final class VolSurface {

    public static final double YEAR_MS = 365.0 * 24 * 60 * 60 * 1000;

    /** By expiry, ascending. */
    private final List<VolSlice> slices = new ArrayList<>();

    public List<VolSlice> slices() {
        return List.copyOf(slices);
    }

    public boolean isEmpty() {
        return slices.isEmpty();
    }

    /**
     * Why {@code slice} cannot replace (or join) the slices at {@code nowMs}, or null.
     * Total variance is compared at every strike of the slice and of its neighbours.
     */
    public String invalid(VolSlice slice, long nowMs) {
        String bad = slice.invalid();
        if (bad != null) {
            return bad;
        }
        if (slice.expiryMs() <= nowMs) {
            return "the expiry has passed";
        }
        List<VolSlice> with = withSlice(slice);
        for (int i = 1; i < with.size(); i++) {
            VolSlice before = with.get(i - 1);
            VolSlice after = with.get(i);
            if (before.expiryMs() <= nowMs) {
                continue;
            }
            for (long[] strikes : new long[][] {before.strikes(), after.strikes()}) {
                for (long k : strikes) {
                    double wBefore = variance(before, k, nowMs);
                    double wAfter = variance(after, k, nowMs);
                    if (wAfter < wBefore * (1 - 1e-12)) {
                        return "total variance would fall between expiries " + before.expiryMs() + " and "
                                + after.expiryMs() + " at strike " + k + " (calendar arbitrage)";
                    }
                }
            }
        }
        return null;
    }

    /** Sets the slice of its expiry (replacing one there); check it with {@link #invalid} first. */
    public void put(VolSlice slice) {
        List<VolSlice> with = withSlice(slice);
        slices.clear();
        slices.addAll(with);
    }

    /** Forgets the slices that expired at or before {@code nowMs}. */
    public void expire(long nowMs) {
        slices.removeIf(s -> s.expiryMs() <= nowMs);
    }

    private List<VolSlice> withSlice(VolSlice slice) {
        List<VolSlice> out = new ArrayList<>(slices.size() + 1);
        boolean placed = false;
        for (VolSlice s : slices) {
            if (!placed && slice.expiryMs() <= s.expiryMs()) {
                out.add(slice);
                placed = true;
                if (s.expiryMs() == slice.expiryMs()) {
                    continue;
                }
            }
            out.add(s);
        }
        if (!placed) {
            out.add(slice);
        }
        return out;
    }

    private static double variance(VolSlice s, double strike, long nowMs) {
        double vol = s.vol(strike);
        return vol * vol * (s.expiryMs() - nowMs) / YEAR_MS;
    }

    /** The volatility for {@code strike} at {@code expiryMs}, seen at {@code nowMs}; NaN without slices. */
    public double vol(double strike, long expiryMs, long nowMs) {
        int n = slices.size();
        if (n == 0) {
            return Double.NaN;
        }
        if (expiryMs <= slices.get(0).expiryMs()) {
            return slices.get(0).vol(strike);
        }
        if (expiryMs >= slices.get(n - 1).expiryMs()) {
            return slices.get(n - 1).vol(strike);
        }
        int hi = 1;
        while (slices.get(hi).expiryMs() < expiryMs) {
            hi++;
        }
        VolSlice a = slices.get(hi - 1);
        VolSlice b = slices.get(hi);
        if (b.expiryMs() == expiryMs) {
            return b.vol(strike);
        }
        double t = (expiryMs - nowMs) / YEAR_MS;
        if (t <= 0) {
            return a.vol(strike);
        }
        double ta = Math.max(0, (a.expiryMs() - nowMs) / YEAR_MS);
        double tb = (b.expiryMs() - nowMs) / YEAR_MS;
        double wa = a.vol(strike) * a.vol(strike) * ta;
        double wb = b.vol(strike) * b.vol(strike) * tb;
        double w = wa + (wb - wa) * (t - ta) / (tb - ta);
        return Math.sqrt(w / t);
    }
}
