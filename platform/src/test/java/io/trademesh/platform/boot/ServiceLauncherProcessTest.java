package io.trademesh.platform.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trademesh.platform.testsupport.ChildJvm;
import io.trademesh.platform.testsupport.FreePorts;
import io.trademesh.platform.testsupport.TestClusters;
import io.trademesh.proto.status.ServiceStatusGrpcClient;
import io.trademesh.proto.status.StatusReply;
import io.trademesh.proto.status.StatusRequest;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A service process as the mesh starts it: boots, is ready, serves metrics and status, stops on SIGTERM. */
class ServiceLauncherProcessTest {

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void bootsServesHealthMetricsStatusAndStopsCleanlyOnSigterm() throws Exception {
        int[] ports = FreePorts.take(3);
        Map<String, String> env = new HashMap<>(TestClusters.memberEnv(TestClusters.uniqueName("launcher"),
                new int[] {ports[2]}, 0));
        env.put("HTTP_PORT", Integer.toString(ports[0]));
        env.put("GRPC_PORT", Integer.toString(ports[1]));
        env.put("DATA_DIR", dir.resolve("data").toString());
        try (ChildJvm service = ChildJvm.start(TestServiceMain.class, env, dir)) {
            String base = "http://127.0.0.1:" + ports[0];
            awaitReady(base, service);

            assertEquals(200, get(base + "/health/live").statusCode());
            HttpResponse<String> ready = get(base + "/health/ready");
            assertEquals("{\"status\":\"UP\",\"checks\":{\"store\":\"UP\",\"cluster\":\"UP\",\"started\":\"UP\"}}",
                    ready.body());

            String metrics = get(base + "/metrics").body();
            for (String meter : new String[] {"jvm_memory_used_bytes", "vertx_http_server_requests_total",
                    "journal_append_durable_seconds_bucket", "journal_last_durable_sequence", "cluster_members"}) {
                assertTrue(metrics.contains(meter), "metrics lack " + meter);
            }

            Vertx vertx = Vertx.vertx();
            try {
                StatusReply status = ServiceStatusGrpcClient.create(GrpcClient.client(vertx),
                                SocketAddress.inetSocketAddress(ports[1], "127.0.0.1"))
                        .getStatus(StatusRequest.getDefaultInstance())
                        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
                assertEquals("spot-service", status.getService());
                assertTrue(status.getReady());
                assertEquals(1, status.getClusterMembers());
            } finally {
                vertx.close();
            }

            assertEquals(0, service.terminate(60, TimeUnit.SECONDS), service.stderrTail());
            String log = service.stderrText();
            assertTrue(log.contains("spot-service stopping"), log);
            assertTrue(log.contains("store closed at sequence 0"), log);
            assertTrue(log.contains("spot-service stopped"), log);
        }
        assertTrue(Files.isDirectory(dir.resolve("data")));
    }

    @Test
    void badConfigurationStopsStartUpWithOneLine() throws Exception {
        Map<String, String> env = Map.of("HTTP_PORT", "eighty", "DATA_DIR", dir.resolve("data").toString());
        try (ChildJvm service = ChildJvm.start(TestServiceMain.class, env, dir)) {
            assertEquals(2, service.waitForExit(60, TimeUnit.SECONDS));
            assertEquals("config error: HTTP_PORT='eighty' is not a port number (expected 0..65535)",
                    service.stderrText().strip());
        }
    }

    private void awaitReady(String base, ChildJvm service) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (!service.isAlive()) {
                throw new AssertionError("service exited during start-up:\n" + service.stderrTail());
            }
            try {
                if (get(base + "/health/ready").statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("service not ready in 90 s:\n" + service.stderrTail());
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
