package io.trademesh.gateway.api;

import io.trademesh.proto.common.Market;
import io.trademesh.proto.common.OrderType;
import io.trademesh.proto.common.SelfTradePrevention;
import io.trademesh.proto.common.Side;
import io.trademesh.proto.common.TimeInForce;
import io.trademesh.proto.trading.Conditional;
import io.trademesh.proto.trading.ConditionalKind;
import io.trademesh.proto.trading.PlaceOrderRequest;
import io.trademesh.proto.trading.TriggerPrice;
import io.vertx.core.json.JsonObject;

/**
 * An order as a trader writes it (JSON, decimal strings) turned into the service's
 * fixed-point request, refusing at the edge what does not fit the market: a price off the
 * tick, a quantity off the lot, zero or negative amounts, missing fields for the type.
 */
public final class OrderInput {

    private OrderInput() {
    }

    public static PlaceOrderRequest placeOrder(long accountId, JsonObject j, Market m) {
        Side side = "BUY".equals(j.getString("side")) ? Side.SIDE_BUY : Side.SIDE_SELL;
        boolean market = "MARKET".equals(j.getString("type"));
        PlaceOrderRequest.Builder b = PlaceOrderRequest.newBuilder()
                .setAccountId(accountId)
                .setMarket(m.getSymbol())
                .setSide(side)
                .setType(market ? OrderType.ORDER_TYPE_MARKET : OrderType.ORDER_TYPE_LIMIT)
                .setClientOrderId(j.getString("clientOrderId", ""));
        String tif = j.getString("timeInForce");
        if (tif != null) {
            b.setTimeInForce(TimeInForce.valueOf("TIME_IN_FORCE_" + tif));
        }
        String stp = j.getString("selfTradePrevention");
        if (stp != null) {
            b.setStp(SelfTradePrevention.valueOf("STP_" + stp));
        }
        boolean reduceOnly = j.getBoolean("reduceOnly", false);
        boolean close = j.getBoolean("closePosition", false);
        io.trademesh.proto.common.Product product = m.getProduct();
        if (close && product != io.trademesh.proto.common.Product.PRODUCT_FUTURES) {
            throw ApiError.badRequest("INVALID_ORDER", "closePosition is for futures");
        }
        if (reduceOnly && product != io.trademesh.proto.common.Product.PRODUCT_FUTURES
                && product != io.trademesh.proto.common.Product.PRODUCT_OPTIONS) {
            throw ApiError.badRequest("INVALID_ORDER", "reduceOnly is for futures and options");
        }
        b.setReduceOnly(reduceOnly || close).setClosePosition(close);
        conditional(j, m, b);
        if (close) {
            if (!market || j.containsKey("quantity") || j.containsKey("quoteQuantity") || j.containsKey("price")) {
                throw ApiError.badRequest("INVALID_ORDER", "closePosition is a MARKET order without price or quantity");
            }
        } else if (market) {
            if (j.containsKey("price")) {
                throw ApiError.badRequest("INVALID_ORDER", "a market order has no price");
            }
            if (j.containsKey("quoteQuantity") == j.containsKey("quantity")) {
                throw ApiError.badRequest("INVALID_ORDER", "a market order has either quantity or quoteQuantity");
            }
            if (j.containsKey("quoteQuantity")) {
                if (side != Side.SIDE_BUY) {
                    throw ApiError.badRequest("INVALID_ORDER", "only a market buy can be sized by quoteQuantity");
                }
                b.setQuoteQuantity(quote(j.getString("quoteQuantity"), m));
            } else {
                b.setQuantity(quantity(j.getString("quantity"), m));
            }
        } else {
            if (!j.containsKey("price") || !j.containsKey("quantity")) {
                throw ApiError.badRequest("INVALID_ORDER", "a limit order needs price and quantity");
            }
            if (j.containsKey("quoteQuantity")) {
                throw ApiError.badRequest("INVALID_ORDER", "quoteQuantity is for market buys only");
            }
            b.setPrice(price(j.getString("price"), m)).setQuantity(quantity(j.getString("quantity"), m));
        }
        if (j.containsKey("expireAt")) {
            if (!"GTD".equals(tif)) {
                throw ApiError.badRequest("INVALID_ORDER", "expireAt is for timeInForce GTD only");
            }
            b.setExpireAtMs(j.getLong("expireAt"));
        } else if ("GTD".equals(tif)) {
            throw ApiError.badRequest("INVALID_ORDER", "timeInForce GTD needs expireAt");
        }
        return b.build();
    }

