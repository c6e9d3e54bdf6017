package io.trademesh.gateway;

import static io.trademesh.gateway.TraderClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What an operator does to a fresh mesh before trading, through the gateway's admin API. */
final class MeshFixture {

    final TraderClient operator;
    private final int port;
    private final Map<TraderClient, Long> accounts = new HashMap<>();

    MeshFixture(int port) {
        this.port = port;
        this.operator = new TraderClient(port, null, null);
    }

    /** BTC-USDT: BTC at 8 decimals, USDT at 6, prices at 2, lot 0.0001, no price band. */
    void createMarket() throws Exception {
        HttpResponse<String> market = operator.operator("POST", "/v1/admin/markets", new JsonObject()
                .put("symbol", "BTC-USDT").put("base", "BTC").put("baseDecimals", 8)
                .put("quote", "USDT").put("quoteDecimals", 6).put("priceScale", 2)
                .put("tickSize", "0.01").put("lotSize", "0.0001").put("maxQuantity", "100")
                .put("maxPrice", "1000000").put("makerFeeBps", 10).put("takerFeeBps", 20).encode());
        assertEquals(200, market.statusCode(), market.body());
    }

    /** A BTC perpetual in USDT at the same scales as BTC-USDT, funding every minute, two brackets. */
    void createPerpetual(String symbol) throws Exception {
        HttpResponse<String> created = operator.operator("POST", "/v1/admin/markets", new JsonObject()
                .put("product", "FUTURES").put("symbol", symbol).put("base", "BTC").put("baseDecimals", 8)
                .put("quote", "USDT").put("quoteDecimals", 6).put("priceScale", 2).put("tickSize", "0.01")
                .put("lotSize", "0.0001").put("maxQuantity", "100").put("maxPrice", "1000000")
                .put("futures", new JsonObject().put("kind", "PERPETUAL").put("fundingIntervalMs", 60_000)
                        .put("impactNotional", "1000").put("brackets", new JsonArray()
                                .add(new JsonObject().put("notionalCap", "50000").put("maxLeverage", 50)
                                        .put("maintenanceMarginBps", 40))
                                .add(new JsonObject().put("notionalCap", "500000").put("maxLeverage", 20)
                                        .put("maintenanceMarginBps", 100)))).encode());
        assertEquals(200, created.statusCode(), created.body());
    }

    /** A new account with one key holding {@code permissions}. */
    TraderClient trader(String name, String... permissions) throws Exception {
        HttpResponse<String> account = operator.operator("POST", "/v1/admin/accounts",
                new JsonObject().put("name", name).encode());
        assertEquals(200, account.statusCode(), account.body());
        return key(json(account).getLong("accountId"), permissions);
    }

    TraderClient key(long accountId, String... permissions) throws Exception {
        HttpResponse<String> key = operator.operator("POST", "/v1/admin/accounts/" + accountId + "/keys",
                new JsonObject().put("permissions", new JsonArray(List.of(permissions))).encode());
        assertEquals(200, key.statusCode(), key.body());
        TraderClient t = new TraderClient(port, json(key).getString("apiKey"), json(key).getString("secret"));
        accounts.put(t, accountId);
        return t;
    }

    long accountOf(TraderClient t) {
        return accounts.get(t);
    }

    void deposit(long accountId, String asset, String amount, String id) throws Exception {
        HttpResponse<String> r = operator.operator("POST", "/v1/admin/deposits", new JsonObject()
                .put("operationId", id).put("accountId", accountId).put("asset", asset).put("amount", amount).encode());
        assertEquals(200, r.statusCode(), r.body());
    }

    /** Funding to spot, waiting until the transfer has completed. */
    void transfer(TraderClient t, String id, String asset, String amount) throws Exception {
        transfer(t, id, asset, amount, "SPOT");
    }

    /** Funding to the wallet {@code to}, waiting until the transfer has completed. */
    void transfer(TraderClient t, String id, String asset, String amount, String to) throws Exception {
        HttpResponse<String> r = t.signed("POST", "/v1/transfers", "", new JsonObject().put("transferId", id)
                .put("asset", asset).put("amount", amount).put("from", "FUNDING").put("to", to).encode());
        assertEquals(200, r.statusCode(), r.body());
        long deadline = System.currentTimeMillis() + 15_000;
        String state = json(r).getString("state");
        while (!"COMPLETED".equals(state) && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
            state = json(t.signed("GET", "/v1/transfers/" + id, "", null)).getString("state");
        }
        assertEquals("COMPLETED", state);
    }

    /** Waits up to 20 s for a solvency audit that is complete and balanced. */
    void assertAuditBalanced() throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        JsonObject audit;
        do {
            audit = json(operator.operator("GET", "/v1/admin/audit", null));
            if (audit.getBoolean("complete") && audit.getBoolean("balanced")) {
                return;
            }
            Thread.sleep(200);
        } while (System.currentTimeMillis() < deadline);
        throw new AssertionError("audit not balanced: " + audit.encodePrettily());
    }

    /** A trader with read/trade/transfer and {@code amount} of {@code asset} in spot. */
    TraderClient fundedTrader(String name, String asset, String amount) throws Exception {
        TraderClient t = trader(name, "read", "trade", "transfer");
        deposit(accountOf(t), asset, amount, "dep-" + name);
        transfer(t, "t-" + name, asset, amount);
        return t;
    }

    static void delete(Path dir) throws Exception {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
