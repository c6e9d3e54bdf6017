package io.trademesh.platform.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trademesh.platform.testsupport.ChildJvm;
import io.trademesh.platform.testsupport.ServiceProcess;
import io.trademesh.proto.status.ServiceStatusGrpcClient;
import io.trademesh.proto.status.StatusReply;
import io.trademesh.proto.status.StatusRequest;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A service process as the mesh starts it: boots, is ready, serves metrics and status, stops on SIGTERM. */
class ServiceLauncherProcessTest {

    @TempDir
    Path dir;

    @Test
    void bootsServesHealthMetricsStatusAndStopsCleanlyOnSigterm() throws Exception {
        try (ServiceProcess service = new ServiceProcess(TestServiceMain.class, dir, Map.of()).start()) {
            assertEquals(200, service.get("/health/live").statusCode());
            assertEquals("{\"status\":\"UP\",\"checks\":{\"store\":\"UP\",\"cluster\":\"UP\",\"started\":\"UP\"}}",
                    service.get("/health/ready").body());

            String metrics = service.get("/metrics").body();
            for (String meter : new String[] {"jvm_memory_used_bytes", "http_server_requests_seconds_count",
                    "journal_append_durable_seconds_bucket", "journal_last_durable_sequence", "cluster_members"}) {
                assertTrue(metrics.contains(meter), "metrics lack " + meter);
            }

            Vertx vertx = Vertx.vertx();
            try {
                StatusReply status = ServiceStatusGrpcClient.create(GrpcClient.client(vertx),
                                SocketAddress.inetSocketAddress(service.grpcPort, "127.0.0.1"))
                        .getStatus(StatusRequest.getDefaultInstance())
                        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
                assertEquals("spot-service", status.getService());
                assertTrue(status.getReady());
                assertEquals(1, status.getClusterMembers());
            } finally {
                vertx.close();
            }

            assertEquals(0, service.terminate(), service.jvm().stderrTail());
            String log = service.jvm().stderrText();
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
}
