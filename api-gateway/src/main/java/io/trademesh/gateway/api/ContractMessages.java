package io.trademesh.gateway.api;

import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.validation.SchemaValidationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the OpenAPI contract found wrong with a request, said the way a trader needs it: the field and what it must
 * be ({@code side must be one of BUY, SELL}), not the validator's schema path or a regular expression. The validator
 * reports a body property that fails its own schema a second time, as "does not match additional properties
 * schema"; that echo is dropped, so only a field the schema does not have is reported that way.
 */
final class ContractMessages {

    /** What a value of each named string schema looks like (openapi.yaml, components.schemas). */
    private static final Map<String, String> FORMATS = Map.of(
            "Decimal", "a decimal string such as \"29000.5\" (at most 19 digits before the point and 18 after)",
            "Symbol", "a symbol such as \"BTC-USDT\" (at most 64 letters, digits, '.', '_', ':' or '-')",
            "Asset", "an asset such as \"USDT\" (at most 16 capital letters or digits)",
            "Id", "an id of at most 128 letters, digits, '.', '_', ':' or '-'",
            "TransferId", "an id of at most 100 letters, digits, '.', '_' or '-'",
            "ClientActionId", "an id of at most 64 letters, digits, '.', '_', ':' or '-'",
            "ExpiryText", "ms since the epoch or an ISO-8601 date-time with its offset (\"2026-12-25T08:00:00Z\")");
    private static final Pattern NAMED_SCHEMA = Pattern.compile("#/components/schemas/([A-Za-z]+)/");
    private static final Pattern ENUM = Pattern.compile("any of \\[(.*)]");
    private static final Pattern TYPE = Pattern.compile("Instance type (\\S+) is invalid\\. Expected (.+)");
    private static final Pattern REQUIRED = Pattern.compile("required property \"([^\"]+)\"");
    private static final Pattern PROPERTY = Pattern.compile("Property \"([^\"]+)\"");

    private ContractMessages() {
    }

    /** What a value of the named schema looks like ("Decimal": "a decimal string such as ..."). */
    static String format(String schema) {
        return FORMATS.get(schema);
    }

    /** The message for a request the contract refused; {@code t} is what the router failed with. */
    static String of(Throwable t) {
        if (t instanceof SchemaValidationException s && s.getOutputUnit() != null
                && s.getMessage() != null && s.getMessage().contains("request body")) {
            String said = describe(s.getOutputUnit());
            if (said != null) {
                return said;
            }
        }
        return t == null || t.getMessage() == null ? "invalid request" : t.getMessage();
    }

    /**
     * The most specific finding: the validator lists the wrappers ("property side does not match schema") beside
     * what failed inside them ("does not match any of [BUY, SELL]"), so the deepest one is taken, by where in the
     * request and then where in the schema; echoes dropped. Null if there is none.
     */
    static String describe(OutputUnit root) {
        List<OutputUnit> found = new ArrayList<>();
        collect(root, found);
        OutputUnit best = null;
        for (OutputUnit unit : found) {
            if (!isEcho(unit, found) && (best == null || deeper(unit, best))) {
                best = unit;
            }
        }
        return best == null ? null : sentence(best);
    }

    private static void collect(OutputUnit unit, List<OutputUnit> found) {
        if (unit.getError() != null && unit.getInstanceLocation() != null) {
            found.add(unit);
        }
        if (unit.getErrors() != null) {
            for (OutputUnit child : unit.getErrors()) {
                collect(child, found);
            }
        }
    }

    private static boolean deeper(OutputUnit a, OutputUnit b) {
        int byInstance = Integer.compare(depth(a.getInstanceLocation()), depth(b.getInstanceLocation()));
        return byInstance != 0 ? byInstance > 0 : depth(a.getKeywordLocation()) > depth(b.getKeywordLocation());
    }

    private static int depth(String location) {
        return location == null ? 0 : (int) location.chars().filter(c -> c == '/').count();
    }

    /** "Does not match additional properties schema" for a property that another finding already says is wrong. */
    private static boolean isEcho(OutputUnit unit, List<OutputUnit> found) {
        if (!keyword(unit).equals("additionalProperties")) {
            return false;
        }
        for (OutputUnit other : found) {
            if (other != unit && unit.getInstanceLocation().equals(other.getInstanceLocation())) {
                return true;
            }
        }
        return false;
    }

    private static String sentence(OutputUnit unit) {
        String error = unit.getError();
        String field = field(unit.getInstanceLocation());
        switch (keyword(unit)) {
            case "enum" -> {
                Matcher m = ENUM.matcher(error);
                if (m.find()) {
                    return field + " must be one of " + m.group(1).replace("\"", "").replace(",", ", ");
                }
            }
            case "pattern" -> {
                Matcher m = NAMED_SCHEMA.matcher(String.valueOf(unit.getAbsoluteKeywordLocation()));
                String format = m.find() ? FORMATS.get(m.group(1)) : null;
                return field + (format != null ? " must be " + format
                        : " is not in the format the API reference gives for it");
            }
            case "type" -> {
                Matcher m = TYPE.matcher(error);
                if (m.find()) {
                    return field + " must be " + article(m.group(2)) + ", not " + article(m.group(1));
                }
            }
            case "required" -> {
                Matcher m = REQUIRED.matcher(error);
                if (m.find()) {
                    return (field.isEmpty() ? "" : field + ".") + m.group(1) + " is required";
                }
            }
            case "additionalProperties" -> {
                Matcher m = PROPERTY.matcher(error);
                if (m.find()) {
                    return (field.isEmpty() ? m.group(1) : field) + " is not a field of this request";
                }
            }
            default -> {
            }
        }
        return field.isEmpty() ? error : field + ": " + error;
    }

    /** The keyword that failed: the last segment of its location ("#/properties/side/enum" gives "enum"). */
    private static String keyword(OutputUnit unit) {
        String location = unit.getKeywordLocation() == null ? "" : unit.getKeywordLocation();
        return location.substring(location.lastIndexOf('/') + 1);
    }

    /** "#/orders/0/price" as "orders[0].price"; the body itself ("#") as "". */
    static String field(String instanceLocation) {
        if (instanceLocation == null || instanceLocation.length() <= 2) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        for (String part : instanceLocation.substring(2).split("/")) {
            if (!part.isEmpty() && part.chars().allMatch(Character::isDigit)) {
                out.append('[').append(part).append(']');
            } else {
                out.append(out.length() == 0 ? "" : ".").append(part.replace("~1", "/").replace("~0", "~"));
            }
        }
        return out.toString();
    }

    private static String article(String type) {
        String t = type.trim();
        return switch (t) {
            case "integer", "object", "array" -> "an " + t;
            case "null" -> "null";
            default -> "a " + t;
        };
    }
}
