package io.trademesh.gateway.auth;

import io.trademesh.gateway.routing.Backends;
import io.trademesh.gateway.routing.ServiceEndpoints;
import io.trademesh.proto.risk.AuthKeyReply;
import io.trademesh.proto.risk.AuthKeyRequest;
import io.vertx.core.Future;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * API keys as the gateway checks them, fetched from risk-service and kept for
 * {@link #TTL_MS}, so a revoked key or suspended account stops working within that time.
 * Unknown keys are remembered as unknown for the same time, so a flood of bad keys does
 * not become a flood of calls to risk-service. Secrets live only in this process's memory.
 */
public final class ApiKeys {

    static final long TTL_MS = 5_000;
    private static final int MAX_ENTRIES = 100_000;

    private record Cached(AuthKeyReply reply, long fetchedAtMs) {
    }

    private final Backends backends;
    private final ServiceEndpoints endpoints;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public ApiKeys(Backends backends, ServiceEndpoints endpoints) {
        this.backends = backends;
        this.endpoints = endpoints;
    }

    /** The key's record, or null when risk-service does not know it. */
    public Future<AuthKeyReply> lookup(String apiKey) {
        long now = System.currentTimeMillis();
        Cached c = cache.get(apiKey);
        if (c != null && now - c.fetchedAtMs < TTL_MS) {
            return Future.succeededFuture(c.reply);
        }
        String risk = endpoints.require("risk-service");
        return backends.call(risk, e -> e.risk().getAuthKey(AuthKeyRequest.newBuilder().setApiKey(apiKey).build()))
                // NOT_FOUND: no such key; FAILED_PRECONDITION: revoked. Either way it signs nothing.
                .recover(err -> Backends.statusOf(err) == io.vertx.grpc.common.GrpcStatus.NOT_FOUND
                        || Backends.statusOf(err) == io.vertx.grpc.common.GrpcStatus.FAILED_PRECONDITION
                        ? Future.succeededFuture(null) : Future.failedFuture(err))
                .map(reply -> {
                    if (cache.size() > MAX_ENTRIES) {
                        cache.clear();
                    }
                    cache.put(apiKey, new Cached(reply, now));
                    return reply;
                });
    }
}
