package io.trademesh.matching;

import static io.trademesh.matching.Side.BUY;
import static io.trademesh.matching.Side.SELL;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * One test per refusal. Each checks the reason and that the book did not change; {@link #everyReasonIsCovered} makes
 * sure no reason code is left without a test.
 */
class ValidationTest {
    private static final long A = 1;
    private static final long B = 2;
    private static final Set<RejectReason> SEEN = EnumSet.noneOf(RejectReason.class);

    /** tick 5, lot 2, qty 4..1000, price <= 100_000, notional >= 400, two open orders per account. */
    private static MarketConfig.Builder strict() {
        return Harness.config().tickSize(5).lotSize(2).minQuantity(4).maxQuantity(1_000).maxPrice(100_000)
            .minNotional(400).maxOpenOrdersPerAccount(2);
    }

    private Harness h = new Harness(strict().build());

    /** Runs {@code command} and checks it was refused for {@code reason} without touching the book. */
    private void expect(final RejectReason reason, final Runnable command) {
        final List<Resting> before = h.resting();
        final long trades = h.book.lastTradeId();
        final long reference = h.book.referencePrice();
        h.clear();
        command.run();
        assertEquals(reason, h.onlyRejection().reason());
        assertEquals(before, h.resting());
        assertEquals(trades, h.book.lastTradeId());
        assertEquals(reference, h.book.referencePrice());
        BookInvariants.check(h.book);
        SEEN.add(reason);
    }

    private void expectNew(final RejectReason reason, final Consumer<NewOrder> order) {
        expect(reason, () -> h.place(order));
    }

    @AfterAll
    static void everyReasonIsCovered() {
        assertEquals(EnumSet.allOf(RejectReason.class), SEEN);
    }

    @Test
    void malformed() {
        expectNew(RejectReason.MALFORMED_COMMAND, c -> c.accountId(A).limit(100, 4));
        expectNew(RejectReason.MALFORMED_COMMAND, c -> c.accountId(A).side(BUY).limit(100, 4).type(null));
        expectNew(RejectReason.MALFORMED_COMMAND, c -> c.accountId(A).side(BUY).limit(100, 4).timeInForce(null));
        expectNew(RejectReason.MALFORMED_COMMAND, c -> c.accountId(A).side(BUY).limit(100, 4)
            .selfTradePrevention(null));
        expectNew(RejectReason.MALFORMED_COMMAND, c -> c.accountId(A).side(BUY).limit(100, 4).orderId(0));
        expectNew(RejectReason.MALFORMED_COMMAND, c -> c.accountId(A).side(BUY).limit(100, 4).quoteQuantity(500));
        expectNew(RejectReason.MALFORMED_COMMAND, c -> c.accountId(A).side(BUY).limit(100, 4).expireAtMs(9_999));
        h.limit(B, SELL, 100, 4);
        expectNew(RejectReason.MALFORMED_COMMAND, c -> c.accountId(A).side(BUY).market(4).quoteQuantity(500));
        expectNew(RejectReason.MALFORMED_COMMAND, c -> c.accountId(A).side(BUY).market(4).expireAtMs(9_999));
    }

    @Test
    void orderIdNotIncreasing() {
        h.limit(A, BUY, 100, 4);
        expect(RejectReason.ORDER_ID_NOT_INCREASING, () -> h.book.placeOrder(h.command.clear().orderId(1)
            .accountId(A).side(BUY).limit(100, 4)));
    }

    @Test
    void invalidPrice() {
        expectNew(RejectReason.INVALID_PRICE, c -> c.accountId(A).side(BUY).limit(0, 4));
        expectNew(RejectReason.INVALID_PRICE, c -> c.accountId(A).side(BUY).limit(-5, 4));
        expectNew(RejectReason.INVALID_PRICE, c -> c.accountId(A).side(BUY).limit(100_005, 4));
        h.limit(B, SELL, 100, 4);
        expectNew(RejectReason.INVALID_PRICE, c -> c.accountId(A).side(BUY).market(4).price(100));
        expect(RejectReason.INVALID_PRICE, () -> h.book.setReferencePrice(h.now, 0));
    }

    @Test
    void priceNotOnTick() {
        expectNew(RejectReason.PRICE_NOT_ON_TICK, c -> c.accountId(A).side(BUY).limit(101, 4));
        expect(RejectReason.PRICE_NOT_ON_TICK, () -> h.book.setReferencePrice(h.now, 103));
    }

    @Test
    void invalidQuantity() {
        expectNew(RejectReason.INVALID_QUANTITY, c -> c.accountId(A).side(BUY).limit(100, 0));
        expectNew(RejectReason.INVALID_QUANTITY, c -> c.accountId(A).side(BUY).limit(100, -4));
        h.limit(B, SELL, 100, 4);
        expectNew(RejectReason.INVALID_QUANTITY, c -> c.accountId(A).side(BUY).market(0));
        expectNew(RejectReason.INVALID_QUANTITY, c -> c.accountId(A).side(BUY).marketByQuote(-400));
    }

    @Test
    void quantityNotOnLot() {
        expectNew(RejectReason.QUANTITY_NOT_ON_LOT, c -> c.accountId(A).side(BUY).limit(100, 5));
    }

    @Test
    void quantityBelowMin() {
        expectNew(RejectReason.QUANTITY_BELOW_MIN, c -> c.accountId(A).side(BUY).limit(1_000, 2));
    }

    @Test
    void quantityAboveMax() {
        expectNew(RejectReason.QUANTITY_ABOVE_MAX, c -> c.accountId(A).side(BUY).limit(100, 1_002));
    }

    @Test
    void quantityThatWouldOverflowTheSideTotal() {
        final long huge = Long.MAX_VALUE - 1;
        h = new Harness(Harness.config().maxPrice(1).maxQuantity(huge).build());
        h.limit(A, BUY, 1, huge / 2 + 1);
        expectNew(RejectReason.QUANTITY_ABOVE_MAX, c -> c.accountId(B).side(BUY).limit(1, huge / 2 + 1));
    }

    @Test
    void notionalBelowMin() {
        expectNew(RejectReason.NOTIONAL_BELOW_MIN, c -> c.accountId(A).side(BUY).limit(95, 4));
        h.limit(B, SELL, 100, 4);
        expectNew(RejectReason.NOTIONAL_BELOW_MIN, c -> c.accountId(A).side(BUY).marketByQuote(399));
    }

    @Test
    void notionalAboveMax() {
        h.limit(B, SELL, 100, 4);
        final long max = h.book.config().maxNotional();
        assertEquals(100_000L * 1_000, max);
        expectNew(RejectReason.NOTIONAL_ABOVE_MAX, c -> c.accountId(A).side(BUY).marketByQuote(max + 1));
    }

    @Test
    void priceOutsideBand() {
        h = new Harness(strict().priceBandBps(500).build());
        h.book.setReferencePrice(h.now, 1_000);
        expectNew(RejectReason.PRICE_OUTSIDE_BAND, c -> c.accountId(A).side(BUY).limit(1_055, 4));
        expectNew(RejectReason.PRICE_OUTSIDE_BAND, c -> c.accountId(A).side(SELL).limit(945, 4));
        final long inside = h.limit(A, SELL, 950, 4);
        assertEquals(inside, h.book.order(inside).orderId());
        expect(RejectReason.PRICE_OUTSIDE_BAND, () -> h.book.amend(h.now, A, inside, 1_055, 4));
    }

    @Test
    void invalidTimeInForce() {
        h.limit(B, SELL, 100, 4);
        expectNew(RejectReason.INVALID_TIME_IN_FORCE, c -> c.accountId(A).side(BUY).market(4)
            .timeInForce(TimeInForce.GTC));
        expectNew(RejectReason.INVALID_TIME_IN_FORCE, c -> c.accountId(A).side(BUY).market(4)
            .timeInForce(TimeInForce.POST_ONLY));
        expectNew(RejectReason.INVALID_TIME_IN_FORCE, c -> c.accountId(A).side(BUY).marketByQuote(1_000)
            .timeInForce(TimeInForce.GTD));
    }

    @Test
    void expireTimeInPast() {
        expectNew(RejectReason.EXPIRE_TIME_IN_PAST, c -> c.accountId(A).side(BUY).limit(100, 4)
            .timeInForce(TimeInForce.GTD).expireAtMs(h.now));
    }

    @Test
    void notAllowedInAuction() {
        h = new Harness(strict().auction(1_000).build());
        h.limit(B, SELL, 100, 4);
        expectNew(RejectReason.NOT_ALLOWED_IN_AUCTION, c -> c.accountId(A).side(BUY).market(4));
        expectNew(RejectReason.NOT_ALLOWED_IN_AUCTION, c -> c.accountId(A).side(BUY).limit(100, 4)
            .timeInForce(TimeInForce.FOK));
        expectNew(RejectReason.NOT_ALLOWED_IN_AUCTION, c -> c.accountId(A).side(BUY).limit(95, 4)
            .timeInForce(TimeInForce.POST_ONLY));
    }

    @Test
    void maxOpenOrders() {
        h.limit(A, BUY, 100, 4);
        h.limit(A, BUY, 105, 4);
        expectNew(RejectReason.MAX_OPEN_ORDERS, c -> c.accountId(A).side(BUY).limit(110, 4));
        // an IOC cannot rest, so it is not limited
        h.clear();
        h.limit(A, SELL, 200, 4, TimeInForce.IOC);
        assertEquals(DoneReason.IOC_REMAINDER, h.dones().get(0).reason());
    }

    @Test
    void duplicateClientOrderId() {
        h.place(c -> c.accountId(A).clientOrderId(5).side(BUY).limit(100, 4));
        expectNew(RejectReason.DUPLICATE_CLIENT_ORDER_ID, c -> c.accountId(A).clientOrderId(5).side(SELL)
            .limit(200, 4));
    }

    @Test
    void postOnlyWouldTake() {
        h.limit(B, SELL, 100, 4);
        expectNew(RejectReason.POST_ONLY_WOULD_TAKE, c -> c.accountId(A).side(BUY).limit(105, 4)
            .timeInForce(TimeInForce.POST_ONLY));
    }

    @Test
    void fokCannotFill() {
        h.limit(B, SELL, 100, 4);
        expectNew(RejectReason.FOK_CANNOT_FILL, c -> c.accountId(A).side(BUY).limit(100, 6)
            .timeInForce(TimeInForce.FOK));
    }

    @Test
    void noLiquidity() {
        expectNew(RejectReason.NO_LIQUIDITY, c -> c.accountId(A).side(BUY).market(4));
        h.limit(B, BUY, 100, 4);
        expectNew(RejectReason.NO_LIQUIDITY, c -> c.accountId(A).side(BUY).marketByQuote(1_000));
    }

    @Test
    void unknownOrder() {
        expect(RejectReason.UNKNOWN_ORDER, () -> h.book.cancel(h.now, A, 77));
        expect(RejectReason.UNKNOWN_ORDER, () -> h.book.amend(h.now, A, 77, 100, 4));
        expect(RejectReason.UNKNOWN_ORDER, () -> h.book.cancelByClientOrderId(h.now, A, 77));
        expect(RejectReason.UNKNOWN_ORDER, () -> h.book.amendByClientOrderId(h.now, A, 77, 100, 4));
    }

    @Test
    void aRejectedNewOrderStillUsesUpItsId() {
        final long rejected = h.place(c -> c.accountId(A).side(BUY).limit(0, 4));
        assertEquals(rejected, h.book.lastOrderId());
        h.clear();
        h.book.placeOrder(h.command.clear().timestampMs(h.now).orderId(rejected).accountId(A).side(BUY)
            .limit(100, 4));
        assertEquals(RejectReason.ORDER_ID_NOT_INCREASING, h.onlyRejection().reason());
    }
}
