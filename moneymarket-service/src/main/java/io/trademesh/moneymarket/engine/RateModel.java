package io.trademesh.moneymarket.engine;

import io.trademesh.platform.trading.FixedPoint;

/**
 * The interest arithmetic of a pool, in fixed point and never in {@code double}.
 *
 * <ul>
 *   <li>Ratios and yearly rates have 9 decimals ({@link #ONE}); indices 16 ({@link #INDEX_ONE}).</li>
 *   <li>Utilisation {@code U = debt / (cash + debt)}, rounded down.</li>
 *   <li>Borrow rate: {@code R0 + S1 x U / U*} up to {@code U*}, then
 *       {@code R0 + S1 + S2 x (U - U*) / (1 - U*)}; supply rate {@code R x L x (1 - reserve factor)} with
 *       {@code L = borrowed / supplied}, which is U while the pool has no reserves or deficit
 *       (see Pool.updateRates for why not U itself).</li>
 *   <li>The supply index grows linearly over each interval: {@code I x (1 + r x dt)}, rounded down.</li>
 *   <li>The borrow index compounds by the three-term expansion of {@code e^(r dt)},
 *       {@code 1 + x + x^2/2 + x^3/6} with {@code x = r x dt}, as the big lending protocols do,
 *       rounded up. The terms left out are under {@code x^4/24}: 1e-13 of the debt for a
 *       second's interval at 100% a year, 2e-3 for a whole idle year at 100%.</li>
 * </ul>
 * Rounding is always in the pool's favour: supplies down, debts up.
 */
public final class RateModel {

    /** 1.0 for ratios and yearly rates. */
    public static final long ONE = 1_000_000_000L;
    /** 1.0 for indices. */
    public static final long INDEX_ONE = 10_000_000_000_000_000L;
    /** A year of the interest clock: 365 days. */
    public static final long YEAR_MS = 365L * 24 * 60 * 60 * 1000;
    /** The highest yearly borrow rate a pool's terms may reach (1000%), so indices stay in range for years. */
    public static final long MAX_RATE = 10 * ONE;
    /**
     * An index never passes this (about 92x): at it the pool stops accruing, both indices,
     * rather than overflow. At the 1000% cap that is months away; at 100% a year, four and a half years.
     */
    public static final long MAX_INDEX = Long.MAX_VALUE / 10;
    /**
     * The most a pool's scaled supply or debt may total, so that at {@link #MAX_INDEX} its amount
     * still fits a long (9.2e17 units: nine billion coins at 8 decimals).
     */
    public static final long MAX_SCALED = Long.MAX_VALUE / 10;

    private static final long RATE_TO_INDEX = INDEX_ONE / ONE;

    private RateModel() {
    }

    /** {@code debt / (cash + debt)} at 9 decimals, 0 for an empty pool. */
    public static long utilization(long cash, long debt) {
        if (debt <= 0) {
            return 0;
        }
        return FixedPoint.mulDivFloor(debt, ONE, Math.addExact(Math.max(cash, 0), debt));
    }

    /** The kinked borrow rate at utilisation {@code u}. */
    public static long borrowRate(long u, long optimal, long base, long slope1, long slope2) {
        if (u <= optimal) {
            return base + FixedPoint.mulDivFloor(slope1, u, optimal);
        }
        return base + slope1 + FixedPoint.mulDivFloor(slope2, u - optimal, ONE - optimal);
    }

    /** {@code R x lentShare x (1 - reserve factor)}, rounded down. */
    public static long supplyRate(long borrowRate, long lentShare, long reserveFactor) {
        return FixedPoint.mulDivFloor(FixedPoint.mulDivFloor(borrowRate, lentShare, ONE), ONE - reserveFactor, ONE);
    }

    /** {@code rate x dt} as a fraction at 16 decimals, rounded down. */
    static long growth(long rate, long dtMs) {
        return FixedPoint.mulDivFloor(rate * RATE_TO_INDEX, dtMs, YEAR_MS);
    }

    /** The supply index after {@code dtMs} at {@code rate}: linear, rounded down. */
    public static long linearIndex(long index, long rate, long dtMs) {
        if (rate == 0 || dtMs <= 0) {
            return index;
        }
        try {
            return Math.min(MAX_INDEX, Math.addExact(index, FixedPoint.mulDivFloor(index, growth(rate, dtMs), INDEX_ONE)));
        } catch (ArithmeticException tooLarge) {
            return MAX_INDEX;
        }
    }

    /** The borrow index after {@code dtMs} at {@code rate}: compounded (three terms), rounded up. */
    public static long compoundedIndex(long index, long rate, long dtMs) {
        if (rate == 0 || dtMs <= 0) {
            return index;
        }
        try {
            long x = FixedPoint.mulDivCeil(rate * RATE_TO_INDEX, dtMs, YEAR_MS);
            long x2 = FixedPoint.mulDivCeil(x, x, INDEX_ONE);
            long x3 = FixedPoint.mulDivCeil(x2, x, INDEX_ONE);
            long factor = Math.addExact(Math.addExact(INDEX_ONE + x, (x2 + 1) / 2), (x3 + 5) / 6);
            return Math.min(MAX_INDEX, FixedPoint.mulDivCeil(index, factor, INDEX_ONE));
        } catch (ArithmeticException tooLarge) {
            return MAX_INDEX;
        }
    }

    /** A scaled balance's amount: {@code scaled x index}, rounded down (a supply). */
    public static long amountDown(long scaled, long index) {
        return FixedPoint.mulDivFloor(scaled, index, INDEX_ONE);
    }

    /** A scaled balance's amount: {@code scaled x index}, rounded up (a debt). */
    public static long amountUp(long scaled, long index) {
        return FixedPoint.mulDivCeil(scaled, index, INDEX_ONE);
    }

    /** The scaled balance of {@code amount}, rounded down (credited supply, debt repaid). */
    public static long scaledDown(long amount, long index) {
        return FixedPoint.mulDivFloor(amount, INDEX_ONE, index);
    }

    /** The scaled balance of {@code amount}, rounded up (supply withdrawn, debt borrowed). */
    public static long scaledUp(long amount, long index) {
        return FixedPoint.mulDivCeil(amount, INDEX_ONE, index);
    }

    /** {@code amount x ratio}, rounded down. */
    public static long times(long amount, long ratio) {
        return FixedPoint.mulDivFloor(amount, ratio, ONE);
    }
}
