package io.trademesh.options.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The seller's margin rule on examples worked by hand (a = 0.15, b = 0.10, c = 0.075; prices in cents). */
class ShortMarginTest {

    private static final long A = 150_000_000L;
    private static final long B = 100_000_000L;
    private static final long C = 75_000_000L;
    private static final long USD = 100;

    @Test
    void aShortCallOutOfTheMoney() {
        // index 30000, strike 33000: OTM 3000 = 0.1 of the index; max(0.15 - 0.1, 0.10) = 0.10
        // initial = 0.10 x 30000 + mark 250 = 3250; maintenance = 0.075 x 30000 + 250 = 2500
        assertEquals(3_000 * USD, ShortMargin.outOfTheMoney(true, 33_000 * USD, 30_000 * USD));
        assertEquals(3_250 * USD, ShortMargin.initial(true, 33_000 * USD, 30_000 * USD, 250 * USD, A, B));
        assertEquals(2_500 * USD, ShortMargin.maintenance(30_000 * USD, 250 * USD, C));
    }

    @Test
    void aShortCallNearTheMoneyPaysTheBaseRate() {
        // strike 31000: OTM 1000 = 0.0333 of 30000; max(0.15 - 0.0333, 0.10) = 0.11667
        // initial = 0.116666.. x 30000 + 900 = 3500 + 900 = 4400
        assertEquals(4_400 * USD, ShortMargin.initial(true, 31_000 * USD, 30_000 * USD, 900 * USD, A, B));
        // in the money (strike 28000): OTM 0, 0.15 x 30000 + 2600 = 7100
        assertEquals(7_100 * USD, ShortMargin.initial(true, 28_000 * USD, 30_000 * USD, 2_600 * USD, A, B));
    }

    @Test
    void aShortPutUsesThePutsOutOfTheMoneyAmount() {
        // strike 27000, index 30000: OTM 3000; initial = 0.10 x 30000 + 180 = 3180
        assertEquals(3_180 * USD, ShortMargin.initial(false, 27_000 * USD, 30_000 * USD, 180 * USD, A, B));
        // strike 32000 (in the money): 0.15 x 30000 + 2300 = 6800
        assertEquals(6_800 * USD, ShortMargin.initial(false, 32_000 * USD, 30_000 * USD, 2_300 * USD, A, B));
    }

    @Test
    void roundsUpAndChecksItsRatios() {
        // 0.075 x 1 cent = 0.075 cents: 1 cent
        assertEquals(1, ShortMargin.maintenance(1, 0, C));
        assertNull(ShortMargin.invalid(A, B, C));
        assertEquals("margin ratios must satisfy 0 < maintenance <= floor <= base <= 1",
                ShortMargin.invalid(B, A, C));
    }
}
