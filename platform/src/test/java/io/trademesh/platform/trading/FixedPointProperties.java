package io.trademesh.platform.trading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.math.RoundingMode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** {@code a * b / d} in longs against BigInteger: the same result, or the same overflow. */
class FixedPointProperties {

    @Provide
    Arbitrary<Long> factors() {
        return Arbitraries.oneOf(Arbitraries.longs(), Arbitraries.longs().between(-1L << 40, 1L << 40),
                Arbitraries.of(0L, 1L, -1L, 2L, -2L, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1, 10_000_000_000_000_000L,
                        999_999_999_999_999_999L, 1L << 32, (1L << 32) - 1, 1L << 62));
    }

    @Provide
    Arbitrary<Long> divisors() {
        return Arbitraries.oneOf(Arbitraries.longs().between(1, Long.MAX_VALUE),
                Arbitraries.longs().between(1, 1L << 33),
                Arbitraries.of(1L, 2L, 3L, 1_000_000_000L, 10_000_000_000_000_000L, Long.MAX_VALUE, 1L << 32,
                        (1L << 32) + 1));
    }

    @Property(tries = 20_000)
    void floorCeilAndTruncAgreeWithBigInteger(@ForAll("factors") long a, @ForAll("factors") long b,
                                              @ForAll("divisors") long d) {
        BigInteger p = BigInteger.valueOf(a).multiply(BigInteger.valueOf(b));
        BigInteger dd = BigInteger.valueOf(d);
        check(new java.math.BigDecimal(p).divide(new java.math.BigDecimal(dd), 0, RoundingMode.FLOOR)
                .toBigIntegerExact(), () -> FixedPoint.mulDivFloor(a, b, d));
        check(new java.math.BigDecimal(p).divide(new java.math.BigDecimal(dd), 0, RoundingMode.CEILING)
                .toBigIntegerExact(), () -> FixedPoint.mulDivCeil(a, b, d));
        check(new java.math.BigDecimal(p).divide(new java.math.BigDecimal(dd), 0, RoundingMode.DOWN)
                .toBigIntegerExact(), () -> FixedPoint.mulDivTrunc(a, b, d));
    }

    private static void check(BigInteger expected, java.util.function.LongSupplier actual) {
        if (expected.bitLength() < 64) {
            assertEquals(expected.longValueExact(), actual.getAsLong());
        } else {
            assertThrows(ArithmeticException.class, actual::getAsLong);
        }
    }
}
