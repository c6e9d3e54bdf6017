package io.trademesh.marketdata.follow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.trademesh.marketdata.store.MarketDataStateMachine;
import io.trademesh.platform.cluster.MarketDirectory;
import io.trademesh.platform.engine.CommandShard;
import io.trademesh.platform.events.Addresses;
import io.trademesh.platform.store.JournalStore;
import io.trademesh.proto.common.MarketLocation;
import io.trademesh.proto.common.Product;
import io.trademesh.proto.futures.FundingEvent;
import io.trademesh.proto.futures.FundingHistory;
import io.trademesh.proto.futures.FundingRequest;
import io.trademesh.proto.futures.FuturesServiceGrpcService;
import io.trademesh.proto.futures.FuturesServiceService;
import io.trademesh.proto.futures.MarkPrice;
import io.trademesh.proto.marketdata.MarketDataCommand;
import io.trademesh.proto.options.OptionTicker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.grpc.server.GrpcServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample follower against a stand-in futures-service: funding is read from the owner once
 * after the start and again only when a mark shows a new next funding time, oldest first, each
 * settlement journaled once; an option's published ticker becomes a point of its volatility
 * history.
 */
class SampleFollowerTest {

    private static final long T0 = 1_767_225_600_000L;

    @TempDir
    Path dir;

    private final Vertx vertx = Vertx.vertx();
    private JournalStore store;
    private SampleFollower follower;
    private final List<FundingRequest> asked = new CopyOnWriteArrayList<>();
    private final List<FundingEvent> settled = new CopyOnWriteArrayList<>();

    @AfterEach
    void tearDown() {
        if (follower != null) {
            follower.stop();
        }
        if (store != null) {
            store.close();
        }
        vertx.close().await();
    }

    /** Answers as futures-service does: the settlements newest first. */
    private final class StandIn extends FuturesServiceService {
        @Override
        public Future<FundingHistory> getFundingHistory(FundingRequest r) {
            asked.add(r);
            List<FundingEvent> newestFirst = new ArrayList<>(settled);
            java.util.Collections.reverse(newestFirst);
            return Future.succeededFuture(FundingHistory.newBuilder().addAllEvents(newestFirst).build());
        }
    }

    private static FundingEvent settlement(long timeMs, long rateE8) {
        return FundingEvent.newBuilder().setMarket("BTC-PERP").setTimestampMs(timeMs).setRateE8(rateE8)
                .setMarkPrice(3_000_000).setPaid(7).build();
    }

    private void mark(long nextFundingMs, long timeMs) {
        vertx.eventBus().publish(Addresses.mark("BTC-PERP"), Buffer.buffer(MarkPrice.newBuilder().setMarket("BTC-PERP")
                .setMarkPrice(3_000_000).setNextFundingMs(nextFundingMs).setTimestampMs(timeMs).build().toByteArray()));
    }

    private static void eventually(String what, java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting: " + what);
            }
            Thread.sleep(50);
        }
    }

    @Test
    void fundingIsReadAfterEachSettlementAndOptionMarksBecomeVolatilityHistory() throws Exception {
        GrpcServer grpc = GrpcServer.server(vertx);
        grpc.addService(FuturesServiceGrpcService.of(new StandIn()));
        HttpServer futures = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0)
                .setHttp2ClearTextEnabled(true)).requestHandler(grpc).listen().await();
        MarketDirectory directory = new MarketDirectory(vertx);
        directory.register(MarketLocation.newBuilder().setMarket("BTC-PERP").setProduct(Product.PRODUCT_FUTURES)
                .setGrpcEndpoint("127.0.0.1:" + futures.actualPort()).build()).await();
        directory.register(MarketLocation.newBuilder().setMarket("BTC-C").setProduct(Product.PRODUCT_OPTIONS)
                .setGrpcEndpoint("127.0.0.1:1").build()).await();

        store = JournalStore.open("marketdata-test", dir, new SimpleMeterRegistry());
        MarketDataStateMachine machine = new MarketDataStateMachine();
        store.recover(machine);
        CommandShard<MarketDataStateMachine, MarketDataCommand, Integer> shard = CommandShard.of("test",
                CommandShard.ownContext(vertx).await(), machine, store, (sequence, added) -> { });
        Function<String, Integer> fundingKept = market -> shard.query(m -> m.engine().funding(market) == null ? 0
                : m.engine().funding(market).size()).await();

        settled.add(settlement(T0, 100));
        settled.add(settlement(T0 + 3_600_000, -50));
        follower = new SampleFollower(vertx, shard);
        follower.start();
        // The follower subscribes once it has read the directory: mark until its first read.
        eventually("the first read after the start", () -> {
            mark(T0 + 7_200_000, T0 + 1);
            return !asked.isEmpty();
        });
        eventually("both settlements journaled", () -> fundingKept.apply("BTC-PERP") == 2);
        int reads = asked.size();
        for (int i = 0; i < 3; i++) {
            mark(T0 + 7_200_000, T0 + 3_700_000 + i);
        }
        Thread.sleep(1_500);
        assertEquals(reads, asked.size(), "the same next funding time: no new read");

        settled.add(settlement(T0 + 7_200_000, 25));
        mark(T0 + 10_800_000, T0 + 7_201_000);
        eventually("the new settlement journaled", () -> fundingKept.apply("BTC-PERP") == 3);
        List<long[]> kept = shard.query(m -> {
            List<long[]> out = new ArrayList<>();
            m.engine().funding("BTC-PERP").forEach(0, Long.MAX_VALUE, 10, (t, v) -> out.add(new long[] {t, v[0]}));
            return out;
        }).await();
        assertEquals(List.of(T0, T0 + 3_600_000, T0 + 7_200_000), kept.stream().map(p -> p[0]).toList(),
                "oldest first, each once");
        assertEquals(25, kept.get(2)[1]);

        vertx.eventBus().publish(Addresses.option("BTC-C"), Buffer.buffer(OptionTicker.newBuilder().setMarket("BTC-C")
                .setMarkPrice(150_000).setMarkIv(0.5525).setIndexPrice(6_000_000).setTimestampMs(T0).build()
                .toByteArray()));
        eventually("the option's mark kept", () -> shard.query(m -> m.engine().optionMarks("BTC-C") != null).await());
        long[] point = shard.query(m -> {
            long[][] p = new long[1][];
            m.engine().optionMarks("BTC-C").forEach(0, Long.MAX_VALUE, 1, (t, v) -> p[0] = new long[] {t, v[0],
                    v[1], v[2]});
            return p[0];
        }).await();
        assertEquals(List.of(T0, 150_000L, 55_250_000L, 6_000_000L), List.of(point[0], point[1], point[2], point[3]));
        assertTrue(shard.healthy());
    }
}
