package io.trademesh.gateway.api;

import io.trademesh.gateway.auth.ApiKeys;
import io.trademesh.gateway.auth.RateLimiter;
import io.trademesh.gateway.auth.Signatures;
import io.trademesh.proto.risk.AccountStatus;
import io.trademesh.proto.risk.AuthKeyReply;
import io.trademesh.proto.risk.Permission;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Checks a signed request before anything reaches a service: API key known and not revoked,
 * account active, caller's address allowed, timestamp inside the receive window, signature
 * right, permission held, rate limit not exceeded. Sets the usage headers.
 */
public final class RequestAuth {

    public static final String API_KEY_HEADER = "X-API-KEY";
    static final long DEFAULT_RECV_WINDOW_MS = 5_000;
    static final long MAX_RECV_WINDOW_MS = 60_000;
    /** How far a client's clock may run ahead of ours. */
    static final long CLOCK_SKEW_MS = 1_000;
    private static final java.util.regex.Pattern LITERAL = java.util.regex.Pattern.compile("[0-9A-Fa-f:.]+(/[0-9]{1,3})?");

    /** Who is calling, once authenticated. */
    public record Caller(long accountId, String apiKey) {
    }

    private final ApiKeys keys;
    private final RateLimiter limiter;

    public RequestAuth(ApiKeys keys, RateLimiter limiter) {
        this.keys = keys;
        this.limiter = limiter;
    }

    /** Authenticates a REST request whose signature covers its query string and body. */
    public Future<Caller> check(RoutingContext rc, Permission needed, int weight, int orders) {
        String apiKey = rc.request().getHeader(API_KEY_HEADER);
        if (apiKey == null || apiKey.isEmpty()) {
            return Future.failedFuture(new ApiError(401, "MISSING_API_KEY", "header " + API_KEY_HEADER + " is required"));
        }
        String body = rc.body() == null || rc.body().buffer() == null ? "" : rc.body().asString();
        String payload = Signatures.payload(rc.request().query(), body);
        return verify(apiKey, rc.queryParams().get("timestamp"), rc.queryParams().get("recvWindow"),
                rc.queryParams().get("signature"), payload, rc.request().remoteAddress().host(), needed)
                .compose(caller -> limit(rc, caller.apiKey(), weight, orders).map(caller));
    }

    /**
     * The checks themselves, shared with the WebSocket login: {@code payload} is what the
     * client signed.
     */
    public Future<Caller> verify(String apiKey, String timestamp, String recvWindow, String signature, String payload,
                                 String remoteHost, Permission needed) {
        long now = System.currentTimeMillis();
        if (timestamp == null || signature == null) {
            return Future.failedFuture(new ApiError(401, "MISSING_SIGNATURE",
                    "signed requests need the timestamp and signature parameters"));
        }
        long ts;
        long window;
        try {
            ts = Long.parseLong(timestamp);
            window = recvWindow == null ? DEFAULT_RECV_WINDOW_MS : Long.parseLong(recvWindow);
        } catch (NumberFormatException | NullPointerException e) {
            return Future.failedFuture(ApiError.badRequest("INVALID_TIMESTAMP", "timestamp and recvWindow are ms"));
        }
        if (window < 1 || window > MAX_RECV_WINDOW_MS) {
            return Future.failedFuture(ApiError.badRequest("INVALID_RECV_WINDOW", "recvWindow must be 1..60000 ms"));
        }
        if (ts > now + CLOCK_SKEW_MS || now - ts > window) {
            return Future.failedFuture(new ApiError(401, "STALE_TIMESTAMP", "timestamp " + ts
                    + " is outside the receive window of " + window + " ms (server time " + now + ")"));
        }
        if (signature == null || signature.length() != 64) {
            return Future.failedFuture(new ApiError(401, "INVALID_SIGNATURE", "signature is 64 hex characters"));
        }
        return keys.lookup(apiKey).compose(key -> {
            if (key == null || key.getKey().getRevoked()) {
                return Future.failedFuture(new ApiError(401, "INVALID_API_KEY", "unknown or revoked API key"));
            }
            if (!Signatures.verify(key.getSecret(), payload, signature)) {
                return Future.failedFuture(new ApiError(401, "INVALID_SIGNATURE", "signature does not match the request"));
            }
            if (key.getAccountStatus() != AccountStatus.ACCOUNT_STATUS_ACTIVE) {
                return Future.failedFuture(new ApiError(403, "ACCOUNT_SUSPENDED", "the account is suspended"));
            }
            if (!allowed(key, remoteHost)) {
                return Future.failedFuture(new ApiError(403, "IP_NOT_ALLOWED", "this key is not allowed from "
                        + remoteHost));
            }
            if (!key.getKey().getPermissionsList().contains(needed)) {
                return Future.failedFuture(new ApiError(403, "PERMISSION_DENIED", "this key lacks the "
                        + needed.name().substring("PERMISSION_".length()).toLowerCase(java.util.Locale.ROOT)
                        + " permission"));
            }
            return Future.succeededFuture(new Caller(key.getKey().getAccountId(), apiKey));
        });
    }

