package io.trademesh.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.trademesh.proto.common.Asset;
import io.trademesh.proto.common.Market;
import io.trademesh.proto.common.Order;
import io.trademesh.proto.common.OrderStatus;
import io.trademesh.proto.common.OrderType;
import io.trademesh.proto.common.Side;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** An order as the trader reads it: amounts at the market's scales, and a quantity that means something. */
class JsonOrderTest {

    private static final Market BTC_USDT = Market.newBuilder().setSymbol("BTC-USDT").setPriceScale(2)
            .setBase(Asset.newBuilder().setSymbol("BTC").setDecimals(8))
            .setQuote(Asset.newBuilder().setSymbol("USDT").setDecimals(6)).build();

    @Test
    void aLimitOrderShowsItsOwnQuantityAndNoQuoteQuantity() {
        JsonObject j = Json.order(Order.newBuilder().setOrderId(7).setMarket("BTC-USDT").setSide(Side.SIDE_BUY)
                .setType(OrderType.ORDER_TYPE_LIMIT).setPrice(2_995_000).setQuantity(1_000_000)
                .setFilledQuantity(250_000).setStatus(OrderStatus.ORDER_STATUS_PARTIALLY_FILLED).build(), BTC_USDT);
        assertEquals("29950", j.getString("price"));
        assertEquals("0.01", j.getString("quantity"));
        assertEquals("0.0025", j.getString("filledQuantity"));
        assertFalse(j.containsKey("quoteQuantity"));
    }

    @Test
    void aMarketBuySizedByQuoteQuantityShowsWhatItBoughtAsItsQuantity() {
        JsonObject j = Json.order(Order.newBuilder().setOrderId(8).setMarket("BTC-USDT").setSide(Side.SIDE_BUY)
                .setType(OrderType.ORDER_TYPE_MARKET).setQuoteQuantity(100_000_000).setFilledQuantity(333_000)
                .setStatus(OrderStatus.ORDER_STATUS_FILLED).build(), BTC_USDT);
        assertEquals("100", j.getString("quoteQuantity"));
        assertEquals("0.00333", j.getString("quantity"), "not 0");
        assertEquals("0.00333", j.getString("filledQuantity"));
    }
}
