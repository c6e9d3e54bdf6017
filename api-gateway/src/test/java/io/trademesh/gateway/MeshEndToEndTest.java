package io.trademesh.gateway;

import static io.trademesh.gateway.TraderClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trademesh.futures.FuturesServiceMain;
import io.trademesh.gateway.auth.ApiKeys;
import io.trademesh.risk.RiskServiceMain;
import io.trademesh.spot.SpotServiceMain;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The whole path across real processes started the way ./mesh starts them: an operator
 * sets up accounts, keys and money; two traders move money into spot, trade a crossing
 * pair over REST, see their fills on their private WebSocket channel while everyone sees
 * the trade and book diffs; balances add up. Then every bad input is refused with its
 * status and code, and changes nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MeshEndToEndTest {

    private Path dir;
    private TestMesh mesh;
    private TraderClient operator;
    private TraderClient alice;
    private TraderClient bob;
    private MeshFixture fixture;
    private TraderClient readOnly;

    @BeforeAll
    void startMesh() throws Exception {
        dir = Files.createTempDirectory("mesh-e2e");
        Map<String, Class<?>> services = new LinkedHashMap<>();
        services.put("risk-service", RiskServiceMain.class);
        services.put("spot-service", SpotServiceMain.class);
        services.put("futures-service", FuturesServiceMain.class);   // the audit hears from every product wallet
        services.put("api-gateway", ApiGatewayMain.class);
        mesh = new TestMesh(dir, services);
        mesh.members.get("api-gateway").env.put("RATE_LIMIT_ORDERS_PER_SECOND", "25");
        mesh.start();
        int port = mesh.httpPort("api-gateway");

        fixture = new MeshFixture(port);
        fixture.createMarket();

        operator = fixture.operator;
        alice = fixture.trader("alice", "read", "trade", "transfer");
        bob = fixture.trader("bob", "read", "trade", "transfer");
        long aliceId = accountOf(alice);
        readOnly = fixture.key(aliceId, "read");
        deposit(accountOf(alice), "USDT", "100000", "dep-alice-1");
        deposit(accountOf(bob), "BTC", "2", "dep-bob-1");
        transfer(alice, "t-alice-1", "USDT", "50000");
        transfer(bob, "t-bob-1", "BTC", "1");
    }

    @AfterAll
    void stopMesh() throws Exception {
        if (mesh != null) {
            mesh.close();
        }
        MeshFixture.delete(dir);
    }

    private long accountOf(TraderClient t) {
        return fixture.accountOf(t);
    }

    private void deposit(long accountId, String asset, String amount, String id) throws Exception {
        fixture.deposit(accountId, asset, amount, id);
    }

    private void transfer(TraderClient t, String id, String asset, String amount) throws Exception {
        fixture.transfer(t, id, asset, amount);
    }

    private static String balance(TraderClient t, String asset, String field) throws Exception {
        JsonArray balances = new JsonArray(t.signed("GET", "/v1/balances", "", null).body());
        for (int i = 0; i < balances.size(); i++) {
            JsonObject b = balances.getJsonObject(i);
            if (b.getString("asset").equals(asset)) {
                return b.getString(field);
            }
        }
        return "0";
    }

    private static String order(String side, String price, String qty) {
        return new JsonObject().put("market", "BTC-USDT").put("side", side).put("type", "LIMIT")
                .put("price", price).put("quantity", qty).encode();
    }

    @Test
    @Order(1)
    void twoTradersTradeAndEveryoneSeesIt() throws Exception {
        int port = mesh.httpPort("api-gateway");
        try (TraderClient.Socket pub = new TraderClient.Socket(port);
             TraderClient.Socket aliceWs = new TraderClient.Socket(port);
             TraderClient.Socket bobWs = new TraderClient.Socket(port)) {
            pub.send(new JsonObject().put("op", "subscribe").put("channel", "book").put("market", "BTC-USDT"));
            pub.send(new JsonObject().put("op", "subscribe").put("channel", "trades").put("market", "BTC-USDT"));
            JsonObject snapshot = pub.await(m -> "snapshot".equals(m.getString("type")));
            long bookSequence = snapshot.getLong("bookSequence");
            pub.await(m -> "subscribed".equals(m.getString("op")) && "trades".equals(m.getString("channel")));
            aliceWs.login(alice);
            bobWs.login(bob);

            HttpResponse<String> bid = alice.signed("POST", "/v1/orders", "", order("BUY", "30000", "0.5"));
            assertEquals(200, bid.statusCode(), bid.body());
            assertEquals("NEW", json(bid).getString("status"));
            HttpResponse<String> ask = bob.signed("POST", "/v1/orders", "", order("SELL", "29990.5", "0.2"));
            assertEquals(200, ask.statusCode(), ask.body());
            assertEquals("FILLED", json(ask).getString("status"));
            assertEquals("30000", json(ask).getJsonArray("fills").getJsonObject(0).getString("price"));

            JsonObject delta1 = pub.await(m -> "delta".equals(m.getString("type")));
            assertEquals(bookSequence + 1, delta1.getLong("bookSequence"));
            assertEquals(new JsonArray().add(new JsonArray().add("30000").add("0.5")), delta1.getJsonArray("bids"));
            JsonObject delta2 = pub.await(m -> "delta".equals(m.getString("type")));
            assertEquals(bookSequence + 2, delta2.getLong("bookSequence"));
            assertEquals(new JsonArray().add(new JsonArray().add("30000").add("0.3")), delta2.getJsonArray("bids"));
            JsonObject trade = pub.await(m -> "trades".equals(m.getString("channel")));
            assertEquals("0.2", trade.getJsonObject("data").getString("quantity"));
            assertEquals("SELL", trade.getJsonObject("data").getString("takerSide"));

            JsonObject aliceFill = aliceWs.await(m -> "fill".equals(m.getString("type")));
            assertEquals("MAKER", aliceFill.getJsonObject("data").getString("liquidity"));
            assertEquals("6", aliceFill.getJsonObject("data").getString("fee"));
            JsonObject bobFill = bobWs.await(m -> "fill".equals(m.getString("type")));
            assertEquals("TAKER", bobFill.getJsonObject("data").getString("liquidity"));
            assertEquals("12", bobFill.getJsonObject("data").getString("fee"));
            assertNotNull(aliceWs.await(m -> "balance".equals(m.getString("type"))));
        }
        // Alice's bid reserved 15000 + 30 (the most fee it could pay); 0.2 BTC at 30000 took 6000 + 6 maker fee
        // from that reserve; the rest (9024) stays locked until the order is done.
        assertEquals("0.2", balance(alice, "BTC", "available"));
        assertEquals("34970", balance(alice, "USDT", "available"));
        assertEquals("9024", balance(alice, "USDT", "locked"));
        assertEquals("0.8", balance(bob, "BTC", "available"));
        assertEquals("5988", balance(bob, "USDT", "available"));
        // Funding wallets hold the rest: 100000 - 50000 USDT, 2 - 1 BTC.
        JsonObject portfolio = json(alice.signed("GET", "/v1/portfolio", "", null));
        assertTrue(portfolio.encode().contains("\"asset\":\"USDT\",\"available\":\"50000\""), portfolio.encode());
    }

    @Test
    @Order(2)
    void ordersGoInAndOutOverTheSocket() throws Exception {
        try (TraderClient.Socket ws = new TraderClient.Socket(mesh.httpPort("api-gateway"))) {
            ws.send(new JsonObject().put("op", "order").put("id", "early").put("market", "BTC-USDT").put("side", "BUY")
                    .put("type", "LIMIT").put("price", "100").put("quantity", "0.001"));
            assertEquals("LOGIN_REQUIRED", ws.await(m -> "early".equals(m.getString("id")))
                    .getJsonObject("error").getString("code"));
            ws.login(alice);
            ws.send(new JsonObject().put("op", "order").put("id", "r1").put("market", "BTC-USDT").put("side", "BUY")
                    .put("type", "LIMIT").put("price", "100").put("quantity", "0.001").put("clientOrderId", "ws-1"));
            JsonObject placed = ws.await(m -> "r1".equals(m.getString("id"))).getJsonObject("result");
            assertEquals("NEW", placed.getString("status"));
            ws.send(new JsonObject().put("op", "cancel").put("id", "r2").put("market", "BTC-USDT")
                    .put("orderId", placed.getString("orderId")));
            assertEquals("CANCELLED", ws.await(m -> "r2".equals(m.getString("id"))).getJsonObject("result")
                    .getString("status"));
            ws.send(new JsonObject().put("op", "order").put("id", "r3").put("market", "BTC-USDT").put("side", "BUY")
                    .put("type", "LIMIT").put("price", "100.001").put("quantity", "0.001"));
            assertEquals("PRICE_OFF_TICK", ws.await(m -> "r3".equals(m.getString("id")))
                    .getJsonObject("error").getString("code"));
            ws.send(new JsonObject().put("op", "ping"));
            assertNotNull(ws.await(m -> "pong".equals(m.getString("op"))));
        }
    }

    @Test
    @Order(3)
    void badInputIsRefusedAndChangesNothing() throws Exception {
        String book = TestMesh.get(mesh.httpPort("api-gateway"), "/v1/markets/BTC-USDT/book").body();
        String aliceBalances = alice.signed("GET", "/v1/balances", "", null).body();
        String bobBalances = bob.signed("GET", "/v1/balances", "", null).body();
        String aliceOrderId = new JsonArray(alice.signed("GET", "/v1/orders/open", "market=BTC-USDT", null).body())
                .getJsonObject(0).getString("orderId");
        String good = order("BUY", "100", "0.001");

        expect(alice.send("POST", "/v1/orders?timestamp=" + System.currentTimeMillis(), good, alice.apiKey, null),
                401, "MISSING_SIGNATURE");
        expect(alice.send("POST", "/v1/orders?timestamp=" + System.currentTimeMillis() + "&signature="
                + "0".repeat(64), good, alice.apiKey, null), 401, "INVALID_SIGNATURE");
        expect(new TraderClient(alice.port, alice.apiKey, "not-the-secret").signed("POST", "/v1/orders", "", good),
                401, "INVALID_SIGNATURE");
        expect(alice.signedAt("POST", "/v1/orders", "", good, System.currentTimeMillis() - 60_000), 401,
                "STALE_TIMESTAMP");
        expect(alice.send("POST", "/v1/orders", good, null, null), 401, "MISSING_API_KEY");
        // A request captured and replayed after its receive window.
        long t0 = System.currentTimeMillis();
        String q = "recvWindow=1000&timestamp=" + t0;
        String captured = "/v1/orders?" + q + "&signature="
                + io.trademesh.gateway.auth.Signatures.sign(alice.secret,
                io.trademesh.gateway.auth.Signatures.payload("POST", "/v1/orders", q, good));
        Thread.sleep(1_500);
        expect(alice.send("POST", captured, good, alice.apiKey, null), 401, "STALE_TIMESTAMP");
        expect(readOnly.signed("POST", "/v1/orders", "", good), 403, "PERMISSION_DENIED");
        expect(bob.signed("DELETE", "/v1/orders/" + aliceOrderId, "market=BTC-USDT", null), 404, "UNKNOWN_ORDER");
        expect(bob.signed("GET", "/v1/orders/" + aliceOrderId, "market=BTC-USDT", null), 404, "UNKNOWN_ORDER");
        expect(alice.signed("POST", "/v1/orders", "", good.replace("BTC-USDT", "DOGE-USDT")), 404, "UNKNOWN_MARKET");
        expect(alice.signed("POST", "/v1/orders", "", order("BUY", "100", "0")), 400, "INVALID_QUANTITY");
        expect(alice.signed("POST", "/v1/orders", "", order("BUY", "100", "-1")), 400, "INVALID_REQUEST");
        expect(alice.signed("POST", "/v1/orders", "", order("BUY", "100.001", "0.001")), 400, "PRICE_OFF_TICK");
        expect(alice.signed("POST", "/v1/orders", "", order("BUY", "100", "0.00001")), 400, "QUANTITY_OFF_LOT");
        expect(alice.signed("POST", "/v1/orders", "", "{\"market\": \"BTC-USDT\", "), 400, "MALFORMED_JSON");
        expect(alice.signed("POST", "/v1/orders", "", new JsonObject(good).put("leverage", "100").encode()), 400,
                "INVALID_REQUEST");
        expect(alice.signed("POST", "/v1/orders", "", new JsonObject(good)
                .put("clientOrderId", "x".repeat(20_000)).encode()), 413, "BODY_TOO_LARGE");
        expect(operator.send("POST", "/v1/admin/accounts", "{\"name\":\"x\"}", null, "wrong-token"), 403,
                "OPERATOR_ONLY");
        // ':' scopes transfer ids inside risk-service: refused at the edge, never a service's generic refusal.
        expect(alice.signed("POST", "/v1/transfers", "", new JsonObject().put("transferId", "a:b").put("asset", "USDT")
                .put("amount", "1").put("from", "FUNDING").put("to", "SPOT").encode()), 400, "INVALID_REQUEST");
        expect(alice.signed("GET", "/v1/transfers/a:b", "", null), 400, "INVALID_REQUEST");
        expect(operator.operator("PUT", "/v1/admin/accounts/99999999999999999999/limits", "{}"), 400,
                "INVALID_ACCOUNT");

        assertEquals(book, TestMesh.get(mesh.httpPort("api-gateway"), "/v1/markets/BTC-USDT/book").body());
        assertEquals(aliceBalances, alice.signed("GET", "/v1/balances", "", null).body());
        assertEquals(bobBalances, bob.signed("GET", "/v1/balances", "", null).body());
    }

    @Test
    @Order(5)
    void theKillSwitchCancelsAndRefusesAcrossTheMesh() throws Exception {
        assertTrue(new JsonArray(alice.signed("GET", "/v1/orders/open", "", null).body()).size() > 0);
        HttpResponse<String> set = operator.operator("PUT", "/v1/admin/accounts/" + accountOf(alice) + "/limits",
                new JsonObject().put("killSwitch", true).encode());
        assertEquals(200, set.statusCode(), set.body());
        // risk-service publishes it on risk.control; spot journals it and cancels every open order.
        long deadline = System.currentTimeMillis() + 15_000;
        JsonArray open = null;
        while (System.currentTimeMillis() < deadline) {
            open = new JsonArray(alice.signed("GET", "/v1/orders/open", "", null).body());
            if (open.isEmpty()) {
                break;
            }
            Thread.sleep(100);
        }
        assertEquals(new JsonArray(), open);
        assertEquals("0", balance(alice, "USDT", "locked"));
        expect(alice.signed("POST", "/v1/orders", "", order("BUY", "100", "0.001")), 400, "KILL_SWITCH");

        operator.operator("PUT", "/v1/admin/accounts/" + accountOf(alice) + "/limits", new JsonObject().encode());
        deadline = System.currentTimeMillis() + 15_000;
        HttpResponse<String> again = null;
        while (System.currentTimeMillis() < deadline) {
            again = alice.signed("POST", "/v1/orders", "", order("BUY", "100", "0.001"));
            if (again.statusCode() == 200) {
                break;
            }
            Thread.sleep(100);
        }
        assertEquals(200, again.statusCode(), "lifting the kill switch lets orders through: " + again.body());

        // A notional cap says its asset: 50 USDT caps a 0.01 BTC bid at 29000 (290 USDT), not one at 100 (1 USDT).
        expect(operator.operator("PUT", "/v1/admin/accounts/" + accountOf(alice) + "/limits",
                new JsonObject().put("maxOrderNotional", "50").encode()), 400, "UNKNOWN_ASSET");
        HttpResponse<String> capped = operator.operator("PUT", "/v1/admin/accounts/" + accountOf(alice) + "/limits",
                new JsonObject().put("maxOrderNotional", "50").put("notionalAsset", "USDT").encode());
        assertEquals(200, capped.statusCode(), capped.body());
        assertEquals("50", new JsonObject(capped.body()).getString("maxOrderNotional"));
        deadline = System.currentTimeMillis() + 15_000;
        HttpResponse<String> tooBig = null;
        while (System.currentTimeMillis() < deadline) {
            tooBig = alice.signed("POST", "/v1/orders", "", order("BUY", "29000", "0.01"));
            if (tooBig.statusCode() == 400) {
                break;
            }
            alice.signed("DELETE", "/v1/orders", "market=BTC-USDT", null);
            Thread.sleep(100);
        }
        expect(tooBig, 400, "ORDER_NOTIONAL_LIMIT");
        assertEquals(200, alice.signed("POST", "/v1/orders", "", order("BUY", "100", "0.01")).statusCode());
        operator.operator("PUT", "/v1/admin/accounts/" + accountOf(alice) + "/limits", new JsonObject().encode());
    }

    @Test
    @Order(6)
    void tooManyOrdersGet429WithRetryAfter() throws Exception {
        // 60 orders at once against a limit of 25 per second: some must be refused, with the headers.
        // (Orders that cannot be placed, here for lack of funds, count against the limit too.)
        java.util.List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> sent = new java.util.ArrayList<>();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(30);
        try {
            for (int i = 0; i < 60; i++) {
                // Each its own client order id: identical requests signed in the same millisecond would be one
                // signature, and a signature is good for one request.
                String tooBig = new JsonObject(order("BUY", "100", "99")).put("clientOrderId", "big-" + i).encode();
                sent.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try {
                        return bob.signed("POST", "/v1/orders", "", tooBig);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, pool));
            }
            HttpResponse<String> limited = null;
            for (var f : sent) {
                HttpResponse<String> r = f.get(30, java.util.concurrent.TimeUnit.SECONDS);
                if (r.statusCode() == 429) {
                    limited = r;
                } else {
                    assertEquals("INSUFFICIENT_FUNDS", json(r).getString("code"), r.body());
                }
            }
            assertNotNull(limited, "no request was rate limited");
            expect(limited, 429, "RATE_LIMITED");
            assertEquals("25;w=1", limited.headers().firstValue("X-RateLimit-Limit").orElse(""),
                    "the orders/second limit, not the per-minute one");
            assertTrue(limited.headers().firstValue("Retry-After").isPresent());
            assertTrue(limited.headers().firstValue("X-RateLimit-Remaining").isPresent());
        } finally {
            pool.shutdownNow();
        }
    }

    /** After all the trading above, the venue holds exactly what it owes, by the operator's audit. */
    @Test
    @Order(7)
    void theSolvencyAuditHoldsAfterTheTrading() throws Exception {
        expect(alice.send("GET", "/v1/admin/audit", null, null, null), 401, "OPERATOR_ONLY");
        expect(alice.send("GET", "/v1/admin/audit", null, null, "not-the-operator-token"), 403, "OPERATOR_ONLY");
        JsonObject audit = new JsonObject(ok(operator.operator("GET", "/v1/admin/audit", null)));
        assertTrue(audit.getBoolean("complete") && audit.getBoolean("balanced"), audit.encode());
        JsonObject usdt = audit.getJsonArray("assets").stream().map(JsonObject.class::cast)
                .filter(a -> a.getString("asset").equals("USDT")).findFirst().orElseThrow();
        assertEquals("0", usdt.getString("difference"));
        assertEquals("0", usdt.getString("inFlight"));
        // The fees the trades paid sit in spot's fee wallet and count as held.
        assertTrue(!usdt.getJsonObject("products").getJsonObject("SPOT").getString("fees").equals("0"),
                usdt.encode());
    }

    /**
     * risk-service keeps the API keys, but its restart does not stop trading: the gateway signs with a key it
     * fetched in the last minute while risk-service does not answer. What only risk-service does fails.
     */
    @Test
    @Order(8)
    void tradingGoesOnWhileRiskServiceIsDown() throws Exception {
        assertEquals(200, alice.signed("GET", "/v1/balances", "", null).statusCode());   // her key, fetched lately
        mesh.kill("risk-service");
        Thread.sleep(ApiKeys.TTL_MS + 1_000);   // past the key's TTL: the gateway asks risk-service, which is gone
        String good = order("BUY", "100", "0.001");
        expect(new TraderClient(alice.port, alice.apiKey, "not-the-secret").signed("POST", "/v1/orders", "", good),
                401, "INVALID_SIGNATURE");   // a key used as last fetched still checks its signature
        HttpResponse<String> placed = alice.signed("POST", "/v1/orders", "", good);
        assertEquals(200, placed.statusCode(), placed.body());
        String id = json(placed).getString("orderId");
        HttpResponse<String> cancelled = alice.signed("DELETE", "/v1/orders/" + id, "market=BTC-USDT", null);
        assertEquals(200, cancelled.statusCode(), cancelled.body());
        expect(alice.signed("POST", "/v1/transfers", "", new JsonObject().put("transferId", "t-risk-down")
                .put("asset", "USDT").put("amount", "1").put("from", "FUNDING").put("to", "SPOT").encode()),
                503, "SERVICE_UNAVAILABLE");
    }

    @Test
    @Order(9)
    void aServiceThatIsDownGets503Quickly() throws Exception {
        mesh.kill("spot-service");
        for (int i = 0; i < 8; i++) {
            long t0 = System.nanoTime();
            HttpResponse<String> r = TestMesh.get(mesh.httpPort("api-gateway"), "/v1/markets/BTC-USDT/book");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            expect(r, 503, "SERVICE_UNAVAILABLE");
            assertTrue(ms < 3_000, "503 took " + ms + " ms");
        }
        // Once the breaker is open the answer comes at once, without waiting for a timeout.
        long t0 = System.nanoTime();
        expect(alice.signed("POST", "/v1/orders", "", order("BUY", "100", "0.001")), 503, "SERVICE_UNAVAILABLE");
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 500, "an open breaker answers at once");
    }

    @Test
    @Order(4)
    void ordersGoInAndOutInBatches() throws Exception {
        Thread.sleep(1_100);   // a fresh second of the key's order budget (25/s here)
        JsonObject good = new JsonObject(order("BUY", "100", "0.001")).put("clientOrderId", "batch-1");
        JsonArray placed = new JsonArray(ok(alice.signed("POST", "/v1/orders/batch", "", new JsonObject()
                .put("orders", new JsonArray()
                        .add(good)
                        .add(new JsonObject(order("BUY", "100.001", "0.001")))
                        .add(new JsonObject(order("BUY", "100", "0.001")).put("market", "NOPE-USDT"))
                        .add(new JsonObject(order("BUY", "101", "0.001"))))
                .encode())));
        assertEquals(4, placed.size(), placed.encode());
        assertEquals("NEW", placed.getJsonObject(0).getString("status"));
        assertEquals("batch-1", placed.getJsonObject(0).getString("clientOrderId"));
        assertEquals("PRICE_OFF_TICK", placed.getJsonObject(1).getString("code"));
        assertEquals("UNKNOWN_MARKET", placed.getJsonObject(2).getString("code"));
        assertEquals("NEW", placed.getJsonObject(3).getString("status"));

        String ids = placed.getJsonObject(0).getString("orderId") + "," + placed.getJsonObject(3).getString("orderId")
                + ",987654321";
        JsonArray cancelled = new JsonArray(ok(alice.signed("DELETE", "/v1/orders/batch",
                "market=BTC-USDT&orderIds=" + ids, null)));
        assertEquals("CANCELLED", cancelled.getJsonObject(0).getString("status"));
        assertEquals("CANCELLED", cancelled.getJsonObject(1).getString("status"));
        assertEquals("UNKNOWN_ORDER", cancelled.getJsonObject(2).getString("code"));

        // What the contract refuses is refused whole, and places nothing.
        String open = alice.signed("GET", "/v1/orders/open", "market=BTC-USDT", null).body();
        JsonArray tooMany = new JsonArray();
        for (int i = 0; i < 21; i++) {
            tooMany.add(new JsonObject(order("BUY", "100", "0.001")));
        }
        expect(alice.signed("POST", "/v1/orders/batch", "", new JsonObject().put("orders", tooMany).encode()),
                400, "INVALID_REQUEST");
        expect(alice.signed("POST", "/v1/orders/batch", "", new JsonObject().put("orders", new JsonArray()).encode()),
                400, "INVALID_REQUEST");
        expect(alice.signed("POST", "/v1/orders/batch", "", new JsonObject().put("orders", new JsonArray()
                .add(new JsonObject(order("BUY", "100", "0.001")))
                .add(new JsonObject(order("BUY", "100", "0.001")).put("bogus", 1))).encode()), 400, "INVALID_REQUEST");
        expect(alice.signed("DELETE", "/v1/orders/batch", "market=BTC-USDT&orderIds=1,,2", null), 400,
                "INVALID_REQUEST");
        assertEquals(open, alice.signed("GET", "/v1/orders/open", "market=BTC-USDT", null).body());
    }

    private static String ok(HttpResponse<String> r) {
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    private static void expect(HttpResponse<String> r, int status, String code) {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals(code, json(r).getString("code"), r.body());
        assertNotNull(json(r).getString("message"));
    }

    /**
     * Subscription changes on a socket count against the client address's request weight
     * (6,000 a minute here): a client cannot churn subscriptions without limit. Last, since
     * it spends the address's weight for the rest of the minute.
     */
    @Test
    @Order(99)
    void subscriptionChangesAreRateLimited() throws Exception {
        try (TraderClient.Socket ws = new TraderClient.Socket(mesh.httpPort("api-gateway"))) {
            JsonObject unsubscribe = new JsonObject().put("op", "unsubscribe").put("channel", "ticker")
                    .put("market", "BTC-USDT");
            JsonObject limited = null;
            // A minute's weight, and again if the minute turns over meanwhile.
            for (int i = 0; i < 12_500 && limited == null; i++) {
                ws.send(unsubscribe);
                if (i % 500 == 499) {
                    ws.send(new JsonObject().put("op", "ping"));
                    JsonObject m = ws.await(r -> "pong".equals(r.getString("op")) || rateLimited(r));
                    if (rateLimited(m)) {
                        limited = m;
                    }
                    ws.forgetUnmatched();
                }
            }
            assertNotNull(limited, "no subscription change was refused");
        }
    }

    private static boolean rateLimited(JsonObject m) {
        return m.getValue("error") instanceof JsonObject e && "RATE_LIMITED".equals(e.getString("code"));
    }
}
