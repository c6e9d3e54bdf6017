package io.trademesh.bench.grpc;

import io.trademesh.proto.common.Asset;
import io.trademesh.proto.common.Market;
import io.trademesh.proto.common.MatchingMode;
import io.trademesh.proto.common.Side;
import io.trademesh.proto.trading.CancelOrderRequest;
import io.trademesh.proto.spot.CreateMarketRequest;
import io.trademesh.proto.trading.OrderReply;
import io.trademesh.proto.trading.PlaceOrderRequest;
import io.trademesh.proto.spot.SpotServiceGrpcClient;
import io.trademesh.proto.trading.OrderEntryGrpcClient;
import io.trademesh.proto.wallet.WalletServiceGrpcClient;
import io.trademesh.proto.wallet.WalletTransferRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Orders through spot-service's gRPC API with journaling on: one client, many requests in
 * flight. Each in-flight slot places a limit order away from the market (it rests) and then
 * cancels it, so the book stays small and every command is journaled; reports
 * commands/s (a place or a cancel is one command) and the latency of each call.
 *
 * <pre>
 *   ./mesh start    (or start spot-service alone)
 *   java -cp benchmarks/target/benchmarks.jar io.trademesh.bench.grpc.SpotGrpcLoad --inflight 64
 * </pre>
 */
@Command(name = "spot-grpc-load", mixinStandardHelpOptions = true,
        description = "Place+cancel load through spot-service's gRPC API.")
public final class SpotGrpcLoad implements Callable<Integer> {

    @Option(names = "--target", description = "spot-service gRPC host:port (default ${DEFAULT-VALUE}).")
    String target = "127.0.0.1:9082";

    @Option(names = "--inflight", description = "Requests in flight (default ${DEFAULT-VALUE}).")
    int inflight = 64;

    @Option(names = "--warmup", description = "Warm-up seconds (default ${DEFAULT-VALUE}).")
    int warmupSeconds = 5;

    @Option(names = "--seconds", description = "Measured seconds (default ${DEFAULT-VALUE}).")
    int seconds = 10;

    @Option(names = "--market", description = "Market to create and use (default ${DEFAULT-VALUE}).")
    String market = "LOAD-USDT";

    private final Recorder latency = new Recorder(TimeUnit.SECONDS.toNanos(10), 3);
    private final LongAdder commands = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private SpotServiceGrpcClient api;
    private OrderEntryGrpcClient orders;
    private WalletServiceGrpcClient wallet;

    public static void main(String[] args) {
        System.exit(new CommandLine(new SpotGrpcLoad()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            String[] hp = target.split(":");
            SocketAddress at = SocketAddress.inetSocketAddress(Integer.parseInt(hp[1]), hp[0]);
            api = SpotServiceGrpcClient.create(GrpcClient.client(vertx), at);
            orders = OrderEntryGrpcClient.create(GrpcClient.client(vertx), at);
            wallet = WalletServiceGrpcClient.create(GrpcClient.client(vertx), at);
            setUp();
            for (int i = 0; i < inflight; i++) {
                long account = 1_000_000 + i;
                vertx.runOnContext(v -> loop(account, 0));
            }
            Thread.sleep(TimeUnit.SECONDS.toMillis(warmupSeconds));
            latency.getIntervalHistogram();
            long before = commands.sum();
            long t0 = System.nanoTime();
            Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
            long n = commands.sum() - before;
            double elapsed = (System.nanoTime() - t0) / 1e9;
            var h = latency.getIntervalHistogram();
            running.set(false);
            System.out.printf("%d in flight: %.0f commands/s (place+cancel), latency p50 %.3f ms, p99 %.3f ms,"
                            + " p99.9 %.3f ms; errors %d%n", inflight, n / elapsed,
                    h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(99) / 1e6,
                    h.getValueAtPercentile(99.9) / 1e6, errors.sum());
            Thread.sleep(500);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        return 0;
    }

    private void setUp() throws Exception {
        Market m = Market.newBuilder().setSymbol(market)
                .setBase(Asset.newBuilder().setSymbol("LOAD").setDecimals(8))
                .setQuote(Asset.newBuilder().setSymbol("USDT").setDecimals(6))
                .setPriceScale(2).setTickSize(1).setLotSize(10_000).setMinQuantity(10_000)
                .setMaxQuantity(100_000_000_00L).setMaxPrice(100_000_000L)
                .setMatchingMode(MatchingMode.MATCHING_MODE_CONTINUOUS).build();
        api.createMarket(CreateMarketRequest.newBuilder().setMarket(m).build())
                .recover(e -> Future.succeededFuture()) // exists from an earlier run
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        List<Future<?>> funded = new ArrayList<>();
        long run = System.currentTimeMillis();
        for (int i = 0; i < inflight; i++) {
            funded.add(wallet.credit(WalletTransferRequest.newBuilder().setTransferId("load-" + run + "-" + i)
                    .setAccountId(1_000_000 + i).setAsset("USDT").setAmount(1_000_000_000_000L).build()));
        }
        Future.all(funded).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** Place a resting bid far below any ask, then cancel it; repeat. */
    private void loop(long account, long n) {
        if (!running.get()) {
            return;
        }
        long start = System.nanoTime();
        orders.placeOrder(PlaceOrderRequest.newBuilder().setAccountId(account).setMarket(market)
                        .setSide(Side.SIDE_BUY).setPrice(100 + (n % 50)).setQuantity(100_000).build())
                .compose((OrderReply placed) -> {
                    record(start);
                    long t1 = System.nanoTime();
                    return orders.cancelOrder(CancelOrderRequest.newBuilder().setAccountId(account).setMarket(market)
                            .setOrderId(placed.getOrder().getOrderId()).build()).onSuccess(c -> record(t1));
                })
                .onComplete(ar -> {
                    if (ar.failed()) {
                        errors.increment();
                    }
                    loop(account, n + 1);
                });
    }

    private void record(long start) {
        latency.recordValue(Math.min(System.nanoTime() - start, TimeUnit.SECONDS.toNanos(10)));
        commands.increment();
    }
}
