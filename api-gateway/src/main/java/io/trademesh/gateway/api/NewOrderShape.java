package io.trademesh.gateway.api;

import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

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

    private static final Pattern SYMBOL = Pattern.compile("^[A-Za-z0-9._:-]{1,64}$");
    private static final Pattern DECIMAL = Pattern.compile("^[0-9]{1,19}(\\.[0-9]{1,18})?$");
    private static final Set<String> SIDES = Set.of("BUY", "SELL");
    private static final Set<String> TYPES = Set.of("LIMIT", "MARKET");
    private static final Set<String> TIME_IN_FORCE = Set.of("GTC", "GTD", "IOC", "FOK", "POST_ONLY");
    private static final Set<String> STP = Set.of("EXPIRE_TAKER", "EXPIRE_MAKER", "EXPIRE_BOTH", "NONE");

    private NewOrderShape() {
    }

    /** Null when {@code body} fits the schema; otherwise why not, naming the property. */
    public static String check(JsonObject body) {
        if (!body.containsKey("market") || !body.containsKey("side")) {
            return "market and side are required";
        }
        for (Map.Entry<String, Object> e : body) {
            String bad = switch (e.getKey()) {
                case "market" -> pattern(e.getValue(), SYMBOL);
                case "clientOrderId" -> pattern(e.getValue(), SYMBOL);
                case "price", "quantity", "quoteQuantity" -> pattern(e.getValue(), DECIMAL);
                case "side" -> oneOf(e.getValue(), SIDES);
                case "type" -> oneOf(e.getValue(), TYPES);
                case "timeInForce" -> oneOf(e.getValue(), TIME_IN_FORCE);
                case "selfTradePrevention" -> oneOf(e.getValue(), STP);
                case "expireAt" -> positiveLong(e.getValue());
                default -> "is not a property of an order";
            };
            if (bad != null) {
                return "property \"" + e.getKey() + "\" " + bad;
            }
        }
        return null;
    }

    private static String pattern(Object v, Pattern p) {
        return v instanceof String s && p.matcher(s).matches() ? null : "does not match " + p.pattern();
    }

    private static String oneOf(Object v, Set<String> allowed) {
        return v instanceof String s && allowed.contains(s) ? null : "must be one of " + allowed;
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
