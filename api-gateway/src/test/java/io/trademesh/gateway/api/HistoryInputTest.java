package io.trademesh.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.trademesh.proto.common.Asset;
import io.trademesh.proto.common.Market;
import io.trademesh.proto.marketdata.Candle;
import io.trademesh.proto.marketdata.HistoryKind;
import io.trademesh.proto.marketdata.HistoryRequest;
import io.trademesh.proto.marketdata.Ticker24h;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The history routes' input, checked at the edge, and their JSON at the market's scales. */
class HistoryInputTest {

    private static final Market BTC_USDT = Market.newBuilder().setSymbol("BTC-USDT")
            .setBase(Asset.newBuilder().setSymbol("BTC").setDecimals(8))
            .setQuote(Asset.newBuilder().setSymbol("USDT").setDecimals(6)).setPriceScale(2).build();

    private static MultiMap query(String... pairs) {
        MultiMap q = MultiMap.caseInsensitiveMultiMap();
        for (int i = 0; i < pairs.length; i += 2) {
            q.add(pairs[i], pairs[i + 1]);
        }
        return q;
    }

    private static void refused(String code, Runnable r) {
        ApiError e = assertThrows(ApiError.class, r::run);
        assertEquals(400, e.status());
        assertEquals(code, e.code(), e.getMessage());
    }

    @Test
    void everyIntervalTheServiceKeepsAndNothingElse() {
        for (String i : HistoryInput.INTERVALS) {
            assertEquals(i, HistoryInput.interval(i));
        }
        assertEquals(14, HistoryInput.INTERVALS.size());
        for (String bad : new String[] {null, "", "2m", "1M", "1H", "60s", "1 m", "1m ", "1d1", "x".repeat(500)}) {
            refused("INVALID_INTERVAL", () -> HistoryInput.interval(bad));
        }
        refused("INVALID_INTERVAL", () -> HistoryInput.candles("BTC-USDT", query()));
        refused("INVALID_INTERVAL", () -> HistoryInput.candles("BTC-USDT", query("interval", "7m")));
    }

    @Test
    void defaultsAreTheWholeKeptRangeAndFiveHundred() {
        HistoryRequest r = HistoryInput.candles("BTC-USDT", query("interval", "1m"));
        assertEquals(HistoryKind.HISTORY_KIND_CANDLES, r.getKind());
        assertEquals("BTC-USDT", r.getMarket());
        assertEquals("1m", r.getInterval());
        assertEquals(0, r.getFromMs());
        assertEquals(0, r.getToMs());
        assertEquals(500, r.getLimit());
        HistoryRequest t = HistoryInput.trades("BTC-USDT", query("from", "1000", "to", "2000", "limit", "1000"));
        assertEquals(HistoryKind.HISTORY_KIND_TRADES, t.getKind());
        assertEquals("", t.getInterval());
        assertEquals(1000, t.getFromMs());
        assertEquals(2000, t.getToMs());
        assertEquals(1000, t.getLimit());
        assertEquals(5, HistoryInput.trades("BTC-USDT", query("from", "5")).getFromMs(), "from alone: up to now");
        assertEquals(1, HistoryInput.trades("BTC-USDT", query("to", "1")).getToMs(), "to alone: from the oldest");
    }

    @Test
    void aRangeMustNotBeEmptyOrUpsideDown() {
        refused("INVALID_RANGE", () -> HistoryInput.trades("BTC-USDT", query("from", "2000", "to", "1000")));
        refused("INVALID_RANGE", () -> HistoryInput.trades("BTC-USDT", query("from", "1000", "to", "1000")));
        refused("INVALID_RANGE", () -> HistoryInput.trades("BTC-USDT", query("to", "0")));   // 0 would mean now
        for (String bad : new String[] {"-1", "1e3", "10.0", "abc", "", "99999999999999999999", "0x10"}) {
            refused("INVALID_REQUEST", () -> HistoryInput.trades("BTC-USDT", query("from", bad)));
            refused("INVALID_REQUEST", () -> HistoryInput.trades("BTC-USDT", query("to", bad)));
        }
    }

