package io.trademesh.gateway.api;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.regex.Pattern;

/**
 * Query, path and body numbers read strictly at the edge: plain digits inside the stated
 * range, or a 400. The contract's validator accepts {@code 1e1} and {@code 10.0} as
 * integers; a service must never see such text, nor a number that does not fit.
 */
public final class Params {

    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,19}");

    private Params() {
    }

    /** The query parameter {@code name} as an int in [min, max], or {@code dflt} when absent. */
    public static int intQuery(RoutingContext rc, String name, int dflt, int min, int max) {
        String text = rc.queryParams().get(name);
        if (text == null) {
            return dflt;
        }
        long v = digits(text, name, max, "INVALID_REQUEST");
        if (v < min) {
            throw ApiError.badRequest("INVALID_REQUEST", name + " must be a whole number from " + min + " to " + max);
        }
        return (int) v;
    }

    /**
     * {@code text} (a query value) as a whole number in [min, max], or a 400 with {@code code};
     * for callers that read parameters without a routing context (and so can be tried alone).
     */
    public static long wholeNumber(String text, String name, long min, long max, String code) {
        long v = digits(text, name, max, code);
        if (v < min) {
            throw ApiError.badRequest(code, name + " must be a whole number from " + min + " to " + max);
        }
        return v;
    }

    /** The page size of a list: 1 to 500, 100 when not given. */
    public static int limit(RoutingContext rc) {
        return intQuery(rc, "limit", 100, 1, 500);
    }

    /** An account number from the path: 1 to 2^63 - 1. */
    public static long accountId(RoutingContext rc) {
        return account(rc.pathParam("accountId"));
    }

    /** An account number from a JSON body's field: a positive whole number that fits 63 bits. */
    public static long accountId(JsonObject body, String field) {
        Object v = body.getValue(field);
        return account(v == null ? null : v.toString());
    }

    private static long account(String text) {
        long v = text == null ? -1 : digits(text, "accountId", Long.MAX_VALUE, "INVALID_ACCOUNT");
        if (v < 1) {
            throw ApiError.badRequest("INVALID_ACCOUNT", "accountId must be a whole number from 1 to "
                    + Long.MAX_VALUE);
        }
        return v;
    }

    private static long digits(String text, String name, long max, String code) {
        if (!DIGITS.matcher(text).matches()) {
            throw ApiError.badRequest(code, name + " must be a whole number of at most 19 plain digits");
        }
        try {
            long v = Long.parseLong(text);
            if (v <= max) {
                return v;
            }
        } catch (NumberFormatException tooBig) {
            // falls through to the refusal
        }
        throw ApiError.badRequest(code, name + " must be at most " + max);
    }
}
