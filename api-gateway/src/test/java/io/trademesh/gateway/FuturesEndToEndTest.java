package io.trademesh.gateway;

import static io.trademesh.gateway.TraderClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trademesh.futures.FuturesServiceMain;
import io.trademesh.gateway.ApiGatewayMain;
import io.trademesh.risk.RiskServiceMain;
import io.trademesh.spot.SpotServiceMain;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A perpetual through the gateway across real processes (risk, spot, futures, gateway): two
 * accounts trade it, the index moves, funding is paid, futures-service is killed with
 * SIGKILL and restarted with positions, wallets and the fund as before; a move of the index
 * liquidates the short in the book (the fee fills the insurance fund), and a crash makes the
 * long bankrupt with no bids: the fund pays what it holds and ADL closes the rest against the
 * remaining short. The solvency audit balances at every step.
 *
 * <p>Money: alice and bob each put 1000 USDT in futures at 50x and trade 1 BTC at 30000.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FuturesEndToEndTest {

    private static final String PERP = "T-PERP";

    private Path dir;
    private TestMesh mesh;
    private MeshFixture fixture;
    private TraderClient alice;
    private TraderClient bob;
    private TraderClient carol;

    @BeforeAll
    void startMesh() throws Exception {
        dir = Files.createTempDirectory("futures-e2e");
        Map<String, Class<?>> services = new LinkedHashMap<>();
        services.put("risk-service", RiskServiceMain.class);
        services.put("spot-service", SpotServiceMain.class);   // the audit counts every product's wallets
        services.put("futures-service", FuturesServiceMain.class);
        services.put("api-gateway", ApiGatewayMain.class);
        mesh = new TestMesh(dir, services).start();
        fixture = new MeshFixture(mesh.httpPort("api-gateway"));
    }

    @AfterAll
    void stopMesh() throws Exception {
        if (mesh != null) {
            mesh.close();
        }
        MeshFixture.delete(dir);
    }

    private HttpResponse<String> operator(String method, String path, JsonObject body) throws Exception {
        return fixture.operator.operator(method, path, body == null ? null : body.encode());
    }

    private void index(String price) throws Exception {
        HttpResponse<String> r = operator("POST", "/v1/admin/index-prices", new JsonObject().put("asset", "BTC")
                .put("quote", "USDT").put("price", price));
        assertEquals(200, r.statusCode(), r.body());
    }

    /** The mark, polled until {@code done} holds (index prices travel risk -> event bus -> futures journal). */
    private JsonObject mark(Predicate<JsonObject> done) throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        JsonObject m;
        do {
            HttpResponse<String> r = fixture.operator.send("GET", "/v1/futures/" + PERP + "/mark", null, null, null);
            assertEquals(200, r.statusCode(), r.body());
            m = json(r);
            if (done.test(m)) {
                return m;
            }
            Thread.sleep(100);
        } while (System.currentTimeMillis() < deadline);
        throw new AssertionError("mark never satisfied the condition: " + m);
    }

    /**
     * A mark at the index: within 0.02% of it, since the mark's first term carries the last funding
     * rate (0.01% here) for the time left to the next funding.
     */
    private static Predicate<JsonObject> near(String index) {
        BigDecimal x = new BigDecimal(index);
        return m -> new BigDecimal(m.getString("markPrice")).subtract(x).abs()
                .compareTo(x.multiply(new BigDecimal("0.0002"))) <= 0;
    }

    private JsonObject account(TraderClient t) throws Exception {
        HttpResponse<String> r = t.signed("GET", "/v1/futures/account", "", null);
        assertEquals(200, r.statusCode(), r.body());
        return json(r);
    }

    private JsonObject insurance() throws Exception {
        return json(fixture.operator.send("GET", "/v1/futures/insurance", null, null, null));
    }

    private TraderClient trader(String name, String usdt) throws Exception {
        TraderClient t = fixture.trader(name, "read", "trade", "transfer");
        fixture.deposit(fixture.accountOf(t), "USDT", usdt, "dep-" + name);
        HttpResponse<String> r = t.signed("POST", "/v1/transfers", "", new JsonObject().put("transferId", "f-" + name)
                .put("asset", "USDT").put("amount", usdt).put("from", "FUNDING").put("to", "FUTURES").encode());
        assertEquals(200, r.statusCode(), r.body());
        long deadline = System.currentTimeMillis() + 15_000;
        while (!"COMPLETED".equals(json(t.signed("GET", "/v1/transfers/f-" + name, "", null)).getString("state"))) {
            assertTrue(System.currentTimeMillis() < deadline, "transfer to futures did not complete");
            Thread.sleep(100);
        }
        HttpResponse<String> l = t.signed("PUT", "/v1/futures/leverage", "", new JsonObject().put("market", PERP)
                .put("leverage", 50).encode());
        assertEquals(200, l.statusCode(), l.body());
        return t;
    }

    private JsonObject order(TraderClient t, JsonObject order) throws Exception {
        HttpResponse<String> r = t.signed("POST", "/v1/orders", "", order.put("market", PERP).encode());
        assertEquals(200, r.statusCode(), r.body());
        return json(r);
    }

    private static BigDecimal dec(JsonObject j, String field) {
        return new BigDecimal(j.getString(field));
    }

    private static JsonObject position(JsonObject account) {
        JsonArray p = account.getJsonArray("positions");
        return p.isEmpty() ? new JsonObject().put("size", "0") : p.getJsonObject(0);
    }

    @Test
    void tradeFundCrashLiquidateAndDeleverage() throws Exception {
        fixture.createPerpetual(PERP);
        index("30000");
        mark(m -> m.getBoolean("indexFresh") && near("30000").test(m));
        alice = trader("alice", "1000");
        bob = trader("bob", "1000");
        carol = trader("carol", "100000");

        // alice watches the mark and her own stream on one socket
        TraderClient.Socket socket = new TraderClient.Socket(mesh.httpPort("api-gateway"));
        socket.login(alice);
        socket.send(new JsonObject().put("op", "subscribe").put("channel", "mark").put("market", PERP));
        JsonObject markEvent = socket.await(m -> "mark".equals(m.getString("channel")) && m.containsKey("data"));
        assertTrue(markEvent.getJsonObject("data").containsKey("nextFundingTime"), markEvent.encode());

        // bob sells 1 BTC at 30000, alice buys it: no fees on this contract
        order(bob, new JsonObject().put("side", "SELL").put("type", "LIMIT").put("price", "30000").put("quantity", "1"));
        JsonObject bought = order(alice, new JsonObject().put("side", "BUY").put("type", "MARKET").put("quantity", "1"));
        assertEquals("FILLED", bought.getString("status"), bought.encode());
        assertEquals("1", position(account(alice)).getString("size"));
        assertEquals("-1", position(account(bob)).getString("size"));
        JsonObject streamed = socket.await(m -> "private".equals(m.getString("channel"))
                && "position".equals(m.getString("type")));
        assertEquals("LONG", streamed.getJsonObject("data").getString("side"), streamed.encode());
        socket.close();
        JsonObject portfolio = json(alice.signed("GET", "/v1/portfolio", "", null));
        assertEquals("1", portfolio.getJsonObject("futures").getJsonArray("positions").getJsonObject(0)
                .getString("size"), portfolio.encode());
        // The account keeps its spendable amount there; whether the service answered is a field of its own.
        assertEquals(true, portfolio.getJsonObject("futures").getBoolean("reachable"), portfolio.encode());
        assertTrue(new BigDecimal(portfolio.getJsonObject("futures").getString("available")).signum() > 0,
                portfolio.encode());

        // the index moves to 30300: alice gains what bob loses
        index("30300");
        JsonObject moved = mark(near("30300"));
        BigDecimal gain = new BigDecimal(moved.getString("markPrice")).subtract(new BigDecimal("30000"));
        assertEquals(0, gain.compareTo(dec(position(account(alice)), "unrealizedPnl")));
        assertEquals(0, gain.negate().compareTo(dec(position(account(bob)), "unrealizedPnl")));
        // alice, in profit, is in the deleveraging queue; bob, in loss, is not (null, not 0); both can be liquidated
        JsonObject winner = position(account(alice));
        JsonObject loser = position(account(bob));
        assertTrue(winner.getInteger("adlBucket") >= 1 && winner.getInteger("adlBucket") <= 5, winner.encode());
        assertTrue(loser.containsKey("adlBucket") && loser.getValue("adlBucket") == null, loser.encode());
        assertTrue(dec(winner, "liquidationPrice").signum() > 0 && dec(loser, "liquidationPrice").signum() > 0,
                winner.encode() + " " + loser.encode());
        fixture.assertAuditBalanced();

        // funding within a minute: longs pay shorts, exactly what shorts receive
        long deadline = System.currentTimeMillis() + 75_000;
        JsonArray history;
        do {
            Thread.sleep(500);
            index("30300"); // the operator price is the index for 60 s; keep it current
            history = new JsonArray(fixture.operator.send("GET", "/v1/futures/" + PERP + "/funding", null, null, null)
                    .body());
        } while (history.stream().noneMatch(e -> new BigDecimal(((JsonObject) e).getString("paid")).signum() > 0)
                && System.currentTimeMillis() < deadline);
        JsonObject aliceBefore = account(alice);
        JsonObject bobBefore = account(bob);
        BigDecimal alicePaid = dec(position(aliceBefore), "fundingPaid");
        BigDecimal bobPaid = dec(position(bobBefore), "fundingPaid");
        assertTrue(alicePaid.signum() > 0, "the long paid funding: " + aliceBefore.encode());
        assertEquals(0, alicePaid.add(bobPaid).signum(), "funding is zero-sum");

        // SIGKILL futures-service and start it again: the same positions and wallets, and a balanced audit
        mesh.kill("futures-service");
        mesh.start("futures-service");
        index("30300");
        JsonObject aliceAfter = account(alice);
        JsonObject bobAfter = account(bob);
        assertEquals(aliceBefore.getString("walletBalance"), aliceAfter.getString("walletBalance"));
        assertEquals(bobBefore.getString("walletBalance"), bobAfter.getString("walletBalance"));
        assertEquals(position(aliceBefore).getString("size"), position(aliceAfter).getString("size"));
        assertEquals(position(bobBefore).getString("entryPrice"), position(bobAfter).getString("entryPrice"));
        fixture.assertAuditBalanced();

        // carol offers 1 BTC at 30850; the index at 30900 puts bob below maintenance: his short is bought back
        // from carol in the book, and the liquidation fee goes to the insurance fund
        order(carol, new JsonObject().put("side", "SELL").put("type", "LIMIT").put("price", "30850")
                .put("quantity", "1"));
        index("30900");
        mark(near("30900"));
        assertEquals("0", position(account(bob)).getString("size"));
        assertEquals("-1", position(account(carol)).getString("size"));
        BigDecimal fund = dec(insurance(), "balance");
        assertTrue(fund.signum() > 0, "the liquidation fee went to the fund: " + insurance().encode());
        fixture.assertAuditBalanced();

        // a crash to 28800 with no bids: alice (long 1 at 30000 with about 1000 USDT) is bankrupt; the fund
        // pays what it holds and ADL closes the rest against carol's short at the bankruptcy price
        index("28800");
        mark(near("28800"));
        long until = System.currentTimeMillis() + 10_000;
        while (!"0".equals(position(account(alice)).getString("size")) && System.currentTimeMillis() < until) {
            Thread.sleep(100);
        }
        assertEquals("0", position(account(alice)).getString("size"));
        assertEquals("0", position(account(carol)).getString("size"), "carol was deleveraged");
        assertEquals(0, dec(insurance(), "balance").signum(), "the fund paid what it held");
        // closed at its bankruptcy price, rounded to the price unit: what is left is dust (< 0.01 USDT per BTC)
        BigDecimal left = dec(account(alice), "walletBalance");
        assertTrue(left.signum() >= 0 && left.compareTo(new BigDecimal("0.01")) <= 0, left.toPlainString());
        fixture.assertAuditBalanced();
    }
}
