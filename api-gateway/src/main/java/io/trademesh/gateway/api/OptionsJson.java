package io.trademesh.gateway.api;

import io.trademesh.proto.common.Market;
import io.trademesh.proto.common.OptionPosition;
import io.trademesh.proto.common.OptionTerms;
import io.trademesh.proto.options.Chain;
import io.trademesh.proto.options.InsuranceFund;
import io.trademesh.proto.options.OptionLiquidation;
import io.trademesh.proto.options.OptionTicker;
import io.trademesh.proto.options.OptionsAccount;
import io.trademesh.proto.options.Underlying;
import io.trademesh.proto.options.UnderlyingParams;
import io.trademesh.proto.options.VolSlice;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;

/**
 * Options' JSON shapes. Money and prices are decimal strings at the instrument's scales
 * (strikes, premiums and the index at its price scale, sizes at the underlying's decimals,
 * margin, PnL and wallets at the quote asset's); surface volatilities and margin ratios are
 * decimal strings as the operator wrote them ("0.55" is 55% a year); implied volatilities
 * and greeks come from the pricing model as doubles and are plain JSON numbers (null when
 * the model has none): delta per underlying unit held, vega per 1.00 of volatility, theta
 * per day.
 */
public final class OptionsJson {

    private OptionsJson() {
    }

    /** A double as JSON: JSON has no NaN or infinity, so those (no solution, no model) are null. */
    static Double num(double v) {
        return Double.isFinite(v) ? v : null;
    }

    public static JsonObject terms(OptionTerms t, Market m) {
        return new JsonObject().put("type", t.getCall() ? "CALL" : "PUT")
                .put("strike", Decimals.format(t.getStrike(), m.getPriceScale()))
                .put("expiry", t.getExpiryMs())
                .put("settlementWindowMs", t.getSettlementWindowMs())
                .put("settlementSampleMs", t.getSettlementSampleMs());
    }

    public static JsonObject ticker(OptionTicker t, Market m) {
        int ps = m.getPriceScale();
        JsonObject j = new JsonObject()
                .put("market", t.getMarket())
                .put("underlying", t.getUnderlying())
                .put("type", t.getCall() ? "CALL" : "PUT")
                .put("strike", Decimals.format(t.getStrike(), ps))
                .put("expiry", t.getExpiryMs())
                .put("indexPrice", Decimals.format(t.getIndexPrice(), ps))
                .put("indexFresh", t.getIndexFresh())
                .put("markPrice", Decimals.format(t.getMarkPrice(), ps))
                .put("markIv", num(t.getMarkIv()))
                .put("bestBid", Decimals.format(t.getBestBid(), ps))
                .put("bestAsk", Decimals.format(t.getBestAsk(), ps))
                .put("bidIv", num(t.getBidIv()))
                .put("askIv", num(t.getAskIv()))
                .put("delta", num(t.getDelta()))
                .put("gamma", num(t.getGamma()))
                .put("vega", num(t.getVega()))
                .put("theta", num(t.getTheta()))
                .put("openInterest", Decimals.format(t.getOpenInterest(), m.getBase().getDecimals()))
                .put("settled", t.getSettled())
                .put("time", t.getTimestampMs());
        if (t.getSettled()) {
            j.put("settlementPrice", Decimals.format(t.getSettlementPrice(), ps));
        } else if (t.getEstimatedSettlementPrice() != 0) {
            j.put("estimatedSettlementPrice", Decimals.format(t.getEstimatedSettlementPrice(), ps));
        }
        return j;
    }

    /** A chain; each ticker at its instrument's scales, those of instruments not known here yet left out. */
    public static JsonObject chain(Chain c, Function<String, Market> markets) {
        JsonArray tickers = new JsonArray();
        for (OptionTicker t : c.getTickersList()) {
            Market m = markets.apply(t.getMarket());
            if (m != null) {
                tickers.add(ticker(t, m));
            }
        }
        return new JsonObject().put("underlying", c.getUnderlying())
                .put("expiry", c.getExpiryMs() == 0 ? null : c.getExpiryMs()).put("tickers", tickers);
    }

    public static JsonObject params(UnderlyingParams p) {
        return new JsonObject().put("underlying", p.getUnderlying()).put("quote", p.getQuote())
                .put("initialBase", Decimals.format(p.getInitialBaseE9(), OptionsInput.RATIO))
                .put("initialFloor", Decimals.format(p.getInitialFloorE9(), OptionsInput.RATIO))
                .put("maintenance", Decimals.format(p.getMaintenanceE9(), OptionsInput.RATIO))
                .put("liquidationFeeBps", p.getLiquidationFeeBps())
                .put("priceBandBps", p.getPriceBandBps())
                .put("bandFloorBps", p.getBandFloorBps());
    }

