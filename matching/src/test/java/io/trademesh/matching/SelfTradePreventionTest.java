package io.trademesh.matching;

import static io.trademesh.matching.Side.BUY;
import static io.trademesh.matching.Side.SELL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The book for every test: asks at 100 from B (3), then A (5, the taker's own), then C (4). A then buys 10 @ 100.
 */
class SelfTradePreventionTest {
    private static final long A = 1;
    private static final long B = 2;
    private static final long C = 3;

    private final Harness h = new Harness();
    private long askB;
    private long askA;
    private long askC;

    @BeforeEach
    void book() {
        askB = h.limit(B, SELL, 100, 3);
        askA = h.limit(A, SELL, 100, 5);
        askC = h.limit(C, SELL, 100, 4);
        h.clear();
    }

    @AfterEach
    void invariants() {
        BookInvariants.check(h.book);
    }

    private long buyTen(final SelfTradePrevention stp) {
        return h.place(c -> c.accountId(A).side(BUY).limit(100, 10).selfTradePrevention(stp));
    }

    @Test
    void expireTakerIsTheDefaultAndStopsAtTheOwnOrder() {
        final long buy = h.place(c -> c.accountId(A).side(BUY).limit(100, 10));
        assertEquals(List.of(
            new Event.Fill(8, 1, 100, 3, BUY, askB, B, 0, buy, A, 0, false),
            new Event.Done(9, askB, B, 0, DoneReason.FILLED, 3, 0, 0),
            new Event.Delta(10, SELL, 100, 9, 2),
            new Event.Done(11, buy, A, 0, DoneReason.SELF_TRADE_PREVENTION, 3, 7, 0)), h.events().subList(1, 5));
        assertEquals(List.of(askA, askC), h.resting(SELL).stream().map(Resting::orderId).toList());
        assertTrue(h.resting(BUY).isEmpty());
    }

    @Test
    void expireTakerWhenTheOwnOrderIsFirstTradesNothing() {
        final Harness fresh = new Harness();
        final long own = fresh.limit(A, SELL, 100, 5);
        fresh.limit(B, SELL, 100, 5);
        fresh.clear();
        final long buy = fresh.place(c -> c.accountId(A).side(BUY).limit(100, 10));
        assertEquals(List.of(new Event.Done(6, buy, A, 0, DoneReason.SELF_TRADE_PREVENTION, 0, 10, 0)),
            fresh.events().subList(1, fresh.events().size()));
        assertEquals(own, fresh.resting(SELL).get(0).orderId());
    }

    @Test
    void expireMakerCancelsTheOwnOrderAndKeepsMatching() {
        final long buy = buyTen(SelfTradePrevention.EXPIRE_MAKER);
        assertEquals(List.of(
            new Event.Fill(8, 1, 100, 3, BUY, askB, B, 0, buy, A, 0, false),
            new Event.Done(9, askB, B, 0, DoneReason.FILLED, 3, 0, 0),
            new Event.Done(10, askA, A, 0, DoneReason.SELF_TRADE_PREVENTION, 0, 5, 0),
            new Event.Fill(11, 2, 100, 4, BUY, askC, C, 0, buy, A, 0, false),
            new Event.Done(12, askC, C, 0, DoneReason.FILLED, 4, 0, 0),
            new Event.Delta(13, SELL, 100, 0, 0),
            new Event.Delta(14, BUY, 100, 3, 1)), h.events().subList(1, 8));
        assertEquals(List.of(new Resting(BUY, 100, buy, A, 0, TimeInForce.GTC, 10, 7, 0, 4)), h.resting());
    }

    @Test
    void expireBothCancelsBoth() {
        final long buy = buyTen(SelfTradePrevention.EXPIRE_BOTH);
        assertEquals(List.of(
            new Event.Fill(8, 1, 100, 3, BUY, askB, B, 0, buy, A, 0, false),
            new Event.Done(9, askB, B, 0, DoneReason.FILLED, 3, 0, 0),
            new Event.Done(10, askA, A, 0, DoneReason.SELF_TRADE_PREVENTION, 0, 5, 0),
            new Event.Delta(11, SELL, 100, 4, 1),
            new Event.Done(12, buy, A, 0, DoneReason.SELF_TRADE_PREVENTION, 3, 7, 0)), h.events().subList(1, 6));
        assertEquals(List.of(askC), h.resting().stream().map(Resting::orderId).toList());
    }

    @Test
    void noneLetsTheAccountTradeWithItself() {
        final long buy = buyTen(SelfTradePrevention.NONE);
        assertEquals(List.of(askB, askA, askC), h.fills().stream().map(Event.Fill::makerOrderId).toList());
        assertEquals(List.of(3L, 5L, 2L), h.fills().stream().map(Event.Fill::quantity).toList());
        assertEquals(A, h.fills().get(1).makerAccountId());
        assertEquals(A, h.fills().get(1).takerAccountId());
        assertEquals(DoneReason.FILLED, h.dones().get(h.dones().size() - 1).reason());
        assertEquals(buy, h.dones().get(h.dones().size() - 1).orderId());
    }

    @Test
    void fokWithExpireTakerCannotFillPastItsOwnOrder() {
        h.place(c -> c.accountId(A).side(BUY).limit(100, 4).timeInForce(TimeInForce.FOK));
        assertEquals(RejectReason.FOK_CANNOT_FILL, h.onlyRejection().reason());
        assertEquals(3, h.resting().size());
    }

    @Test
    void fokWithExpireMakerFillsFromOthersAndCancelsTheOwnOrder() {
        final long fok = h.place(c -> c.accountId(A).side(BUY).limit(100, 7).timeInForce(TimeInForce.FOK)
            .selfTradePrevention(SelfTradePrevention.EXPIRE_MAKER));
        assertEquals(List.of(askB, askC), h.fills().stream().map(Event.Fill::makerOrderId).toList());
        assertEquals(List.of(askA, askB, askC, fok).size(), h.dones().size());
        assertTrue(h.resting().isEmpty());
        h.clear();
        final Harness other = new Harness();
        other.limit(B, SELL, 100, 3);
        other.limit(A, SELL, 100, 5);
        other.clear();
        other.place(c -> c.accountId(A).side(BUY).limit(100, 4).timeInForce(TimeInForce.FOK)
            .selfTradePrevention(SelfTradePrevention.EXPIRE_MAKER));
        assertEquals(RejectReason.FOK_CANNOT_FILL, other.onlyRejection().reason());
        assertEquals(2, other.resting().size());
    }

    @Test
    void marketOrderWithOnlyOwnLiquidityIsExpiredBySelfTradePrevention() {
        final Harness fresh = new Harness();
        fresh.limit(A, SELL, 100, 5);
        fresh.clear();
        final long market = fresh.market(A, BUY, 2);
        assertEquals(new Event.Done(4, market, A, 0, DoneReason.SELF_TRADE_PREVENTION, 0, 2, 0),
            fresh.events().get(1));
    }

    /**
     * A market buy by quote that cannot afford another lot is finished (FILLED) before it reaches its own order: the
     * own order is neither expired (EXPIRE_MAKER) nor the cause of the taker's end (EXPIRE_TAKER).
     */
    @Test
    void aQuoteBudgetRunsOutBeforeSelfTradePreventionApplies() {
        for (final SelfTradePrevention stp : new SelfTradePrevention[] {SelfTradePrevention.EXPIRE_TAKER,
            SelfTradePrevention.EXPIRE_MAKER, SelfTradePrevention.EXPIRE_BOTH}) {
            final Harness fresh = new Harness();
            fresh.limit(B, SELL, 100, 4);
            final long own = fresh.limit(A, SELL, 100, 2);
            fresh.clear();
            // 250 buys 2 @ 100 from B; the 50 left cannot buy a lot at 100
            final long buy = fresh.place(c -> c.accountId(A).side(BUY).marketByQuote(250).selfTradePrevention(stp));
            assertEquals(List.of(new Event.Done(fresh.book.lastSequence(), buy, A, 0, DoneReason.FILLED, 2, 0, 50)),
                fresh.dones(), stp.name());
            assertEquals(List.of(1L, own), fresh.resting(SELL).stream().map(Resting::orderId).toList());
        }
    }

    @Test
    void amendIntoTheBookUsesTheOrdersOwnMode() {
        final long bid = h.place(c -> c.accountId(A).side(BUY).limit(99, 4)
            .selfTradePrevention(SelfTradePrevention.EXPIRE_MAKER));
        h.clear();
        h.book.amend(h.now, A, bid, 100, 4);
        assertEquals(List.of(askB, askC), h.fills().stream().map(Event.Fill::makerOrderId).toList());
        assertEquals(List.of(askB, askA, bid), h.dones().stream().map(Event.Done::orderId).toList());
        assertEquals(List.of(3L, 1L), h.fills().stream().map(Event.Fill::quantity).toList());
    }
}
