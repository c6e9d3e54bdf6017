package io.trademesh.gateway;

import static io.trademesh.gateway.TraderClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trademesh.marketdata.MarketDataServiceMain;
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
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Candles and trade history across real processes (risk, spot, marketdata, gateway): a taker
 * trades BTC-USDT {@value #TRADES} times, one trade per order, while marketdata-service is
 * killed with SIGKILL a third of the way in and started again two thirds in. Afterwards the
 * history through the gateway holds every trade id from 1 to {@value #TRADES} exactly once,
 * the 1-minute candles count every trade and its volume once (the trades published while it
 * was down were asked of spot's retained window: its repaired-batches metric says so), and
 * while the service was down trading went on and history answered 503.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MarketDataEndToEndTest {

    private static final int TRADES = 240;
    private static final String MARKET = "BTC-USDT";

    private Path dir;
    private TestMesh mesh;
    private MeshFixture fixture;

    @BeforeAll
    void startMesh() throws Exception {
        dir = Files.createTempDirectory("marketdata-e2e");
        Map<String, Class<?>> services = new LinkedHashMap<>();
        services.put("risk-service", RiskServiceMain.class);
        services.put("spot-service", SpotServiceMain.class);
        services.put("marketdata-service", MarketDataServiceMain.class);
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

    private HttpResponse<String> get(String pathAndQuery) throws Exception {
        return fixture.operator.send("GET", pathAndQuery, null, null, null);
    }

    /** Every trade of the market in history, page by page. */
    private TreeSet<Long> historyIds(int[] count) throws Exception {
        TreeSet<Long> ids = new TreeSet<>();
        count[0] = 0;
        long from = 0;
        do {
            HttpResponse<String> r = get("/v1/markets/" + MARKET + "/trades/history?limit=100&from=" + from);
            assertEquals(200, r.statusCode(), r.body());
            JsonObject page = json(r);
            for (Object t : page.getJsonArray("trades")) {
                ids.add(Long.parseLong(String.valueOf(((JsonObject) t).getValue("tradeId"))));
                count[0]++;
            }
            Object next = page.getValue("next");
            from = next == null ? 0 : Long.parseLong(String.valueOf(next));
        } while (from != 0);
        return ids;
    }

    @Test
    void historyHasEveryTradeOnceAcrossAKill() throws Exception {
        fixture.createMarket();
        TraderClient maker = fixture.fundedTrader("maker", "BTC", "10");
        TraderClient taker = fixture.fundedTrader("taker", "USDT", "1000000");
        HttpResponse<String> offer = maker.signed("POST", "/v1/orders", "", new JsonObject().put("market", MARKET)
                .put("side", "SELL").put("type", "LIMIT").put("price", "30000").put("quantity", "5").encode());
        assertEquals(200, offer.statusCode(), offer.body());
        boolean refusedWhileDown = false;
        for (int i = 1; i <= TRADES; i++) {
            if (i == TRADES / 3) {
                mesh.kill("marketdata-service");
                HttpResponse<String> down = get("/v1/markets/" + MARKET + "/candles?interval=1m");
                refusedWhileDown = down.statusCode() == 503;
            }
            if (i == 2 * TRADES / 3) {
                mesh.start("marketdata-service");
            }
            HttpResponse<String> r = taker.signed("POST", "/v1/orders", "", new JsonObject().put("market", MARKET)
                    .put("side", "BUY").put("type", "MARKET").put("quantity", "0.001").encode());
            assertEquals(200, r.statusCode(), r.body());
            assertEquals("FILLED", json(r).getString("status"), "trading goes on: " + r.body());
            Thread.sleep(20); // within the gateway's 100 orders a second per key
        }
        assertTrue(refusedWhileDown, "history answers 503 while marketdata-service is down");

        long deadline = System.currentTimeMillis() + 30_000;
        int[] count = new int[1];
        TreeSet<Long> ids;
        do {
            Thread.sleep(300);
            ids = historyIds(count);
        } while (ids.size() < TRADES && System.currentTimeMillis() < deadline);
        assertEquals(TRADES, ids.size(), "every trade is in history: " + ids);
        assertEquals(TRADES, count[0], "and each once");
        assertEquals(1L, ids.first());
        assertEquals((long) TRADES, ids.last());

        // the trades published while it was down came from spot's retained window, not from luck
        String metrics = TestMesh.get(mesh.httpPort("marketdata-service"), "/metrics").body();
        java.util.regex.Matcher repaired = java.util.regex.Pattern.compile("(?m)^marketdata_batches_repaired\\S* (\\S+)")
                .matcher(metrics);
        assertTrue(repaired.find() && Double.parseDouble(repaired.group(1)) > 0, "no gap was repaired: " + metrics
                .lines().filter(l -> l.startsWith("marketdata")).toList());

        HttpResponse<String> candles = get("/v1/markets/" + MARKET + "/candles?interval=1m");
        assertEquals(200, candles.statusCode(), candles.body());
        JsonArray list = json(candles).getJsonArray("candles");
        long trades = 0;
        BigDecimal volume = BigDecimal.ZERO;
        for (Object c : list) {
            JsonObject candle = (JsonObject) c;
            trades += Long.parseLong(String.valueOf(candle.getValue("trades")));
            volume = volume.add(new BigDecimal(candle.getString("volume")));
            assertEquals(0, new BigDecimal("30000").compareTo(new BigDecimal(candle.getString("close"))));
        }
        assertEquals(TRADES, trades, candles.body());
        assertEquals(0, new BigDecimal("0.001").multiply(BigDecimal.valueOf(TRADES)).compareTo(volume));
        HttpResponse<String> day = get("/v1/markets/" + MARKET + "/ticker/24h");
        assertEquals(200, day.statusCode(), day.body());
        assertEquals(TRADES, Long.parseLong(String.valueOf(json(day).getValue("trades"))), day.body());
    }
}
