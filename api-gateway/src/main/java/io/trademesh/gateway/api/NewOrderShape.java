package io.trademesh.gateway.api;

import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * The contract's {@code NewOrder} schema (openapi.yaml), checked by hand. Order entry is the
 * gateway's hottest route, and the generic JSON-schema validator took about a third of the
 * gateway's CPU there (BENCHMARKS.md). {@code NewOrderShapeProperties} checks that this gives
 * the same verdict as the schema on generated bodies, so the two cannot drift apart unseen.
 * Two deliberate differences, both stricter: {@code expireAt} must also fit a 64-bit
 * integer, and a pattern must match the whole value (the schema library's {@code $} lets a
 * trailing line break through).
 */
public final class NewOrderShape {

    // The schema's enums, in the order the contract gives them (said in that order when refused).
    private static final List<String> SIDES = List.of("BUY", "SELL");
    private static final List<String> TYPES = List.of("LIMIT", "MARKET");
    private static final List<String> TIME_IN_FORCE = List.of("GTC", "GTD", "IOC", "FOK", "POST_ONLY");
    private static final List<String> STP = List.of("EXPIRE_TAKER", "EXPIRE_MAKER", "EXPIRE_BOTH", "NONE");
    private static final List<String> CONDITIONALS = List.of("STOP", "TAKE_PROFIT", "TRAILING_STOP");
    private static final List<String> TRIGGER_BY = List.of("MARK", "LAST");

    /** What the switch below says of a property the schema does not have (compared by identity). */
    private static final String UNKNOWN = new String("unknown");

    private NewOrderShape() {
    }

    /**
     * Null when {@code body} fits the schema; otherwise why not, as {@link ContractMessages} says it for the
     * routes the schema checks: the field first ("price must be a decimal string such as ...").
     */
    public static String check(JsonObject body) {
        for (String required : List.of("market", "side")) {
            if (!body.containsKey(required)) {
                return required + " is required";
            }
        }
        for (Map.Entry<String, Object> e : body) {
            String bad = switch (e.getKey()) {
                case "market" -> e.getValue() instanceof String v && isSymbol(v) ? null
                        : "must be " + ContractMessages.format("Symbol");
                case "clientOrderId" -> e.getValue() instanceof String v && isSymbol(v) ? null
                        : "must be " + ContractMessages.format("ClientActionId");
                case "price", "quantity", "quoteQuantity", "triggerPrice", "callbackRate" ->
                        e.getValue() instanceof String v && isDecimal(v) ? null
                        : "must be " + ContractMessages.format("Decimal");
                case "side" -> oneOf(e.getValue(), SIDES);
                case "type" -> oneOf(e.getValue(), TYPES);
                case "timeInForce" -> oneOf(e.getValue(), TIME_IN_FORCE);
                case "selfTradePrevention" -> oneOf(e.getValue(), STP);
                case "expireAt" -> positiveLong(e.getValue());
                case "reduceOnly", "closePosition" -> e.getValue() instanceof Boolean ? null : "must be a boolean";
                case "conditional" -> oneOf(e.getValue(), CONDITIONALS);
                case "triggerBy" -> oneOf(e.getValue(), TRIGGER_BY);
                default -> UNKNOWN;
            };
            if (bad != null) {
                return e.getKey() + (bad == UNKNOWN ? " is not a field of an order" : " " + bad);
            }
        }
        return null;
    }

    /** {@code [A-Za-z0-9._:-]{1,64}}. */
    static boolean isSymbol(String s) {
        int n = s.length();
        if (n < 1 || n > 64) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '_'
                    || c == ':' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** {@code [0-9]{1,19}(\.[0-9]{1,18})?}. */
    static boolean isDecimal(String s) {
        int dot = s.indexOf('.');
        int whole = dot < 0 ? s.length() : dot;
        int frac = dot < 0 ? 0 : s.length() - dot - 1;
        return whole >= 1 && whole <= 19 && digits(s, 0, whole)
                && (dot < 0 || frac >= 1 && frac <= 18 && digits(s, dot + 1, s.length()));
    }

    static boolean digits(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static String oneOf(Object v, List<String> allowed) {
        return v instanceof String s && allowed.contains(s) ? null : "must be one of " + String.join(", ", allowed);
    }

    private static String positiveLong(Object v) {
        BigDecimal d;
        if (v instanceof Integer || v instanceof Long) {
            d = BigDecimal.valueOf(((Number) v).longValue());
        } else if (v instanceof BigInteger b) {
            d = new BigDecimal(b);
        } else if (v instanceof Double || v instanceof Float) {
            double x = ((Number) v).doubleValue();
            if (Double.isNaN(x) || Double.isInfinite(x)) {
                return "must be an integer";
            }
            d = BigDecimal.valueOf(x);
        } else if (v instanceof BigDecimal b) {
            d = b;
        } else {
            return "must be an integer";
        }
        if (d.signum() != 0 && d.stripTrailingZeros().scale() > 0) {
            return "must be an integer";
        }
        if (d.compareTo(BigDecimal.ONE) < 0) {
            return "must be at least 1";
        }
        return d.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0 ? "must fit a 64-bit integer" : null;
    }
}
