package io.trademesh.gateway.api;

import io.trademesh.proto.common.Balance;
import io.trademesh.proto.common.BookLevel;
import io.trademesh.proto.common.BookSnapshot;
import io.trademesh.proto.common.Fill;
import io.trademesh.proto.common.Market;
import io.trademesh.proto.common.Order;
import io.trademesh.proto.common.PublicTrade;
import io.trademesh.proto.common.Ticker;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The API's JSON shapes, from the services' protobufs: amounts become decimal strings at
 * the market's scales (prices at price_scale, quantities at the base asset's decimals,
 * quote amounts and fees at the quote asset's), enum values lose their prefixes.
 */
public final class Json {

    private Json() {
    }

    static String side(io.trademesh.proto.common.Side s) {
        return s == io.trademesh.proto.common.Side.SIDE_BUY ? "BUY" : "SELL";
    }

    private static String strip(String name, String prefix) {
        return name.startsWith(prefix) ? name.substring(prefix.length()) : name;
    }

    public static JsonObject market(Market m) {
        int ps = m.getPriceScale();
        int bd = m.getBase().getDecimals();
        int qd = m.getQuote().getDecimals();
        JsonObject j = new JsonObject()
                .put("symbol", m.getSymbol())
                .put("product", strip(m.getProduct().name(), "PRODUCT_"))
                .put("base", m.getBase().getSymbol())
                .put("baseDecimals", bd)
                .put("quote", m.getQuote().getSymbol())
                .put("quoteDecimals", qd)
                .put("priceScale", ps)
                .put("tickSize", Decimals.format(m.getTickSize(), ps))
                .put("lotSize", Decimals.format(m.getLotSize(), bd))
                .put("minQuantity", Decimals.format(m.getMinQuantity(), bd))
                .put("maxQuantity", Decimals.format(m.getMaxQuantity(), bd))
                .put("maxPrice", Decimals.format(m.getMaxPrice(), ps))
                .put("minNotional", Decimals.format(m.getMinNotional(), qd))
                .put("makerFeeBps", m.getMakerFeeBps())
                .put("takerFeeBps", m.getTakerFeeBps())
                .put("priceBandBps", m.getPriceBandBps())
                .put("matching", strip(m.getMatchingMode().name(), "MATCHING_MODE_"))
                .put("auctionIntervalMs", m.getAuctionIntervalMs());
        if (m.hasFutures()) {
            j.put("futures", FuturesJson.terms(m.getFutures(), m));
        }
        if (m.hasOption()) {
            j.put("option", OptionsJson.terms(m.getOption(), m));
        }
        return j;
    }

    public static JsonObject order(Order o, Market m) {
        int ps = m.getPriceScale();
        int bd = m.getBase().getDecimals();
        int qd = m.getQuote().getDecimals();
        JsonObject j = new JsonObject()
                .put("orderId", Long.toString(o.getOrderId()))
                .put("clientOrderId", o.getClientOrderId())
                .put("market", o.getMarket())
                .put("side", side(o.getSide()))
                .put("type", strip(o.getType().name(), "ORDER_TYPE_"))
                .put("timeInForce", strip(o.getTimeInForce().name(), "TIME_IN_FORCE_"))
                .put("price", Decimals.format(o.getPrice(), ps))
                .put("quantity", Decimals.format(quantity(o), bd))
                .put("filledQuantity", Decimals.format(o.getFilledQuantity(), bd))
                .put("status", strip(o.getStatus().name(), "ORDER_STATUS_"))
                .put("selfTradePrevention", strip(o.getStp().name(), "STP_"))
                .put("createdAt", o.getCreatedAtMs())
                .put("updatedAt", o.getUpdatedAtMs());
        if (o.getQuoteQuantity() != 0) {
            j.put("quoteQuantity", Decimals.format(o.getQuoteQuantity(), qd));
        }
        if (o.getExpireAtMs() != 0) {
            j.put("expireAt", o.getExpireAtMs());
        }
        return j;
    }

    /**
     * The order's base quantity. A market buy sized by quoteQuantity has none of its own: it
     * shows what it bought, as the big venues do, rather than a quantity of 0.
     */
    static long quantity(Order o) {
        return o.getQuantity() == 0 && o.getQuoteQuantity() != 0 ? o.getFilledQuantity() : o.getQuantity();
    }

