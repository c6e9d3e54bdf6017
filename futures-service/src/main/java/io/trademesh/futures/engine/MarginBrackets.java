package io.trademesh.futures.engine;

import io.trademesh.platform.trading.FixedPoint;
import java.util.Arrays;

/**
 * A contract's margin tiers by position notional (quote units at mark), as the big venues
 * publish them. Tier {@code k} covers notionals in {@code (cap[k-1], cap[k]]}; a position
 * above the last cap is not allowed.
 *
 * <pre>
 *   maintenance(N) = ceil(N x mmr(k) / 10000) - deduction(k)
 *   deduction(0)   = 0
 *   deduction(k)   = deduction(k-1) + cap(k-1) x (mmr(k) - mmr(k-1)) / 10000
 * </pre>
 * The deduction makes maintenance margin continuous at every cap (the formula is exact since
 * caps are whole multiples of 10000 / gcd, which {@link #of} checks). Initial margin is
 * {@code N / leverage}, with leverage at most the tier's max leverage.
 */
public final class MarginBrackets {

    public static final int BPS = 10_000;

    private final long[] caps;
    private final int[] maxLeverage;
    private final int[] mmrBps;
    private final long[] deduction;

    private MarginBrackets(long[] caps, int[] maxLeverage, int[] mmrBps, long[] deduction) {
        this.caps = caps;
        this.maxLeverage = maxLeverage;
        this.mmrBps = mmrBps;
        this.deduction = deduction;
    }

    /**
     * Brackets from their caps, max leverages and maintenance rates; the deductions follow.
     *
     * @throws IllegalArgumentException when caps do not ascend, leverage rises with notional,
     *         maintenance falls, or maintenance is not below the tier's initial margin
     */
    public static MarginBrackets of(long[] caps, int[] maxLeverage, int[] mmrBps) {
        int n = caps.length;
        if (n == 0 || maxLeverage.length != n || mmrBps.length != n) {
            throw new IllegalArgumentException("at least one bracket, each with cap, leverage and rate");
        }
        long[] deduction = new long[n];
        for (int k = 0; k < n; k++) {
            if (caps[k] <= 0 || (k > 0 && caps[k] <= caps[k - 1])) {
                throw new IllegalArgumentException("bracket caps must be positive and ascend");
            }
            if (maxLeverage[k] < 1 || maxLeverage[k] > 1_000 || (k > 0 && maxLeverage[k] > maxLeverage[k - 1])) {
                throw new IllegalArgumentException("max leverage must be 1..1000 and not rise with notional");
            }
            if (mmrBps[k] <= 0 || (k > 0 && mmrBps[k] < mmrBps[k - 1])) {
                throw new IllegalArgumentException("maintenance rates must be positive and not fall with notional");
            }
            // maintenance below initial margin, or an order could open a position that is liquidatable at once
            if ((long) mmrBps[k] * maxLeverage[k] >= BPS) {
                throw new IllegalArgumentException("maintenance rate must be below the initial margin rate 1/leverage");
            }
            if (k > 0) {
                long step;
                try {
                    step = Math.multiplyExact(caps[k - 1], (long) (mmrBps[k] - mmrBps[k - 1]));
                    deduction[k] = Math.addExact(deduction[k - 1], step / BPS);
                } catch (ArithmeticException tooLarge) {
                    throw new IllegalArgumentException("bracket caps too large for their rates");
                }
                if (step % BPS != 0) {
                    throw new IllegalArgumentException("cap " + caps[k - 1] + " x rate step must be whole quote units");
                }
            }
        }
        return new MarginBrackets(caps.clone(), maxLeverage.clone(), mmrBps.clone(), deduction);
    }

    public int size() {
        return caps.length;
    }

    public long cap(int tier) {
        return caps[tier];
    }

    public int maxLeverage(int tier) {
        return maxLeverage[tier];
    }

    public int mmrBps(int tier) {
        return mmrBps[tier];
    }

    public long deduction(int tier) {
        return deduction[tier];
    }

    /** The largest notional any position may have. */
    public long maxNotional() {
        return caps[caps.length - 1];
    }

    /** The tier of a notional (>= 0); the last tier for one above every cap. */
    public int tier(long notional) {
        int i = Arrays.binarySearch(caps, notional);
        int k = i >= 0 ? i : -i - 1;
        return Math.min(k, caps.length - 1);
    }

    /** Maintenance margin of a position with this notional (>= 0). */
    public long maintenance(long notional) {
        if (notional <= 0) {
            return 0;
        }
        int k = tier(notional);
        return Math.max(0, FixedPoint.mulDivCeil(notional, mmrBps[k], BPS) - deduction[k]);
    }

    /** The highest leverage a position of this notional may use. */
    public int maxLeverageAt(long notional) {
        return maxLeverage[tier(notional)];
    }

    /** The largest notional a position may reach at {@code leverage}: the cap of the last tier that allows it. */
    public long maxNotionalAt(int leverage) {
        long max = 0;
        for (int k = 0; k < caps.length; k++) {
            if (maxLeverage[k] >= leverage) {
                max = caps[k];
            }
        }
        return max;
    }

    /** Initial margin of a notional at {@code leverage}: {@code ceil(N / leverage)}. */
    public static long initial(long notional, int leverage) {
        return notional <= 0 ? 0 : -Math.floorDiv(-notional, leverage);
    }
}
