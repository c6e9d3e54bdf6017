package io.trademesh.platform.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.trademesh.platform.config.ServiceConfig;
import io.trademesh.platform.config.ServiceDefaults;
import io.trademesh.platform.testsupport.ChildJvm;
import io.trademesh.platform.testsupport.FreePorts;
import io.trademesh.platform.testsupport.TestClusters;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three members on loopback — two child JVMs and this one — form a cluster, exchange
 * event-bus request/reply and publish, and a member that leaves is seen leaving.
 */
class ClusterTest {

    @TempDir
    Path dir;

    @Test
    void threeMembersFormAClusterTalkAndSeeALeave() throws Exception {
        int[] ports = FreePorts.take(3);
        String clusterName = TestClusters.uniqueName("cluster-test");
        try (ChildJvm a = ChildJvm.start(ClusterMemberProcess.class,
                     TestClusters.memberEnv(clusterName, ports, 1), dir, "member-a");
             ChildJvm b = ChildJvm.start(ClusterMemberProcess.class,
                     TestClusters.memberEnv(clusterName, ports, 2), dir, "member-b")) {

            ServiceConfig cfg = ServiceConfig.from(TestClusters.memberEnv(clusterName, ports, 0),
                    new ServiceDefaults("member-test", 0, 0, 5701));
            ClusterMembership membership = new ClusterMembership();
            BlockingQueue<String> left = new LinkedBlockingQueue<>();
            membership.onLeave(left::add);
            ClusteredVertx self = await(ClusteredVertx.start(cfg, membership, new SimpleMeterRegistry()));
            try {
                a.awaitLine("READY member-a"::equals, 90, TimeUnit.SECONDS);
                b.awaitLine("READY member-b"::equals, 90, TimeUnit.SECONDS);
                assertEquals(3, membership.memberCount());

                var bus = self.vertx().eventBus();
                assertEquals("echo:ping:member-a", await(bus.<String>request("test.echo.member-a", "ping")).body());
                assertEquals("echo:pong:member-b", await(bus.<String>request("test.echo.member-b", "pong")).body());

                bus.publish("test.broadcast", "hello-all");
                a.awaitLine("GOT member-a hello-all"::equals, 30, TimeUnit.SECONDS);
                b.awaitLine("GOT member-b hello-all"::equals, 30, TimeUnit.SECONDS);

                // SIGTERM: the child leaves the cluster in its shutdown hook (the JVM then exits 143).
                b.terminate(60, TimeUnit.SECONDS);
                assertEquals("127.0.0.1:" + ports[2], left.poll(30, TimeUnit.SECONDS));
                assertEquals(2, membership.memberCount());
                // The cluster still works without it.
                assertEquals("echo:again:member-a", await(bus.<String>request("test.echo.member-a", "again")).body());
            } finally {
                await(self.close());
            }
        }
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
}
