package io.trademesh.gateway.auth;

import io.trademesh.gateway.routing.Backends;
import io.trademesh.gateway.routing.ServiceEndpoints;
import io.trademesh.proto.risk.AuthKeyReply;
import io.trademesh.proto.risk.AuthKeyRequest;
import io.trademesh.proto.risk.RiskServiceGrpcClient;
import io.vertx.core.Future;
import io.vertx.grpc.common.GrpcStatus;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * API keys as the gateway checks them, fetched from risk-service and kept for
 * {@link #TTL_MS}. risk-service announces every revocation and suspension on the cluster
 * ({@link #forget}, {@link #forgetAccount}), so they take effect at once; the TTL is the
 * backstop for an announcement the event bus lost. Unknown keys are remembered as unknown
 * in a cache of their own, so a flood of made-up keys neither reaches risk-service nor
 * evicts a good key. A key that is not 24 lower-case hex characters is unknown without a
 * lookup. Secrets live only in this process's memory.
 *
 * <p>While risk-service does not answer (a restart takes it away for seconds), a key fetched
 * in the last minute ({@link #MAX_STALE_MS}) is still used, so that trading on the other services goes
 * on. That opens no gap for a revocation: revoking and suspending go through risk-service,
 * which cannot do either while it is down, and what it announced before is already dropped.
 * A key not fetched before the outage, or forgotten since, is refused (503) until it is back.
 */
public final class ApiKeys {

    private static final Logger LOG = Logger.getLogger(ApiKeys.class.getName());
    /** How long a fetched key is used before risk-service is asked for it again. */
    public static final long TTL_MS = 5_000;
    static final long MAX_STALE_MS = 60_000;
    private static final int MAX_ENTRIES = 100_000;
    private final int maxEntries;
    private final long ttlMs;
    private final long maxStaleMs;
    /** Set while keys are served stale, so that an outage is logged once, not per request. */
    private final AtomicBoolean servingStale = new AtomicBoolean();

    /** A key as fetched; {@code checkedAtMs} is when risk-service was last asked for it, answering or not. */
    private record Cached(AuthKeyReply reply, long fetchedAtMs, long checkedAtMs) {
    }

    private final Backends backends;
    private final ServiceEndpoints endpoints;
    private final Map<String, Cached> known = new ConcurrentHashMap<>();
    private final Map<String, Long> unknown = new ConcurrentHashMap<>();
    /** Bumped by every forget: a lookup that started before one must not cache what it fetched. */
    private final java.util.concurrent.atomic.AtomicLong generation = new java.util.concurrent.atomic.AtomicLong();

    public ApiKeys(Backends backends, ServiceEndpoints endpoints) {
        this(backends, endpoints, MAX_ENTRIES, TTL_MS, MAX_STALE_MS);
    }

    /**
     * With at most {@code maxEntries} known and as many unknown keys cached, each asked for again after
     * {@code ttlMs}, and used up to {@code maxStaleMs} after its fetch while risk-service does not answer.
     */
    ApiKeys(Backends backends, ServiceEndpoints endpoints, int maxEntries, long ttlMs, long maxStaleMs) {
        this.backends = backends;
        this.endpoints = endpoints;
        this.maxEntries = maxEntries;
        this.ttlMs = ttlMs;
        this.maxStaleMs = maxStaleMs;
    }

    /** The key's record, or null when risk-service does not know it or it is revoked. */
    public Future<AuthKeyReply> lookup(String apiKey) {
        if (!ofKeyForm(apiKey)) {
            return Future.succeededFuture(null);
        }
        long now = System.currentTimeMillis();
        Cached c = known.get(apiKey);
        if (c != null && now - c.checkedAtMs < ttlMs) {
            return Future.succeededFuture(c.reply);
        }
        Long unknownSince = unknown.get(apiKey);
        if (unknownSince != null && now - unknownSince < ttlMs) {
            return Future.succeededFuture(null);
        }
        long startedIn = generation.get();
        String risk;
        try {
            risk = endpoints.require("risk-service");
        } catch (RuntimeException down) {
            return staleOr(apiKey, now, down);
        }
        return backends.unary(risk, RiskServiceGrpcClient.GetAuthKey, AuthKeyRequest.newBuilder().setApiKey(apiKey).build())
                .compose(reply -> {
                    if (!cacheUnlessForgotten(apiKey, new Cached(reply, now, now), startedIn)) {
                        // A revocation or suspension was announced while this was in flight: the reply
                        // may predate it, so ask again rather than cache (or trust) it.
                        return lookup(apiKey);
                    }
                    unknown.remove(apiKey);
                    if (servingStale.compareAndSet(true, false)) {
                        LOG.info("risk-service answers again: API keys are fetched afresh");
                    }
                    return Future.succeededFuture(reply);
                })
                .recover(err -> {
                    GrpcStatus st = Backends.statusOf(err);
                    // NOT_FOUND: no such key; FAILED_PRECONDITION: revoked. Either way it signs nothing.
                    if (st != GrpcStatus.NOT_FOUND && st != GrpcStatus.FAILED_PRECONDITION
                            && st != GrpcStatus.INVALID_ARGUMENT) {
                        return staleOr(apiKey, now, err);
                    }
                    if (unknown.size() >= maxEntries) {
                        unknown.clear();
                    }
                    unknown.put(apiKey, now);
                    known.remove(apiKey);
                    return Future.succeededFuture(null);
                });
    }

    /**
     * risk-service did not answer: the key as last fetched if that was at most {@link #maxStaleMs} ago and
     * nothing dropped it since, else the failure (the caller answers 503). The key is asked for again a TTL
     * later, not on every request: each ask waits for risk-service's failure.
     */
    private Future<AuthKeyReply> staleOr(String apiKey, long now, Throwable failure) {
        Cached c = known.get(apiKey);
        if (c == null || now - c.fetchedAtMs >= maxStaleMs) {
            return Future.failedFuture(failure);
        }
        // Only the entry read above: a forget since has removed it, and must not be undone.
        known.replace(apiKey, c, new Cached(c.reply, c.fetchedAtMs, now));
        if (servingStale.compareAndSet(false, true)) {
            LOG.warning("risk-service does not answer (" + failure.getMessage() + "): using API keys fetched in the"
                    + " last " + maxStaleMs / 1000 + " s until it does");
        }
        return Future.succeededFuture(c.reply);
    }

    /** The form risk-service gives keys: 24 lower-case hex characters (checked per request, so by hand). */
    private static boolean ofKeyForm(String key) {
        if (key.length() != 24) {
            return false;
        }
        for (int i = 0; i < 24; i++) {
            char c = key.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    /**
     * Caches a fetched key unless an announcement came after the fetch began. Atomic with {@link #forget} and
     * {@link #forgetAccount}: the announcement is handled on another thread, and landing between the check and the
     * put would leave the key it revoked cached for the whole TTL. Short, no I/O; reads of the cache take no lock.
     */
    private synchronized boolean cacheUnlessForgotten(String apiKey, Cached cached, long startedIn) {
        if (generation.get() != startedIn) {
            return false;
        }
        if (known.size() >= maxEntries) {
            known.clear();   // only real keys get here: a flood of bad ones cannot cause this
        }
        known.put(apiKey, cached);
        return true;
    }

    /** Drops what is cached of one key (it was revoked). */
    public synchronized void forget(String apiKey) {
        generation.incrementAndGet();
        known.remove(apiKey);
    }

    /** Drops every cached key of an account (it was suspended or reinstated). */
    public synchronized void forgetAccount(long accountId) {
        generation.incrementAndGet();
        known.values().removeIf(c -> c.reply.getKey().getAccountId() == accountId);
    }
}
