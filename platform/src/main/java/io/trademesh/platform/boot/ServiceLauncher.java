package io.trademesh.platform.boot;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.trademesh.platform.cluster.ClusterMembership;
import io.trademesh.platform.cluster.ClusteredVertx;
import io.trademesh.platform.cluster.ServiceDirectory;
import io.trademesh.platform.config.ConfigException;
import io.trademesh.platform.config.ServiceConfig;
import io.trademesh.platform.engine.CommandShard;
import io.trademesh.platform.health.HealthChecks;
import io.trademesh.platform.metrics.HttpServerMeters;
import io.trademesh.platform.metrics.Metrics;
import io.trademesh.platform.store.JournalStore;
import io.trademesh.platform.store.RecoveryResult;
import io.trademesh.platform.store.StoreException;
import io.trademesh.proto.status.ServiceStatusGrpcService;
import io.trademesh.proto.status.ServiceStatusService;
import io.trademesh.proto.status.StatusReply;
import io.trademesh.proto.status.StatusRequest;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import sun.misc.Signal;

/**
 * Boots a service: configuration, store recovery, cluster join, HTTP and gRPC servers,
 * periodic snapshots; and stops it on SIGTERM or SIGINT: not ready, servers closed, the
 * module's in-flight commands finished, a snapshot written, the store closed, the cluster
 * left, exit 0.
 */
public final class ServiceLauncher {

    private static final Logger LOG = Logger.getLogger(ServiceLauncher.class.getName());
    private static final long SERVER_SHUTDOWN_GRACE_MS = 5_000;
    private static final String FILE_CACHE = "vertx-cache";

    private final ServiceModule module;
    private final HealthChecks health = new HealthChecks();
    private final ClusterMembership membership = new ClusterMembership();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private volatile boolean started;

    private ServiceConfig config;
    private PrometheusMeterRegistry registry;
    private JournalStore store;
    private ClusteredVertx cluster;
    private HttpServer httpServer;
    private HttpServer managementServer;   // null when health and metrics share the HTTP port
    private HttpServer grpcHttpServer;

    private ServiceLauncher(ServiceModule module) {
        this.module = module;
    }

    /** Entry point for every service's main: boots, or prints why not and exits non-zero. */
    public static void launch(ServiceModule module) {
        Logging.configure();
        ServiceLauncher launcher = new ServiceLauncher(module);
        try {
            launcher.boot().toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
        } catch (Exception e) {
            Throwable cause = e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e;
            if (cause instanceof ConfigException) {
                System.err.println("config error: " + cause.getMessage());
                System.exit(2);
            }
            LOG.log(Level.SEVERE, module.defaults().serviceName() + " failed to start: " + cause.getMessage(), cause);
            launcher.stop(1);
        }
        Signal.handle(new Signal("TERM"), s -> launcher.stopInBackground());
        Signal.handle(new Signal("INT"), s -> launcher.stopInBackground());
    }

    private Future<Void> boot() {
        long t0 = System.nanoTime();
        config = ServiceConfig.fromEnvironment(module.defaults());
        module.configure();
        registry = Metrics.create(config);
        String name = config.serviceName();
        LOG.info(name + " starting: instance " + config.instanceId() + ", http " + config.httpPort()
                + ", grpc " + config.grpcPort() + ", cluster " + config.clusterHost() + ":" + config.clusterPort()
                + (module.hasStore() ? ", data " + config.dataDir().toAbsolutePath() : ""));

        RecoveryResult recovery = null;
        if (module.hasStore()) {
            store = JournalStore.open(name, config.dataDir(), registry);
            recovery = store.recover(module.stateMachine());
        }
        health.register("store", () -> store == null || store.isWritable());
        health.register("cluster", () -> cluster != null && cluster.isJoined());
        health.register("started", () -> started);
        registry.gauge("cluster.members", membership, ClusterMembership::memberCount);

        RecoveryResult recovered = recovery;
        return ClusteredVertx.start(config, membership, registry, fileOptions(config, module.hasStore())).compose(c -> {
            cluster = c;
            LOG.info(name + " joined cluster '" + config.clusterName() + "' as " + c.nodeId() + " ("
                    + membership.memberCount() + " members)");
            Vertx vertx = c.vertx();
            Router router = Router.router(vertx);
            router.route().handler(new HttpServerMeters(registry, "http"));
            boolean ownManagementPort = config.managementPort() != config.httpPort();
            Router management = ownManagementPort ? Router.router(vertx) : router;
            if (ownManagementPort) {
                management.route().handler(new HttpServerMeters(registry, "management"));
            }
            management.get("/health/live").handler(health::live);
            management.get("/health/ready").handler(health::ready);
            management.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
            GrpcServer grpc = GrpcServer.server(vertx);
            grpc.addService(ServiceStatusGrpcService.of(new StatusService()));
            return CommandShard.ownContext(vertx).compose(engineContext -> serve(vertx, router, management,
                    ownManagementPort, grpc, new ServiceRuntime(config, vertx, store, recovered, registry, health,
                            membership, router, grpc, engineContext), t0));
        });
    }

