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

    /** The value of {@code text} (digits, optional '.' and digits) times 10^scale, or null. */
    public static Long parse(String text, int scale) {
        if (text == null || text.isEmpty() || scale < 0 || scale > 18) {
            return null;
        }
        int dot = text.indexOf('.');
        String whole = dot < 0 ? text : text.substring(0, dot);
        String frac = dot < 0 ? "" : text.substring(dot + 1);
        // Trailing zeros beyond the scale change nothing: "1.500" at scale 2 is fine.
        int end = frac.length();
        while (end > scale && frac.charAt(end - 1) == '0') {
            end--;
        }
        frac = frac.substring(0, end);
        if (whole.isEmpty() || frac.length() > scale || !digits(whole) || !digits(frac)) {
            return null;
        }
        try {
            long w = Long.parseLong(whole);
            long f = frac.isEmpty() ? 0 : Long.parseLong(frac) * POW10[scale - frac.length()];
            return Math.addExact(Math.multiplyExact(w, POW10[scale]), f);
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
    }

    private static boolean digits(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** {@code value} / 10^scale as a plain decimal string, without trailing zeros ("30000.5", "-0.001", "12"). */
    public static String format(long value, int scale) {
        if (scale == 0) {
            return Long.toString(value);
        }
        boolean negative = value < 0;
        String digits = Long.toString(value).replace("-", "");
        if (digits.length() <= scale) {
            digits = "0".repeat(scale - digits.length() + 1) + digits;
        }
        String whole = digits.substring(0, digits.length() - scale);
        String frac = digits.substring(digits.length() - scale);
        int end = frac.length();
        while (end > 0 && frac.charAt(end - 1) == '0') {
            end--;
        }
        frac = frac.substring(0, end);
        return (negative ? "-" : "") + whole + (frac.isEmpty() ? "" : "." + frac);
    }
}
