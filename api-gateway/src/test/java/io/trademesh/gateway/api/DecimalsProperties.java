package io.trademesh.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigDecimal;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.arbitraries.StringArbitrary;
import net.jqwik.api.constraints.IntRange;

/**
 * Decimal strings at the edge agree with {@link BigDecimal}: a parse is exact or refused,
 * never rounded, and a format is the plain value without trailing zeros.
 */
class DecimalsProperties {

    private static final Pattern PLAIN = Pattern.compile("[0-9]+(\\.[0-9]*)?");
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

    /** What parse must answer, by BigDecimal's arithmetic. */
    private static Long expected(String text, int scale) {
        if (!PLAIN.matcher(text).matches()) {
            return null;
        }
        BigDecimal v = new BigDecimal(text);
        if (v.stripTrailingZeros().scale() > scale) {
            return null;   // more fractional digits than the scale: refused, not rounded
        }
        BigDecimal units = v.movePointRight(scale);
        return units.compareTo(LONG_MAX) > 0 ? null : units.longValueExact();
    }

    @Property(tries = 3000)
    void parseIsExactOrRefused(@ForAll("decimalText") String text, @ForAll @IntRange(min = 0, max = 18) int scale) {
        assertEquals(expected(text, scale), Decimals.parse(text, scale), () -> "\"" + text + "\" at scale " + scale);
    }

    @Property(tries = 3000)
    void formatIsThePlainValueAndParsesBack(@ForAll long value, @ForAll @IntRange(min = 0, max = 18) int scale) {
        String text = Decimals.format(value, scale);
        assertEquals(BigDecimal.valueOf(value, scale).stripTrailingZeros().toPlainString(), text);
        if (value >= 0) {
            assertEquals(value, Decimals.parse(text, scale));
        }
    }

    @Example
    void edges() {
        assertEquals("-9.223372036854775808", Decimals.format(Long.MIN_VALUE, 18));
        assertEquals("0", Decimals.format(0, 8));
        assertEquals("-0.001", Decimals.format(-1_000, 6));
        assertEquals("0.000000000000000000000005", Decimals.format(5, 24), "a scale past a long's digits");
        assertEquals(150L, Decimals.parse("1.500", 2));
        assertEquals(100L, Decimals.parse("1.", 2));
        assertNull(Decimals.parse(".5", 2));
        assertNull(Decimals.parse("1.005", 2));
        assertNull(Decimals.parse("92233720368547758.08", 2), "one unit past Long.MAX_VALUE");
        assertEquals(Long.MAX_VALUE, Decimals.parse("92233720368547758.07", 2));
        assertNull(Decimals.parse("-1", 2));
        assertNull(Decimals.parse("1e3", 2));
    }

    /** Mostly well-formed numbers of every length, and some of every way to be malformed. */
    @Provide
    Arbitrary<String> decimalText() {
        StringArbitrary digits = Arbitraries.strings().withChars("0123456789").ofMinLength(0).ofMaxLength(22);
        Arbitrary<String> wellFormed = digits.ofMinLength(1).flatMap(whole -> Arbitraries.oneOf(
                Arbitraries.just(whole),
                digits.map(frac -> whole + "." + frac),
                Arbitraries.integers().between(0, 20).map(zeros -> whole + ".5" + "0".repeat(zeros))));
        Arbitrary<String> malformed = Arbitraries.strings().withChars("0123456789.-+e ").ofMinLength(0).ofMaxLength(12);
        return Arbitraries.frequencyOf(
                Tuple.of(8, wellFormed),
                Tuple.of(2, malformed));
    }
}
