package io.trademesh.platform.boot;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.trademesh.platform.cluster.ClusterMembership;
import io.trademesh.platform.config.ServiceConfig;
import io.trademesh.platform.health.HealthChecks;
import io.trademesh.platform.store.JournalStore;
import io.trademesh.platform.store.RecoveryResult;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.grpc.server.GrpcServer;

/**
 * What a started service can use: its configuration, the clustered Vert.x, its store (null
 * for a stateless service), the metrics registry, health checks, the HTTP router (health
 * and metrics are already on it), the gRPC server to add services to, and the engine's
 * context.
 *
 * <p>{@code engineContext} is an event-loop context of its own (see
 * {@link io.trademesh.platform.engine.CommandShard#ownContext}) for the service's command
 * shard, and the gRPC server's connections run on the same event loop. Every command then
 * stays on one thread from the stream that brings it to the reply, apart from the journal:
 * crossing to another loop and back cost each command two thread wake-ups, far more CPU than
 * applying it, and on a service's half core the waits for the scheduler were most of its
 * latency.
 */
public record ServiceRuntime(
        ServiceConfig config,
        Vertx vertx,
        JournalStore store,
        RecoveryResult recovery,
        PrometheusMeterRegistry registry,
        HealthChecks health,
        ClusterMembership membership,
        Router router,
        GrpcServer grpcServer,
        Context engineContext) {
}