    private Future<Void> serve(Vertx vertx, Router router, Router management, boolean ownManagementPort,
                               GrpcServer grpc, ServiceRuntime runtime, long t0) {
        String name = config.serviceName();
        Future<Void> managementUp = !ownManagementPort ? Future.succeededFuture()
                : vertx.createHttpServer(new HttpServerOptions().setHost(bindHost())
                        .setPort(config.managementPort())).requestHandler(management).listen()
                .map(server -> {
                    managementServer = server;
                    return null;
                });
        return managementUp
                .compose(v -> vertx.createHttpServer(new HttpServerOptions().setHost(bindHost())
                        .setPort(config.httpPort())).requestHandler(router)
                        // A request HTTP itself cannot decode still gets a JSON answer.
                        .invalidRequestHandler(req -> req.response().setStatusCode(400)
                                .putHeader("content-type", "application/json")
                                .end("{\"code\":\"INVALID_REQUEST\",\"message\":\"the request is malformed\"}"))
                        .listen())
                .compose(http -> {
                    httpServer = http;
                    return module.start(runtime);
                })
                .compose(v -> listenOn(runtime.engineContext(), () -> vertx.createHttpServer(
                        new HttpServerOptions().setHost(bindHost()).setPort(config.grpcPort())
                                .setHttp2ClearTextEnabled(true)).requestHandler(grpc).listen()))
                .compose(grpcServer -> {
                    grpcHttpServer = grpcServer;
                    return new ServiceDirectory(vertx).register(new ServiceDirectory.Instance(name,
                            config.instanceId(), config.clusterHost() + ":" + grpcServer.actualPort()));
                })
                .map(registered -> {
                    if (store != null) {
                        vertx.setPeriodic(config.snapshotIntervalSeconds() * 1000, id -> snapshot("periodic"));
                    }
                    started = true;
                    LOG.info(name + " ready in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)
                            + " ms: http " + httpServer.actualPort()
                            + (managementServer == null ? "" : ", management " + managementServer.actualPort())
                            + ", grpc " + grpcHttpServer.actualPort()
                            + ", journal at sequence " + (store == null ? "-" : store.lastDurableSequence()));
                    return null;
                });
    }

    /** A server listening from {@code context} runs its connections on that context's event loop. */
    private static <T> Future<T> listenOn(Context context, Supplier<Future<T>> listen) {
        Promise<T> listening = Promise.promise();
        context.runOnContext(v -> listen.get().onComplete(listening));
        return listening.future();
    }

    /** Servers listen on the cluster host: loopback locally, the pod IP in Kubernetes. */
    private String bindHost() {
        return config.clusterKubernetes() ? "0.0.0.0" : config.clusterHost();
    }

