package io.trademesh.spot.store;

import io.trademesh.platform.engine.Outcome;
import io.trademesh.platform.events.Published;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.InvalidProtocolBufferException;
import io.trademesh.proto.common.BookDelta;
import io.trademesh.proto.common.Market;
import io.trademesh.proto.common.OrderStatus;
import io.trademesh.proto.common.OrderType;
import io.trademesh.proto.common.PublicTrade;
import io.trademesh.proto.common.SelfTradePrevention;
import io.trademesh.proto.common.Side;
import io.trademesh.proto.common.TimeInForce;
import io.trademesh.proto.journal.JournalRecord;
import io.trademesh.proto.events.AccountEvent;
import io.trademesh.proto.trading.CancelAllReply;
import io.trademesh.proto.trading.MarketReply;
import io.trademesh.proto.trading.OrderReply;
import io.trademesh.proto.spot.SpotCommand;
import io.trademesh.platform.trading.FillRecord;
import io.trademesh.platform.trading.OrderRecord;
import io.trademesh.platform.trading.OrderState;
import io.trademesh.proto.wallet.WalletTransferReply;
import io.trademesh.spot.engine.SpotCommands;
import io.trademesh.spot.engine.SpotEngine;
import io.trademesh.platform.trading.OrderBookView;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The whole state machine through journaled commands: replies, published events, the view (history, fills,
 * market stats), snapshot and restore, replay of journal records.
 */
class SpotStateMachineTest {

    static final long BTC = 100_000_000L;
    static final long USDT = 1_000_000L;
    static final long PRICE = 100;
    static final long T0 = 1_700_000_000_000L;
    static final Market BTC_USDT = SpotCommands.market("BTC-USDT", "BTC", 8, 2, 1, 10_000, 10_000, 100 * BTC,
            1_000_000 * PRICE, 0, 10, 20, 0, 1_000, 0);
    static final Market SOL_USDT = SpotCommands.market("SOL-USDT", "SOL", 9, 2, 1, 10_000_000, 10_000_000,
            1_000_000_000_000L, 1_000_000, 0, 0, 10, 0, 100, 1_000);

    private final SpotStateMachine machine = new SpotStateMachine();
    private final List<SpotCommand> journal = new ArrayList<>();
    private final List<Long> stamps = new ArrayList<>();
    private long now = T0;

    private Outcome apply(SpotCommand command) {
        return applyAt(now += 10, command);
    }

    private Outcome applyAt(long timestampMs, SpotCommand command) {
        now = timestampMs;
        journal.add(command);
        stamps.add(timestampMs);
        return machine.apply(timestampMs, command, true);
    }

    private OrderReply order(SpotCommand command) {
        return (OrderReply) apply(command).reply();
    }

    private static SpotCommand bid(long account, String clientId, long price, long quantity) {
        return SpotCommands.place(account, "BTC-USDT", clientId, Side.SIDE_BUY, OrderType.ORDER_TYPE_LIMIT,
                TimeInForce.TIME_IN_FORCE_GTC, price, quantity, 0, 0, SelfTradePrevention.STP_EXPIRE_TAKER);
    }

    private static SpotCommand ask(long account, String clientId, long price, long quantity) {
        return SpotCommands.place(account, "BTC-USDT", clientId, Side.SIDE_SELL, OrderType.ORDER_TYPE_LIMIT,
                TimeInForce.TIME_IN_FORCE_GTC, price, quantity, 0, 0, SelfTradePrevention.STP_EXPIRE_TAKER);
    }

