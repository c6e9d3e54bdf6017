package io.trademesh.gateway;

import io.trademesh.platform.testsupport.ChildJvm;
import io.trademesh.platform.testsupport.FreePorts;
import io.trademesh.platform.testsupport.TestClusters;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * risk-service, spot-service and the gateway as separate JVMs in one cluster on loopback,
 * started the way ./mesh starts them (each its own main, ports and data dir), on free ports.
 */
final class TestMesh implements AutoCloseable {

    static final String OPERATOR_TOKEN = "test-operator-token-0123456789";

    /** One service of the mesh. */
    static final class Member {
        final String name;
        final Class<?> main;
        // Not final: a first start that loses a port to another process (picked free, taken before
        // the child bound it) tries again on new ones; a restart keeps them. The cluster port stays.
        int httpPort;
        int grpcPort;
        final int clusterPort;
        /** Health and metrics: a port of its own on a gateway, the HTTP port elsewhere. */
        int managementPort;
        final Map<String, String> env = new HashMap<>();
        ChildJvm jvm;

        Member(String name, Class<?> main, int[] ports) {
            this.name = name;
            this.main = main;
            this.httpPort = ports[0];
            this.grpcPort = ports[1];
            this.clusterPort = ports[2];
            this.managementPort = name.startsWith("api-gateway") ? ports[3] : ports[0];
        }
    }

    // HTTP/1.1 as the services speak it: the default (HTTP/2 by an upgrade over plain HTTP) is one more exchange
    // that can go wrong, and a request without a timeout once hung the whole build on a service's /metrics.
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private final Path dir;
    final Map<String, Member> members = new LinkedHashMap<>();

    TestMesh(Path dir, Map<String, Class<?>> services) {
        this.dir = dir;
        int[] ports = FreePorts.take(4 * services.size());
        int[] clusterPorts = new int[services.size()];
        int i = 0;
        for (Map.Entry<String, Class<?>> s : services.entrySet()) {
            Member m = new Member(s.getKey(), s.getValue(), new int[] {ports[4 * i], ports[4 * i + 1], ports[4 * i + 2],
                    ports[4 * i + 3]});
            clusterPorts[i] = m.clusterPort;
            members.put(s.getKey(), m);
            i++;
        }
        String cluster = TestClusters.uniqueName("mesh");
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        i = 0;
        for (Member m : members.values()) {
            m.env.putAll(TestClusters.memberEnv(cluster, clusterPorts, i++));
            // A second gateway replica is the same service under its own instance id.
            m.env.put("SERVICE_NAME", m.name.startsWith("api-gateway") ? "api-gateway" : m.name);
            m.env.put("INSTANCE_ID", m.name);
            m.env.put("HTTP_PORT", Integer.toString(m.httpPort));
            m.env.put("MANAGEMENT_PORT", Integer.toString(m.managementPort));
            m.env.put("GRPC_PORT", Integer.toString(m.grpcPort));
            m.env.put("DATA_DIR", dir.resolve(m.name).toString());
            m.env.put("OPERATOR_TOKEN", OPERATOR_TOKEN);
            m.env.put("RISK_SECRET_KEY", Base64.getEncoder().encodeToString(key));
        }
    }

    /**
     * Starts every member, in order, each waiting until ready. If one fails, the ones started are stopped before the
     * failure is thrown: the caller never gets the mesh to close, and its members would outlive the test run.
     */
    TestMesh start() throws Exception {
        try {
            for (Member m : members.values()) {
                start(m.name);
            }
        } catch (Exception | AssertionError e) {
            close();
            throw e;
        }
        return this;
    }

    void start(String name) throws Exception {
        Member m = members.get(name);
        boolean first = m.jvm == null;
        for (int attempt = 1; ; attempt++) {
            m.jvm = ChildJvm.start(m.main, m.env, dir);
            String failure = awaitReady(m);
            if (failure == null) {
                return;
            }
            if (!first || attempt == 3 || !failure.contains("Address already in use")) {
                throw new AssertionError(failure);
            }
            int[] ports = FreePorts.take(3);
            m.httpPort = ports[0];
            m.grpcPort = ports[1];
            m.managementPort = name.startsWith("api-gateway") ? ports[2] : ports[0];
            m.env.put("HTTP_PORT", Integer.toString(m.httpPort));
            m.env.put("MANAGEMENT_PORT", Integer.toString(m.managementPort));
            m.env.put("GRPC_PORT", Integer.toString(m.grpcPort));
        }
    }

    /** Null once the member is ready; otherwise why not. */
    private String awaitReady(Member m) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!m.jvm.isAlive()) {
                return m.name + " exited during start-up:\n" + why(m.jvm);
            }
            try {
                if (get(m.managementPort, "/health/ready").statusCode() == 200) {
                    return null;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        return m.name + " not ready in 120 s:\n" + m.jvm.stderrTail();
    }

    /** The lines of a failed start that say why (a stack trace's tail says little), then the tail. */
    private static String why(ChildJvm jvm) {
        List<String> lines = jvm.stderrText().lines().filter(l -> l.contains("SEVERE") || l.contains("Caused by")
                || l.contains("error") || l.contains("Exception:")).limit(20).toList();
        return String.join("\n", lines) + "\n...\n" + jvm.stderrTail();
    }

    void kill(String name) throws InterruptedException {
        members.get(name).jvm.kill();
    }

    int httpPort(String name) {
        return members.get(name).httpPort;
    }

    int managementPort(String name) {
        return members.get(name).managementPort;
    }

    static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws InterruptedException {
        List<Member> reversed = new ArrayList<>(members.values());
        java.util.Collections.reverse(reversed);
        for (Member m : reversed) {
            if (m.jvm != null) {
                m.jvm.close();
            }
        }
    }
}