    private Future<Void> snapshot(String why) {
        if (store == null) {
            return Future.succeededFuture();
        }
        return module.snapshot().compose(s -> {
            if (s.sequence() <= store.lastSnapshotSequence()) {
                return Future.succeededFuture();
            }
            return store.writeSnapshot(s).onSuccess(v -> LOG.info(config.serviceName() + ": " + why
                    + " snapshot written at sequence " + s.sequence() + " (" + s.bytes().size() + " bytes)"));
        }).onFailure(e -> LOG.log(Level.SEVERE, config.serviceName() + ": " + why + " snapshot failed", e));
    }

    private void stopInBackground() {
        // The signal thread must not block on the event loop; stop on a thread of our own.
        Thread t = new Thread(() -> stop(0), "shutdown");
        t.start();
    }

    private void stop(int exitCode) {
        if (!stopping.compareAndSet(false, true)) {
            return;
        }
        String name = config == null ? module.defaults().serviceName() : config.serviceName();
        LOG.info(name + " stopping");
        health.shuttingDown();
        int code = exitCode;
        try {
            if (cluster != null && started) {
                await(new ServiceDirectory(cluster.vertx()).unregister(config.instanceId()), "leaving the directory");
            }
            await(closeServer(grpcHttpServer), "gRPC server shutdown");
            await(closeServer(httpServer), "HTTP server shutdown");
            await(closeServer(managementServer), "management server shutdown");
            if (started) {
                await(module.stop(), "in-flight commands");
                await(snapshot("shutdown"), "shutdown snapshot");
            }
            if (store != null) {
                store.close();
            }
            if (cluster != null) {
                await(cluster.close(), "leaving the cluster");
            }
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, name + ": error while stopping", e);
            code = code == 0 ? 1 : code;
        }
        LOG.info(name + " stopped");
        System.exit(code);
    }

    /**
     * Vert.x copies class-path files it is asked for into a {@code vertx-cache-<uuid>} directory that a shutdown hook
     * removes, and a kill -9 never runs the hook: test suites that crash services left thousands in /tmp. A service
     * with a store keeps that directory in its own data directory and removes what an earlier, killed run left there
     * (one process owns a data directory). The stateless gateway, whose data directory may not be writable, keeps
     * Vert.x's default.
     */
    private static FileSystemOptions fileOptions(ServiceConfig config, boolean hasStore) {
        FileSystemOptions files = new FileSystemOptions();
        if (!hasStore) {
            return files;
        }
        try (Stream<Path> old = Files.list(config.dataDir())) {
            for (Path dir : old.filter(p -> p.getFileName().toString().startsWith(FILE_CACHE + "-")).toList()) {
                try (Stream<Path> tree = Files.walk(dir)) {
                    tree.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "could not clear old Vert.x file caches in " + config.dataDir(), e);
        }
        return files.setFileCacheDir(config.dataDir().resolve(FILE_CACHE).toString());
    }

    private static Future<Void> closeServer(HttpServer server) {
        return server == null ? Future.succeededFuture()
                : server.shutdown(SERVER_SHUTDOWN_GRACE_MS, TimeUnit.MILLISECONDS);
    }

    private static void await(Future<?> f, String what) {
        CountDownLatch done = new CountDownLatch(1);
        f.onComplete(ar -> done.countDown());
        try {
            if (!done.await(30, TimeUnit.SECONDS)) {
                throw new StoreException(what + " did not finish within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException(what + " was interrupted");
        }
        if (f.failed()) {
            throw new StoreException(what + " failed: " + f.cause().getMessage(), f.cause());
        }
    }

    /** gRPC {@code trademesh.status.ServiceStatus}: who this is and where its store stands. */
    private final class StatusService extends ServiceStatusService {
        @Override
        public Future<StatusReply> getStatus(StatusRequest request) {
            return Future.succeededFuture(StatusReply.newBuilder()
                    .setService(config.serviceName())
                    .setInstanceId(config.instanceId())
                    .setReady(health.isReady())
                    .setLastSequence(store == null ? 0 : store.lastDurableSequence())
                    .setSnapshotSequence(store == null ? 0 : store.lastSnapshotSequence())
                    .setClusterMembers(membership.memberCount())
                    .build());
        }
    }
}
