package io.trademesh.platform.cluster;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.trademesh.platform.config.ServiceConfig;
import io.trademesh.platform.config.ServiceDefaults;
import java.util.concurrent.TimeUnit;

/**
 * Child JVM for {@link ClusterTest}: joins the cluster described by its CLUSTER_*
 * environment, answers on {@code test.echo.<name>}, prints what is published on
 * {@code test.broadcast}, and leaves the cluster cleanly on SIGTERM.
 */
public final class ClusterMemberProcess {

    private ClusterMemberProcess() {
    }

    public static void main(String[] args) throws Exception {
        String name = args[0];
        ServiceConfig cfg = ServiceConfig.from(System.getenv(), new ServiceDefaults(name, 0, 0, 5701));
        ClusterMembership membership = new ClusterMembership();
        ClusteredVertx cluster = ClusteredVertx.start(cfg, membership, new SimpleMeterRegistry())
                .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                cluster.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.err.println("leave failed: " + e);
            }
        }));
        cluster.vertx().eventBus().<String>consumer("test.echo." + name, m -> m.reply("echo:" + m.body() + ":" + name))
                .completion()
                .compose(v -> cluster.vertx().eventBus().<String>consumer("test.broadcast",
                        m -> System.out.println("GOT " + name + " " + m.body())).completion())
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        System.out.println("READY " + name);
    }
}