    /** A futures conditional order's trigger: kind, trigger price, the price it watches, a trailing callback. */
    private static void conditional(JsonObject j, Market m, PlaceOrderRequest.Builder b) {
        String kind = j.getString("conditional");
        boolean any = kind != null || j.containsKey("triggerPrice") || j.containsKey("triggerBy")
                || j.containsKey("callbackRate");
        if (!any) {
            return;
        }
        if (m.getProduct() != io.trademesh.proto.common.Product.PRODUCT_FUTURES || kind == null) {
            throw ApiError.badRequest("INVALID_ORDER", "conditional orders are for futures, and name their kind");
        }
        boolean trailing = "TRAILING_STOP".equals(kind);
        Conditional.Builder c = Conditional.newBuilder()
                .setKind(ConditionalKind.valueOf("CONDITIONAL_" + kind))
                .setTriggerBy("LAST".equals(j.getString("triggerBy")) ? TriggerPrice.TRIGGER_PRICE_LAST
                        : TriggerPrice.TRIGGER_PRICE_MARK);
        if (j.containsKey("triggerPrice")) {
            c.setTriggerPrice(price(j.getString("triggerPrice"), m));
        } else if (!trailing) {
            throw ApiError.badRequest("INVALID_ORDER", kind + " needs triggerPrice");
        }
        if (trailing) {
            Long bps = Decimals.parse(j.getString("callbackRate"), 4);
            if (bps == null || bps < 10 || bps > 1_000) {
                throw ApiError.badRequest("INVALID_ORDER", "a trailing stop needs callbackRate from 0.001 to 0.1");
            }
            c.setCallbackBps(bps.intValue());
        } else if (j.containsKey("callbackRate")) {
            throw ApiError.badRequest("INVALID_ORDER", "callbackRate is for TRAILING_STOP only");
        }
        b.setConditional(c);
    }

    /** A price: positive, at most price_scale decimals, a multiple of the tick. */
    public static long price(String text, Market m) {
        Long v = Decimals.parse(text, m.getPriceScale());
        if (v == null || v % m.getTickSize() != 0) {
            throw ApiError.badRequest("PRICE_OFF_TICK", "price " + text + " is not a multiple of the tick size "
                    + Decimals.format(m.getTickSize(), m.getPriceScale()));
        }
        if (v <= 0) {
            throw ApiError.badRequest("INVALID_PRICE", "price must be positive");
        }
        return v;
    }

    /** A base quantity: positive, a multiple of the lot. */
    public static long quantity(String text, Market m) {
        int d = m.getBase().getDecimals();
        Long v = Decimals.parse(text, d);
        if (v == null || v % m.getLotSize() != 0) {
            throw ApiError.badRequest("QUANTITY_OFF_LOT", "quantity " + text + " is not a multiple of the lot size "
                    + Decimals.format(m.getLotSize(), d));
        }
        if (v <= 0) {
            throw ApiError.badRequest("INVALID_QUANTITY", "quantity must be positive");
        }
        return v;
    }

    /** A quote amount: positive, at most the quote asset's decimals. */
    public static long quote(String text, Market m) {
        Long v = Decimals.parse(text, m.getQuote().getDecimals());
        if (v == null || v <= 0) {
            throw ApiError.badRequest("INVALID_QUANTITY", "quoteQuantity " + text + " must be positive with at most "
                    + m.getQuote().getDecimals() + " decimals");
        }
        return v;
    }
}
