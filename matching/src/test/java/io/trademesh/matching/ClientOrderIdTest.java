package io.trademesh.matching;

import static io.trademesh.matching.Side.BUY;
import static io.trademesh.matching.Side.SELL;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ClientOrderIdTest {
    private static final long A = 1;
    private static final long B = 2;

    private final Harness h = new Harness();

    @AfterEach
    void invariants() {
        BookInvariants.check(h.book);
    }

    private long withClientId(final long account, final long clientId, final Side side, final long price,
                              final TimeInForce tif) {
        return h.place(c -> c.accountId(account).clientOrderId(clientId).side(side).limit(price, 5).timeInForce(tif));
    }

    @Test
    void aRepeatedOpenClientOrderIdIsAnsweredWithTheExistingOrder() {
        final long original = withClientId(A, 9, BUY, 100, TimeInForce.GTC);
        h.clear();
        final long retry = withClientId(A, 9, BUY, 100, TimeInForce.GTC);
        assertEquals(new Event.Rejected(3, CommandType.NEW_ORDER, retry, A, 9,
            RejectReason.DUPLICATE_CLIENT_ORDER_ID, original), h.onlyRejection());
        assertEquals(1, h.resting().size());
        assertEquals(retry, h.book.lastOrderId());
    }

    @Test
    void theDuplicateCheckComesBeforeOtherValidation() {
        final long original = withClientId(A, 9, BUY, 100, TimeInForce.GTC);
        h.clear();
        h.place(c -> c.accountId(A).clientOrderId(9).side(BUY).limit(0, 5));
        assertEquals(original, h.onlyRejection().existingOrderId());
    }

    @Test
    void clientOrderIdsArePerAccount() {
        withClientId(A, 9, BUY, 100, TimeInForce.GTC);
        withClientId(B, 9, BUY, 100, TimeInForce.GTC);
        assertEquals(2, h.resting().size());
    }

    @Test
    void aClientOrderIdIsFreeAgainOnceTheOrderIsDone() {
        final long original = withClientId(A, 9, BUY, 100, TimeInForce.GTC);
        h.book.cancel(h.now, A, original);
        h.clear();
        final long again = withClientId(A, 9, BUY, 100, TimeInForce.GTC);
        assertEquals(again, h.book.orderByClientOrderId(A, 9).orderId());
    }

    @Test
    void anIocOrderNeverHoldsItsClientOrderId() {
        h.limit(B, SELL, 100, 2);
        withClientId(A, 9, BUY, 100, TimeInForce.IOC);
        h.clear();
        final long next = withClientId(A, 9, BUY, 99, TimeInForce.GTC);
        assertEquals(next, h.book.orderByClientOrderId(A, 9).orderId());
    }

    @Test
    void zeroMeansNoClientOrderId() {
        h.limit(A, BUY, 100, 1);
        h.limit(A, BUY, 100, 1);
        assertEquals(2, h.book.openOrderCount(A));
        assertEquals(null, h.book.orderByClientOrderId(A, 0));
    }
}