    /** Re-checks a logged-in key (revocation, suspension, permission) through the key cache. */
    public Future<Void> permission(String apiKey, Permission needed) {
        return keys.lookup(apiKey).compose(key -> {
            if (key == null || key.getKey().getRevoked()) {
                return Future.failedFuture(new ApiError(401, "INVALID_API_KEY", "unknown or revoked API key"));
            }
            if (key.getAccountStatus() != AccountStatus.ACCOUNT_STATUS_ACTIVE) {
                return Future.failedFuture(new ApiError(403, "ACCOUNT_SUSPENDED", "the account is suspended"));
            }
            if (!key.getKey().getPermissionsList().contains(needed)) {
                return Future.failedFuture(new ApiError(403, "PERMISSION_DENIED", "this key lacks the permission"));
            }
            return Future.succeededFuture();
        });
    }

    /** Counts a socket command against the key's limits; a 429 refusal when over. */
    public Future<Void> limitKey(String apiKey, int weight, int orders) {
        RateLimiter.Decision d = limiter.acquire(apiKey, weight, orders, System.currentTimeMillis());
        return d.allowed() ? Future.succeededFuture() : Future.failedFuture(new ApiError(429, "RATE_LIMITED",
                "too many requests: limit of " + d.limit() + " " + d.limitName() + " reached; retry in "
                        + d.retryAfterSeconds() + " s"));
    }

    /** Counts the request against {@code who}'s limits; a 429 refusal when over. */
    public Future<Void> limit(RoutingContext rc, String who, int weight, int orders) {
        RateLimiter.Decision d = limiter.acquire(who, weight, orders, System.currentTimeMillis());
        rc.response().putHeader("X-RateLimit-Limit", d.limit() + ";w=60");
        rc.response().putHeader("X-RateLimit-Remaining", Integer.toString(d.remaining()));
        if (!d.allowed()) {
            rc.response().putHeader("Retry-After", Long.toString(d.retryAfterSeconds()));
            return Future.failedFuture(new ApiError(429, "RATE_LIMITED", "too many requests: limit of " + d.limit()
                    + " " + d.limitName() + " reached"));
        }
        return Future.succeededFuture();
    }

    private static boolean allowed(AuthKeyReply key, String host) {
        if (key.getKey().getIpAllowlistCount() == 0) {
            return true;
        }
        for (String entry : key.getKey().getIpAllowlistList()) {
            if (matches(entry, host)) {
                return true;
            }
        }
        return false;
    }

    /** An address or CIDR (v4 or v6) against a literal address. */
    static boolean matches(String entry, String host) {
        // Literals only: a name here would mean a DNS lookup on the event loop.
        if (!LITERAL.matcher(entry).matches() || !LITERAL.matcher(host).matches()) {
            return false;
        }
        try {
            int slash = entry.indexOf('/');
            byte[] net = InetAddress.getByName(slash < 0 ? entry : entry.substring(0, slash)).getAddress();
            byte[] addr = InetAddress.getByName(host).getAddress();
            if (net.length != addr.length) {
                return false;
            }
            int bits = slash < 0 ? net.length * 8 : Integer.parseInt(entry.substring(slash + 1));
            for (int i = 0; i < net.length && bits > 0; i++, bits -= 8) {
                int mask = bits >= 8 ? 0xFF : (0xFF << (8 - bits)) & 0xFF;
                if ((net[i] & mask) != (addr[i] & mask)) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException | NumberFormatException e) {
            return false;
        }
    }
}
