package io.trademesh.gateway.api;

import io.trademesh.proto.common.FuturesTerms;
import io.trademesh.proto.common.MarginBracket;
import io.trademesh.proto.common.Market;
import io.trademesh.proto.common.Position;
import io.trademesh.proto.futures.FundingEvent;
import io.trademesh.proto.futures.FuturesAccount;
import io.trademesh.proto.futures.Liquidation;
import io.trademesh.proto.futures.MarkPrice;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Futures' JSON shapes: amounts as decimal strings at the contract's scales (prices at its
 * price scale, sizes at the base asset's decimals, margin and PnL at the collateral's), rates
 * as decimal fractions ("0.0001" is 0.01%).
 */
public final class FuturesJson {

    /** Rates travel as parts per 10^8. */
    private static final int RATE_SCALE = 8;

    private FuturesJson() {
    }

    public static JsonObject terms(FuturesTerms t, Market m) {
        int qd = m.getQuote().getDecimals();
        JsonArray brackets = new JsonArray();
        for (MarginBracket b : t.getBracketsList()) {
            brackets.add(new JsonObject().put("notionalCap", Decimals.format(b.getNotionalCap(), qd))
                    .put("maxLeverage", b.getMaxLeverage())
                    .put("maintenanceMarginRate", Decimals.format(b.getMaintenanceMarginBps(), 4))
                    .put("maintenanceDeduction", Decimals.format(b.getMaintenanceDeduction(), qd)));
        }
        JsonObject j = new JsonObject()
                .put("kind", t.getKind().name().substring("CONTRACT_KIND_".length()))
                .put("collateral", m.getQuote().getSymbol())
                .put("impactNotional", Decimals.format(t.getImpactNotional(), qd))
                .put("liquidationFeeRate", Decimals.format(t.getLiquidationFeeBps(), 4))
                .put("brackets", brackets);
        if (t.getExpiryMs() != 0) {
            j.put("expiry", t.getExpiryMs()).put("settlementWindowMs", t.getSettlementWindowMs());
        } else {
            j.put("fundingIntervalMs", t.getFundingIntervalMs())
                    .put("interestRate", Decimals.format(t.getInterestRateE8(), RATE_SCALE))
                    .put("fundingCap", Decimals.format(t.getFundingCapE8(), RATE_SCALE));
        }
        return j;
    }

    public static JsonObject position(Position p, Market m) {
        int ps = m.getPriceScale();
        int bd = m.getBase().getDecimals();
        int qd = m.getQuote().getDecimals();
        return new JsonObject()
                .put("market", p.getMarket())
                .put("side", p.getSize() > 0 ? "LONG" : p.getSize() < 0 ? "SHORT" : "FLAT")
                .put("size", Decimals.format(p.getSize(), bd))
                .put("entryPrice", Decimals.format(p.getEntryPrice(), ps))
                .put("markPrice", Decimals.format(p.getMarkPrice(), ps))
                .put("notional", Decimals.format(p.getNotional(), qd))
                .put("unrealizedPnl", Decimals.format(p.getUnrealizedPnl(), qd))
                .put("realizedPnl", Decimals.format(p.getRealizedPnl(), qd))
                .put("fundingPaid", Decimals.format(p.getFundingPaid(), qd))
                .put("leverage", p.getLeverage())
                .put("marginMode", p.getIsolated() ? "ISOLATED" : "CROSS")
                .put("isolatedMargin", Decimals.format(p.getIsolatedMargin(), qd))
                .put("marginRatio", Decimals.format(p.getMarginRatioBps(), 4))
                .put("initialMargin", Decimals.format(p.getInitialMargin(), qd))
                .put("maintenanceMargin", Decimals.format(p.getMaintenanceMargin(), qd))
                // 0 is "none" in the proto: no price liquidates (or bankrupts) the position, or it is not in
                // profit and so not in the deleveraging queue; a client reads null, not a price of 0.
                .put("liquidationPrice", priceOrNull(p.getLiquidationPrice(), ps))
                .put("bankruptcyPrice", priceOrNull(p.getBankruptcyPrice(), ps))
                .put("adlBucket", p.getAdlBucket() == 0 ? null : p.getAdlBucket())
                .put("time", p.getTimestampMs());
    }

