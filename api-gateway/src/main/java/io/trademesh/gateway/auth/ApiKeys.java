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

/**
 * API keys as the gateway checks them, fetched from risk-service and kept for
 * {@link #TTL_MS}. risk-service announces every revocation and suspension on the cluster
 * ({@link #forget}, {@link #forgetAccount}), so they take effect at once; the TTL is the
 * backstop for an announcement the event bus lost. Unknown keys are remembered as unknown
 * in a cache of their own, so a flood of made-up keys neither reaches risk-service nor
 * evicts a good key. A key that is not 24 lower-case hex characters is unknown without a
 * lookup. Secrets live only in this process's memory.
 */
public final class ApiKeys {

    static final long TTL_MS = 5_000;
    private static final int MAX_ENTRIES = 100_000;
    private final int maxEntries;

    private record Cached(AuthKeyReply reply, long fetchedAtMs) {
    }

    private final Backends backends;
    private final ServiceEndpoints endpoints;
    private final Map<String, Cached> known = new ConcurrentHashMap<>();
    private final Map<String, Long> unknown = new ConcurrentHashMap<>();
    /** Bumped by every forget: a lookup that started before one must not cache what it fetched. */
    private final java.util.concurrent.atomic.AtomicLong generation = new java.util.concurrent.atomic.AtomicLong();

    public ApiKeys(Backends backends, ServiceEndpoints endpoints) {
        this(backends, endpoints, MAX_ENTRIES);
    }

    /** With at most {@code maxEntries} known and as many unknown keys cached. */
    ApiKeys(Backends backends, ServiceEndpoints endpoints, int maxEntries) {
        this.backends = backends;
        this.endpoints = endpoints;
        this.maxEntries = maxEntries;
    }

    /** The key's record, or null when risk-service does not know it or it is revoked. */
    public Future<AuthKeyReply> lookup(String apiKey) {
        if (!ofKeyForm(apiKey)) {
            return Future.succeededFuture(null);
        }
        long now = System.currentTimeMillis();
        Cached c = known.get(apiKey);
        if (c != null && now - c.fetchedAtMs < TTL_MS) {
            return Future.succeededFuture(c.reply);
        }
        Long unknownSince = unknown.get(apiKey);
        if (unknownSince != null && now - unknownSince < TTL_MS) {
            return Future.succeededFuture(null);
        }
        long startedIn = generation.get();
        String risk;
        try {
            risk = endpoints.require("risk-service");
        } catch (RuntimeException down) {
            return Future.failedFuture(down);
        }
        return backends.unary(risk, RiskServiceGrpcClient.GetAuthKey, AuthKeyRequest.newBuilder().setApiKey(apiKey).build())
                .compose(reply -> {
                    if (!cacheUnlessForgotten(apiKey, new Cached(reply, now), startedIn)) {
                        // A revocation or suspension was announced while this was in flight: the reply
                        // may predate it, so ask again rather than cache (or trust) it.
                        return lookup(apiKey);
                    }
                    unknown.remove(apiKey);
                    return Future.succeededFuture(reply);
                })
                .recover(err -> {
                    GrpcStatus st = Backends.statusOf(err);
                    // NOT_FOUND: no such key; FAILED_PRECONDITION: revoked. Either way it signs nothing.
                    if (st != GrpcStatus.NOT_FOUND && st != GrpcStatus.FAILED_PRECONDITION
                            && st != GrpcStatus.INVALID_ARGUMENT) {
                        return Future.failedFuture(err);
                    }
                    if (unknown.size() >= maxEntries) {
                        unknown.clear();
                    }
                    unknown.put(apiKey, now);
                    known.remove(apiKey);
                    return Future.succeededFuture(null);
                });
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
