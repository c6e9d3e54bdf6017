package io.trademesh.matching;

import static io.trademesh.matching.Side.BUY;
import static io.trademesh.matching.Side.SELL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CancelTest {
    private static final long A = 1;
    private static final long B = 2;

    private final Harness h = new Harness();

    @AfterEach
    void invariants() {
        BookInvariants.check(h.book);
    }

    @Test
    void cancelByOrderId() {
        final long first = h.limit(A, BUY, 100, 5);
        h.limit(B, BUY, 100, 2);
        h.clear();
        h.book.cancel(h.now, A, first);
        assertEquals(List.of(
            new Event.Done(5, first, A, 0, DoneReason.CANCELLED, 0, 5, 0),
            new Event.Delta(6, BUY, 100, 2, 1)), h.events());
        assertNull(h.book.order(first));
        assertEquals(0, h.book.openOrderCount(A));
    }

    @Test
    void cancelOfThePartlyFilledOrderReportsWhatWasLeft() {
        final long ask = h.limit(A, SELL, 100, 5);
        h.limit(B, BUY, 100, 2);
        h.clear();
        h.book.cancel(h.now, A, ask);
        assertEquals(new Event.Done(7, ask, A, 0, DoneReason.CANCELLED, 2, 3, 0), h.events().get(0));
        assertEquals(new Event.Delta(8, SELL, 100, 0, 0), h.events().get(1));
    }

    @Test
    void cancelOfAnUnknownOrAnotherAccountsOrderIsRejected() {
        final long bid = h.limit(A, BUY, 100, 5);
        h.clear();
        h.book.cancel(h.now, B, bid);
        assertEquals(new Event.Rejected(3, CommandType.CANCEL, bid, B, 0, RejectReason.UNKNOWN_ORDER, 0),
            h.onlyRejection());
        h.clear();
        h.book.cancel(h.now, A, 999);
        assertEquals(new Event.Rejected(4, CommandType.CANCEL, 999, A, 0, RejectReason.UNKNOWN_ORDER, 0),
            h.onlyRejection());
        assertEquals(1, h.resting().size());
    }

    @Test
    void cancelOfAFilledOrderIsRejected() {
        final long ask = h.limit(A, SELL, 100, 5);
        h.limit(B, BUY, 100, 5);
        h.clear();
        h.book.cancel(h.now, A, ask);
        assertEquals(RejectReason.UNKNOWN_ORDER, h.onlyRejection().reason());
    }

    @Test
    void cancelByClientOrderId() {
        final long bid = h.place(c -> c.accountId(A).clientOrderId(42).side(BUY).limit(100, 5));
        h.clear();
        h.book.cancelByClientOrderId(h.now, B, 42);
        assertEquals(new Event.Rejected(3, CommandType.CANCEL, 0, B, 42, RejectReason.UNKNOWN_ORDER, 0),
            h.onlyRejection());
        h.clear();
        h.book.cancelByClientOrderId(h.now, A, 0);
        assertEquals(RejectReason.UNKNOWN_ORDER, h.onlyRejection().reason());
        h.clear();
        h.book.cancelByClientOrderId(h.now, A, 42);
        assertEquals(new Event.Done(5, bid, A, 42, DoneReason.CANCELLED, 0, 5, 0), h.events().get(0));
        assertNull(h.book.orderByClientOrderId(A, 42));
    }

    @Test
    void massCancelTakesEveryOrderOfTheAccountInOrderIdOrder() {
        final long a1 = h.limit(A, BUY, 100, 1);
        final long b1 = h.limit(B, BUY, 100, 1);
        final long a2 = h.limit(A, SELL, 105, 1);
        final long a3 = h.limit(A, BUY, 99, 1);
        // move a1 to the back of another level: the mass cancel order stays by order id
        h.book.amend(h.now, A, a1, 98, 2);
        h.clear();
        assertEquals(3, h.book.massCancel(h.now, A));
        assertEquals(List.of(a1, a2, a3), h.dones().stream().map(Event.Done::orderId).toList());
        assertTrue(h.dones().stream().allMatch(d -> d.reason() == DoneReason.MASS_CANCELLED));
        assertEquals(3, h.deltas().size());
        assertEquals(List.of(b1), h.resting().stream().map(Resting::orderId).toList());
        assertEquals(0, h.book.openOrderCount(A));
        h.clear();
        assertEquals(0, h.book.massCancel(h.now, A));
        assertTrue(h.events().isEmpty());
    }
}