    public static JsonObject slice(VolSlice s, int priceScale) {
        JsonArray points = new JsonArray();
        for (int i = 0; i < s.getStrikesCount() && i < s.getVolsE9Count(); i++) {
            points.add(new JsonObject().put("strike", Decimals.format(s.getStrikes(i), priceScale))
                    .put("vol", Decimals.format(s.getVolsE9(i), OptionsInput.RATIO)));
        }
        return new JsonObject().put("expiry", s.getExpiryMs()).put("points", points);
    }

    /** An underlying: its parameters, index, surface and expiries; {@code priceScale} of its instruments. */
    public static JsonObject underlying(Underlying u, int priceScale) {
        JsonArray surface = new JsonArray();
        u.getSurfaceList().forEach(s -> surface.add(slice(s, priceScale)));
        return new JsonObject().put("params", params(u.getParams()))
                .put("indexPrice", Decimals.format(u.getIndexPrice(), priceScale))
                .put("indexTime", u.getIndexAtMs())
                .put("indexFresh", u.getIndexFresh())
                .put("surface", surface)
                .put("expiries", new JsonArray(new java.util.ArrayList<>(u.getExpiriesList())));
    }

    public static JsonObject position(OptionPosition p, Market m) {
        int ps = m.getPriceScale();
        int qd = m.getQuote().getDecimals();
        JsonObject j = new JsonObject()
                .put("market", p.getMarket())
                .put("side", p.getSize() > 0 ? "LONG" : p.getSize() < 0 ? "SHORT" : "FLAT")
                .put("size", Decimals.format(p.getSize(), m.getBase().getDecimals()));
        if (m.hasOption()) {
            j.put("type", m.getOption().getCall() ? "CALL" : "PUT")
                    .put("strike", Decimals.format(m.getOption().getStrike(), ps))
                    .put("expiry", m.getOption().getExpiryMs());
        }
        return j.put("averagePrice", Decimals.format(p.getAveragePrice(), ps))
                .put("markPrice", Decimals.format(p.getMarkPrice(), ps))
                .put("value", Decimals.format(p.getValue(), qd))
                .put("unrealizedPnl", Decimals.format(p.getUnrealizedPnl(), qd))
                .put("realizedPnl", Decimals.format(p.getRealizedPnl(), qd))
                .put("initialMargin", Decimals.format(p.getInitialMargin(), qd))
                .put("maintenanceMargin", Decimals.format(p.getMaintenanceMargin(), qd))
                .put("delta", num(p.getDelta()))
                .put("gamma", num(p.getGamma()))
                .put("vega", num(p.getVega()))
                .put("theta", num(p.getTheta()))
                .put("time", p.getTimestampMs());
    }

    /** The account in one premium asset; {@code decimals} of that asset, {@code markets} to format its positions. */
    public static JsonObject account(OptionsAccount a, int decimals, Function<String, Market> markets) {
        JsonArray positions = new JsonArray();
        for (OptionPosition p : a.getPositionsList()) {
            Market m = markets.apply(p.getMarket());
            if (m != null) {
                positions.add(position(p, m));
            }
        }
        return new JsonObject()
                .put("asset", a.getAsset())
                .put("walletBalance", Decimals.format(a.getWalletBalance(), decimals))
                .put("positionsValue", Decimals.format(a.getPositionsValue(), decimals))
                .put("equity", Decimals.format(a.getEquity(), decimals))
                .put("initialMargin", Decimals.format(a.getInitialMargin(), decimals))
                .put("maintenanceMargin", Decimals.format(a.getMaintenanceMargin(), decimals))
                .put("available", Decimals.format(a.getAvailable(), decimals))
                .put("delta", num(a.getDelta()))
                .put("gamma", num(a.getGamma()))
                .put("vega", num(a.getVega()))
                .put("theta", num(a.getTheta()))
                .put("positions", positions);
    }

    /** A public liquidation: what was bought back and at what price; never whose short it was. */
    public static JsonObject liquidation(OptionLiquidation l, Market m) {
        return new JsonObject()
                .put("market", l.getMarket())
                .put("side", "BUY")
                .put("price", Decimals.format(l.getPrice(), m.getPriceScale()))
                .put("quantity", Decimals.format(l.getQuantity(), m.getBase().getDecimals()))
                .put("time", l.getTimestampMs());
    }

    public static JsonObject insurance(InsuranceFund f, int decimals) {
        return new JsonObject().put("asset", f.getAsset())
                .put("balance", Decimals.format(f.getBalance(), decimals))
                .put("deficits", Decimals.format(f.getDeficits(), decimals));
    }
}
