package io.trademesh.matching;

/**
 * Fee arithmetic. Amounts are quote units; rates are basis points (1 bps = 1/10,000), negative for a rebate.
 *
 * <p>A fee is {@code ceil(notional * bps / 10_000)}: rounded toward the venue, so a positive fee is rounded up and a
 * rebate (negative fee) is rounded toward zero.
 *
 * <p>The engine charges fees <em>per order, cumulatively</em>: the fee on an order's i-th fill is
 * {@code ceil(S_i / 10_000) - ceil(S_{i-1} / 10_000)} where {@code S_i} is the sum of {@code notional * bps} over its
 * first i fills. An order's fees therefore add up to one rounding of its whole traded value, however the trading was
 * split into fills, and never exceed {@link #maxFee(long, int, int)} of the total notional. A wallet that reserves
 * {@code notional + maxFee(notional, ...)} for an order can never be short.
 */
public final class Fees {
    public static final long BPS_PER_UNIT = 10_000L;

    private Fees() {
    }

    /**
     * {@code ceil(notional * bps / 10_000)} computed exactly (no intermediate overflow).
     *
     * @param notional a non-negative amount in quote units
     * @param bps      a rate in [-10_000, 10_000]
     */
    public static long fee(final long notional, final int bps) {
        final long whole = notional / BPS_PER_UNIT;
        final long rest = notional % BPS_PER_UNIT;
        return whole * bps + ceilDiv(rest * bps, BPS_PER_UNIT);
    }

    /**
     * The most an order can be charged in total for fills whose notional adds up to {@code notional}, whatever mix of
     * maker and taker fills it gets: {@code fee(notional, max(makerBps, takerBps, 0))}. With the usual
     * {@code takerBps >= makerBps} this is the taker fee on the whole notional.
     */
    public static long maxFee(final long notional, final int makerBps, final int takerBps) {
        return fee(notional, Math.max(0, Math.max(makerBps, takerBps)));
    }

    /** {@code ceil(x / d)} for {@code d > 0}. */
    static long ceilDiv(final long x, final long d) {
        return -Math.floorDiv(-x, d);
    }
}
