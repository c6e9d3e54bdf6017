package io.trademesh.moneymarket.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The rate curve and accrual against values worked by hand (the formulas in RateModel's
 * comment, with x = r x dt / year): a day, a month and a year at 5%, and a rate change half-way.
 */
class RateModelTest {

    private static final long DAY = 86_400_000L;
    private static final long PCT = RateModel.ONE / 100;

    @Test
    void utilisationIsDebtOverCashPlusDebt() {
        assertEquals(500_000_000L, RateModel.utilization(1_000_000, 1_000_000));
        assertEquals(0, RateModel.utilization(1_000_000, 0));
        assertEquals(RateModel.ONE, RateModel.utilization(0, 5));
        assertEquals(333_333_333L, RateModel.utilization(2, 1), "rounded down");
    }

    @Test
    void theCurveBendsAtTheOptimalUtilisation() {
        long optimal = 80 * PCT;
        // U = 0.5: 0 + 4% x 0.5 / 0.8 = 2.5%
        assertEquals(25_000_000L, RateModel.borrowRate(500_000_000L, optimal, 0, 4 * PCT, 75 * PCT));
        // U = U*: R0 + S1 = 1% + 4%
        assertEquals(5 * PCT, RateModel.borrowRate(optimal, optimal, PCT, 4 * PCT, 75 * PCT));
        // U = 0.9: 4% + 75% x 0.1 / 0.2 = 41.5%
        assertEquals(415_000_000L, RateModel.borrowRate(900_000_000L, optimal, 0, 4 * PCT, 75 * PCT));
        // U = 1: 4% + 75%
        assertEquals(79 * PCT, RateModel.borrowRate(RateModel.ONE, optimal, 0, 4 * PCT, 75 * PCT));
        // supply: 2.5% x 0.5 x (1 - 0.1) = 1.125%
        assertEquals(11_250_000L, RateModel.supplyRate(25_000_000L, 500_000_000L, 10 * PCT));
    }

    @Test
    void aDayAMonthAndAYearAtFivePercent() {
        long one = RateModel.INDEX_ONE;
        // x = 0.05 / 365 = 0.000136986301369863; 1 + x + x^2/2 + x^3/6 = 1.0001369956844218 (e^x = 1.00013699568442)
        assertEquals(10_001_369_956_844_218L, RateModel.compoundedIndex(one, 5 * PCT, DAY));
        assertEquals(10_001_369_863_013_698L, RateModel.linearIndex(one, 5 * PCT, DAY), "1 + x, rounded down");
        // x = 0.05 x 30 / 365 = 0.0041095890410959; 1.0041180449697572 (e^x = 1.00411804498165)
        assertEquals(10_041_180_449_697_572L, RateModel.compoundedIndex(one, 5 * PCT, 30 * DAY));
        assertEquals(10_041_095_890_410_958L, RateModel.linearIndex(one, 5 * PCT, 30 * DAY));
        // x = 0.05: 1 + 0.05 + 0.00125 + 0.0000208333.. = 1.0512708333333334 (e^x = 1.05127109637602)
        assertEquals(10_512_708_333_333_334L, RateModel.compoundedIndex(one, 5 * PCT, 365 * DAY));
        assertEquals(10_500_000_000_000_000L, RateModel.linearIndex(one, 5 * PCT, 365 * DAY));
    }

    @Test
    void aRateChangeHalfWayCompoundsEachHalfAtItsOwnRate() {
        long half = RateModel.YEAR_MS / 2;
        // 5% for half a year: x = 0.025, 1.0253151041666667
        long first = RateModel.compoundedIndex(RateModel.INDEX_ONE, 5 * PCT, half);
        assertEquals(10_253_151_041_666_667L, first);
        // then 10%: x = 0.05, x 1.0512708333333334 -> 1.0778838639865453 (e^0.075 = 1.07788415088463)
        assertEquals(10_778_838_639_865_453L, RateModel.compoundedIndex(first, 10 * PCT, half));
    }

    @Test
    void roundingFavoursThePool() {
        long index = 10_000_000_000_000_003L;
        assertEquals(3, RateModel.amountDown(3, index), "a supply's amount rounds down");
        assertEquals(4, RateModel.amountUp(3, index), "a debt's amount rounds up");
        assertEquals(2, RateModel.scaledDown(3, index), "a deposit credits the smaller scaled balance");
        assertEquals(3, RateModel.scaledUp(3, index), "a withdrawal burns the larger");
        assertEquals(RateModel.INDEX_ONE, RateModel.compoundedIndex(RateModel.INDEX_ONE, 0, DAY));
        assertEquals(RateModel.INDEX_ONE, RateModel.linearIndex(RateModel.INDEX_ONE, 5 * PCT, 0));
    }

    @Test
    void anIndexStopsAtItsCeilingInsteadOfOverflowing() {
        long idx = RateModel.compoundedIndex(RateModel.MAX_INDEX / 2, RateModel.MAX_RATE, 10 * RateModel.YEAR_MS);
        assertEquals(RateModel.MAX_INDEX, idx);
        assertTrue(RateModel.linearIndex(RateModel.MAX_INDEX, RateModel.MAX_RATE, RateModel.YEAR_MS)
                <= RateModel.MAX_INDEX);
    }
}