    private static AccountEvent account(Published p) {
        try {
            return AccountEvent.parseFrom(p.payload());
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    /** Market, funds, a resting bid partly filled by a crossing ask, then the bid cancelled by client id. */
    private long[] tradeAndCancel() {
        assertEquals("BTC-USDT", ((MarketReply) apply(SpotCommands.createMarket(BTC_USDT)).reply()).getMarket()
                .getSymbol());
        apply(SpotCommands.credit("d1", 1, "USDT", 100_000 * USDT));
        apply(SpotCommands.credit("d2", 2, "BTC", 2 * BTC));
        long bid = order(bid(1, "b1", 30_000 * PRICE, BTC)).getOrder().getOrderId();
        long ask = order(ask(2, "", 29_999 * PRICE, 4 * BTC / 10)).getOrder().getOrderId();
        apply(SpotCommands.cancel(1, "BTC-USDT", 0, "b1"));
        return new long[] {bid, ask};
    }

    @Test
    void repliesFollowAnOrderFromPlacedToCancelled() {
        apply(SpotCommands.createMarket(BTC_USDT));
        apply(SpotCommands.credit("d1", 1, "USDT", 100_000 * USDT));
        apply(SpotCommands.credit("d2", 2, "BTC", 2 * BTC));

        OrderReply placed = order(bid(1, "b1", 30_000 * PRICE, BTC));
        assertTrue(placed.getAccepted());
        assertEquals(OrderStatus.ORDER_STATUS_NEW, placed.getOrder().getStatus());
        assertEquals("b1", placed.getOrder().getClientOrderId());
        long bid = placed.getOrder().getOrderId();

        OrderReply taker = order(ask(2, "", 29_999 * PRICE, 4 * BTC / 10));
        assertEquals(OrderStatus.ORDER_STATUS_FILLED, taker.getOrder().getStatus());
        assertEquals(1, taker.getFillsCount());
        assertEquals(30_000 * PRICE, taker.getFills(0).getPrice());
        assertEquals(24 * USDT, taker.getFills(0).getTakerFee());
        assertEquals(taker.getOrder().getOrderId(), taker.getFills(0).getTakerOrderId());

        OrderReply duplicate = order(bid(1, "b1", 29_000 * PRICE, 2 * BTC));
        assertTrue(duplicate.getDuplicate());
        assertEquals(bid, duplicate.getOrder().getOrderId());
        assertEquals(OrderStatus.ORDER_STATUS_PARTIALLY_FILLED, duplicate.getOrder().getStatus());
        assertEquals(4 * BTC / 10, duplicate.getOrder().getFilledQuantity());

        OrderReply cancelled = order(SpotCommands.cancel(1, "BTC-USDT", 0, "b1"));
        assertTrue(cancelled.getAccepted());
        assertEquals(bid, cancelled.getOrder().getOrderId());
        assertEquals(OrderStatus.ORDER_STATUS_CANCELLED, cancelled.getOrder().getStatus());

        OrderReply again = order(SpotCommands.cancel(1, "BTC-USDT", 0, "b1"));
        assertFalse(again.getAccepted());
        assertEquals("UNKNOWN_ORDER", again.getRejectReason());

        OrderReply broke = order(bid(3, "x", 30_000 * PRICE, BTC));
        assertFalse(broke.getAccepted());
        assertEquals("INSUFFICIENT_FUNDS", broke.getRejectReason());
        assertEquals(OrderStatus.ORDER_STATUS_REJECTED, broke.getOrder().getStatus());
        assertEquals(0, broke.getOrder().getOrderId());
    }

    @Test
    void aTradePublishesFillsTheTradeOneBookDeltaAndTradersBalances() {
        apply(SpotCommands.createMarket(BTC_USDT));
        apply(SpotCommands.credit("d1", 1, "USDT", 100_000 * USDT));
        apply(SpotCommands.credit("d2", 2, "BTC", 2 * BTC));
        long bid = order(bid(1, "", 30_000 * PRICE, BTC)).getOrder().getOrderId();
        long bookSequence = machine.view().stats(0).bookSequence();

        Outcome outcome = apply(ask(2, "", 29_999 * PRICE, 4 * BTC / 10));
        List<Published> events = outcome.events();
        assertTrue(events.stream().noneMatch(p -> p.address().equals("acct.0")), "the fee account is not published");

        List<Published> trades = events.stream().filter(p -> p.address().equals("md.BTC-USDT.trades"))
                .toList();
        assertEquals(1, trades.size());
        PublicTrade trade;
        BookDelta delta;
        try {
            trade = PublicTrade.parseFrom(trades.get(0).payload());
            delta = BookDelta.parseFrom(events.stream().filter(p -> p.address().equals("md.BTC-USDT.book"))
                    .reduce((a, b) -> {
                        throw new AssertionError("two book deltas for one command");
                    }).orElseThrow().payload());
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
        assertEquals(4 * BTC / 10, trade.getQuantity());
        assertEquals(Side.SIDE_SELL, trade.getTakerSide());
        assertEquals(bookSequence + 1, delta.getBookSequence());
        assertEquals(1, delta.getLevelsCount());
        assertEquals(6 * BTC / 10, delta.getLevels(0).getTotalQuantity());
        assertEquals(machine.engine().market(0).book().lastSequence(), delta.getMarketSequence());

        List<AccountEvent> fills = events.stream().filter(p -> p.address().startsWith("acct."))
                .map(SpotStateMachineTest::account).filter(AccountEvent::hasFill).toList();
        assertEquals(2, fills.size());
        assertEquals(bid, fills.get(0).getFill().getMakerOrderId());
        assertEquals(12 * USDT, fills.get(0).getFill().getMakerFee());
        assertEquals(0, fills.get(0).getFill().getTakerFee(), "a maker does not see the taker's fee");
        assertEquals(24 * USDT, fills.get(1).getFill().getTakerFee());

        List<AccountEvent> balances = events.stream().filter(p -> p.address().startsWith("acct."))
                .map(SpotStateMachineTest::account).filter(AccountEvent::hasBalance).toList();
        assertTrue(balances.stream().anyMatch(b -> b.getAccountId() == 2 && b.getBalance().getAsset().equals("USDT")
                && b.getBalance().getAvailable() == 11_976 * USDT));
        assertTrue(balances.stream().anyMatch(b -> b.getAccountId() == 1 && b.getBalance().getAsset().equals("BTC")
                && b.getBalance().getAvailable() == 4 * BTC / 10));

        Outcome refused = apply(bid(3, "", 30_000 * PRICE, BTC));
        assertEquals("INSUFFICIENT_FUNDS", refused.refusal().name());
        assertEquals(io.trademesh.proto.trading.RejectReason.REJECT_INSUFFICIENT_FUNDS,
                ((OrderReply) refused.reply()).getReason());
        assertTrue(refused.events().isEmpty(), "a refused order publishes nothing: " + refused.events());
        assertEquals(bookSequence + 1, machine.view().stats(0).bookSequence());
    }

    @Test
    void theViewKeepsHistoryFillsAndStatsAndASnapshotKeepsTheView() throws Exception {
        long[] ids = tradeAndCancel();
        OrderBookView view = machine.view();

        List<OrderRecord> history = view.history(1, -1, 10);
        assertEquals(1, history.size());
        assertEquals(ids[0], history.get(0).orderId);
        assertEquals(OrderState.CANCELLED, history.get(0).state);
        assertEquals(4 * BTC / 10, history.get(0).filledQuantity);
        assertEquals(OrderState.FILLED, view.order(2, ids[1]).state);
        assertTrue(view.openOrders(1, -1).isEmpty());

        List<FillRecord> makerFills = view.fills(1, 0, 10);
        assertEquals(1, makerFills.size());
        assertTrue(makerFills.get(0).maker());
        assertEquals(12 * USDT, makerFills.get(0).fee());
        assertEquals(24 * USDT, view.fills(2, -1, 10).get(0).fee());

        assertEquals(30_000 * PRICE, view.stats(0).lastPrice());
        assertArrayEquals(new long[] {4 * BTC / 10, 12_000 * USDT, 30_000 * PRICE, 30_000 * PRICE},
                view.stats(0).rolling24h(now));
        assertArrayEquals(new long[] {0, 0, 0, 0}, view.stats(0).rolling24h(now + 25 * 3_600_000L));
        assertEquals(3, view.stats(0).bookSequence());          // bid rests, the ask trades, the cancel

        byte[] state = machine.snapshot(journal.size()).state();
        SpotStateMachine restored = new SpotStateMachine();
        restored.restore(journal.size(), state);
        assertArrayEquals(state, restored.snapshot(journal.size()).state());
        assertEquals(OrderState.CANCELLED, restored.view().history(1, -1, 10).get(0).state);
        assertEquals(makerFills, restored.view().fills(1, 0, 10));
        assertArrayEquals(view.stats(0).rolling24h(now), restored.view().stats(0).rolling24h(now));
        assertEquals(3, restored.view().stats(0).bookSequence());
        assertEquals(11_976 * USDT, restored.engine().wallets().available(2, restored.engine().assetId("USDT")));
    }

    @Test
    void replayingTheJournalRecordsGivesTheLiveStateAndPublishesNothing() throws Exception {
        tradeAndCancel();
        apply(SpotCommands.createMarket(SOL_USDT));
        apply(SpotCommands.credit("d3", 3, "SOL", 5_000_000_000L));
        apply(SpotCommands.credit("d4", 4, "USDT", 1_000 * USDT));
        apply(SpotCommands.place(3, "SOL-USDT", "", Side.SIDE_SELL, OrderType.ORDER_TYPE_LIMIT,
                TimeInForce.TIME_IN_FORCE_GTD, 15_000, 1_000_000_000L, 0, now + 5_000,
                SelfTradePrevention.STP_UNSPECIFIED));
        apply(SpotCommands.place(4, "SOL-USDT", "", Side.SIDE_BUY, OrderType.ORDER_TYPE_LIMIT,
                TimeInForce.TIME_IN_FORCE_GTC, 15_100, 500_000_000L, 0, 0, SelfTradePrevention.STP_UNSPECIFIED));
        applyAt(now + 1_500, SpotCommands.tick());            // the auction trades half a SOL
        assertEquals(1, machine.engine().market(1).book().lastTradeId());
        applyAt(now + 6_000, SpotCommands.tick());            // the rest of the GTD sell expires
        assertEquals(0, machine.engine().market(1).book().orderCount());
        byte[] live = machine.snapshot(journal.size()).state();

        SpotStateMachine replayed = new SpotStateMachine();
        for (int i = 0; i < journal.size(); i++) {
            replayed.replay(JournalRecord.newBuilder().setSequence(i + 1).setTimestampMicros(stamps.get(i) * 1_000)
                    .setCommand(journal.get(i).toByteString()).build());
        }
        assertArrayEquals(live, replayed.snapshot(journal.size()).state());
        assertNull(new SpotStateMachine().apply(now, SpotCommands.tick(), false));
    }

    @Test
    void amendCancelAndCancelAllNameOrdersAsTheStateStandsAtThatPoint() {
        apply(SpotCommands.rules(SpotEngine.RULES));
        apply(SpotCommands.createMarket(BTC_USDT));
        apply(SpotCommands.createMarket(SOL_USDT));
        apply(SpotCommands.credit("d1", 1, "USDT", 100_000 * USDT));
        long first = order(bid(1, "b1", 30_000 * PRICE, BTC)).getOrder().getOrderId();

        OrderReply amended = order(SpotCommands.amend(1, "BTC-USDT", 0, "b1", 29_000 * PRICE, 0));
        assertTrue(amended.getAccepted());
        assertEquals(29_000 * PRICE, amended.getOrder().getPrice());
        OrderReply unknown = order(SpotCommands.amend(1, "BTC-USDT", 0, "nope", 29_000 * PRICE, 0));
        assertEquals("UNKNOWN_ORDER", unknown.getRejectReason());
        OrderReply wrongMarket = order(SpotCommands.amend(1, "ETH-USDT", first, "", 29_000 * PRICE, 0));
        assertEquals("UNKNOWN_MARKET", wrongMarket.getRejectReason());

        long second = order(SpotCommands.place(1, "SOL-USDT", "s1", Side.SIDE_BUY, OrderType.ORDER_TYPE_LIMIT,
                TimeInForce.TIME_IN_FORCE_GTC, 15_000, 100_000_000L, 0, 0, SelfTradePrevention.STP_UNSPECIFIED))
                .getOrder().getOrderId();
        CancelAllReply all = (CancelAllReply) apply(SpotCommands.cancelAll(1, "")).reply();
        assertEquals(List.of(first, second), all.getCancelledOrderIdsList());
        assertEquals(0, machine.engine().wallets().locked(1, machine.engine().assetId("USDT")));
        // A cancelled order's client id stays taken for the retention window: a retry gets the order back.
        assertEquals(first, machine.engine().orderIdForClientId(1, "b1"));
        OrderReply retried = order(bid(1, "b1", 30_000 * PRICE, BTC));
        assertTrue(retried.getDuplicate());
        assertEquals(first, retried.getOrder().getOrderId());
        assertEquals(io.trademesh.proto.common.OrderStatus.ORDER_STATUS_CANCELLED, retried.getOrder().getStatus());
    }

    /**
     * A journal replays under the rules it was written by: under rules 1 a finished order's
     * client id is free at once (a new order may take it), and a transfer id is kept forever;
     * after the journaled Rules command, finished ids are retained and transfer ids start
     * their window then.
     */
    @Test
    void recordsJournaledUnderOlderRulesReplayUnderThem() throws Exception {
        apply(SpotCommands.createMarket(BTC_USDT));
        apply(SpotCommands.credit("d1", 1, "USDT", 100_000 * USDT));
        long first = order(bid(1, "r1", 30_000 * PRICE, BTC)).getOrder().getOrderId();
        apply(SpotCommands.cancelAll(1, ""));
        OrderReply reused = order(bid(1, "r1", 30_000 * PRICE, BTC));
        assertTrue(!reused.getDuplicate() && reused.getOrder().getOrderId() != first, "rules 1: the id was free");
        applyAt(now + 30L * 24 * 60 * 60 * 1000, SpotCommands.tick());
        assertTrue(((WalletTransferReply) apply(SpotCommands.credit("d1", 1, "USDT", 100_000 * USDT)).reply())
                .getDuplicate(), "rules 1 keep transfer ids forever");

        apply(SpotCommands.rules(SpotEngine.RULES));
        assertEquals(SpotEngine.RULES, machine.engine().rules());
        apply(SpotCommands.cancelAll(1, ""));
        OrderReply retried = order(bid(1, "r1", 30_000 * PRICE, BTC));
        assertTrue(retried.getDuplicate(), "rules 2: a finished order's id is retained");
        assertEquals(reused.getOrder().getOrderId(), retried.getOrder().getOrderId());

        SpotStateMachine replayed = new SpotStateMachine();
        for (int i = 0; i < journal.size(); i++) {
            replayed.replay(JournalRecord.newBuilder().setSequence(i + 1).setTimestampMicros(stamps.get(i) * 1_000)
                    .setCommand(journal.get(i).toByteString()).build());
        }
        assertArrayEquals(machine.snapshot(journal.size()).state(), replayed.snapshot(journal.size()).state());
    }

    @Test
    void aSnapshotIsReadWholeOrNotAtAll() {
        tradeAndCancel();
        byte[] state = machine.snapshot(journal.size()).state();
        byte[] longer = Arrays.copyOf(state, state.length + 1);
        IOException trailing = assertThrows(IOException.class, () -> new SpotStateMachine().restore(1, longer));
        assertTrue(trailing.getMessage().contains("trailing"), trailing.getMessage());

        byte[] foreign = state.clone();
        foreign[0] ^= 0x7F;
        assertThrows(IOException.class, () -> new SpotStateMachine().restore(1, foreign));
    }
}