    /** One account's side of a fill. */
    public static JsonObject fill(Fill f, Market m) {
        boolean maker = f.getMakerAccountId() != 0;
        long orderId = maker ? f.getMakerOrderId() : f.getTakerOrderId();
        String side = maker ? (f.getTakerSide() == io.trademesh.proto.common.Side.SIDE_BUY ? "SELL" : "BUY")
                : side(f.getTakerSide());
        return new JsonObject()
                .put("market", f.getMarket())
                .put("tradeId", Long.toString(f.getTradeId()))
                .put("orderId", Long.toString(orderId))
                .put("side", side)
                .put("price", Decimals.format(f.getPrice(), m.getPriceScale()))
                .put("quantity", Decimals.format(f.getQuantity(), m.getBase().getDecimals()))
                .put("fee", Decimals.format(maker ? f.getMakerFee() : f.getTakerFee(), m.getQuote().getDecimals()))
                .put("feeAsset", f.getFeeAsset().isEmpty() ? m.getQuote().getSymbol() : f.getFeeAsset())
                .put("liquidity", maker ? "MAKER" : "TAKER")
                .put("sequence", f.getMarketSequence())
                .put("time", f.getTimestampMs());
    }

    public static JsonObject trade(PublicTrade t, Market m) {
        return new JsonObject()
                .put("market", t.getMarket())
                .put("tradeId", Long.toString(t.getTradeId()))
                .put("price", Decimals.format(t.getPrice(), m.getPriceScale()))
                .put("quantity", Decimals.format(t.getQuantity(), m.getBase().getDecimals()))
                .put("takerSide", side(t.getTakerSide()))
                .put("sequence", t.getMarketSequence())
                .put("time", t.getTimestampMs());
    }

    /** A book update: the levels it changed, quantity "0" for a level that is gone. */
    public static JsonObject bookDelta(io.trademesh.proto.common.BookDelta d, Market m) {
        JsonArray bids = new JsonArray();
        JsonArray asks = new JsonArray();
        d.getLevelsList().forEach(l -> (l.getSide() == io.trademesh.proto.common.Side.SIDE_BUY ? bids : asks)
                .add(new JsonArray().add(Decimals.format(l.getPrice(), m.getPriceScale()))
                        .add(Decimals.format(l.getTotalQuantity(), m.getBase().getDecimals()))));
        return new JsonObject().put("market", d.getMarket()).put("bookSequence", d.getBookSequence())
                .put("bids", bids).put("asks", asks).put("time", d.getTimestampMs());
    }

    public static JsonObject book(BookSnapshot b, Market m) {
        return new JsonObject()
                .put("market", b.getMarket())
                .put("bookSequence", b.getBookSequence())
                .put("bids", levels(b.getBidsList(), m))
                .put("asks", levels(b.getAsksList(), m));
    }

    private static JsonArray levels(java.util.List<BookLevel> levels, Market m) {
        JsonArray a = new JsonArray();
        for (BookLevel l : levels) {
            a.add(new JsonArray().add(Decimals.format(l.getPrice(), m.getPriceScale()))
                    .add(Decimals.format(l.getQuantity(), m.getBase().getDecimals())));
        }
        return a;
    }

    public static JsonObject ticker(Ticker t, Market m) {
        int ps = m.getPriceScale();
        int bd = m.getBase().getDecimals();
        return new JsonObject()
                .put("market", t.getMarket())
                .put("lastPrice", Decimals.format(t.getLastPrice(), ps))
                .put("volume24h", Decimals.format(t.getVolume24H(), bd))
                .put("quoteVolume24h", Decimals.format(t.getQuoteVolume24H(), m.getQuote().getDecimals()))
                .put("high24h", Decimals.format(t.getHigh24H(), ps))
                .put("low24h", Decimals.format(t.getLow24H(), ps))
                .put("bestBid", Decimals.format(t.getBestBid(), ps))
                .put("bestBidQuantity", Decimals.format(t.getBestBidQuantity(), bd))
                .put("bestAsk", Decimals.format(t.getBestAsk(), ps))
                .put("bestAskQuantity", Decimals.format(t.getBestAskQuantity(), bd))
                .put("time", t.getTimestampMs());
    }

    /** A wallet balance; {@code decimals} of its asset, when known (else raw units). */
    public static JsonObject balance(Balance b, int decimals) {
        decimals = Math.max(0, decimals);
        JsonObject j = new JsonObject()
                .put("asset", b.getAsset())
                .put("available", Decimals.format(b.getAvailable(), decimals))
                .put("locked", Decimals.format(b.getLocked(), decimals));
        if (!b.getWallet().isEmpty()) {
            j.put("wallet", b.getWallet());
        }
        return j;
    }
}