    private static String priceOrNull(long price, int scale) {
        return price == 0 ? null : Decimals.format(price, scale);
    }

    /** The account's margin; {@code decimals} of its collateral, {@code markets} to format its positions. */
    public static JsonObject account(FuturesAccount a, int decimals, java.util.function.Function<String, Market> markets) {
        JsonArray positions = new JsonArray();
        for (Position p : a.getPositionsList()) {
            Market m = markets.apply(p.getMarket());
            if (m != null) {
                positions.add(position(p, m));
            }
        }
        return new JsonObject()
                .put("asset", a.getAsset())
                .put("walletBalance", Decimals.format(a.getWalletBalance(), decimals))
                .put("unrealizedPnl", Decimals.format(a.getUnrealizedPnl(), decimals))
                .put("marginBalance", Decimals.format(a.getMarginBalance(), decimals))
                .put("initialMargin", Decimals.format(a.getInitialMargin(), decimals))
                .put("maintenanceMargin", Decimals.format(a.getMaintenanceMargin(), decimals))
                .put("available", Decimals.format(a.getAvailable(), decimals))
                .put("marginRatio", Decimals.format(a.getMarginRatioBps(), 4))
                .put("positions", positions);
    }

    public static JsonObject mark(MarkPrice p, Market m) {
        int ps = m.getPriceScale();
        JsonObject j = new JsonObject()
                .put("market", p.getMarket())
                .put("markPrice", Decimals.format(p.getMarkPrice(), ps))
                .put("indexPrice", Decimals.format(p.getIndexPrice(), ps))
                .put("lastPrice", Decimals.format(p.getLastPrice(), ps))
                .put("indexFresh", p.getIndexFresh())
                .put("openInterest", Decimals.format(p.getOpenInterest(), m.getBase().getDecimals()))
                .put("time", p.getTimestampMs());
        if (m.getFutures().getExpiryMs() == 0) {
            j.put("lastFundingRate", Decimals.format(p.getLastFundingRateE8(), RATE_SCALE))
                    .put("estimatedFundingRate", Decimals.format(p.getEstimatedFundingRateE8(), RATE_SCALE))
                    .put("nextFundingTime", p.getNextFundingMs());
        } else {
            j.put("expiry", p.getNextFundingMs()).put("settled", p.getSettled());
            if (p.getSettled()) {
                j.put("settlementPrice", Decimals.format(p.getSettlementPrice(), ps));
            }
        }
        return j;
    }

    public static JsonObject conditional(io.trademesh.proto.futures.ConditionalOrder o, Market m) {
        var c = o.getConditional();
        JsonObject j = Json.order(o.getOrder(), m)
                .put("conditional", c.getKind().name().substring("CONDITIONAL_".length()))
                .put("triggerBy", c.getTriggerBy().name().substring("TRIGGER_PRICE_".length()))
                .put("reduceOnly", o.getReduceOnly());
        if (c.getTriggerPrice() != 0) {
            j.put("triggerPrice", Decimals.format(c.getTriggerPrice(), m.getPriceScale()));
        }
        if (c.getCallbackBps() != 0) {
            j.put("callbackRate", Decimals.format(c.getCallbackBps(), 4)).put("activated", o.getActivated());
            if (o.getExtremePrice() != 0) {
                j.put("bestPrice", Decimals.format(o.getExtremePrice(), m.getPriceScale()));
            }
        }
        return j;
    }

    public static JsonObject funding(FundingEvent e, Market m) {
        return new JsonObject()
                .put("market", e.getMarket())
                .put("rate", Decimals.format(e.getRateE8(), RATE_SCALE))
                .put("markPrice", Decimals.format(e.getMarkPrice(), m.getPriceScale()))
                .put("paid", Decimals.format(e.getPaid(), m.getQuote().getDecimals()))
                .put("time", e.getTimestampMs());
    }

    public static JsonObject liquidation(Liquidation l, Market m) {
        return new JsonObject()
                .put("market", l.getMarket())
                .put("side", Json.side(l.getSide()))
                .put("price", Decimals.format(l.getPrice(), m.getPriceScale()))
                .put("quantity", Decimals.format(l.getQuantity(), m.getBase().getDecimals()))
                .put("deleveraged", l.getDeleveraged())
                .put("time", l.getTimestampMs());
    }
}