    @Test
    void aPageIsOneToAThousand() {
        for (String bad : new String[] {"0", "1001", "-5", "1e2", "5.0", ""}) {
            refused("INVALID_REQUEST", () -> HistoryInput.candles("BTC-USDT", query("interval", "1h", "limit", bad)));
        }
        assertEquals(1, HistoryInput.candles("BTC-USDT", query("interval", "1h", "limit", "1")).getLimit());
    }

    @Test
    void candlesAreDecimalStringsAtTheMarketsScales() {
        JsonObject c = HistoryJson.candle(Candle.newBuilder().setOpenTimeMs(60_000).setOpen(3_000_050)
                .setHigh(3_010_000).setLow(2_990_000).setClose(3_005_000).setVolume(150_000_000)
                .setQuoteVolume(45_075_000_000L).setTrades(3).build(), BTC_USDT);
        assertEquals(new JsonObject().put("openTime", 60_000L).put("open", "30000.5").put("high", "30100")
                .put("low", "29900").put("close", "30050").put("volume", "1.5").put("quoteVolume", "45075")
                .put("trades", 3L), c);
    }

    @Test
    void aTickersChangeIsCloseMinusOpenAndItsPercentHasTwoDecimals() {
        JsonObject t = HistoryJson.ticker24h(Ticker24h.newBuilder().setMarket("BTC-USDT").setOpen(3_000_000)
                .setHigh(3_050_000).setLow(2_950_000).setClose(2_985_000).setVolume(2_00_000_000)
                .setQuoteVolume(60_000_000_000L).setTrades(42).setOpenTimeMs(1_000).setCloseTimeMs(86_401_000)
                .build(), BTC_USDT);
        assertEquals("30000", t.getString("open"));
        assertEquals("29850", t.getString("close"));
        assertEquals("-150", t.getString("priceChange"));
        assertEquals("-0.50", t.getString("priceChangePercent"));
        assertEquals("2", t.getString("volume"));
        assertEquals("60000", t.getString("quoteVolume"));
        assertEquals(42L, t.getLong("trades"));
        assertEquals(1_000L, t.getLong("openTime"));
        assertEquals("0.00", HistoryJson.changePercent(3_000_000, 3_000_000));
        assertEquals("33.33", HistoryJson.changePercent(300, 400));
        assertEquals("0.01", HistoryJson.changePercent(100_000, 100_005), "rounded half up");
        assertEquals("-100.00", HistoryJson.changePercent(5, 0));
    }

    @Test
    void aWindowWithoutTradesHasNoPrices() {
        JsonObject t = HistoryJson.ticker24h(Ticker24h.newBuilder().setMarket("BTC-USDT").build(), BTC_USDT);
        assertNull(t.getValue("open"));
        assertNull(t.getValue("close"));
        assertNull(t.getValue("priceChange"));
        assertNull(t.getValue("priceChangePercent"));
        assertEquals("0", t.getString("volume"));
        assertEquals(0L, t.getLong("trades"));
    }

    @Test
    void historyAndTickersArePublicMarketData() {
        assertEquals(EdgeGuard.Access.PUBLIC, EdgeGuard.access(HttpMethod.GET, "/v1/tickers/24h"));
        assertEquals(EdgeGuard.Access.PUBLIC, EdgeGuard.access(HttpMethod.GET, "/v1/markets/BTC-USDT/candles"));
        assertEquals(EdgeGuard.Access.PUBLIC, EdgeGuard.access(HttpMethod.GET, "/v1/markets/BTC-USDT/ticker/24h"));
        assertEquals(EdgeGuard.Access.PUBLIC, EdgeGuard.access(HttpMethod.GET,
                "/v1/markets/BTC-USDT/trades/history"));
        assertEquals(EdgeGuard.Access.SIGNED, EdgeGuard.access(HttpMethod.POST, "/v1/tickers/24h"));
        assertEquals(EdgeGuard.Access.SIGNED, EdgeGuard.access(HttpMethod.GET, "/v1/tickers/24hx"));
    }
}
