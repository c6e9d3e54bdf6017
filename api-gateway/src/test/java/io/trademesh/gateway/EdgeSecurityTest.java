package io.trademesh.gateway;

import static io.trademesh.gateway.TraderClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trademesh.gateway.auth.Signatures;
import io.trademesh.risk.RiskServiceMain;
import io.trademesh.spot.SpotServiceMain;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The gateway tried as an attacker would, against real services: each test pins one defect
 * that was found this way (signatures that did not bind the request, bad input that
 * opened circuit breakers, input judged before credentials, leaks, sessions that outlived
 * their key) and shows it refused with nothing changed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EdgeSecurityTest {

    private static final Map<String, String> GATEWAY_ENV = Map.of("RATE_LIMIT_WEIGHT_PER_MINUTE", "1000000",
            "RATE_LIMIT_ORDERS_PER_SECOND", "100000", "RATE_LIMIT_AUTH_FAILURES_PER_MINUTE", "1000000");

    private Path dir;
    private TestMesh mesh;
    private MeshFixture fixture;
    private int port;
    private TraderClient alice;
    private TraderClient bob;

    @BeforeAll
    void startMesh() throws Exception {
        dir = Files.createTempDirectory("edge-security");
        Map<String, Class<?>> services = new LinkedHashMap<>();
        services.put("risk-service", RiskServiceMain.class);
        services.put("spot-service", SpotServiceMain.class);
        services.put("api-gateway", ApiGatewayMain.class);
        services.put("api-gateway-2", ApiGatewayMain.class);    // started by the test that needs a second replica
        mesh = new TestMesh(dir, services);
        mesh.members.get("api-gateway").env.putAll(GATEWAY_ENV);
        mesh.members.get("api-gateway-2").env.putAll(GATEWAY_ENV);
        mesh.start("risk-service");
        mesh.start("spot-service");
        mesh.start("api-gateway");
        port = mesh.httpPort("api-gateway");
        fixture = new MeshFixture(port);
        fixture.createMarket();
        alice = fixture.fundedTrader("alice", "USDT", "100000");
        bob = fixture.fundedTrader("bob", "USDT", "100000");
    }

    @AfterAll
    void stopMesh() throws Exception {
        if (mesh != null) {
            mesh.close();
        }
        MeshFixture.delete(dir);
    }

    private static String order(String clientOrderId) {
        JsonObject o = new JsonObject().put("market", "BTC-USDT").put("side", "BUY").put("type", "LIMIT")
                .put("price", "100").put("quantity", "0.01");
        return (clientOrderId == null ? o : o.put("clientOrderId", clientOrderId)).encode();
    }

    private static void expect(HttpResponse<String> r, int status, String code) {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals(code, json(r).getString("code"), r.body());
        assertTrue(json(r).containsKey("message"), r.body());
        assertNoLeak(r);
    }

    /** No internal address, exception text or stack in an answer. */
    static void assertNoLeak(HttpResponse<String> r) {
        assertNoLeak(r.body());
    }

    static void assertNoLeak(String body) {
        for (String leak : List.of("127.0.0.1", "Exception", "For input string", "\tat ", "io.trademesh")) {
            assertFalse(body.contains(leak), "the answer leaks '" + leak + "': " + body);
        }
    }

    private int openOrders(TraderClient t) throws Exception {
        HttpResponse<String> r = t.signed("GET", "/v1/orders/open", "market=BTC-USDT", null);
        assertEquals(200, r.statusCode(), r.body());
        return new JsonArray(r.body()).size();
    }

    /** A signed query for {@code method path}, as a client would send it: "?q&signature=..". */
    private static String signedQuery(TraderClient t, String method, String path, String query, String body) {
        String q = (query.isEmpty() ? "" : query + "&") + "timestamp=" + System.currentTimeMillis();
        return q + "&signature=" + Signatures.sign(t.secret, Signatures.payload(method, path, q, body));
    }

    @Test
    void aSignatureBindsTheMethodAndThePath() throws Exception {
        String id = json(alice.signed("POST", "/v1/orders", "", order("bind-1"))).getString("orderId");
        int open = openOrders(alice);
        // A signed read of the order, sent as a cancel of it: refused, the order stays.
        String readQuery = signedQuery(alice, "GET", "/v1/orders/" + id, "market=BTC-USDT", null);
        expect(alice.send("DELETE", "/v1/orders/" + id + "?" + readQuery, null, alice.apiKey, null), 401,
                "INVALID_SIGNATURE");
        // A signed portfolio read, sent as cancel-all: refused.
        String portfolioQuery = signedQuery(alice, "GET", "/v1/portfolio", "", null);
        expect(alice.send("DELETE", "/v1/orders?" + portfolioQuery, null, alice.apiKey, null), 401,
                "INVALID_SIGNATURE");
        assertEquals(open, openOrders(alice));
        // The read itself works, once.
        assertEquals(200, alice.send("GET", "/v1/orders/" + id + "?" + readQuery, null, alice.apiKey, null)
                .statusCode());
        alice.signed("DELETE", "/v1/orders/" + id, "market=BTC-USDT", null);
    }

    @Test
    void aSignatureIsGoodForOneRequest() throws Exception {
        int open = openOrders(alice);
        String body = order(null);   // no client order id: nothing else would catch the replay
        String query = signedQuery(alice, "POST", "/v1/orders", "", body);
        HttpResponse<String> first = alice.send("POST", "/v1/orders?" + query, body, alice.apiKey, null);
        assertEquals(200, first.statusCode(), first.body());
        expect(alice.send("POST", "/v1/orders?" + query, body, alice.apiKey, null), 401, "REPLAYED_SIGNATURE");
        assertEquals(open + 1, openOrders(alice), "the replay placed no second order");
        alice.signed("DELETE", "/v1/orders", "market=BTC-USDT", null);
    }

    @Test
    void badInputIsRefusedAtTheEdgeAndNeverOpensABreaker() throws Exception {
        String book = TestMesh.get(port, "/v1/markets/BTC-USDT/book").body();
        for (int i = 0; i < 12; i++) {   // twice what opens a breaker
            expect(TestMesh.get(port, "/v1/markets/BTC-USDT/trades?limit=1e1"), 400, "INVALID_REQUEST");
            expect(TestMesh.get(port, "/v1/markets/BTC-USDT/book?depth=1e3"), 400, "INVALID_REQUEST");
            expect(TestMesh.get(port, "/v1/markets/BTC-USDT/book?depth=10.0"), 400, "INVALID_REQUEST");
            expect(alice.signed("GET", "/v1/orders/open", "limit=1e1", null), 400, "INVALID_REQUEST");
            expect(alice.signed("GET", "/v1/orders/history", "limit=1e1", null), 400, "INVALID_REQUEST");
            expect(alice.signed("GET", "/v1/fills", "limit=1e1", null), 400, "INVALID_REQUEST");
            expect(alice.signed("GET", "/v1/transfers", "limit=1e1", null), 400, "INVALID_REQUEST");
            expect(alice.signed("GET", "/v1/orders/1", "", null), 400, "INVALID_REQUEST");   // no market
        }
        // Spot and risk-service still answer: no breaker opened.
        HttpResponse<String> after = TestMesh.get(port, "/v1/markets/BTC-USDT/book");
        assertEquals(200, after.statusCode(), after.body());
        assertEquals(book, after.body());
        assertEquals(200, alice.signed("GET", "/v1/transfers", "", null).statusCode());
        assertEquals(200, alice.signed("GET", "/v1/orders/open", "limit=10", null).statusCode());
    }

    @Test
    void credentialsAreCheckedBeforeAnyInput() throws Exception {
        TraderClient anonymous = new TraderClient(port, null, null);
        // Without the operator token nothing about the input is revealed, and nothing fails.
        expect(anonymous.send("POST", "/v1/admin/accounts/99999999999999999999/keys", "{}", null, null), 401,
                "OPERATOR_ONLY");
        expect(anonymous.send("POST", "/v1/admin/deposits", "{\"bad\":1}", null, null), 401, "OPERATOR_ONLY");
        expect(anonymous.send("POST", "/v1/admin/markets", "not json", null, null), 401, "OPERATOR_ONLY");
        expect(anonymous.send("POST", "/v1/admin/accounts", "{}", null, "wrong-token-0123456789"), 403,
                "OPERATOR_ONLY");
        expect(anonymous.send("POST", "/v1/orders", "not json", null, null), 401, "MISSING_API_KEY");
        expect(anonymous.send("GET", "/v1/orders/open?limit=1e1", null, null, null), 401, "MISSING_API_KEY");
        // With it, the same input gets its 400.
        expect(fixture.operator.operator("POST", "/v1/admin/accounts/99999999999999999999/keys",
                "{\"permissions\":[\"read\"]}"), 400, "INVALID_ACCOUNT");
        expect(fixture.operator.operator("POST", "/v1/admin/deposits", "{\"bad\":1}"), 400, "INVALID_REQUEST");
        expect(fixture.operator.operator("POST", "/v1/admin/deposits", new JsonObject().put("operationId", "x")
                .put("accountId", new java.math.BigInteger("99999999999999999999")).put("asset", "USDT")
                .put("amount", "1").encode()), 400, "INVALID_ACCOUNT");
    }

    @Test
    void anUnknownOrMalformedKeyIs401() throws Exception {
        expect(new TraderClient(port, "not a key!", "x").signed("GET", "/v1/portfolio", "", null), 401,
                "INVALID_API_KEY");
        expect(new TraderClient(port, "0123456789abcdef01234567", "x").signed("GET", "/v1/portfolio", "", null),
                401, "INVALID_API_KEY");
        try (TraderClient.Socket ws = new TraderClient.Socket(port)) {
            ws.send(ws.loginMessage(new TraderClient(port, "not a key!", "x")));
            JsonObject reply = ws.await(m -> "login".equals(m.getString("op")));
            assertEquals("INVALID_API_KEY", reply.getJsonObject("error").getString("code"), reply.encode());
        }
    }

    @Test
    void aSocketLogsInOnceAndALoginWorksOnItsOwnSocketOnly() throws Exception {
        try (TraderClient.Socket a = new TraderClient.Socket(port); TraderClient.Socket b = new TraderClient.Socket(port)) {
            // A's login message replayed on B: B's nonce differs, so the signature does not match.
            b.send(a.loginMessage(alice));
            JsonObject replayed = b.await(m -> "login".equals(m.getString("op")));
            assertEquals("INVALID_SIGNATURE", replayed.getJsonObject("error").getString("code"), replayed.encode());

            a.login(alice);
            a.send(a.loginMessage(bob));
            JsonObject second = a.await(m -> "login".equals(m.getString("op")));
            assertEquals("ALREADY_LOGGED_IN", second.getJsonObject("error").getString("code"), second.encode());
            // Orders on the socket are still alice's.
            int aliceOpen = openOrders(alice);
            int bobOpen = openOrders(bob);
            a.send(new JsonObject(order(null)).put("op", "order").put("id", "o1"));
            JsonObject placed = a.await(m -> "o1".equals(m.getString("id")));
            assertTrue(placed.containsKey("result"), placed.encode());
            assertEquals(aliceOpen + 1, openOrders(alice));
            assertEquals(bobOpen, openOrders(bob));
            alice.signed("DELETE", "/v1/orders", "market=BTC-USDT", null);
        }
    }

    @Test
    void anOrderSentRightBehindTheLoginIsTakenAfterIt() throws Exception {
        for (int attempt = 0; attempt < 5; attempt++) {
            try (TraderClient.Socket s = new TraderClient.Socket(port)) {
                s.send(s.loginMessage(alice));
                s.send(new JsonObject(order(null)).put("op", "order").put("id", "right-behind"));
                JsonObject login = s.await(m -> "login".equals(m.getString("op")));
                assertFalse(login.containsKey("error"), login.encode());
                JsonObject placed = s.await(m -> "right-behind".equals(m.getString("id")));
                assertTrue(placed.containsKey("result"), placed.encode());
            }
        }
        alice.signed("DELETE", "/v1/orders", "market=BTC-USDT", null);

        try (TraderClient.Socket s = new TraderClient.Socket(port)) { // a failed login: what follows is refused
            s.send(s.loginMessage(alice).put("signature", "0".repeat(64)));
            s.send(new JsonObject(order(null)).put("op", "order").put("id", "after-bad-login"));
            JsonObject login = s.await(m -> "login".equals(m.getString("op")));
            assertEquals("INVALID_SIGNATURE", login.getJsonObject("error").getString("code"), login.encode());
            JsonObject refused = s.await(m -> "after-bad-login".equals(m.getString("id")));
            assertEquals("LOGIN_REQUIRED", refused.getJsonObject("error").getString("code"), refused.encode());
        }
    }

    @Test
    void aMessageOverTheLimitClosesTheSocketWith1009() throws Exception {
        try (TraderClient.Socket ws = new TraderClient.Socket(port)) {
            String part = "x".repeat(16 * 1024);
            for (int i = 0; i < 64 && !ws.closed.isDone(); i++) {   // 1 MiB in 16 KiB fragments
                try {
                    ws.ws.sendText(part, i == 63).get(5, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException closedMeanwhile) {
                    break;
                }
            }
            String closed = ws.closed.get(10, TimeUnit.SECONDS);
            assertTrue(closed.startsWith("1009"), closed);
        }
    }

    @Test
    void aSocketHoldsAtMost200Subscriptions() throws Exception {
        for (int i = 0; i < 101; i++) {   // 101 markets x (trades, ticker) = 202 subscriptions
            HttpResponse<String> r = fixture.operator.operator("POST", "/v1/admin/markets", new JsonObject()
                    .put("symbol", "M" + i + "-USDT").put("base", "M" + i).put("baseDecimals", 8)
                    .put("quote", "USDT").put("quoteDecimals", 6).put("priceScale", 2).put("tickSize", "0.01")
                    .put("lotSize", "0.0001").put("maxQuantity", "100").put("maxPrice", "1000000").encode());
            assertEquals(200, r.statusCode(), r.body());
        }
        try (TraderClient.Socket ws = new TraderClient.Socket(port)) {
            int subscribed = 0;
            JsonObject refused = null;
            for (int i = 0; i < 101 && refused == null; i++) {
                for (String channel : List.of("trades", "ticker")) {
                    ws.send(new JsonObject().put("op", "subscribe").put("channel", channel).put("market", "M" + i
                            + "-USDT"));
                    JsonObject reply = ws.await(m -> "subscribed".equals(m.getString("op")) || m.containsKey("error"));
                    if (reply.containsKey("error")) {
                        refused = reply;
                        break;
                    }
                    subscribed++;
                }
            }
            assertEquals(200, subscribed);
            assertEquals("TOO_MANY_SUBSCRIPTIONS", refused.getJsonObject("error").getString("code"), refused.encode());
        }
    }

    @Test
    void healthAndMetricsAreNotOnTheTradersPort() throws Exception {
        expect(TestMesh.get(port, "/metrics"), 404, "NOT_FOUND");
        expect(TestMesh.get(port, "/health/ready"), 404, "NOT_FOUND");
        int management = mesh.managementPort("api-gateway");
        assertEquals(200, TestMesh.get(management, "/metrics").statusCode());
        assertEquals(200, TestMesh.get(management, "/health/ready").statusCode());
    }

    /**
     * A second replica: while it starts, /v1 answers 503 with Retry-After (never a 404 a client
     * would take as final); once up, a revocation or suspension made through the first
     * replica takes effect on both at once and closes the affected sockets.
     */
    @Test
    void revocationAndSuspensionReachEveryReplicaAtOnce() throws Exception {
        int port2 = mesh.httpPort("api-gateway-2");
        List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean polling = new AtomicBoolean(true);
        Thread poller = new Thread(() -> {
            while (polling.get()) {
                try {
                    HttpResponse<String> r = TestMesh.get(port2, "/v1/markets");
                    seen.add(r.statusCode() + " " + r.headers().firstValue("Retry-After").orElse("-") + " "
                            + r.body().substring(0, Math.min(60, r.body().length())));
                } catch (Exception notListening) {
                    // not up yet
                }
            }
        });
        poller.start();
        try {
            mesh.start("api-gateway-2");
        } finally {
            polling.set(false);
            poller.join();
        }
        for (String s : seen) {
            assertTrue(s.startsWith("200") || s.startsWith("503 1 {\"code\":\"STARTING\""), s);
        }

        // A key used on both replicas, then revoked through the first.
        long aliceId = fixture.accountOf(alice);
        TraderClient k2 = fixture.key(aliceId, "read", "trade");
        TraderClient k2OnReplica2 = new TraderClient(port2, k2.apiKey, k2.secret);
        assertEquals(200, k2.signed("GET", "/v1/portfolio", "", null).statusCode());
        assertEquals(200, k2OnReplica2.signed("GET", "/v1/portfolio", "", null).statusCode());
        try (TraderClient.Socket ws2 = new TraderClient.Socket(port2)) {
            ws2.login(k2);
            HttpResponse<String> revoked = fixture.operator.operator("DELETE", "/v1/admin/keys/" + k2.apiKey, null);
            assertEquals(200, revoked.statusCode(), revoked.body());
            String closed = ws2.closed.get(3, TimeUnit.SECONDS);
            assertTrue(closed.startsWith("1008 API key revoked"), closed);
            // Well inside the key cache's 5 s lifetime.
            expect(k2.signed("GET", "/v1/portfolio", "", null), 401, "INVALID_API_KEY");
            expect(k2OnReplica2.signed("GET", "/v1/portfolio", "", null), 401, "INVALID_API_KEY");
        }

        // An account suspended, then reinstated.
        TraderClient dave = fixture.trader("dave", "read", "trade");
        long daveId = fixture.accountOf(dave);
        assertEquals(200, dave.signed("GET", "/v1/portfolio", "", null).statusCode());
        try (TraderClient.Socket ws = new TraderClient.Socket(port)) {
            ws.login(dave);
            assertEquals(200, fixture.operator.operator("POST", "/v1/admin/accounts/" + daveId + "/suspend",
                    "{\"suspended\":true}").statusCode());
            String closed = ws.closed.get(3, TimeUnit.SECONDS);
            assertTrue(closed.startsWith("1008 account suspended"), closed);
            expect(dave.signed("GET", "/v1/portfolio", "", null), 403, "ACCOUNT_SUSPENDED");
        }
        assertEquals(200, fixture.operator.operator("POST", "/v1/admin/accounts/" + daveId + "/suspend",
                "{\"suspended\":false}").statusCode());
        assertEquals(200, dave.signed("GET", "/v1/portfolio", "", null).statusCode());
    }
}
