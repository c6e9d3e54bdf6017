package io.trademesh.platform.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A service started as its own JVM the way the mesh starts it, on free loopback ports,
 * in a cluster of its own or as one member of a shared one, with its data in
 * {@code workDir/data}. Restartable on the same data dir (and ports) after a kill.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Class<?> mainClass;
    private final Path workDir;
    private final Map<String, String> env;
    // Not final: a first start that loses its HTTP or gRPC port to another process (picked free,
    // taken before the child bound it) tries again on new ones; a restart keeps them.
    public int httpPort;
    public int grpcPort;
    public final int clusterPort;
    public final String clusterName;
    private ChildJvm jvm;

    /** A service in a cluster of its own. */
    public ServiceProcess(Class<?> mainClass, Path workDir, Map<String, String> extraEnv) {
        this(mainClass, workDir, extraEnv, TestClusters.uniqueName(mainClass.getSimpleName()), FreePorts.take(1), 0);
    }

    /**
     * A service that is one member of a shared cluster: {@code clusterPorts[index]} is its
     * Hazelcast port and every port of {@code clusterPorts} is a seed member. Give each
     * member of the cluster the same {@code clusterName} and {@code clusterPorts}, and its
     * own {@code workDir} (its data lives in {@code workDir/data}).
     */
    public ServiceProcess(Class<?> mainClass, Path workDir, Map<String, String> extraEnv, String clusterName,
                          int[] clusterPorts, int index) {
        this.mainClass = mainClass;
        this.workDir = workDir;
        int[] ports = FreePorts.take(2);
        this.httpPort = ports[0];
        this.grpcPort = ports[1];
        this.clusterPort = clusterPorts[index];
        this.clusterName = clusterName;
        this.env = new HashMap<>(TestClusters.memberEnv(clusterName, clusterPorts, index));
        env.put("HTTP_PORT", Integer.toString(httpPort));
        env.put("GRPC_PORT", Integer.toString(grpcPort));
        env.put("DATA_DIR", workDir.resolve("data").toString());
        env.putAll(extraEnv);
    }

    /**
     * Starts the JVM and waits until /health/ready answers 200. The first start takes new HTTP
     * and gRPC ports, up to twice, when the child could not bind the ones it was given.
     */
    public ServiceProcess start() throws Exception {
        boolean first = jvm == null;
        for (int attempt = 1; ; attempt++) {
            jvm = ChildJvm.start(mainClass, env, workDir);
            String failure = awaitReady();
            if (failure == null) {
                return this;
            }
            if (!first || attempt == 3 || !failure.contains("Address already in use")) {
                throw new AssertionError(failure);
            }
            int[] ports = FreePorts.take(2);
            httpPort = ports[0];
            grpcPort = ports[1];
            env.put("HTTP_PORT", Integer.toString(httpPort));
            env.put("GRPC_PORT", Integer.toString(grpcPort));
        }
    }

    /** Null once ready; otherwise why not. */
    private String awaitReady() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (!jvm.isAlive()) {
                return "service exited during start-up:\n" + jvm.stderrTail();
            }
            try {
                if (get("/health/ready").statusCode() == 200) {
                    return null;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        jvm.close();
        return "service not ready in 90 s:\n" + jvm.stderrTail();
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    public ChildJvm jvm() {
        return jvm;
    }

    /** SIGKILL: no snapshot, no goodbye. */
    public void kill() throws InterruptedException {
        jvm.kill();
    }

    /** SIGTERM; returns the exit code. */
    public int terminate() throws InterruptedException {
        return jvm.terminate(60, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (jvm != null) {
            jvm.close();
        }
    }
}
