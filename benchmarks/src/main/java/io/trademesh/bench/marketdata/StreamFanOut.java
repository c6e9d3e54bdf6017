package io.trademesh.bench.marketdata;

import io.trademesh.bench.ProcessStats;
import io.trademesh.proto.common.Market;
import io.trademesh.proto.common.Side;
import io.trademesh.proto.marketdata.MarketDataStreamGrpcClient;
import io.trademesh.proto.marketdata.StreamChannel;
import io.trademesh.proto.marketdata.StreamHeartbeat;
import io.trademesh.proto.marketdata.StreamMessage;
import io.trademesh.proto.marketdata.StreamRequest;
import io.trademesh.proto.marketdata.StreamSubscription;
import io.trademesh.proto.spot.SpotServiceGrpcClient;
import io.trademesh.proto.trading.CancelOrderRequest;
import io.trademesh.proto.trading.OrderEntryGrpcClient;
import io.trademesh.proto.trading.OrderReply;
import io.trademesh.proto.trading.PlaceOrderRequest;
import io.trademesh.proto.wallet.WalletServiceGrpcClient;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.streams.WriteStream;
import io.vertx.grpc.client.GrpcClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Fan-out of marketdata-service's gRPC streams (issue 14): {@code --clients} streams each
 * subscribed to the books of {@code --per-client} of {@code --markets} spot markets, while a
 * driver places and cancels resting orders on random markets through spot's gRPC API (each a
 * book diff). Reports the diffs the owner made per second, the messages the clients received
 * per second, the latency from the diff's stamp (the owner's command time) to its receipt
 * (p50, p99; ms, one clock), and the serving process's RSS.
 *
 * <pre>
 *   ./mesh start
 *   java -cp benchmarks/target/benchmarks.jar io.trademesh.bench.marketdata.StreamFanOut \
 *        --pid-file run/pids/marketdata-service.pid
 * </pre>
 */
@Command(name = "marketdata-stream-fan-out", mixinStandardHelpOptions = true,
        description = "Book diffs fanned out to many gRPC market-data streams.")
public final class StreamFanOut implements Callable<Integer> {

    @Option(names = "--marketdata", description = "marketdata-service gRPC host:port (default ${DEFAULT-VALUE}).")
    String marketdata = "127.0.0.1:9086";

    @Option(names = "--spot", description = "spot-service gRPC host:port (default ${DEFAULT-VALUE}).")
    String spot = "127.0.0.1:9082";

    @Option(names = "--markets", description = "Busy markets (default ${DEFAULT-VALUE}).")
    int markets = 100;

    @Option(names = "--clients", description = "gRPC streams (default ${DEFAULT-VALUE}).")
    int clients = 1_000;

    @Option(names = "--per-client", description = "Books each stream follows (default ${DEFAULT-VALUE}).")
    int perClient = 3;

    @Option(names = "--inflight", description = "Driver's orders in flight (default ${DEFAULT-VALUE}).")
    int inflight = 32;

    @Option(names = "--warmup", description = "Warm-up seconds (default ${DEFAULT-VALUE}).")
    int warmupSeconds = 5;

    @Option(names = "--seconds", description = "Measured seconds (default ${DEFAULT-VALUE}).")
    int seconds = 15;

    @Option(names = "--pid-file", description = "The serving process's pid file, for its RSS.")
    Path pidFile;

    private final Recorder latency = new Recorder(TimeUnit.SECONDS.toMillis(60), 3);
    private final LongAdder received = new LongAdder();
    private final LongAdder diffs = new LongAdder();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private OrderEntryGrpcClient orders;

    public static void main(String[] args) {
        System.exit(new CommandLine(new StreamFanOut()).execute(args));
    }

    private static SocketAddress address(String hostPort) {
        return io.trademesh.platform.cluster.GrpcCalls.address(hostPort);
    }

