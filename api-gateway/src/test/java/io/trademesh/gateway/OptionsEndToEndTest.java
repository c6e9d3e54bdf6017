package io.trademesh.gateway;

import static io.trademesh.gateway.TraderClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trademesh.options.OptionsServiceMain;
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
 * A call through the gateway across real processes (risk, spot, options, gateway): alice
 * writes it, bob buys it and watches its greeks, the index rallies and alice falls below
 * maintenance, her short is bought back from carol in steps (the fee to the insurance fund),
 * and the chain expires while options-service is killed with SIGKILL: after the restart it
 * settles on the averaged index, each position paid exactly once (a second kill and restart
 * pays nothing more), and the solvency audit balances at every step.
 *
 * <p>Money: alice and bob each put 1000 USDT in options, carol 100000; the chain has no fees;
 * 0.1 BTC of the 30000 call trades at 10 USDT (a premium of 1 USDT).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OptionsEndToEndTest {

    private static final long WINDOW_MS = 40_000;

    private Path dir;
    private TestMesh mesh;
    private MeshFixture fixture;
    private String call;
    private long expiry;

    @BeforeAll
    void startMesh() throws Exception {
        dir = Files.createTempDirectory("options-e2e");
        Map<String, Class<?>> services = new LinkedHashMap<>();
        services.put("risk-service", RiskServiceMain.class);
        services.put("spot-service", SpotServiceMain.class);   // BTC-USDT: the assets' decimals and the price scale
        services.put("options-service", OptionsServiceMain.class);
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

    private JsonObject ticker() throws Exception {
        HttpResponse<String> r = fixture.operator.send("GET", "/v1/options/tickers/" + call, null, null, null);
        assertEquals(200, r.statusCode(), r.body());
        return json(r);
    }

    /** The call's ticker, polled until {@code done} holds (index prices travel risk -> event bus -> options journal). */
    private JsonObject ticker(Predicate<JsonObject> done, String keepIndexAt) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        JsonObject t = null;
        do {
            HttpResponse<String> r = fixture.operator.send("GET", "/v1/options/tickers/" + call, null, null, null);
            if (r.statusCode() == 200) {
                t = json(r);
                if (done.test(t)) {
                    return t;
                }
            }
            if (keepIndexAt != null) {
                index(keepIndexAt);
            }
            Thread.sleep(200);
        } while (System.currentTimeMillis() < deadline);
        throw new AssertionError("the ticker never satisfied the condition: " + t);
    }

    private JsonObject account(TraderClient t) throws Exception {
        HttpResponse<String> r = t.signed("GET", "/v1/options/account", "", null);
        assertEquals(200, r.statusCode(), r.body());
        return json(r);
    }

    private static BigDecimal dec(JsonObject j, String field) {
        return new BigDecimal(j.getString(field));
    }

    private static String size(JsonObject account) {
        JsonArray p = account.getJsonArray("positions");
        return p.isEmpty() ? "0" : p.getJsonObject(0).getString("size");
    }

    private JsonObject insurance() throws Exception {
        JsonArray funds = json(fixture.operator.send("GET", "/v1/options/insurance", null, null, null))
                .getJsonArray("funds");
        return funds.getJsonObject(0);
    }

    private JsonObject order(TraderClient t, JsonObject order) throws Exception {
        HttpResponse<String> r = t.signed("POST", "/v1/orders", "", order.put("market", call).encode());
        assertEquals(200, r.statusCode(), r.body());
        return json(r);
    }

    /** A trader with {@code usdt} in its options wallet, moved there from funding by a transfer. */
    private TraderClient trader(String name, String usdt) throws Exception {
        TraderClient t = fixture.trader(name, "read", "trade", "transfer");
        fixture.deposit(fixture.accountOf(t), "USDT", usdt, "dep-" + name);
        fixture.transfer(t, "to-options-" + name, "USDT", usdt, "OPTIONS");
        return t;
    }

    private static void assertAmount(String expected, BigDecimal actual) {
        assertEquals(0, new BigDecimal(expected).compareTo(actual), "expected " + expected + ", was " + actual);
    }

    @Test
    void writeBuyMarginCallAndSettleOnceAcrossAKill() throws Exception {
        fixture.createMarket();
        index("30000");
        expiry = System.currentTimeMillis() + 150_000;
        HttpResponse<String> chain = operator("POST", "/v1/admin/options/chains", new JsonObject()
                .put("underlying", "BTC").put("quote", "USDT").put("expiry", expiry)
                .put("strikes", new JsonArray().add("30000")).put("contractSize", "0.01").put("tickSize", "1")
                .put("makerFeeBps", 0).put("takerFeeBps", 0).put("settlementWindowMs", WINDOW_MS)
                .put("settlementSampleMs", 2_000));
        assertEquals(200, chain.statusCode(), chain.body());
        call = json(chain).getJsonArray("instruments").getJsonObject(0).getString("symbol");
        assertTrue(call.matches("BTC-\\d{8}-30000-C"), call);
        HttpResponse<String> surface = operator("PUT", "/v1/admin/options/surfaces/BTC", new JsonObject()
                .put("quote", "USDT").put("expiry", expiry).put("points", new JsonArray()
                        .add(new JsonObject().put("strike", "30000").put("vol", "0.5"))));
        assertEquals(200, surface.statusCode(), surface.body());
        JsonObject priced = ticker(t -> t.getBoolean("indexFresh") && dec(t, "markPrice").signum() > 0, "30000");
        assertEquals(0.5, priced.getDouble("markIv"), 1e-9);

        TraderClient alice = trader("alice", "1000");
        TraderClient bob = trader("bob", "1000");
        TraderClient carol = trader("carol", "100000");

        // bob watches the call's greeks and his own positions on one socket
        TraderClient.Socket socket = new TraderClient.Socket(mesh.httpPort("api-gateway"));
        socket.login(bob);
        socket.send(new JsonObject().put("op", "subscribe").put("channel", "option").put("market", call));
        JsonObject greeks = socket.await(m -> "option".equals(m.getString("channel")) && m.containsKey("data"));
        assertTrue(greeks.getJsonObject("data").getDouble("delta") > 0.3, greeks.encode());

        // alice writes 0.1 BTC of the call at 10 USDT: her initial margin is (0.15 x 30000 + mark) x 0.1
        order(alice, new JsonObject().put("side", "SELL").put("type", "LIMIT").put("price", "10").put("quantity", "0.1"));
        JsonObject bought = order(bob, new JsonObject().put("side", "BUY").put("type", "MARKET").put("quantity", "0.1"));
        assertEquals("FILLED", bought.getString("status"), bought.encode());
        JsonObject streamed = socket.await(m -> "private".equals(m.getString("channel"))
                && "option_position".equals(m.getString("type")));
        assertEquals("LONG", streamed.getJsonObject("data").getString("side"), streamed.encode());
        socket.close();
        JsonObject bobs = account(bob);
        assertEquals("0.1", size(bobs));
        assertAmount("999", dec(bobs, "walletBalance"));
        assertTrue(bobs.getDouble("delta") > 0.03 && bobs.getDouble("delta") < 0.07, bobs.encode());
        // reduce-only: bob may sell what he holds, not more
        HttpResponse<String> tooMuch = bob.signed("POST", "/v1/orders", "", new JsonObject().put("market", call)
                .put("side", "SELL").put("type", "LIMIT").put("price", "20").put("quantity", "0.2")
                .put("reduceOnly", true).encode());
        assertEquals(400, tooMuch.statusCode(), tooMuch.body());
        assertTrue(tooMuch.body().contains("REDUCE_ONLY"), tooMuch.body());
        JsonObject alices = account(alice);
        assertEquals("-0.1", size(alices));
        assertAmount("1001", dec(alices, "walletBalance"));
        BigDecimal mark = dec(ticker(), "markPrice");
        assertAmount(new BigDecimal("4500").add(mark).multiply(new BigDecimal("0.1")).toPlainString(),
                dec(alices, "initialMargin"));
        fixture.assertAuditBalanced();

        // the index rallies to 37500: alice's maintenance (0.075 x 37500 + ~7500) x 0.1 > 1001; nothing to buy
        // back from until carol offers; then half of her short goes at 7600, with a fee of 0.5% of 37500 x 0.05
        index("37500");
        ticker(t -> dec(t, "indexPrice").compareTo(new BigDecimal("37500")) == 0, "37500");
        order(carol, new JsonObject().put("side", "SELL").put("type", "LIMIT").put("price", "7600")
                .put("quantity", "0.1"));
        long deadline = System.currentTimeMillis() + 15_000;
        while (!"-0.05".equals(size(account(alice))) && System.currentTimeMillis() < deadline) {
            index("37500");
            Thread.sleep(200);
        }
        alices = account(alice);
        assertEquals("-0.05", size(alices), alices.encode());
        assertAmount("611.625", dec(alices, "walletBalance"));
        assertAmount("9.375", dec(insurance(), "balance"));
        fixture.assertAuditBalanced();

        // SIGKILL options-service just before expiry; it comes back after it and settles on the averaged index
        while (System.currentTimeMillis() < expiry - 3_000) {
            index("37500");
            Thread.sleep(1_000);
        }
        mesh.kill("options-service");
        while (System.currentTimeMillis() < expiry + 2_000) {
            Thread.sleep(200);
        }
        mesh.start("options-service");
        JsonObject settled = ticker(t -> t.getBoolean("settled"), "37500");
        BigDecimal intrinsic = dec(settled, "settlementPrice").subtract(new BigDecimal("30000")).max(BigDecimal.ZERO);
        assertAmount("37500", dec(settled, "settlementPrice"));
        BigDecimal bobWallet = new BigDecimal("999").add(intrinsic.multiply(new BigDecimal("0.1")));
        assertAmount(bobWallet.toPlainString(), dec(account(bob), "walletBalance"));
        assertAmount(new BigDecimal("611.625").subtract(intrinsic.multiply(new BigDecimal("0.05"))).toPlainString(),
                dec(account(alice), "walletBalance"));
        assertAmount(new BigDecimal("100380").subtract(intrinsic.multiply(new BigDecimal("0.05"))).toPlainString(),
                dec(account(carol), "walletBalance"));
        assertEquals("0", size(account(alice)));
        assertAmount("0", dec(account(alice), "initialMargin"));
        fixture.assertAuditBalanced();

        // killed and restarted once more: replay pays nothing twice
        mesh.kill("options-service");
        mesh.start("options-service");
        ticker(t -> t.getBoolean("settled"), null);
        assertAmount(bobWallet.toPlainString(), dec(account(bob), "walletBalance"));
        HttpResponse<String> late = bob.signed("POST", "/v1/orders", "", new JsonObject().put("market", call)
                .put("side", "BUY").put("type", "LIMIT").put("price", "10").put("quantity", "0.1").encode());
        assertTrue(late.body().contains("INSTRUMENT_EXPIRED"), late.body());
        fixture.assertAuditBalanced();
    }
}
