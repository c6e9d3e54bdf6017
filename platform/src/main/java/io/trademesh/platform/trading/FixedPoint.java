package io.trademesh.platform.trading;

import java.math.BigInteger;

/**
 * Integer arithmetic on fixed-point amounts with 128-bit intermediates: {@code a * b / d}
 * where the product may not fit a long but the result does. The fast path is one
 * multiplyHigh; only a product beyond 63 bits takes BigInteger.
 */
public final class FixedPoint {

    private FixedPoint() {
    }

    /** {@code floor(a * b / d)} for {@code d > 0}. @throws ArithmeticException when the result does not fit */
    public static long mulDivFloor(long a, long b, long d) {
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        if ((hi == 0 && lo >= 0) || (hi == -1 && lo < 0)) {
            return Math.floorDiv(lo, d);
        }
        BigInteger[] qr = BigInteger.valueOf(a).multiply(BigInteger.valueOf(b)).divideAndRemainder(BigInteger.valueOf(d));
        BigInteger q = qr[1].signum() < 0 ? qr[0].subtract(BigInteger.ONE) : qr[0];
        return q.longValueExact();
    }

    /** {@code ceil(a * b / d)} for {@code d > 0}. */
    public static long mulDivCeil(long a, long b, long d) {
        return -mulDivFloor(-a, b, d);
    }

    /** {@code a * b / d} rounded toward zero, for {@code d > 0}. */
    public static long mulDivTrunc(long a, long b, long d) {
        return (a < 0) != (b < 0) ? mulDivCeil(a, b, d) : mulDivFloor(a, b, d);
    }
}
