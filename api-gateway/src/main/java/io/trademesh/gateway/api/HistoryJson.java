package io.trademesh.gateway.api;

import io.trademesh.proto.common.Market;
import io.trademesh.proto.marketdata.Candle;
import io.trademesh.proto.marketdata.HistoryReply;
import io.trademesh.proto.marketdata.Ticker24h;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * marketdata-service's candles, trade history and 24-hour tickers as JSON, at the market's
 * scales like every other market-data shape ({@link Json}): prices at price_scale, volume in
 * the base asset's decimals, quote volume in the quote asset's. Times are ms since the epoch.
 */
public final class HistoryJson {

    private HistoryJson() {
    }

    public static JsonObject candle(Candle c, Market m) {
        int ps = m.getPriceScale();
        return new JsonObject()
                .put("openTime", c.getOpenTimeMs())
                .put("open", Decimals.format(c.getOpen(), ps))
                .put("high", Decimals.format(c.getHigh(), ps))
                .put("low", Decimals.format(c.getLow(), ps))
                .put("close", Decimals.format(c.getClose(), ps))
                .put("volume", Decimals.format(c.getVolume(), m.getBase().getDecimals()))
                .put("quoteVolume", Decimals.format(c.getQuoteVolume(), m.getQuote().getDecimals()))
                .put("trades", c.getTrades());
    }

    /** A page of candles; {@code next} is where the following page starts (null: the range is done). */
    public static JsonObject candles(HistoryReply r, String interval, Market m) {
        JsonArray candles = new JsonArray();
        r.getCandlesList().forEach(c -> candles.add(candle(c, m)));
        return page(new JsonObject().put("market", m.getSymbol()).put("interval", interval)
                .put("candles", candles), r);
    }

    /** A page of trades, each in the recent-trades route's shape ({@link Json#trade}). */
    public static JsonObject trades(HistoryReply r, Market m) {
        JsonArray trades = new JsonArray();
        // The archive keeps a trade's id and time, not the book sequence it came with: leave it out, not 0.
        r.getTradesList().forEach(t -> {
            JsonObject trade = Json.trade(t, m);
            trade.remove("sequence");
            trades.add(trade);
        });
        return page(new JsonObject().put("market", m.getSymbol()).put("trades", trades), r);
    }

    /** A pool's rates: ratios as decimal strings (9 decimals: 0.05 is 5% a year). */
    public static JsonObject poolRates(HistoryReply r) {
        JsonArray rates = new JsonArray();
        r.getPoolRatesList().forEach(p -> rates.add(new JsonObject().put("time", p.getTimestampMs())
                .put("utilization", Decimals.format(p.getUtilizationE9(), 9))
                .put("borrowRate", Decimals.format(p.getBorrowRateE9(), 9))
                .put("supplyRate", Decimals.format(p.getSupplyRateE9(), 9))));
        return page(new JsonObject().put("asset", r.getMarket()).put("rates", rates), r);
    }

    public static JsonObject funding(HistoryReply r, Market m) {
        JsonArray events = new JsonArray();
        r.getFundingList().forEach(e -> events.add(FuturesJson.funding(e, m)));
        return page(new JsonObject().put("market", m.getSymbol()).put("funding", events), r);
    }

    public static JsonObject optionMarks(HistoryReply r, Market m) {
        JsonArray marks = new JsonArray();
        r.getOptionMarksList().forEach(p -> marks.add(new JsonObject().put("time", p.getTimestampMs())
                .put("markPrice", Decimals.format(p.getMarkPrice(), m.getPriceScale()))
                .put("markIv", Decimals.format(p.getMarkIvE8(), 8))
                .put("indexPrice", Decimals.format(p.getIndexPrice(), m.getPriceScale()))));
        return page(new JsonObject().put("market", m.getSymbol()).put("marks", marks), r);
    }

    /** {@code next} and {@code keptFrom} (the oldest time kept, so a client knows why older pages are empty). */
    private static JsonObject page(JsonObject j, HistoryReply r) {
        return j.put("next", r.getNextFromMs() == 0 ? null : r.getNextFromMs())
                .put("keptFrom", r.getKeptFromMs() == 0 ? null : r.getKeptFromMs());
    }

    /**
     * A 24-hour ticker. A window without trades has no prices: they are null rather than a
     * "0" a client could take for a price, and the volumes are "0".
     */
    public static JsonObject ticker24h(Ticker24h t, Market m) {
        int ps = m.getPriceScale();
        boolean traded = t.getTrades() > 0;
        return new JsonObject()
                .put("market", m.getSymbol())
                .put("open", traded ? Decimals.format(t.getOpen(), ps) : null)
                .put("high", traded ? Decimals.format(t.getHigh(), ps) : null)
                .put("low", traded ? Decimals.format(t.getLow(), ps) : null)
                .put("close", traded ? Decimals.format(t.getClose(), ps) : null)
                .put("volume", Decimals.format(t.getVolume(), m.getBase().getDecimals()))
                .put("quoteVolume", Decimals.format(t.getQuoteVolume(), m.getQuote().getDecimals()))
                .put("trades", t.getTrades())
                .put("openTime", t.getOpenTimeMs() == 0 ? null : t.getOpenTimeMs())
                .put("closeTime", t.getCloseTimeMs() == 0 ? null : t.getCloseTimeMs())
                .put("priceChange", traded ? Decimals.format(t.getClose() - t.getOpen(), ps) : null)
                .put("priceChangePercent", traded ? changePercent(t.getOpen(), t.getClose()) : null);
    }

    /**
     * (close - open) / open in percent, two decimals, rounded half up ("1.25", "-0.40",
     * "0.00"). Both prices are at the same scale, so the ratio needs no scale; exact decimal
     * arithmetic, never a double.
     */
    static String changePercent(long open, long close) {
        if (open <= 0) {
            return "0.00";   // no meaningful base; prices are positive, so only a malformed ticker gets here
        }
        return BigDecimal.valueOf(close).subtract(BigDecimal.valueOf(open)).multiply(BigDecimal.valueOf(100))
                .divide(BigDecimal.valueOf(open), 2, RoundingMode.HALF_UP).toPlainString();
    }
}
