package io.trademesh.gateway.api;

/**
 * Decimal strings at the edge, fixed-point longs inside: "30000.5" at scale 2 is 3000050.
 * More fractional digits than the scale allows, or a value that does not fit a long, is
 * refused (null), never rounded.
 */
public final class Decimals {

    private static final long[] POW10 = new long[19];

    static {
        POW10[0] = 1;
        for (int i = 1; i < POW10.length; i++) {
            POW10[i] = POW10[i - 1] * 10;
        }
    }

    private Decimals() {
    }

    /**
     * The value of {@code text} (digits, optional '.' and digits) times 10^scale, or null.
     * One pass over the characters, without substrings: every order's price and quantity come
     * through here.
     */
    public static Long parse(String text, int scale) {
        if (text == null || text.isEmpty() || scale < 0 || scale > 18) {
            return null;
        }
        int dot = text.indexOf('.');
        int wholeEnd = dot < 0 ? text.length() : dot;
        int fracEnd = text.length();
        // Trailing zeros beyond the scale change nothing: "1.500" at scale 2 is fine.
        while (dot >= 0 && fracEnd - dot - 1 > scale && text.charAt(fracEnd - 1) == '0') {
            fracEnd--;
        }
        int fracDigits = dot < 0 ? 0 : fracEnd - dot - 1;
        if (wholeEnd == 0 || fracDigits > scale) {
            return null;
        }
        try {
            long v = 0;
            for (int i = 0; i < fracEnd; i++) {
                if (i == dot) {
                    continue;
                }
                char c = text.charAt(i);
                if (c < '0' || c > '9') {
                    return null;
                }
                v = Math.addExact(Math.multiplyExact(v, 10), c - '0');
            }
            return Math.multiplyExact(v, POW10[scale - fracDigits]);
        } catch (ArithmeticException e) {
            return null;
        }
    }

    /**
     * {@code value} / 10^scale as a plain decimal string, without trailing zeros ("30000.5",
     * "-0.001", "12"). Written right to left into one array: every order answered formats
     * several amounts.
     */
    public static String format(long value, int scale) {
        if (scale < 0) {
            throw new IllegalArgumentException("scale " + scale + " is negative");
        }
        if (scale == 0) {
            return Long.toString(value);
        }
        boolean negative = value < 0;
        long q = negative ? value : -value;   // kept negative, so that Long.MIN_VALUE fits
        char[] out = new char[21 + scale];     // sign, 19 whole digits, '.', the fraction
        int pos = out.length;
        boolean fraction = false;
        for (int i = 0; i < scale; i++) {
            int digit = (int) -(q % 10);
            q /= 10;
            if (digit != 0 || fraction) {    // trailing zeros are left out
                out[--pos] = (char) ('0' + digit);
                fraction = true;
            }
        }
        if (fraction) {
            out[--pos] = '.';
        }
        do {
            out[--pos] = (char) ('0' - q % 10);
            q /= 10;
        } while (q != 0);
        if (negative) {
            out[--pos] = '-';
        }
        return new String(out, pos, out.length - pos);
    }
}
