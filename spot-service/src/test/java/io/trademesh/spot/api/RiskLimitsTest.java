package io.trademesh.spot.api;

import io.trademesh.platform.engine.Outcome;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trademesh.proto.common.Side;
import io.trademesh.proto.spot.CreateMarketRequest;
import io.trademesh.proto.trading.OrderReply;
import io.trademesh.proto.trading.PlaceOrderRequest;
import io.trademesh.proto.trading.SetAccountLimits;
import io.trademesh.proto.spot.SpotCommand;
import io.trademesh.proto.wallet.WalletTransferRequest;
import io.trademesh.spot.TestMarkets;
import io.trademesh.spot.store.SpotStateMachine;
import org.junit.jupiter.api.Test;

/** risk-service's limits as spot enforces them: journaled commands, refusals with reasons, kill switch cancels. */
class RiskLimitsTest {

    private final SpotStateMachine machine = new SpotStateMachine();
    private long now = 1_700_000_000_000L;

    private Outcome apply(SpotCommand c) {
        return machine.apply(now++, c, true);
    }

    private OrderReply bid(long price, long quantity) {
        return (OrderReply) apply(SpotCommand.newBuilder().setPlaceOrder(PlaceOrderRequest.newBuilder()
                .setAccountId(7).setMarket("BTC-USDT").setSide(Side.SIDE_BUY).setPrice(price).setQuantity(quantity))
                .build()).reply();
    }

    private void limits(int maxOpen, long maxNotional, boolean kill) {
        apply(SpotCommand.newBuilder().setSetLimits(SetAccountLimits.newBuilder().setAccountId(7)
                .setMaxOpenOrders(maxOpen).setMaxOrderNotional(maxNotional).setNotionalAsset("USDT")
                .setKillSwitch(kill)).build());
    }

    @Test
    void limitsRefuseAndTheKillSwitchCancels() {
        apply(SpotCommand.newBuilder().setCreateMarket(CreateMarketRequest.newBuilder()
                .setMarket(TestMarkets.btcUsdt())).build());
        apply(SpotCommand.newBuilder().setCredit(WalletTransferRequest.newBuilder().setTransferId("c1")
                .setAccountId(7).setAsset("USDT").setAmount(1_000_000 * TestMarkets.USDT)).build());
        long price = 30_000 * TestMarkets.PRICE;
        long tenth = TestMarkets.BTC / 10;

        limits(2, 10_000 * TestMarkets.USDT, false);
        assertTrue(bid(price, tenth).getAccepted());
        OrderReply tooBig = bid(price, TestMarkets.BTC); // 30,000 USDT > 10,000
        assertEquals("ORDER_NOTIONAL_LIMIT", tooBig.getRejectReason());
        assertTrue(bid(price - 100, tenth).getAccepted());
        assertEquals("OPEN_ORDER_LIMIT", bid(price - 200, tenth).getRejectReason());

        limits(0, 0, true);
        assertEquals(0, machine.view().openOrders(7, -1).size(), "the kill switch cancels every open order");
        assertEquals(0, machine.engine().wallets().locked(7, machine.engine().assetId("USDT")));
        assertEquals("KILL_SWITCH", bid(price, tenth).getRejectReason());

        limits(0, 0, false);
        assertTrue(bid(price, tenth).getAccepted(), "lifting the limits lets orders through again");
    }
}
