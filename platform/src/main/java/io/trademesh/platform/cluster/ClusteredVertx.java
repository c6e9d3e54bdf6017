package io.trademesh.platform.cluster;

import io.micrometer.core.instrument.MeterRegistry;
import io.trademesh.platform.config.ServiceConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/** Starts a Vert.x instance that joins the trademesh cluster, with Micrometer metrics. */
public final class ClusteredVertx {

    private final HazelcastClusterManager clusterManager;
    private final Vertx vertx;

    private ClusteredVertx(HazelcastClusterManager clusterManager, Vertx vertx) {
        this.clusterManager = clusterManager;
        this.vertx = vertx;
    }

    /** Completes once this member has joined the cluster and the event bus is listening. */
    public static Future<ClusteredVertx> start(ServiceConfig cfg, ClusterMembership membership, MeterRegistry registry) {
        return start(cfg, membership, registry, new FileSystemOptions());
    }

    /** As {@link #start(ServiceConfig, ClusterMembership, MeterRegistry)}, with Vert.x's file options. */
    public static Future<ClusteredVertx> start(ServiceConfig cfg, ClusterMembership membership, MeterRegistry registry,
                                               FileSystemOptions files) {
        HazelcastClusterManager cm = new HazelcastClusterManager(HazelcastConfigFactory.create(cfg, membership));
        EventBusOptions eventBus = new EventBusOptions()
                .setHost(cfg.clusterHost())
                .setPort(cfg.eventBusPort())
                .setClusterPublicHost(cfg.clusterHost());
        MicrometerMetricsOptions metrics = new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(false)
                // Per-request HTTP meters cost 8-10% of the gateway's time per order here: the
                // launcher's routers record their own (HttpServerMeters). gRPC calls all answer
                // HTTP 200, so Vert.x's meters said little of them anyway.
                .addDisabledMetricsCategory(MetricsDomain.HTTP_SERVER)
                // Connection meters carry their local address, telling a process's servers apart.
                .addLabels(Label.LOCAL);
        VertxOptions options = new VertxOptions()
                .setEventBusOptions(eventBus)
                .setMetricsOptions(metrics)
                .setFileSystemOptions(files);
        return Vertx.builder()
                .with(options)
                .withClusterManager(cm)
                .withMetrics(new MicrometerMetricsFactory(registry))
                .buildClustered()
                .map(vx -> {
                    membership.joined(cm.getHazelcastInstance().getCluster().getMembers().size());
                    return new ClusteredVertx(cm, vx);
                });
    }

    public Vertx vertx() {
        return vertx;
    }

    /** True while this member is part of a running cluster. */
    public boolean isJoined() {
        return clusterManager.isActive() && clusterManager.getHazelcastInstance().getLifecycleService().isRunning();
    }

    public String nodeId() {
        return clusterManager.getNodeId();
    }

    /** Leaves the cluster and closes Vert.x. */
    public Future<Void> close() {
        return vertx.close();
    }
}
