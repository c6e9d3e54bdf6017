package io.trademesh.gateway;

import static io.trademesh.gateway.TraderClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trademesh.moneymarket.MoneyMarketServiceMain;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The money market through the gateway across real processes (risk, spot for the assets'
 * decimals, moneymarket, gateway; the audit asks only the wallets transfers reached): a lender supplies USDT, a borrower supplies BTC and
 * borrows against it while moneymarket-service is killed with SIGKILL mid-sequence (every
 * acknowledged borrow is there after the restart, nothing twice), the index falls and a third
 * account liquidates the borrower at the pool's bonus. The solvency audit balances at every step.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LendingEndToEndTest {

    private Path dir;
    private TestMesh mesh;
    private MeshFixture fixture;

    @BeforeAll
    void startMesh() throws Exception {
        dir = Files.createTempDirectory("lending-e2e");
        Map<String, Class<?>> services = new LinkedHashMap<>();
        services.put("risk-service", RiskServiceMain.class);
        services.put("spot-service", SpotServiceMain.class);
        services.put("moneymarket-service", MoneyMarketServiceMain.class);
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

    private void pool(String asset, int decimals, String ltv, String threshold, String bonus) throws Exception {
        HttpResponse<String> r = operator("POST", "/v1/admin/lending/pools", new JsonObject().put("asset", asset)
                .put("decimals", decimals).put("optimalUtilization", "0.8").put("slope1", "0.04")
                .put("slope2", "0.75").put("reserveFactor", "0.1").put("ltv", ltv)
                .put("liquidationThreshold", threshold).put("liquidationBonus", bonus).put("protocolShare", "0.1"));
        assertEquals(200, r.statusCode(), r.body());
    }

    /** Sets the BTC index and waits until the BTC pool has it. */
    private void index(String price) throws Exception {
        HttpResponse<String> r = operator("POST", "/v1/admin/index-prices", new JsonObject().put("asset", "BTC")
                .put("quote", "USDT").put("price", price));
        assertEquals(200, r.statusCode(), r.body());
        poolOf("BTC", p -> new BigDecimal(p.getString("price")).compareTo(new BigDecimal(price)) == 0
                && !p.getBoolean("priceStale"));
    }

    private JsonObject poolOf(String asset, Predicate<JsonObject> done) throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        JsonObject found = null;
        do {
            HttpResponse<String> r = fixture.operator.send("GET", "/v1/lending/pools", null, null, null);
            assertEquals(200, r.statusCode(), r.body());
            for (Object o : json(r).getJsonArray("pools")) {
                JsonObject p = (JsonObject) o;
                if (p.getString("asset").equals(asset)) {
                    found = p;
                }
            }
            if (found != null && done.test(found)) {
                return found;
            }
            Thread.sleep(100);
        } while (System.currentTimeMillis() < deadline);
        throw new AssertionError("pool " + asset + " never satisfied the condition: " + found);
    }

    /** A trader with {@code amount} of {@code asset} in its money-market wallet. */
    private TraderClient lender(String name, String asset, String amount) throws Exception {
        TraderClient t = fixture.trader(name, "read", "trade", "transfer");
        fixture.deposit(fixture.accountOf(t), asset, amount, "dep-" + name);
        fixture.transfer(t, "mm-" + name, asset, amount, "MONEY_MARKET");
        return t;
    }

    private static JsonObject ok(HttpResponse<String> r) {
        assertEquals(200, r.statusCode(), r.body());
        return json(r);
    }

    private static JsonObject act(TraderClient t, String action, String asset, String amount) throws Exception {
        return ok(t.signed("POST", "/v1/lending/" + action, "", new JsonObject().put("asset", asset)
                .put("amount", amount).encode()));
    }

    private static JsonObject account(TraderClient t) throws Exception {
        return ok(t.signed("GET", "/v1/lending/account", "", null));
    }

    private static JsonObject position(JsonObject account, String asset) {
        for (Object o : account.getJsonArray("positions")) {
            if (((JsonObject) o).getString("asset").equals(asset)) {
                return (JsonObject) o;
            }
        }
        throw new AssertionError("no " + asset + " in " + account.encode());
    }

    private static BigDecimal dec(JsonObject o, String field) {
        return new BigDecimal(o.getString(field));
    }

    @Test
    void supplyBorrowCrashAndLiquidate() throws Exception {
        fixture.createMarket();   // BTC-USDT: the gateway learns the assets' decimals from it
        pool("USDT", 6, "0.75", "0.8", "0.05");
        pool("BTC", 8, "0.7", "0.75", "0.1");
        index("30000");
        TraderClient lender = lender("lender", "USDT", "100000");
        TraderClient borrower = lender("borrower", "BTC", "1");
        TraderClient carol = lender("carol", "USDT", "50000");
        act(lender, "supply", "USDT", "100000");
        act(borrower, "supply", "BTC", "1");

        // the borrower watches the USDT pool and its own account on one socket
        TraderClient.Socket socket = new TraderClient.Socket(mesh.httpPort("api-gateway"));
        socket.login(borrower);
        socket.send(new JsonObject().put("op", "subscribe").put("channel", "pool").put("market", "USDT"));
        JsonObject poolEvent = socket.await(m -> "pool".equals(m.getString("channel")) && m.containsKey("data"));
        assertEquals("100000", poolEvent.getJsonObject("data").getString("totalSupplied"), poolEvent.encode());
        socket.send(new JsonObject().put("op", "subscribe").put("channel", "pool").put("market", "DOGE"));
        JsonObject refused = socket.await(m -> m.getValue("error") instanceof JsonObject);
        assertEquals("UNKNOWN_POOL", refused.getJsonObject("error").getString("code"), refused.encode());

        JsonObject borrowed = ok(borrower.signed("POST", "/v1/lending/borrow", "", new JsonObject()
                .put("asset", "USDT").put("amount", "10000").put("clientActionId", "first-loan").encode()));
        assertEquals("10000", borrowed.getString("amount"));
        // a retry (signed afresh) is answered again and borrows nothing more
        JsonObject retried = ok(borrower.signed("POST", "/v1/lending/borrow", "", new JsonObject()
                .put("asset", "USDT").put("amount", "10000").put("clientActionId", "first-loan").encode()));
        assertTrue(retried.getBoolean("duplicate"), retried.encode());
        assertEquals("10000", position(retried.getJsonObject("account"), "USDT").getString("wallet"));
        // 30000 x 0.75 / 10000
        assertEquals(0, new BigDecimal("2.25").compareTo(dec(borrowed.getJsonObject("account"), "healthFactor")));
        JsonObject streamed = socket.await(m -> "private".equals(m.getString("channel"))
                && "lending".equals(m.getString("type")));
        assertTrue(streamed.getJsonObject("data").getJsonArray("positions").size() >= 1, streamed.encode());
        socket.close();
        HttpResponse<String> tooMuch = borrower.signed("POST", "/v1/lending/borrow", "", new JsonObject()
                .put("asset", "USDT").put("amount", "20000").encode());
        assertEquals(400, tooMuch.statusCode(), tooMuch.body());
        assertEquals("HEALTH_TOO_LOW", json(tooMuch).getString("code"));
        JsonObject portfolio = ok(borrower.signed("GET", "/v1/portfolio", "", null));
        assertEquals("1", position(portfolio.getJsonObject("lending"), "BTC").getString("supplied"),
                portfolio.encode());
        fixture.assertAuditBalanced();

        // borrows of 100 USDT keep coming while moneymarket-service is killed: every acknowledged one
        // is in the wallet after the restart, and none twice
        AtomicInteger acknowledged = new AtomicInteger();
        AtomicInteger attempted = new AtomicInteger();
        Thread borrowing = new Thread(() -> {
            for (int i = 0; i < 40; i++) {
                attempted.incrementAndGet();
                try {
                    HttpResponse<String> r = borrower.signed("POST", "/v1/lending/borrow", "", new JsonObject()
                            .put("asset", "USDT").put("amount", "100").encode());
                    if (r.statusCode() == 200) {
                        acknowledged.incrementAndGet();
                    }
                    Thread.sleep(20);
                } catch (Exception e) {
                    return;
                }
            }
        });
        borrowing.start();
        while (acknowledged.get() < 5) {
            Thread.sleep(10);
        }
        mesh.kill("moneymarket-service");
        borrowing.join();
        mesh.start("moneymarket-service");
        index("30000");
        JsonObject after = account(borrower);
        BigDecimal wallet = dec(position(after, "USDT"), "wallet");
        BigDecimal borrowedAfterCrash = wallet.subtract(new BigDecimal("10000"));
        assertTrue(borrowedAfterCrash.compareTo(new BigDecimal(100L * acknowledged.get())) >= 0,
                "acknowledged borrows lost: " + after.encode() + " acknowledged " + acknowledged.get());
        assertTrue(borrowedAfterCrash.compareTo(new BigDecimal(100L * attempted.get())) <= 0, after.encode());
        assertEquals(0, borrowedAfterCrash.remainder(new BigDecimal("100")).signum(), "whole borrows only");
        BigDecimal debt = dec(position(after, "USDT"), "borrowed");
        assertTrue(debt.compareTo(wallet) >= 0 && debt.subtract(wallet).compareTo(new BigDecimal("0.01")) < 0,
                "the debt is what was borrowed plus a few seconds of interest: " + after.encode());
        JsonObject usdt = poolOf("USDT", p -> true);
        assertEquals(0, new BigDecimal("100000").subtract(wallet).compareTo(dec(usdt, "cash")), usdt.encode());
        fixture.assertAuditBalanced();

        // BTC falls to 11000: health 11000 x 0.75 / debt (10500 or more) < 0.95, so all of it may go at once
        index("11000");
        JsonObject atRisk = ok(carol.signed("GET", "/v1/lending/at-risk", "", null));
        JsonArray accounts = atRisk.getJsonArray("accounts");
        assertEquals(1, accounts.size(), atRisk.encode());
        assertEquals(fixture.accountOf(borrower), accounts.getJsonObject(0).getLong("accountId"));
        assertTrue(dec(accounts.getJsonObject(0), "healthFactor").compareTo(new BigDecimal("0.95")) < 0);
        JsonObject liquidated = ok(carol.signed("POST", "/v1/lending/liquidations", "", new JsonObject()
                .put("accountId", fixture.accountOf(borrower)).put("debtAsset", "USDT").put("collateralAsset", "BTC")
                .put("amount", "5000").encode()));
        // 5000 / 11000 x 1.1 = 0.5 BTC seized; its bonus 0.5 - 0.45454545, a tenth of that to reserves
        assertEquals("5000", liquidated.getString("repaid"), liquidated.encode());
        assertEquals("0.5", liquidated.getString("seized"));
        assertEquals("0.00454545", liquidated.getString("toReserves"));
        assertEquals("0.49545455", position(account(carol), "BTC").getString("supplied"));
        assertEquals("0.5", position(account(borrower), "BTC").getString("supplied"));
        assertEquals("0.00454545", poolOf("BTC", p -> true).getString("reserves"));
        fixture.assertAuditBalanced();

        // nobody may liquidate themselves, or a healthy account
        HttpResponse<String> self = carol.signed("POST", "/v1/lending/liquidations", "", new JsonObject()
                .put("accountId", fixture.accountOf(carol)).put("debtAsset", "USDT").put("collateralAsset", "BTC")
                .put("amount", "1").encode());
        assertEquals(400, self.statusCode(), self.body());
        HttpResponse<String> healthy = carol.signed("POST", "/v1/lending/liquidations", "", new JsonObject()
                .put("accountId", fixture.accountOf(lender)).put("debtAsset", "USDT").put("collateralAsset", "USDT")
                .put("amount", "1").encode());
        assertTrue(healthy.statusCode() == 400 || healthy.statusCode() == 404, healthy.body());
    }
}
