package io.trademesh.platform.trading;

/**
 * Integer arithmetic on fixed-point amounts with 128-bit intermediates: {@code a * b / d}
 * where the product may not fit a long but the result does. The fast path is one
 * multiplyHigh; a product beyond 63 bits is divided as 128 by 64 bits in longs (Hacker's
 * Delight's divlu), with no allocation: money-market indices make that path the common one.
 */
public final class FixedPoint {

    private FixedPoint() {
    }

    /** {@code floor(a * b / d)} for {@code d > 0}. @throws ArithmeticException when the result does not fit */
    public static long mulDivFloor(long a, long b, long d) {
        return mulDiv(a, b, d, false);
    }

    /** {@code ceil(a * b / d)} for {@code d > 0}. @throws ArithmeticException when the result does not fit */
    public static long mulDivCeil(long a, long b, long d) {
        return mulDiv(a, b, d, true);
    }

    /** {@code a * b / d} rounded toward zero, for {@code d > 0}. */
    public static long mulDivTrunc(long a, long b, long d) {
        return (a < 0) != (b < 0) ? mulDivCeil(a, b, d) : mulDivFloor(a, b, d);
    }

    /**
     * {@code value} at {@code from} decimals re-expressed at {@code to} decimals, truncated;
     * 0 when it does not fit (an index price received at another scale than a market's).
     */
    public static long rescale(long value, int from, int to) {
        long v = value;
        for (int i = from; i < to; i++) {
            if (Math.abs(v) > Long.MAX_VALUE / 10) {
                return 0;
            }
            v *= 10;
        }
        for (int i = to; i < from; i++) {
            v /= 10;
        }
        return v;
    }

    private static long mulDiv(long a, long b, long d, boolean up) {
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        if ((hi == 0 && lo >= 0) || (hi == -1 && lo < 0)) {
            long q = Math.floorDiv(lo, d);
            return up && q * d != lo ? q + 1 : q;   // q < lo / d + 1 <= Long.MAX_VALUE: no overflow
        }
        // The product's magnitude as 128 bits, hi:lo (two's complement negation when negative).
        boolean negative = hi < 0;
        if (negative) {
            lo = -lo;
            hi = ~hi + (lo == 0 ? 1 : 0);
        }
        if (Long.compareUnsigned(hi, d) >= 0) {
            throw new ArithmeticException("long overflow");
        }
        long q = divlu(hi, lo, d);
        boolean inexact = lo - q * d != 0;
        // The magnitude of the result (unsigned): q rounded away from zero when the rounding asks for it.
        long magnitude = q + (inexact && up != negative ? 1 : 0);
        boolean wrapped = magnitude == 0 && q != 0;
        if (wrapped || (negative ? Long.compareUnsigned(magnitude, Long.MIN_VALUE) > 0 : magnitude < 0)) {
            throw new ArithmeticException("long overflow");
        }
        return negative ? -magnitude : magnitude;
    }

    /** (u1:u0) / v for u1 < v, unsigned (Hacker's Delight, divlu). */
    private static long divlu(long u1, long u0, long v) {
        final long b = 1L << 32;
        int s = Long.numberOfLeadingZeros(v);
        v <<= s;
        long vn1 = v >>> 32;
        long vn0 = v & 0xFFFFFFFFL;
        long un32 = s == 0 ? u1 : (u1 << s) | (u0 >>> (64 - s));
        long un10 = u0 << s;
        long un1 = un10 >>> 32;
        long un0 = un10 & 0xFFFFFFFFL;
        long q1 = Long.divideUnsigned(un32, vn1);
        long rhat = un32 - q1 * vn1;
        while (Long.compareUnsigned(q1, b) >= 0 || Long.compareUnsigned(q1 * vn0, b * rhat + un1) > 0) {
            q1--;
            rhat += vn1;
            if (Long.compareUnsigned(rhat, b) >= 0) {
                break;
            }
        }
        long un21 = un32 * b + un1 - q1 * v;
        long q0 = Long.divideUnsigned(un21, vn1);
        rhat = un21 - q0 * vn1;
        while (Long.compareUnsigned(q0, b) >= 0 || Long.compareUnsigned(q0 * vn0, b * rhat + un0) > 0) {
            q0--;
            rhat += vn1;
            if (Long.compareUnsigned(rhat, b) >= 0) {
                break;
            }
        }
        return q1 * b + q0;
    }
}
