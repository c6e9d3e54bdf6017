package io.trademesh.options.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The surface's rules across strikes and expiries, and its refusal of calendar arbitrage. */
class VolSurfaceTest {

    private static final long NOW = 1_800_000_000_000L;
    private static final long DAY = 86_400_000L;
    private static final long E9 = 1_000_000_000L;

    private static VolSlice slice(long days, long[] strikes, double... vols) {
        long[] e9 = new long[vols.length];
        for (int i = 0; i < vols.length; i++) {
            e9[i] = Math.round(vols[i] * E9);
        }
        return new VolSlice(NOW + days * DAY, strikes, e9);
    }

    @Test
    void acrossStrikesLinearInLogStrikeAndFlatBeyond() {
        VolSlice s = slice(30, new long[] {20_000, 30_000, 40_000}, 0.9, 0.6, 0.7);
        assertEquals(0.9, s.vol(10_000), 1e-12, "flat below");
        assertEquals(0.7, s.vol(90_000), 1e-12, "flat above");
        assertEquals(0.6, s.vol(30_000), 1e-12);
        // halfway in log-strike between 20000 and 30000 is sqrt(20000 x 30000) = 24494.9
        assertEquals(0.75, s.vol(Math.sqrt(20_000.0 * 30_000.0)), 1e-9);
    }

    @Test
    void acrossExpiriesLinearInTotalVariance() {
        VolSurface surface = new VolSurface();
        VolSlice near = slice(10, new long[] {30_000}, 0.5);
        VolSlice far = slice(40, new long[] {30_000}, 0.8);
        assertNull(surface.invalid(near, NOW));
        surface.put(near);
        assertNull(surface.invalid(far, NOW));
        surface.put(far);
        // w(10d) = 0.25 x 10/365, w(40d) = 0.64 x 40/365; at 20 days w = w10 + (w40 - w10) x 10/30
        double w10 = 0.25 * 10 / 365;
        double w40 = 0.64 * 40 / 365;
        double w20 = w10 + (w40 - w10) / 3;
        assertEquals(Math.sqrt(w20 / (20 / 365.0)), surface.vol(30_000, NOW + 20 * DAY, NOW), 1e-12);
        assertEquals(0.5, surface.vol(30_000, NOW + 5 * DAY, NOW), 1e-12, "before the first: its volatility");
        assertEquals(0.8, surface.vol(30_000, NOW + 90 * DAY, NOW), 1e-12, "after the last: its volatility");
    }

    @Test
    void aSliceThatMakesVarianceFallWithTimeIsRefused() {
        VolSurface surface = new VolSurface();
        surface.put(slice(10, new long[] {30_000}, 0.9));
        // 0.9^2 x 10 = 8.1 > 0.4^2 x 40 = 6.4 (in days x vol^2): variance would fall
        String bad = surface.invalid(slice(40, new long[] {30_000}, 0.4), NOW);
        assertTrue(bad != null && bad.contains("calendar"), bad);
        assertNull(surface.invalid(slice(40, new long[] {30_000}, 0.5), NOW), "0.25 x 40 = 10 > 8.1");
        assertTrue(surface.invalid(slice(20, new long[] {30_000, 20_000}, 0.5, 0.6), NOW).contains("increasing"));
    }
}
