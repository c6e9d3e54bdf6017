package io.trademesh.gateway;

import static io.trademesh.gateway.TraderClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trademesh.marketdata.MarketDataServiceMain;
import io.trademesh.proto.common.BookLevel;
import io.trademesh.proto.common.BookLevelDelta;
import io.trademesh.proto.common.BookSnapshot;
import io.trademesh.proto.common.Side;
import io.trademesh.proto.marketdata.MarketDataStreamGrpcClient;
import io.trademesh.proto.marketdata.StreamChannel;
import io.trademesh.proto.marketdata.StreamHeartbeat;
import io.trademesh.proto.marketdata.StreamMessage;
import io.trademesh.proto.marketdata.StreamRequest;
import io.trademesh.proto.marketdata.StreamSubscription;
import io.trademesh.proto.marketdata.StreamSubscriptionRequest;
import io.trademesh.proto.marketdata.SubscriptionReply;
import io.trademesh.proto.trading.BookRequest;
import io.trademesh.proto.trading.OrderEntryGrpcClient;
import io.trademesh.risk.RiskServiceMain;
import io.trademesh.spot.SpotServiceMain;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.streams.WriteStream;
import io.vertx.grpc.client.GrpcClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * marketdata-service's gRPC subscriptions across real processes (risk, spot, marketdata,
 * gateway): a program subscribes to BTC-USDT's book and trades on one stream, gets a snapshot
 * and diffs that rebuild spot's own book exactly while orders come and go, and every trade;
 * unsubscribes from the book by the unary call and hears no more of it; stops sending
 * heartbeats and is dropped.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MarketDataStreamTest {

    private static final String MARKET = "BTC-USDT";
    private static final long HEARTBEAT_MS = 500;

    private Path dir;
    private TestMesh mesh;
    private MeshFixture fixture;
    private Vertx vertx;

    @BeforeAll
    void startMesh() throws Exception {
        dir = Files.createTempDirectory("marketdata-stream");
        Map<String, Class<?>> services = new LinkedHashMap<>();
        services.put("risk-service", RiskServiceMain.class);
        services.put("spot-service", SpotServiceMain.class);
        services.put("marketdata-service", MarketDataServiceMain.class);
        services.put("api-gateway", ApiGatewayMain.class);
        mesh = new TestMesh(dir, services);
        mesh.members.get("marketdata-service").env.put("MARKETDATA_HEARTBEAT_MS", Long.toString(HEARTBEAT_MS));
        mesh.start();
        fixture = new MeshFixture(mesh.httpPort("api-gateway"));
        vertx = Vertx.vertx();
    }

    @AfterAll
    void stopMesh() throws Exception {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        if (mesh != null) {
            mesh.close();
        }
        MeshFixture.delete(dir);
    }

    private static SocketAddress grpc(TestMesh mesh, String service) {
        return SocketAddress.inetSocketAddress(mesh.members.get(service).grpcPort, "127.0.0.1");
    }

    /** The next message matching {@code match} within 10 s (others are skipped). */
    private static StreamMessage next(LinkedBlockingQueue<StreamMessage> queue, Predicate<StreamMessage> match)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            StreamMessage m = queue.poll(100, TimeUnit.MILLISECONDS);
            if (m != null && match.test(m)) {
                return m;
            }
        }
        throw new AssertionError("no matching stream message within 10 s");
    }

    private void order(TraderClient t, String side, String price, String quantity) throws Exception {
        HttpResponse<String> r = t.signed("POST", "/v1/orders", "", new JsonObject().put("market", MARKET)
                .put("side", side).put("type", "LIMIT").put("price", price).put("quantity", quantity).encode());
        assertEquals(200, r.statusCode(), r.body());
    }

    private static void apply(Map<Long, Long> bids, Map<Long, Long> asks, BookLevelDelta d) {
        Map<Long, Long> side = d.getSide() == Side.SIDE_BUY ? bids : asks;
        if (d.getTotalQuantity() == 0) {
            side.remove(d.getPrice());
        } else {
            side.put(d.getPrice(), d.getTotalQuantity());
        }
    }

    private static Map<Long, Long> levels(Iterable<BookLevel> levels) {
        Map<Long, Long> out = new TreeMap<>();
        levels.forEach(l -> out.put(l.getPrice(), l.getQuantity()));
        return out;
    }

    @Test
    void aSnapshotThenDiffsRebuildTheBookAndASilentClientIsDropped() throws Exception {
        fixture.createMarket();
        TraderClient maker = fixture.fundedTrader("maker", "BTC", "10");
        fixture.deposit(fixture.accountOf(maker), "USDT", "100000", "dep-maker-usdt");
        fixture.transfer(maker, "t-maker-usdt", "USDT", "100000");
        TraderClient taker = fixture.fundedTrader("taker", "USDT", "1000000");
        order(maker, "SELL", "30100", "0.5");   // in the book before the stream: the snapshot must show it

        MarketDataStreamGrpcClient md = MarketDataStreamGrpcClient.create(GrpcClient.client(vertx),
                grpc(mesh, "marketdata-service"));
        LinkedBlockingQueue<StreamMessage> received = new LinkedBlockingQueue<>();
        CompletableFuture<Void> ended = new CompletableFuture<>();
        Promise<WriteStream<StreamRequest>> sender = Promise.promise();
        md.streamMarketData(sender).onSuccess(in -> in.handler(received::add)
                .endHandler(v -> ended.complete(null)).exceptionHandler(e -> ended.complete(null)));
        WriteStream<StreamRequest> out = sender.future().toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        long beats = vertx.setPeriodic(HEARTBEAT_MS / 2, id -> out.write(StreamRequest.newBuilder()
                .setHeartbeat(StreamHeartbeat.newBuilder().setTimestampMs(System.currentTimeMillis())).build()));
        String streamId = next(received, StreamMessage::hasStarted).getStarted().getStreamId();
        StreamSubscription book = StreamSubscription.newBuilder().setMarket(MARKET)
                .setChannel(StreamChannel.STREAM_CHANNEL_BOOK).build();
        out.write(StreamRequest.newBuilder().setSubscribe(book).build());
        out.write(StreamRequest.newBuilder().setSubscribe(StreamSubscription.newBuilder().setMarket(MARKET)
                .setChannel(StreamChannel.STREAM_CHANNEL_TRADES)).build());
        out.write(StreamRequest.newBuilder().setSubscribe(StreamSubscription.newBuilder().setMarket("NOPE")
                .setChannel(StreamChannel.STREAM_CHANNEL_TRADES)).build());

        BookSnapshot snapshot = next(received, StreamMessage::hasBookSnapshot).getBookSnapshot();
        Map<Long, Long> bids = levels(snapshot.getBidsList());
        Map<Long, Long> asks = levels(snapshot.getAsksList());
        assertEquals(1, asks.size(), "the resting offer is in the snapshot");
        long sequence = snapshot.getBookSequence();

        // orders come and go: bids at three prices, a cancel-free sweep of part of the offer
        order(maker, "BUY", "29900", "0.3");
        order(maker, "BUY", "29800", "0.2");
        order(maker, "SELL", "30200", "0.4");
        order(taker, "BUY", "30100", "0.2");      // trades 0.2 against the 30100 offer
        order(taker, "SELL", "29900", "0.1");     // trades 0.1 against the 29900 bid
        int trades = 0;
        long deadline = System.currentTimeMillis() + 10_000;
        long lastBookMessage = System.currentTimeMillis();
        while (System.currentTimeMillis() < deadline) {
            StreamMessage m = received.poll(100, TimeUnit.MILLISECONDS);
            if (m == null || m.hasHeartbeat()) {
                if (trades == 2 && System.currentTimeMillis() - lastBookMessage > 1_000) {
                    break;   // every order answered over REST before this: what is still coming came by now
                }
                continue;
            }
            lastBookMessage = System.currentTimeMillis();
            if (m.hasBookDelta()) {
                assertEquals(sequence + 1, m.getBookDelta().getBookSequence(), "no gap in the diffs");
                sequence = m.getBookDelta().getBookSequence();
                for (BookLevelDelta d : m.getBookDelta().getLevelsList()) {
                    apply(bids, asks, d);
                }
            } else if (m.hasTrade()) {
                trades++;
            } else if (m.hasSubscription() && m.getSubscription().getSubscription().getMarket().equals("NOPE")) {
                assertTrue(m.getSubscription().getError().startsWith("UNKNOWN_MARKET"), m.toString());
            }
        }
        assertEquals(2, trades, "every trade once");
        BookSnapshot venue = OrderEntryGrpcClient.create(GrpcClient.client(vertx), grpc(mesh, "spot-service"))
                .getBook(BookRequest.newBuilder().setMarket(MARKET).setDepth(100).build())
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(venue.getBookSequence(), sequence, "the diffs reached the venue's book sequence");
        assertEquals(levels(venue.getBidsList()), bids, "snapshot + diffs = the venue's bids");
        assertEquals(levels(venue.getAsksList()), asks, "snapshot + diffs = the venue's asks");

        // unsubscribed by the unary call: no more of the book
        SubscriptionReply off = md.unsubscribe(StreamSubscriptionRequest.newBuilder().setStreamId(streamId)
                .setSubscription(book).build()).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertFalse(off.getSubscribed());
        received.clear();
        order(maker, "BUY", "29700", "0.1");
        Thread.sleep(1_500);
        assertTrue(received.stream().noneMatch(m -> m.hasBookDelta() || m.hasBookSnapshot()), received.toString());
        assertTrue(received.stream().anyMatch(StreamMessage::hasHeartbeat), "the server's heartbeats keep coming");

        // the client stops its heartbeats: dropped within three intervals (and a little)
        vertx.cancelTimer(beats);
        ended.get(10 * HEARTBEAT_MS, TimeUnit.MILLISECONDS);
        assertNotNull(json(fixture.operator.send("GET", "/v1/markets/" + MARKET + "/book", null, null, null)));
    }
}
