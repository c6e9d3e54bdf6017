package io.trademesh.platform.boot;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.trademesh.platform.cluster.ClusterMembership;
import io.trademesh.platform.config.ServiceConfig;
import io.trademesh.platform.health.HealthChecks;
import io.trademesh.platform.store.JournalStore;
import io.trademesh.platform.store.RecoveryResult;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.grpc.server.GrpcServer;

/**
 * What a started service can use: its configuration, the clustered Vert.x, its store (null
 * for a stateless service), the metrics registry, health checks, the HTTP router (health
 * and metrics are already on it) and the gRPC server to add services to.
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
        GrpcServer grpcServer) {
}
