package io.trademesh.gateway.api;

import io.trademesh.gateway.auth.ApiKeys;
import io.trademesh.gateway.auth.RateLimiter;
import io.trademesh.gateway.auth.SeenSignatures;
import io.trademesh.gateway.auth.Signatures;
import io.trademesh.proto.risk.AccountStatus;
import io.trademesh.proto.risk.AuthKeyReply;
import io.trademesh.proto.risk.Permission;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Checks a signed request before anything reaches a service, in two steps. Authentication
 * ({@link #authenticate}, run by {@link EdgeGuard} before the request is parsed): API key
 * known and not revoked, timestamp inside the receive window, signature right and not seen
 * before, account active, caller's address allowed. Authorization ({@link #check}, in the
 * route's handler): permission held and rate limit not exceeded. Failed authentications
 * count against the client address. Sets the usage headers.
 */
public final class RequestAuth {

    public static final String API_KEY_HEADER = "X-API-KEY";
    static final long DEFAULT_RECV_WINDOW_MS = 5_000;
    static final long MAX_RECV_WINDOW_MS = 60_000;
    /** How far a client's clock may run ahead of ours. */
    static final long CLOCK_SKEW_MS = 1_000;
    private static final String CALLER = "trademesh.caller";
    private static final java.util.regex.Pattern LITERAL = java.util.regex.Pattern.compile("[0-9A-Fa-f:.]+(/[0-9]{1,3})?");

    /** Who is calling, once authenticated, and what their key may do. */
    public record Caller(long accountId, String apiKey, AuthKeyReply key) {
    }

    private final ApiKeys keys;
    private final RateLimiter limiter;
    private final SeenSignatures seen = new SeenSignatures();

    public RequestAuth(ApiKeys keys, RateLimiter limiter) {
        this.keys = keys;
        this.limiter = limiter;
    }

    /**
     * Authenticates a REST request whose signature covers its method, path, query and body
     * ({@link Signatures#payload}); the caller is kept on the request for {@link #check}.
     */
    public Future<Caller> authenticate(RoutingContext rc) {
        String host = rc.request().remoteAddress().host();
        Future<Caller> attempt = attemptAllowed(rc, host);
        if (attempt != null) {
            return attempt;
        }
        String apiKey = rc.request().getHeader(API_KEY_HEADER);
        if (apiKey == null || apiKey.isEmpty()) {
            return failed(host, new ApiError(401, "MISSING_API_KEY", "header " + API_KEY_HEADER + " is required"));
        }
        String body = rc.body() == null || rc.body().buffer() == null ? "" : rc.body().asString();
        String payload = Signatures.payload(rc.request().method().name(), rc.request().path(), rc.request().query(),
                body);
        // The request's own parameters, decoded before routing (RestApi); rc.queryParams() would decode them again.
        return verify(apiKey, rc.request().getParam("timestamp"), rc.request().getParam("recvWindow"),
                rc.request().getParam("signature"), payload, host)
                .onSuccess(caller -> rc.put(CALLER, caller));
    }

    /**
     * Authorizes an authenticated request: the key holds {@code needed}, and the request's
     * {@code weight} and {@code orders} fit the key's limits.
     */
    public Future<Caller> check(RoutingContext rc, Permission needed, int weight, int orders) {
        Caller caller = rc.get(CALLER);
        if (caller == null) {
            // Every signed route is authenticated by EdgeGuard first; reaching here without is a wiring bug.
            return Future.failedFuture(new ApiError(401, "MISSING_SIGNATURE", "this endpoint needs a signed request"));
        }
        ApiError denied = permissionDenied(caller.key(), needed);
        if (denied != null) {
            return Future.failedFuture(denied);
        }
        return limit(rc, caller.apiKey(), weight, orders).map(caller);
    }

    /**
     * The WebSocket login: {@code signature} over {@link Signatures#loginPayload} with the
     * nonce this socket was given, so a login message works on its own socket only.
     */
    public Future<Caller> login(String apiKey, String timestamp, String signature, String nonce, String host) {
        Future<Caller> attempt = attemptAllowed(null, host);
        if (attempt != null) {
            return attempt;
        }
        return verify(apiKey, timestamp, null, signature, Signatures.loginPayload(nonce, timestamp), host)
                .compose(c -> {
                    ApiError denied = permissionDenied(c.key(), Permission.PERMISSION_READ);
                    return denied == null ? Future.succeededFuture(c) : Future.failedFuture(denied);
                });
    }

    /** A 429 when {@code host} has failed to authenticate too often this minute, else null. */
    private Future<Caller> attemptAllowed(RoutingContext rc, String host) {
        RateLimiter.Decision d = limiter.authAttempt(host, System.currentTimeMillis());
        if (d.allowed()) {
            return null;
        }
        if (rc != null) {
            rc.response().putHeader("Retry-After", Long.toString(d.retryAfterSeconds()));
        }
        return Future.failedFuture(new ApiError(429, "TOO_MANY_FAILED_AUTHENTICATIONS", "too many failed"
                + " authentications from this address: limit of " + d.limit() + " per minute; retry in "
                + d.retryAfterSeconds() + " s"));
    }

    private Future<Caller> failed(String host, ApiError e) {
        limiter.authFailed(host, System.currentTimeMillis());
        return Future.failedFuture(e);
    }

    private Future<Caller> verify(String apiKey, String timestamp, String recvWindow, String signature, String payload,
                                  String host) {
        long now = System.currentTimeMillis();
        if (timestamp == null || signature == null) {
            return failed(host, new ApiError(401, "MISSING_SIGNATURE",
                    "signed requests need the timestamp and signature parameters"));
        }
        long ts;
        long window;
        try {
            ts = Long.parseLong(timestamp);
            window = recvWindow == null ? DEFAULT_RECV_WINDOW_MS : Long.parseLong(recvWindow);
        } catch (NumberFormatException e) {
            return failed(host, new ApiError(401, "INVALID_TIMESTAMP", "timestamp and recvWindow are whole ms"));
        }
        if (window < 1 || window > MAX_RECV_WINDOW_MS) {
            return failed(host, new ApiError(401, "INVALID_RECV_WINDOW", "recvWindow must be 1..60000 ms"));
        }
        if (ts > now + CLOCK_SKEW_MS || now - ts > window) {
            return failed(host, new ApiError(401, "STALE_TIMESTAMP", "timestamp " + ts
                    + " is outside the receive window of " + window + " ms (server time " + now + ")"));
        }
        if (signature.length() != 64) {
            return failed(host, new ApiError(401, "INVALID_SIGNATURE", "signature is 64 hex characters"));
        }
        return keys.lookup(apiKey).compose(key -> {
            if (key == null || key.getKey().getRevoked()) {
                return failed(host, new ApiError(401, "INVALID_API_KEY", "unknown or revoked API key"));
            }
            if (!Signatures.verify(key.getSecret(), payload, signature)) {
                return failed(host, new ApiError(401, "INVALID_SIGNATURE", "signature does not match the request"
                        + " (it signs method, path, query without signature, and body; see the README)"));
            }
            if (!seen.firstUse(signature, ts)) {
                return failed(host, new ApiError(401, "REPLAYED_SIGNATURE", "this signature was already used:"
                        + " sign every request afresh"));
            }
            if (key.getAccountStatus() != AccountStatus.ACCOUNT_STATUS_ACTIVE) {
                return Future.failedFuture(new ApiError(403, "ACCOUNT_SUSPENDED", "the account is suspended"));
            }
            if (!allowed(key, host)) {
                return Future.failedFuture(new ApiError(403, "IP_NOT_ALLOWED", "this key is not allowed from "
                        + host));
            }
            return Future.succeededFuture(new Caller(key.getKey().getAccountId(), apiKey, key));
        });
    }

    private static ApiError permissionDenied(AuthKeyReply key, Permission needed) {
        return key.getKey().getPermissionsList().contains(needed) ? null : new ApiError(403, "PERMISSION_DENIED",
                "this key lacks the " + needed.name().substring("PERMISSION_".length()).toLowerCase(Locale.ROOT)
                        + " permission");
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
            ApiError denied = permissionDenied(key, needed);
            return denied == null ? Future.succeededFuture() : Future.failedFuture(denied);
        });
    }

    /** Counts a socket command against the key's limits; a 429 refusal when over. */
    public Future<Void> limitKey(String apiKey, int weight, int orders) {
        RateLimiter.Decision d = limiter.acquire(apiKey, weight, orders, System.currentTimeMillis());
        return d.allowed() ? Future.succeededFuture() : Future.failedFuture(rateLimited(d));
    }

    /** Counts the request against {@code who}'s limits; a 429 refusal when over. */
    public Future<Void> limit(RoutingContext rc, String who, int weight, int orders) {
        RateLimiter.Decision d = limiter.acquire(who, weight, orders, System.currentTimeMillis());
        rc.response().putHeader("X-RateLimit-Limit", d.limit() + ";w=" + d.windowSeconds());
        rc.response().putHeader("X-RateLimit-Remaining", Integer.toString(d.remaining()));
        if (!d.allowed()) {
            rc.response().putHeader("Retry-After", Long.toString(d.retryAfterSeconds()));
            return Future.failedFuture(rateLimited(d));
        }
        return Future.succeededFuture();
    }

    private static ApiError rateLimited(RateLimiter.Decision d) {
        return new ApiError(429, "RATE_LIMITED", "too many requests: limit of " + d.limit() + " " + d.limitName()
                + " reached; retry in " + d.retryAfterSeconds() + " s");
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
