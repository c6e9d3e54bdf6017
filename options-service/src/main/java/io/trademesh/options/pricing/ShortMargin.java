package io.trademesh.options.pricing;

import java.math.BigInteger;

/**
 * The margin a seller posts per contract, by the standard rule venues publish, in fixed point
 * (price units of the premium asset; ratios at 9 decimals):
 * <pre>
 *   short call:  OTM = max(0, strike - index)     short put:  OTM = max(0, index - strike)
 *   initial     = max(a - OTM / index, b) x index + mark
 *   maintenance = c x index + mark
 * </pre>
 * with a, b and c set per underlying (0.15, 0.10 and 0.075 to start). Amounts round up: a
 * margin is what the venue asks for. Long positions need none.
 */
public final class ShortMargin {

    public static final long ONE = 1_000_000_000L;

    private ShortMargin() {
    }

    /** What a per-underlying margin rule's ratios must satisfy, or null: 0 < c <= b <= a <= 1. */
    public static String invalid(long a, long b, long c) {
        if (c <= 0 || c > b || b > a || a > ONE) {
            return "margin ratios must satisfy 0 < maintenance <= floor <= base <= 1";
        }
        return null;
    }

    /** How far out of the money the option is, in price units (0 when in or at the money). */
    public static long outOfTheMoney(boolean call, long strike, long index) {
        return Math.max(0, call ? strike - index : index - strike);
    }

    /** Initial margin of one short contract: max(a - OTM / index, b) x index + mark, rounded up. */
    public static long initial(boolean call, long strike, long index, long mark, long a, long b) {
        if (index <= 0) {
            return Long.MAX_VALUE;
        }
        long otm = outOfTheMoney(call, strike, index);
        // max(a - otm/index, b) x index = max(a x index - otm x ONE, b x index) / ONE
        BigInteger ai = BigInteger.valueOf(a).multiply(BigInteger.valueOf(index))
                .subtract(BigInteger.valueOf(otm).multiply(BigInteger.valueOf(ONE)));
        BigInteger bi = BigInteger.valueOf(b).multiply(BigInteger.valueOf(index));
        BigInteger[] qr = ai.max(bi).divideAndRemainder(BigInteger.valueOf(ONE));
        long base = qr[0].longValueExact() + (qr[1].signum() > 0 ? 1 : 0);
        return Math.addExact(base, mark);
    }

    /** Maintenance margin of one short contract: c x index + mark, rounded up. */
    public static long maintenance(long index, long mark, long c) {
        BigInteger[] qr = BigInteger.valueOf(c).multiply(BigInteger.valueOf(index))
                .divideAndRemainder(BigInteger.valueOf(ONE));
        return Math.addExact(qr[0].longValueExact() + (qr[1].signum() > 0 ? 1 : 0), mark);
    }
}
