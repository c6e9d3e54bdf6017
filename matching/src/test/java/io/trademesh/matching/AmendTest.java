package io.trademesh.matching;

import static io.trademesh.matching.Side.BUY;
import static io.trademesh.matching.Side.SELL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AmendTest {
    private static final long A = 1;
    private static final long B = 2;
    private static final long C = 3;

    private final Harness h = new Harness();

    @AfterEach
    void invariants() {
        BookInvariants.check(h.book);
    }

    private List<Long> bidQueue() {
        return h.resting(BUY).stream().map(Resting::orderId).toList();
    }

    @Test
    void sizeDecreaseKeepsTimePriority() {
        final long first = h.limit(A, BUY, 100, 5);
        final long second = h.limit(B, BUY, 100, 5);
        h.clear();
        h.book.amend(h.now, A, first, 100, 3);
        assertEquals(List.of(
            new Event.Amended(5, first, A, 0, 100, 3, 3, true),
            new Event.Delta(6, BUY, 100, 8, 2)), h.events());
        assertEquals(List.of(first, second), bidQueue());
        h.clear();
        h.limit(C, SELL, 100, 4);
        assertEquals(List.of(first, second), h.fills().stream().map(Event.Fill::makerOrderId).toList());
        assertEquals(List.of(3L, 1L), h.fills().stream().map(Event.Fill::quantity).toList());
    }

    @Test
    void sizeIncreaseLosesTimePriority() {
        final long first = h.limit(A, BUY, 100, 5);
        final long second = h.limit(B, BUY, 100, 5);
        h.clear();
        h.book.amend(h.now, A, first, 100, 8);
        assertEquals(List.of(
            new Event.Amended(5, first, A, 0, 100, 8, 8, false),
            new Event.Delta(6, BUY, 100, 13, 2)), h.events());
        assertEquals(List.of(second, first), bidQueue());
    }

    @Test
    void sizeIncreaseOfTheOnlyOrderAtALevel() {
        final long only = h.limit(A, BUY, 100, 5);
        h.clear();
        h.book.amend(h.now, A, only, 100, 6);
        assertEquals(List.of(
            new Event.Amended(3, only, A, 0, 100, 6, 6, false),
            new Event.Delta(4, BUY, 100, 6, 1)), h.events());
    }

    @Test
    void priceChangeMovesToTheBackOfTheNewLevel() {
        final long first = h.limit(A, BUY, 100, 5);
        final long second = h.limit(B, BUY, 100, 5);
        final long other = h.limit(C, BUY, 99, 5);
        h.clear();
        h.book.amend(h.now, A, first, 99, 5);
        assertEquals(List.of(
            new Event.Amended(7, first, A, 0, 99, 5, 5, false),
            new Event.Delta(8, BUY, 100, 5, 1),
            new Event.Delta(9, BUY, 99, 10, 2)), h.events());
        assertEquals(List.of(second, other, first), bidQueue());
        h.book.amend(h.now, A, first, 100, 5);
        assertEquals(List.of(second, first, other), bidQueue());
    }

    @Test
    void priceChangeThatCrossesTradesAsTakerAndRestsTheRest() {
        final long bid = h.limit(A, BUY, 100, 5);
        final long ask = h.limit(B, SELL, 102, 3);
        h.clear();
        h.book.amend(h.now, A, bid, 102, 5);
        assertEquals(List.of(
            new Event.Amended(5, bid, A, 0, 102, 5, 5, false),
            new Event.Delta(6, BUY, 100, 0, 0),
            new Event.Fill(7, 1, 102, 3, BUY, ask, B, 0, bid, A, 0, false),
            new Event.Done(8, ask, B, 0, DoneReason.FILLED, 3, 0, 0),
            new Event.Delta(9, SELL, 102, 0, 0),
            new Event.Delta(10, BUY, 102, 2, 1)), h.events());
        assertEquals(List.of(new Resting(BUY, 102, bid, A, 0, TimeInForce.GTC, 5, 3, 0, 3)), h.resting());
    }

    @Test
    void priceChangeThatCrossesAndFillsCompletes() {
        final long bid = h.limit(A, BUY, 100, 2);
        h.limit(B, SELL, 101, 3);
        h.clear();
        h.book.amend(h.now, A, bid, 101, 2);
        assertEquals(new Event.Done(h.book.lastSequence(), bid, A, 0, DoneReason.FILLED, 2, 0, 0),
            h.events().get(h.events().size() - 1));
        assertNull(h.book.order(bid));
        assertEquals(0, h.book.openOrderCount(A));
    }

    @Test
    void amendToTheFilledQuantityCompletesTheOrder() {
        final long ask = h.limit(A, SELL, 100, 10);
        h.limit(B, BUY, 100, 4);
        h.clear();
        h.book.amend(h.now, A, ask, 100, 4);
        assertEquals(List.of(
            new Event.Amended(7, ask, A, 0, 100, 4, 0, true),
            new Event.Done(8, ask, A, 0, DoneReason.FILLED, 4, 0, 0),
            new Event.Delta(9, SELL, 100, 0, 0)), h.events());
        assertTrue(h.resting().isEmpty());
    }

    @Test
    void amendBelowTheFilledQuantityAlsoCompletesIt() {
        final long ask = h.limit(A, SELL, 100, 10);
        h.limit(B, BUY, 100, 4);
        h.clear();
        h.book.amend(h.now, A, ask, 100, 2);
        assertEquals(new Event.Amended(7, ask, A, 0, 100, 4, 0, true), h.events().get(0));
        assertEquals(DoneReason.FILLED, h.dones().get(0).reason());
    }

    @Test
    void amendOfAPartlyFilledOrderCountsTheFilledPart() {
        final long ask = h.limit(A, SELL, 100, 10);
        h.limit(B, BUY, 100, 4);
        h.clear();
        h.book.amend(h.now, A, ask, 100, 7);
        assertEquals(new Event.Amended(7, ask, A, 0, 100, 7, 3, true), h.events().get(0));
        assertEquals(new Event.Delta(8, SELL, 100, 3, 1), h.events().get(1));
    }

    @Test
    void amendByClientOrderId() {
        final long bid = h.place(c -> c.accountId(A).clientOrderId(77).side(BUY).limit(100, 5));
        h.clear();
        h.book.amendByClientOrderId(h.now, A, 77, 101, 5);
        assertEquals(new Event.Amended(3, bid, A, 77, 101, 5, 5, false), h.events().get(0));
        h.clear();
        h.book.amendByClientOrderId(h.now, B, 77, 101, 5);
        assertEquals(new Event.Rejected(6, CommandType.AMEND, 0, B, 77, RejectReason.UNKNOWN_ORDER, 0),
            h.onlyRejection());
    }

    @Test
    void amendOfAnUnknownOrAnotherAccountsOrderIsRejected() {
        final long bid = h.limit(A, BUY, 100, 5);
        h.clear();
        h.book.amend(h.now, B, bid, 100, 3);
        assertEquals(new Event.Rejected(3, CommandType.AMEND, bid, B, 0, RejectReason.UNKNOWN_ORDER, 0),
            h.onlyRejection());
        h.clear();
        h.book.amend(h.now, A, 12345, 100, 3);
        assertEquals(RejectReason.UNKNOWN_ORDER, h.onlyRejection().reason());
        assertEquals(5, h.resting().get(0).quantity());
    }

    @Test
    void amendThatWouldMakeAPostOnlyOrderTakeIsRejected() {
        final long bid = h.limit(A, BUY, 100, 5, TimeInForce.POST_ONLY);
        h.limit(B, SELL, 101, 5);
        final List<Resting> before = h.resting();
        h.clear();
        h.book.amend(h.now, A, bid, 101, 5);
        assertEquals(new Event.Rejected(5, CommandType.AMEND, bid, A, 0, RejectReason.POST_ONLY_WOULD_TAKE, 0),
            h.onlyRejection());
        assertEquals(before, h.resting());
    }

    @Test
    void amendIsValidatedLikeANewOrder() {
        final Harness strict = new Harness(Harness.config().tickSize(5).lotSize(2).minQuantity(4).maxQuantity(100)
            .minNotional(400).build());
        final long bid = strict.limit(A, BUY, 100, 10);
        final List<Resting> before = strict.resting();
        final Object[][] cases = {
            {0L, 10L, RejectReason.INVALID_PRICE},
            {102L, 10L, RejectReason.PRICE_NOT_ON_TICK},
            {100L, 0L, RejectReason.INVALID_QUANTITY},
            {100L, 11L, RejectReason.QUANTITY_NOT_ON_LOT},
            {100L, 2L, RejectReason.QUANTITY_BELOW_MIN},
            {100L, 102L, RejectReason.QUANTITY_ABOVE_MAX},
            {35L, 10L, RejectReason.NOTIONAL_BELOW_MIN},
        };
        for (final Object[] c : cases) {
            strict.clear();
            strict.book.amend(strict.now, A, bid, (Long) c[0], (Long) c[1]);
            assertEquals(c[2], strict.onlyRejection().reason(), () -> java.util.Arrays.toString(c));
            assertEquals(before, strict.resting());
        }
    }

    @Test
    void amendThatChangesNothingIsReportedWithoutADelta() {
        final long bid = h.limit(A, BUY, 100, 5);
        h.clear();
        h.book.amend(h.now, A, bid, 100, 5);
        assertEquals(List.of(new Event.Amended(3, bid, A, 0, 100, 5, 5, true)), h.events());
    }

    @Test
    void amendKeepsGtdExpiry() {
        final long bid = h.place(c -> c.accountId(A).side(BUY).limit(100, 5).timeInForce(TimeInForce.GTD)
            .expireAtMs(5_000));
        h.book.amend(h.now, A, bid, 101, 6);
        assertEquals(5_000, h.book.order(bid).expireAtMs());
        h.clear();
        h.book.tick(5_000);
        assertEquals(DoneReason.EXPIRED, h.dones().get(0).reason());
    }
}
