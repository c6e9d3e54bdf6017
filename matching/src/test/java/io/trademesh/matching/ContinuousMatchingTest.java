package io.trademesh.matching;

import static io.trademesh.matching.Side.BUY;
import static io.trademesh.matching.Side.SELL;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ContinuousMatchingTest {
    private static final long A = 11;
    private static final long B = 12;
    private static final long C = 13;
    private static final long D = 14;
    private static final long E = 15;

    private Harness h = new Harness();

    @AfterEach
    void invariants() {
        BookInvariants.check(h.book);
    }

    @Test
    void limitOrderThatDoesNotCrossRests() {
        final long id = h.limit(A, BUY, 100, 5);
        assertEquals(List.of(
            new Event.Accepted(1, id, A, 0, BUY, OrderType.LIMIT, TimeInForce.GTC, SelfTradePrevention.EXPIRE_TAKER,
                100, 5, 0, 0),
            new Event.Delta(2, BUY, 100, 5, 1)), h.events());
        assertEquals(100, h.book.bestBidPrice());
        assertEquals(5, h.book.bestBidQuantity());
        assertEquals(OrderBook.NO_PRICE, h.book.bestAskPrice());
        assertEquals(1, h.book.openOrderCount(A));
    }

    @Test
    void partialFillsAcrossLevelsInPriceThenTimeOrder() {
        final long s1 = h.limit(A, SELL, 101, 5);
        final long s2 = h.limit(B, SELL, 101, 3);
        final long s3 = h.limit(C, SELL, 102, 4);
        final long s4 = h.limit(D, SELL, 103, 10);
        h.clear();
        final long buy = h.limit(E, BUY, 102, 10);
        assertEquals(List.of(
            new Event.Accepted(9, buy, E, 0, BUY, OrderType.LIMIT, TimeInForce.GTC, SelfTradePrevention.EXPIRE_TAKER,
                102, 10, 0, 0),
            new Event.Fill(10, 1, 101, 5, BUY, s1, A, 0, buy, E, 0, false),
            new Event.Done(11, s1, A, 0, DoneReason.FILLED, 5, 0, 0),
            new Event.Fill(12, 2, 101, 3, BUY, s2, B, 0, buy, E, 0, false),
            new Event.Done(13, s2, B, 0, DoneReason.FILLED, 3, 0, 0),
            new Event.Delta(14, SELL, 101, 0, 0),
            new Event.Fill(15, 3, 102, 2, BUY, s3, C, 0, buy, E, 0, false),
            new Event.Delta(16, SELL, 102, 2, 1),
            new Event.Done(17, buy, E, 0, DoneReason.FILLED, 10, 0, 0)), h.events());
        assertEquals(List.of(
            new Resting(SELL, 102, s3, C, 0, TimeInForce.GTC, 4, 2, 0, 3),
            new Resting(SELL, 103, s4, D, 0, TimeInForce.GTC, 10, 0, 0, 4)), h.resting(SELL));
        assertEquals(102, h.book.lastTradePrice());
        assertEquals(3, h.book.lastTradeId());
        assertEquals(0, h.book.openOrderCount(A));
        assertEquals(0, h.book.openOrderCount(E));
    }

    @Test
    void takerTradesAtMakerPriceAndRestsItsRemainder() {
        final long sell = h.limit(A, SELL, 101, 4);
        h.clear();
        final long buy = h.limit(B, BUY, 105, 10);
        assertEquals(List.of(
            new Event.Fill(4, 1, 101, 4, BUY, sell, A, 0, buy, B, 0, false),
            new Event.Done(5, sell, A, 0, DoneReason.FILLED, 4, 0, 0),
            new Event.Delta(6, SELL, 101, 0, 0),
            new Event.Delta(7, BUY, 105, 6, 1)), h.events().subList(1, 5));
        assertEquals(List.of(new Resting(BUY, 105, buy, B, 0, TimeInForce.GTC, 10, 4, 0, 2)), h.resting());
    }

    @Test
    void sellTakerWalksBidsFromTheHighest() {
        h.limit(A, BUY, 99, 2);
        h.limit(B, BUY, 101, 2);
        h.limit(C, BUY, 100, 2);
        h.clear();
        h.limit(D, SELL, 99, 5);
        assertEquals(List.of(101L, 100L, 99L), h.fills().stream().map(Event.Fill::price).toList());
        assertEquals(List.of(2L, 2L, 1L), h.fills().stream().map(Event.Fill::quantity).toList());
        assertEquals(List.of(new Resting(BUY, 99, 1, A, 0, TimeInForce.GTC, 2, 1, 0, 1)), h.resting());
    }

    @Test
    void ordersAtOnePriceFillFirstInFirstOut() {
        final long first = h.limit(A, SELL, 100, 3);
        final long second = h.limit(B, SELL, 100, 3);
        final long third = h.limit(C, SELL, 100, 3);
        h.clear();
        h.limit(D, BUY, 100, 4);
        assertEquals(List.of(first, second), h.fills().stream().map(Event.Fill::makerOrderId).toList());
        assertEquals(List.of(second, third), h.resting(SELL).stream().map(Resting::orderId).toList());
        assertEquals(2, h.resting(SELL).get(0).leaves());
    }

    @Test
    void marketOrderSweepsAndExpiresWhatTheBookCannotGive() {
        h.limit(A, SELL, 100, 5);
        h.limit(B, SELL, 110, 10);
        h.clear();
        final long market = h.market(C, BUY, 20);
        assertEquals(new Event.Accepted(5, market, C, 0, BUY, OrderType.MARKET, TimeInForce.IOC,
            SelfTradePrevention.EXPIRE_TAKER, 0, 20, 0, 0), h.events().get(0));
        assertEquals(List.of(100L, 110L), h.fills().stream().map(Event.Fill::price).toList());
        assertEquals(new Event.Done(h.book.lastSequence(), market, C, 0, DoneReason.IOC_REMAINDER, 15, 5, 0),
            h.events().get(h.events().size() - 1));
        assertTrue(h.resting().isEmpty());
    }

    @Test
    void marketOrderFilledExactly() {
        h.limit(A, BUY, 100, 5);
        h.clear();
        final long market = h.market(B, SELL, 5);
        assertEquals(new Event.Done(h.book.lastSequence(), market, B, 0, DoneReason.FILLED, 5, 0, 0),
            h.events().get(h.events().size() - 1));
    }

    @Test
    void iocLimitTradesWhatCrossesAndExpiresTheRest() {
        h.limit(A, SELL, 100, 3);
        h.limit(B, SELL, 102, 3);
        h.clear();
        final long ioc = h.limit(C, BUY, 101, 5, TimeInForce.IOC);
        assertEquals(1, h.fills().size());
        assertEquals(new Event.Done(h.book.lastSequence(), ioc, C, 0, DoneReason.IOC_REMAINDER, 3, 2, 0),
            h.events().get(h.events().size() - 1));
        assertEquals(0, h.book.levelCount(BUY));
    }

    @Test
    void iocThatDoesNotCrossIsAcceptedThenExpiredWhole() {
        h.limit(A, SELL, 105, 3);
        h.clear();
        final long ioc = h.limit(C, BUY, 101, 5, TimeInForce.IOC);
        assertEquals(2, h.events().size());
        assertEquals(new Event.Done(4, ioc, C, 0, DoneReason.IOC_REMAINDER, 0, 5, 0), h.events().get(1));
    }

    @Test
    void fokThatCannotFillChangesNothing() {
        h.limit(A, SELL, 100, 3);
        h.limit(B, SELL, 101, 3);
        h.limit(C, BUY, 98, 3);
        final List<Resting> before = h.resting();
        final long tradesBefore = h.book.lastTradeId();
        h.clear();
        final long fok = h.limit(D, BUY, 101, 7, TimeInForce.FOK);
        assertEquals(new Event.Rejected(7, CommandType.NEW_ORDER, fok, D, 0, RejectReason.FOK_CANNOT_FILL, 0),
            h.onlyRejection());
        assertEquals(before, h.resting());
        assertEquals(tradesBefore, h.book.lastTradeId());
        assertEquals(OrderBook.NO_PRICE, h.book.lastTradePrice());
    }

    @Test
    void fokLimitBeyondItsPriceCannotFill() {
        h.limit(A, SELL, 100, 3);
        h.limit(B, SELL, 102, 10);
        h.clear();
        h.limit(D, BUY, 101, 5, TimeInForce.FOK);
        assertEquals(RejectReason.FOK_CANNOT_FILL, h.onlyRejection().reason());
    }

    @Test
    void fokThatCanFillFillsCompletely() {
        h.limit(A, SELL, 100, 3);
        h.limit(B, SELL, 101, 3);
        h.clear();
        final long fok = h.limit(D, BUY, 101, 6, TimeInForce.FOK);
        assertEquals(2, h.fills().size());
        assertEquals(new Event.Done(h.book.lastSequence(), fok, D, 0, DoneReason.FILLED, 6, 0, 0),
            h.events().get(h.events().size() - 1));
        assertTrue(h.resting().isEmpty());
    }

    @Test
    void fokMarketOrder() {
        h.limit(A, BUY, 100, 3);
        h.clear();
        h.place(c -> c.accountId(B).side(SELL).market(4).timeInForce(TimeInForce.FOK));
        assertEquals(RejectReason.FOK_CANNOT_FILL, h.onlyRejection().reason());
        h.clear();
        final long fok = h.place(c -> c.accountId(B).side(SELL).market(3).timeInForce(TimeInForce.FOK));
        assertEquals(DoneReason.FILLED, h.dones().get(h.dones().size() - 1).reason());
        assertEquals(fok, h.dones().get(h.dones().size() - 1).orderId());
    }

    @Test
    void postOnlyRestsWhenItDoesNotCross() {
        h.limit(A, SELL, 101, 3);
        h.clear();
        final long post = h.limit(B, BUY, 100, 3, TimeInForce.POST_ONLY);
        assertEquals(2, h.events().size());
        assertEquals(TimeInForce.POST_ONLY, h.book.order(post).timeInForce());
    }

    @Test
    void postOnlyThatWouldTakeIsRejected() {
        h.limit(A, SELL, 101, 3);
        final byte[] before = stateWithoutCounters();
        h.clear();
        final long post = h.limit(B, BUY, 101, 3, TimeInForce.POST_ONLY);
        assertEquals(new Event.Rejected(3, CommandType.NEW_ORDER, post, B, 0, RejectReason.POST_ONLY_WOULD_TAKE, 0),
            h.onlyRejection());
        assertEquals(1, h.resting().size());
        assertArrayEquals(before, stateWithoutCounters());
    }

    @Test
    void marketBuyByQuoteSpendsUpToTheAmount() {
        h.limit(A, SELL, 100, 2);
        h.limit(B, SELL, 110, 3);
        h.clear();
        // 500 quote: 2 @ 100 = 200, then floor(300 / 110) = 2 @ 110 = 220; 80 left buys nothing at 110.
        final long buy = h.place(c -> c.accountId(C).side(BUY).marketByQuote(500));
        assertEquals(new Event.Accepted(5, buy, C, 0, BUY, OrderType.MARKET, TimeInForce.IOC,
            SelfTradePrevention.EXPIRE_TAKER, 0, 0, 500, 0), h.events().get(0));
        assertEquals(List.of(2L, 2L), h.fills().stream().map(Event.Fill::quantity).toList());
        assertEquals(new Event.Done(h.book.lastSequence(), buy, C, 0, DoneReason.FILLED, 4, 0, 80),
            h.events().get(h.events().size() - 1));
        assertEquals(1, h.resting(SELL).get(0).leaves());
    }

    @Test
    void marketBuyByQuoteThatSpendsEverything() {
        h.limit(A, SELL, 100, 5);
        h.clear();
        final long buy = h.place(c -> c.accountId(C).side(BUY).marketByQuote(300));
        assertEquals(new Event.Done(h.book.lastSequence(), buy, C, 0, DoneReason.FILLED, 3, 0, 0),
            h.events().get(h.events().size() - 1));
    }

    @Test
    void marketBuyByQuoteThatRunsOutOfBook() {
        h.limit(A, SELL, 100, 2);
        h.clear();
        final long buy = h.place(c -> c.accountId(C).side(BUY).marketByQuote(1_000));
        assertEquals(new Event.Done(h.book.lastSequence(), buy, C, 0, DoneReason.IOC_REMAINDER, 2, 0, 800),
            h.events().get(h.events().size() - 1));
    }

    @Test
    void marketBuyByQuoteThatCannotAffordOneLot() {
        h.limit(A, SELL, 100, 2);
        h.clear();
        final long buy = h.place(c -> c.accountId(C).side(BUY).marketByQuote(99));
        assertEquals(List.of(
            new Event.Accepted(3, buy, C, 0, BUY, OrderType.MARKET, TimeInForce.IOC,
                SelfTradePrevention.EXPIRE_TAKER, 0, 0, 99, 0),
            new Event.Done(4, buy, C, 0, DoneReason.IOC_REMAINDER, 0, 0, 99)), h.events());
    }

    @Test
    void marketSellByQuoteReceivesUpToTheAmount() {
        h.limit(A, BUY, 100, 2);
        h.limit(B, BUY, 90, 5);
        h.clear();
        // receive up to 290: 2 @ 100 = 200, then floor(90 / 90) = 1 @ 90 = 90: exactly 290.
        final long sell = h.place(c -> c.accountId(C).side(SELL).marketByQuote(290));
        assertEquals(List.of(2L, 1L), h.fills().stream().map(Event.Fill::quantity).toList());
        assertEquals(new Event.Done(h.book.lastSequence(), sell, C, 0, DoneReason.FILLED, 3, 0, 0),
            h.events().get(h.events().size() - 1));
    }

    @Test
    void marketByQuoteHonoursLotsAndDivisor() {
        // price units of 0.01, base units of 0.001 (lot 10 = 0.01), quote units of 0.0001: divisor 10.
        h = new Harness(Harness.config().lotSize(10).minQuantity(10).notionalDivisor(10).build());
        h.limit(A, SELL, 2_500, 100);
        h.clear();
        // 30_000 quote units buy floor(30_000 * 10 / 2_500) = 120 -> 120 lot-aligned, but only 100 rest.
        final long buy = h.place(c -> c.accountId(C).side(BUY).marketByQuote(30_000));
        assertEquals(100, h.fills().get(0).quantity());
        assertEquals(new Event.Done(h.book.lastSequence(), buy, C, 0, DoneReason.IOC_REMAINDER, 100, 0, 5_000),
            h.events().get(h.events().size() - 1));
    }

    @Test
    void fokByQuote() {
        h.limit(A, SELL, 100, 2);
        h.clear();
        h.place(c -> c.accountId(C).side(BUY).marketByQuote(300).timeInForce(TimeInForce.FOK));
        assertEquals(RejectReason.FOK_CANNOT_FILL, h.onlyRejection().reason());
        h.clear();
        final long fok = h.place(c -> c.accountId(C).side(BUY).marketByQuote(250).timeInForce(TimeInForce.FOK));
        // 2 @ 100 uses 200; 50 left cannot buy another lot, and the book is empty anyway: not FILLED.
        assertEquals(RejectReason.FOK_CANNOT_FILL, h.onlyRejection().reason());
        h.limit(B, SELL, 100, 1);
        h.clear();
        final long filled = h.place(c -> c.accountId(C).side(BUY).marketByQuote(250).timeInForce(TimeInForce.FOK));
        assertEquals(new Event.Done(h.book.lastSequence(), filled, C, 0, DoneReason.FILLED, 2, 0, 50),
            h.events().get(h.events().size() - 1));
        assertTrue(fok < filled);
    }

    @Test
    void feesChargeTheTakerAndRebateTheMaker() {
        h = new Harness(Harness.config().makerFeeBps(-2).takerFeeBps(7).build());
        h.limit(A, SELL, 1_001, 100);
        h.clear();
        h.limit(B, BUY, 1_001, 100);
        // notional 100_100: taker ceil(70.07) = 71; maker ceil(-20.02) = -20 (the rebate rounds toward zero)
        final Event.Fill fill = h.fills().get(0);
        assertEquals(71, fill.takerFee());
        assertEquals(-20, fill.makerFee());
    }

    @Test
    void feesOfManySmallFillsAddUpToOneRounding() {
        h = new Harness(Harness.config().takerFeeBps(1).build());
        for (int i = 0; i < 10; i++) {
            h.limit(100 + i, SELL, 1_000, 1);
        }
        h.clear();
        h.limit(B, BUY, 1_000, 10);
        // each fill: notional 1_000 -> 0.1 fee. Rounded per fill that would be 10; per order it is ceil(1.0) = 1.
        final List<Long> fees = h.fills().stream().map(Event.Fill::takerFee).toList();
        assertEquals(1, fees.stream().mapToLong(Long::longValue).sum());
        assertEquals(1L, fees.get(0));
        assertTrue(fees.stream().mapToLong(Long::longValue).sum() <= h.book.config().maxFee(10_000));
    }

    @Test
    void priceBandRejectsLimitsOutsideAndStopsMarketOrders() {
        h = new Harness(Harness.config().priceBandBps(1_000).build());
        // no reference yet: no band
        h.limit(A, SELL, 100, 1);
        h.limit(B, BUY, 100, 1);
        assertEquals(100, h.book.referencePrice());
        h.clear();
        h.limit(A, SELL, 111, 1);
        assertEquals(RejectReason.PRICE_OUTSIDE_BAND, h.onlyRejection().reason());
        h.clear();
        h.limit(A, BUY, 89, 1);
        assertEquals(RejectReason.PRICE_OUTSIDE_BAND, h.onlyRejection().reason());
        h.limit(A, SELL, 110, 2);
        h.book.setReferencePrice(h.now, 90);
        h.limit(C, SELL, 99, 1);
        h.clear();
        // band now [81, 99]: the market buy takes the ask at 99 and may not reach 110
        final long market = h.market(D, BUY, 5);
        assertEquals(List.of(99L), h.fills().stream().map(Event.Fill::price).toList());
        assertEquals(DoneReason.IOC_REMAINDER, h.dones().get(h.dones().size() - 1).reason());
        assertEquals(market, h.dones().get(h.dones().size() - 1).orderId());
        h.clear();
        // the reference moved to 99 with the trade; band [90, 108]; 110 is still out of reach
        h.market(D, BUY, 1);
        assertEquals(RejectReason.NO_LIQUIDITY, h.onlyRejection().reason());
    }

    @Test
    void sequenceIsGapFreeAcrossEventKinds() {
        h.limit(A, SELL, 100, 1);
        h.limit(A, SELL, 0, 1);
        h.limit(B, BUY, 100, 1);
        h.book.cancel(h.now, A, 999);
        long expected = 1;
        for (final Event event : h.events()) {
            assertEquals(expected++, event.sequence());
        }
        assertEquals(expected - 1, h.book.lastSequence());
    }

    private byte[] stateWithoutCounters() {
        final StringBuilder text = new StringBuilder();
        h.resting().forEach(r -> text.append(r).append('\n'));
        return text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
