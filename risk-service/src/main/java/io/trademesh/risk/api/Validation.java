package io.trademesh.risk.api;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** Shapes checked at the edge, before anything reaches the engine. */
public final class Validation {

    public static final Pattern ASSET = Pattern.compile("[A-Z0-9]{1,16}");
    public static final Pattern OPERATION_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    /** No ':' so that the per-step wallet transfer ids "<id>:debit|credit|refund" never collide. */
    public static final Pattern TRANSFER_ID = Pattern.compile("[A-Za-z0-9._-]{1,100}");
    public static final Pattern API_KEY_ID = Pattern.compile("[0-9a-f]{24}");
    public static final int MAX_NAME = 64;
    public static final int MAX_ALLOWLIST = 32;
    public static final int MAX_PRICE_SCALE = 18;

    private static final Pattern IPV4 =
            Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private Validation() {
    }

    /** 1..64 characters (0..64 when {@code optional}), no control characters. */
    public static boolean text(String s, boolean optional) {
        if (s.isEmpty()) {
            return optional;
        }
        if (s.codePointCount(0, s.length()) > MAX_NAME || s.isBlank()) {
            return false;
        }
        return s.codePoints().noneMatch(Character::isISOControl);
    }

    /** An IPv4 or IPv6 address, or a CIDR block of either ({@code 10.0.0.0/8}, {@code 2001:db8::/32}). */
    public static boolean ipOrCidr(String entry) {
        int slash = entry.indexOf('/');
        String address = slash < 0 ? entry : entry.substring(0, slash);
        int maxPrefix;
        if (IPV4.matcher(address).matches()) {
            maxPrefix = 32;
        } else if (ipv6(address)) {
            maxPrefix = 128;
        } else {
            return false;
        }
        if (slash < 0) {
            return true;
        }
        String prefix = entry.substring(slash + 1);
        if (prefix.isEmpty() || prefix.length() > 3 || !prefix.chars().allMatch(Character::isDigit)) {
            return false;
        }
        return Integer.parseInt(prefix) <= maxPrefix;
    }

    /** An IPv6 literal; parsed without any name lookup (a string with ':' is only ever a literal). */
    private static boolean ipv6(String s) {
        if (!IPV6_CHARS.matcher(s).matches() || s.indexOf(':') < 0
                || !(Character.digit(s.charAt(0), 16) >= 0 || s.charAt(0) == ':')) {
            return false;
        }
        try {
            InetAddress.getByName(s);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