    @Override
    public Integer call() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            SocketAddress spotAt = address(spot);
            orders = OrderEntryGrpcClient.create(GrpcClient.client(vertx), spotAt);
            long run = System.currentTimeMillis();
            setUp(SpotServiceGrpcClient.create(GrpcClient.client(vertx), spotAt),
                    WalletServiceGrpcClient.create(GrpcClient.client(vertx), spotAt), run);
            Thread.sleep(6_000); // the directory lists the new markets; marketdata-service looks every few seconds
            List<WriteStream<StreamRequest>> senders = new ArrayList<>();
            Random random = new Random(11);
            // several connections, as many clients would have
            List<MarketDataStreamGrpcClient> connections = new ArrayList<>();
            for (int c = 0; c < Math.max(1, clients / 100); c++) {
                connections.add(MarketDataStreamGrpcClient.create(GrpcClient.client(vertx), address(marketdata)));
            }
            for (int i = 0; i < clients; i++) {
                Promise<WriteStream<StreamRequest>> sender = Promise.promise();
                connections.get(i % connections.size()).streamMarketData(sender).onSuccess(in -> in.handler(this::onMessage));
                WriteStream<StreamRequest> out = sender.future().toCompletionStage().toCompletableFuture()
                        .get(10, TimeUnit.SECONDS);
                for (int k = 0; k < perClient; k++) {
                    out.write(StreamRequest.newBuilder().setSubscribe(StreamSubscription.newBuilder()
                            .setMarket(market(run, random.nextInt(markets))).setChannel(StreamChannel.STREAM_CHANNEL_BOOK))
                            .build());
                }
                senders.add(out);
            }
            vertx.setPeriodic(1_000, id -> senders.forEach(s -> s.write(StreamRequest.newBuilder()
                    .setHeartbeat(StreamHeartbeat.newBuilder().setTimestampMs(System.currentTimeMillis())).build())));
            for (int i = 0; i < inflight; i++) {
                long account = 2_000_000 + i;
                Random r = new Random(i);
                vertx.runOnContext(v -> loop(account, run, r, 0));
            }
            Thread.sleep(TimeUnit.SECONDS.toMillis(warmupSeconds));
            latency.getIntervalHistogram();
            long received0 = received.sum();
            long diffs0 = diffs.sum();
            long t0 = System.nanoTime();
            Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
            double elapsed = (System.nanoTime() - t0) / 1e9;
            long got = received.sum() - received0;
            long made = diffs.sum() - diffs0;
            var h = latency.getIntervalHistogram();
            running.set(false);
            System.out.printf("%d streams x %d books of %d markets: %.0f book diffs/s made, %.0f messages/s delivered,"
                            + " latency p50 %d ms, p99 %d ms, max %d ms; RSS of the server %s%n", clients, perClient,
                    markets, made / elapsed, got / elapsed, h.getValueAtPercentile(50), h.getValueAtPercentile(99),
                    h.getMaxValue(), rss());
            Thread.sleep(500);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        }
        return 0;
    }

    private void onMessage(StreamMessage m) {
        if (m.hasBookDelta()) {
            received.increment();
            latency.recordValue(Math.max(0, Math.min(System.currentTimeMillis() - m.getBookDelta().getTimestampMs(),
                    59_000)));
        } else if (m.hasBookSnapshot()) {
            received.increment();
        }
    }

    private static String market(long run, int i) {
        return "FAN" + (run % 100_000) + "-" + i;
    }

    private void setUp(SpotServiceGrpcClient api, WalletServiceGrpcClient wallet, long run) throws Exception {
        List<String> symbols = new ArrayList<>();
        for (int i = 0; i < markets; i++) {
            symbols.add(market(run, i));
        }
        DriverMarkets.create(api, symbols, "FAN");
        DriverMarkets.fund(wallet, "fan-" + run, 2_000_000, inflight, "USDT");
    }

    /** A resting bid on a random market, then its cancel: two book diffs; repeat. */
    private void loop(long account, long run, Random random, long n) {
        if (!running.get()) {
            return;
        }
        String market = market(run, random.nextInt(markets));
        orders.placeOrder(PlaceOrderRequest.newBuilder().setAccountId(account).setMarket(market)
                        .setSide(Side.SIDE_BUY).setPrice(100 + (n % 50)).setQuantity(100_000).build())
                .compose((OrderReply placed) -> {
                    diffs.increment();
                    return orders.cancelOrder(CancelOrderRequest.newBuilder().setAccountId(account).setMarket(market)
                            .setOrderId(placed.getOrder().getOrderId()).build()).onSuccess(c -> diffs.increment());
                })
                .onComplete(ar -> loop(account, run, random, n + 1));
    }

    private String rss() {
        if (pidFile == null) {
            return "(no --pid-file)";
        }
        try {
            return ProcessStats.rss(ProcessStats.pid(pidFile));
        } catch (java.io.IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
