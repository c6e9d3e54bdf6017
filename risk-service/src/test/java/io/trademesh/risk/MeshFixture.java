package io.trademesh.risk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.protobuf.InvalidProtocolBufferException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.trademesh.platform.cluster.ClusterMembership;
import io.trademesh.platform.cluster.ClusteredVertx;
import io.trademesh.platform.config.ServiceConfig;
import io.trademesh.platform.config.ServiceDefaults;
import io.trademesh.platform.testsupport.FreePorts;
import io.trademesh.platform.testsupport.ServiceProcess;
import io.trademesh.platform.testsupport.TestClusters;
import io.trademesh.proto.common.Market;
import io.trademesh.platform.cluster.GrpcCalls;
import io.trademesh.futures.FuturesServiceMain;
import io.trademesh.spot.SpotServiceMain;
import io.trademesh.spot.TestMarkets;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One cluster of three members on loopback: spot-service and risk-service as their own
 * JVMs (real RocksDB in temp dirs), and this test JVM, which calls both over gRPC and
 * listens on the event bus.
 */
final class MeshFixture {

    // The spot tests' market (spot-service's test jar): BTC at 8 decimals, USDT at 6, prices at 2.
    static final long BTC = TestMarkets.BTC;
    static final long USDT = TestMarkets.USDT;
    static final long PRICE = TestMarkets.PRICE;
    static final String SECRET_KEY = Base64.getEncoder().encodeToString(
            "0123456789abcdef0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

    final ServiceProcess spot;
    final ServiceProcess futures;
    final ServiceProcess risk;
    final Path riskDir;
    final Path spotDir;
    final ClusteredVertx member;
    final GrpcClient grpc;

    MeshFixture(Path dir) throws Exception {
        int[] ports = FreePorts.take(4);
        String cluster = TestClusters.uniqueName("risk-mesh");
        spotDir = Files.createDirectories(dir.resolve("spot"));
        riskDir = Files.createDirectories(dir.resolve("risk"));
        spot = new ServiceProcess(SpotServiceMain.class, spotDir, Map.of(), cluster, ports, 1);
        futures = new ServiceProcess(FuturesServiceMain.class, Files.createDirectories(dir.resolve("futures")),
                Map.of(), cluster, ports, 3);
        risk = new ServiceProcess(RiskServiceMain.class, riskDir, Map.of("RISK_SECRET_KEY", SECRET_KEY,
                "SNAPSHOT_INTERVAL_SECONDS", "3"), cluster, ports, 2);
        CompletableFuture<Void> spotUp = CompletableFuture.runAsync(() -> {
            try {
                spot.start();
                futures.start();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        risk.start();
        spotUp.get(120, TimeUnit.SECONDS);
        ServiceConfig cfg = ServiceConfig.from(TestClusters.memberEnv(cluster, ports, 0),
                new ServiceDefaults("risk-test", 0, 0, ports[0]));
        member = await(ClusteredVertx.start(cfg, new ClusterMembership(), new SimpleMeterRegistry()));
        grpc = GrpcCalls.client(member.vertx(), 1_000);
    }

    static Market btcUsdt() {
        return TestMarkets.btcUsdt();
    }

    static <T> T await(Future<T> f) throws Exception {
        try {
            return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    <Req, Resp> Future<Resp> riskCall(ServiceMethod<Resp, Req> method, Req request) {
        return GrpcCalls.unary(grpc, SocketAddress.inetSocketAddress(risk.grpcPort, "127.0.0.1"), method, request,
                15_000);
    }

    <Req, Resp> Resp risk(ServiceMethod<Resp, Req> method, Req request) throws Exception {
        return await(riskCall(method, request));
    }

    <Req, Resp> Resp spot(ServiceMethod<Resp, Req> method, Req request) throws Exception {
        return await(GrpcCalls.unary(grpc, SocketAddress.inetSocketAddress(spot.grpcPort, "127.0.0.1"), method,
                request, 15_000));
    }

    /** Calls risk and expects a refusal with {@code status} whose message starts with {@code reason}. */
    <Req, Resp> void riskRefuses(ServiceMethod<Resp, Req> method, Req request, GrpcStatus status, String reason)
            throws Exception {
        try {
            Resp r = risk(method, request);
            fail("expected " + status + " " + reason + ", got " + r);
        } catch (GrpcCalls.RemoteStatusException e) {
            assertEquals(status, e.status(), e.getMessage());
            assertTrue(e.statusMessage().startsWith(reason + ": "), e.statusMessage());
        }
    }

    /** A parser of protobuf bytes. */
    interface Parser<T> {
        T parse(byte[] bytes) throws InvalidProtocolBufferException;
    }

    /** Everything published on {@code address} from now on, parsed. */
    <T> BlockingQueue<T> listen(String address, Parser<T> parser) throws Exception {
        BlockingQueue<T> queue = new LinkedBlockingQueue<>();
        await(member.vertx().eventBus().<Buffer>consumer(address, m -> {
            try {
                queue.add(parser.parse(m.body().getBytes()));
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException(e);
            }
        }).completion());
        return queue;
    }

    /** The first message matching {@code match} within {@code seconds}. */
    static <T> T next(BlockingQueue<T> queue, Predicate<T> match, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<T> seen = new java.util.ArrayList<>();
        while (System.nanoTime() < deadline) {
            T t = queue.poll(200, TimeUnit.MILLISECONDS);
            if (t != null) {
                if (match.test(t)) {
                    return t;
                }
                seen.add(t);
            }
        }
        throw new AssertionError("no matching message in " + seconds + " s; saw " + seen);
    }

    /** Leaves the cluster and kills the services. */
    void stop() throws Exception {
        try {
            if (member != null) {
                await(member.close());
            }
        } finally {
            risk.close();
            spot.close();
            futures.close();
        }
    }
}
