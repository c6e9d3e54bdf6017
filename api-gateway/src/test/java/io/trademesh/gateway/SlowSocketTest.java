package io.trademesh.gateway;

import static io.trademesh.gateway.TraderClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trademesh.gateway.auth.Signatures;
import io.trademesh.risk.RiskServiceMain;
import io.trademesh.spot.SpotServiceMain;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Clients that stop reading, against real processes: a socket that follows a book and falls
 * behind is sent a fresh snapshot once it reads again, and can follow the book exactly from
 * it; a logged-in socket whose private events cannot be written is closed with 1008 and a
 * reason. The gateway's write queue per socket is set small so that a few thousand orders
 * are enough to fill it.
 */
class SlowSocketTest {

    private static final Pattern RESYNCS = Pattern.compile("gateway_websocket_book_resyncs_total\\{[^}]*} ([0-9.]+)");
    private static final Pattern DROPS = Pattern.compile("gateway_websocket_slow_disconnects_total\\{[^}]*} ([0-9.]+)");

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    private static double metric(int port, Pattern p) throws Exception {
        Matcher m = p.matcher(TestMesh.get(port, "/metrics").body());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void aSlowBookReaderIsResyncedAndASlowPrivateReaderIsDisconnected() throws Exception {
        Path dir = Files.createTempDirectory("slow-socket");
        Map<String, Class<?>> services = new LinkedHashMap<>();
        services.put("risk-service", RiskServiceMain.class);
        services.put("spot-service", SpotServiceMain.class);
        services.put("api-gateway", ApiGatewayMain.class);
        Vertx vertx = Vertx.vertx();
        try (TestMesh mesh = new TestMesh(dir, services)) {
            mesh.members.get("api-gateway").env.putAll(Map.of("WS_WRITE_QUEUE_BYTES", "4096",
                    "RATE_LIMIT_ORDERS_PER_SECOND", "100000", "RATE_LIMIT_WEIGHT_PER_MINUTE", "10000000"));
            mesh.start();
            int port = mesh.httpPort("api-gateway");
            MeshFixture fixture = new MeshFixture(port);
            fixture.createMarket();
            TraderClient trader = fixture.fundedTrader("carol", "USDT", "10000000");

            WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setReceiveBufferSize(4096));
            // A book follower that will stop reading.
            List<JsonObject> bookMessages = new CopyOnWriteArrayList<>();
            WebSocket slowBook = await(client.connect(port, "127.0.0.1", "/v1/ws"));
            slowBook.textMessageHandler(t -> bookMessages.add(new JsonObject(t)));
            slowBook.writeTextMessage(new JsonObject().put("op", "subscribe").put("channel", "book")
                    .put("market", "BTC-USDT").encode());
            waitFor(() -> bookMessages.stream().anyMatch(m -> "snapshot".equals(m.getString("type"))));
            slowBook.pause();

            // A private follower that will stop reading.
            Promise<String> closedWith = Promise.promise();
            List<JsonObject> privateMessages = new CopyOnWriteArrayList<>();
            // Handlers first, then connect: the greeting (with the login nonce) comes at once.
            io.vertx.core.http.ClientWebSocket slowPrivate = client.webSocket();
            slowPrivate.textMessageHandler(t -> privateMessages.add(new JsonObject(t)));
            slowPrivate.closeHandler(v -> closedWith.tryComplete(slowPrivate.closeStatusCode() + " "
                    + slowPrivate.closeReason()));
            await(slowPrivate.connect(port, "127.0.0.1", "/v1/ws"));
            waitFor(() -> privateMessages.stream().anyMatch(m -> "hello".equals(m.getString("op"))));
            String nonce = privateMessages.stream().filter(m -> "hello".equals(m.getString("op"))).findFirst()
                    .orElseThrow().getString("nonce");
            long ts = System.currentTimeMillis();
            slowPrivate.writeTextMessage(new JsonObject().put("op", "login").put("apiKey", trader.apiKey)
                    .put("timestamp", ts).put("signature", Signatures.sign(trader.secret,
                            Signatures.loginPayload(nonce, Long.toString(ts)))).encode());
            waitFor(() -> privateMessages.stream().anyMatch(m -> "login".equals(m.getString("op"))));
            slowPrivate.pause();

            // Orders in and out until both sockets have been dealt with (or clearly never will be).
            try (TraderClient.Socket entry = new TraderClient.Socket(port)) {
                entry.login(trader);
                // Each order adds a book level and each cancel removes it: a book delta apiece.
                int perRound = 500;
                for (int round = 0; round < 60; round++) {
                    for (int i = 0; i < perRound; i++) {
                        entry.send(new JsonObject().put("op", "order").put("id", "o" + i)
                                .put("market", "BTC-USDT").put("side", "BUY").put("type", "LIMIT")
                                .put("price", Integer.toString(1_000 + i)).put("quantity", "0.001"));
                    }
                    List<String> placed = new ArrayList<>();
                    for (int i = 0; i < perRound; i++) {
                        String id = "o" + i;
                        placed.add(entry.await(m -> id.equals(m.getString("id"))).getJsonObject("result")
                                .getString("orderId"));
                    }
                    for (int i = 0; i < perRound; i++) {
                        entry.send(new JsonObject().put("op", "cancel").put("id", "c" + i)
                                .put("market", "BTC-USDT").put("orderId", placed.get(i)));
                    }
                    for (int i = 0; i < perRound; i++) {
                        String id = "c" + i;
                        entry.await(m -> id.equals(m.getString("id")));
                    }
                    entry.forgetUnmatched();   // the entry socket's own private events
                    if (metric(mesh.managementPort("api-gateway"), RESYNCS) >= 1 && metric(mesh.managementPort("api-gateway"), DROPS) >= 1) {
                        break;
                    }
                }
                assertTrue(metric(mesh.managementPort("api-gateway"), RESYNCS) >= 1, "the slow book reader was resynced");
                assertTrue(metric(mesh.managementPort("api-gateway"), DROPS) >= 1, "the slow private reader was dropped");

                // Reading again, the private follower finds it was closed, and why.
                slowPrivate.resume();
                String closed = await(closedWith.future());
                assertTrue(closed.startsWith("1008 too slow"), closed);

                // Reading again, the book follower gets a fresh snapshot and follows the book exactly.
                slowBook.resume();
                entry.send(new JsonObject().put("op", "order").put("id", "last").put("market", "BTC-USDT")
                        .put("side", "BUY").put("type", "LIMIT").put("price", "999").put("quantity", "0.002"));
                entry.await(m -> "last".equals(m.getString("id")));
            }
            JsonObject book = json(TestMesh.get(port, "/v1/markets/BTC-USDT/book?depth=1000"));
            long target = book.getLong("bookSequence");
            waitFor(() -> bookMessages.stream().anyMatch(m -> m.getLong("bookSequence", -1L) >= target));
            int snapshots = 0;
            TreeMap<String, String> bids = null;
            long last = -1;
            for (JsonObject m : bookMessages) {
                if (!"book".equals(m.getString("channel")) || m.containsKey("op")) {
                    continue;   // not book data ("subscribed")
                }
                assertTrue(m.containsKey("bookSequence"), "book data: " + m.encode());
                if ("snapshot".equals(m.getString("type"))) {
                    snapshots++;
                    bids = levels(m.getJsonArray("bids"));
                    last = m.getLong("bookSequence");
                } else if (m.getLong("bookSequence") <= target) {
                    assertEquals(last + 1, (long) m.getLong("bookSequence"), "deltas follow on without a gap");
                    last = m.getLong("bookSequence");
                    for (Object l : m.getJsonArray("bids")) {
                        JsonArray level = (JsonArray) l;
                        if (Double.parseDouble(level.getString(1)) == 0) {
                            bids.remove(level.getString(0));
                        } else {
                            bids.put(level.getString(0), level.getString(1));
                        }
                    }
                }
            }
            assertTrue(snapshots >= 2, "a fresh snapshot after falling behind; snapshots: " + snapshots);
            assertEquals(target, last);
            assertEquals(levels(book.getJsonArray("bids")), bids, "the follower's book is the venue's book");
        } finally {
            vertx.close().await();
            MeshFixture.delete(dir);
        }
    }

    private static TreeMap<String, String> levels(JsonArray levels) {
        TreeMap<String, String> out = new TreeMap<>();
        for (Object l : levels) {
            out.put(((JsonArray) l).getString(0), ((JsonArray) l).getString(1));
        }
        return out;
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 20 s");
            }
            Thread.sleep(20);
        }
    }
}
