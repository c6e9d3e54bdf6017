package io.trademesh.matching;

import static io.trademesh.matching.Side.BUY;
import static io.trademesh.matching.Side.SELL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GtdExpiryTest {
    private static final long A = 1;
    private static final long B = 2;

    private final Harness h = new Harness();

    @AfterEach
    void invariants() {
        BookInvariants.check(h.book);
    }

    private long gtd(final long account, final Side side, final long price, final long expireAtMs) {
        return h.place(c -> c.accountId(account).side(side).limit(price, 5).timeInForce(TimeInForce.GTD)
            .expireAtMs(expireAtMs));
    }

    @Test
    void anyCommandAtOrAfterTheExpiryTimeExpiresTheOrderFirst() {
        final long order = gtd(A, SELL, 100, 2_000);
        h.now = 1_999;
        h.limit(B, BUY, 90, 1);
        assertEquals(order, h.book.order(order).orderId());
        h.clear();
        h.now = 2_000;
        final long buy = h.limit(B, BUY, 100, 1);
        assertEquals(List.of(
            new Event.Done(5, order, A, 0, DoneReason.EXPIRED, 0, 5, 0),
            new Event.Delta(6, SELL, 100, 0, 0),
            new Event.Accepted(7, buy, B, 0, BUY, OrderType.LIMIT, TimeInForce.GTC, SelfTradePrevention.EXPIRE_TAKER,
                100, 1, 0, 0),
            new Event.Delta(8, BUY, 100, 1, 1)), h.events());
    }

    @Test
    void tickExpiresInExpiryThenOrderIdOrder() {
        final long late = gtd(A, BUY, 100, 3_000);
        final long second = gtd(A, BUY, 99, 2_500);
        final long first = gtd(B, BUY, 98, 2_500);
        final long never = h.limit(B, BUY, 97, 5);
        h.clear();
        h.book.tick(2_999);
        assertEquals(List.of(second, first), h.dones().stream().map(Event.Done::orderId).toList());
        h.clear();
        h.book.tick(10_000);
        assertEquals(List.of(late), h.dones().stream().map(Event.Done::orderId).toList());
        assertEquals(List.of(never), h.resting().stream().map(Resting::orderId).toList());
    }

    @Test
    void aCancelledGtdOrderDoesNotExpireLater() {
        final long order = gtd(A, BUY, 100, 2_000);
        final long other = gtd(A, BUY, 101, 2_000);
        h.book.cancel(h.now, A, order);
        h.clear();
        h.book.tick(2_000);
        assertEquals(List.of(other), h.dones().stream().map(Event.Done::orderId).toList());
    }

    @Test
    void aFilledGtdOrderLeavesTheExpiryQueue() {
        gtd(A, SELL, 100, 2_000);
        h.limit(B, BUY, 100, 5);
        h.clear();
        h.book.tick(2_000);
        assertTrue(h.events().isEmpty());
    }

    @Test
    void expiryTimeMustBeAfterTheClock() {
        h.now = 5_000;
        gtd(A, BUY, 100, 5_000);
        h.clear();
        gtd(A, BUY, 100, 5_000);
        assertEquals(RejectReason.EXPIRE_TIME_IN_PAST, h.onlyRejection().reason());
        h.clear();
        final long ok = gtd(A, BUY, 100, 5_001);
        assertEquals(5_001, h.book.order(ok).expireAtMs());
    }

    @Test
    void theClockNeverGoesBack() {
        h.book.tick(10_000);
        h.now = 4_000;
        h.clear();
        gtd(A, BUY, 100, 6_000);
        assertEquals(RejectReason.EXPIRE_TIME_IN_PAST, h.onlyRejection().reason());
        assertEquals(10_000, h.book.clockMs());
    }

    @Test
    void gtdRequiresAnExpiryAndOthersMustNotHaveOne() {
        h.place(c -> c.accountId(A).side(BUY).limit(100, 1).timeInForce(TimeInForce.GTD));
        h.clear();
        h.place(c -> c.accountId(A).side(BUY).limit(100, 1).expireAtMs(9_000));
        assertEquals(RejectReason.MALFORMED_COMMAND, h.onlyRejection().reason());
        assertNull(h.book.order(h.nextOrderId - 1));
    }
}
