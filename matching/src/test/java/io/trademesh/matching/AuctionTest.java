package io.trademesh.matching;

import static io.trademesh.matching.Side.BUY;
import static io.trademesh.matching.Side.SELL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Batch auctions every 1,000 ms. Orders are placed at t = 1,000, so the first auction is due at 2,000. */
class AuctionTest {
    private static final long A = 1;
    private static final long B = 2;
    private static final long C = 3;

    private Harness h = new Harness(Harness.config().auction(1_000).build());

    @AfterEach
    void invariants() {
        BookInvariants.check(h.book);
    }

    private void assertNotCrossed() {
        final long bid = h.book.bestBidPrice();
        final long ask = h.book.bestAskPrice();
        assertTrue(bid == 0 || ask == 0 || bid < ask, "crossed after the auction: " + bid + " / " + ask);
    }

    /**
     * Worked example.
     * <pre>
     *   buys:  B1 10 @ 102, B2 5 @ 101, B3 10 @ 99      sells: S1 8 @ 98, S2 7 @ 100, S3 10 @ 103
     *   price   98  99  100  101  102  103
     *   D(p)    25  25   15   15   10    0      (buy quantity priced >= p)
     *   S(p)     8   8   15   15   15   25      (sell quantity priced <= p)
     *   volume   8   8   15   15   10    0
     *   |D-S|              0    0
     * </pre>
     * 100 and 101 tie on volume and imbalance; with no reference price the lower wins: 100. Allocation at 100 in
     * price-time order: B1/S1 8, B1/S2 2, B2/S2 5. Of each pair the earlier order is the maker: B1 and B2 were placed
     * before the sells. B3 and S3 stay.
     */
    @Test
    void clearsAtThePriceOfMaximumVolume() {
        final long b1 = h.limit(A, BUY, 102, 10);
        final long b2 = h.limit(A, BUY, 101, 5);
        final long b3 = h.limit(A, BUY, 99, 10);
        final long s1 = h.limit(B, SELL, 98, 8);
        final long s2 = h.limit(B, SELL, 100, 7);
        final long s3 = h.limit(B, SELL, 103, 10);
        assertTrue(h.fills().isEmpty());
        final AuctionIndication indication = new AuctionIndication();
        assertTrue(h.book.indicativeAuction(indication));
        assertEquals(100, indication.price);
        assertEquals(15, indication.volume);
        assertEquals(15, indication.buyQuantity);
        assertEquals(15, indication.sellQuantity);
        h.clear();
        h.book.tick(1_999);
        assertTrue(h.events().isEmpty());
        h.book.tick(2_000);
        assertEquals(List.of(
            new Event.Fill(13, 1, 100, 8, SELL, b1, A, 0, s1, B, 0, true),
            new Event.Done(14, s1, B, 0, DoneReason.FILLED, 8, 0, 0),
            new Event.Delta(15, SELL, 98, 0, 0),
            new Event.Fill(16, 2, 100, 2, SELL, b1, A, 0, s2, B, 0, true),
            new Event.Done(17, b1, A, 0, DoneReason.FILLED, 10, 0, 0),
            new Event.Delta(18, BUY, 102, 0, 0),
            new Event.Fill(19, 3, 100, 5, SELL, b2, A, 0, s2, B, 0, true),
            new Event.Done(20, b2, A, 0, DoneReason.FILLED, 5, 0, 0),
            new Event.Delta(21, BUY, 101, 0, 0),
            new Event.Done(22, s2, B, 0, DoneReason.FILLED, 7, 0, 0),
            new Event.Delta(23, SELL, 100, 0, 0),
            new Event.Auction(24, 100, 15)), h.events());
        assertEquals(List.of(b3, s3), h.resting().stream().map(Resting::orderId).toList());
        assertEquals(100, h.book.lastTradePrice());
        assertEquals(3_000, h.book.nextAuctionAtMs());
        assertNotCrossed();
    }

    /** The same book with reference price 101 clears at 101 (the tie-break after volume and imbalance). */
    @Test
    void tiesGoToThePriceClosestToTheReference() {
        h.limit(A, BUY, 102, 10);
        h.limit(A, BUY, 101, 5);
        h.limit(A, BUY, 99, 10);
        h.limit(B, SELL, 98, 8);
        h.limit(B, SELL, 100, 7);
        h.limit(B, SELL, 103, 10);
        h.book.setReferencePrice(h.now, 101);
        h.clear();
        h.book.tick(2_000);
        assertEquals(new Event.Auction(h.book.lastSequence(), 101, 15), h.events().get(h.events().size() - 1));
        assertTrue(h.fills().stream().allMatch(f -> f.price() == 101));
    }

    /**
     * Worked example: the best price lies between two order prices.
     * <pre>
     *   buys: 5 @ 100, 10 @ 102        sells: 10 @ 100, 5 @ 102
     *   price   100  101  102
     *   D(p)     15   10   10
     *   S(p)     10   10   15
     *   volume   10   10   10
     *   |D-S|     5    0    5      -> 101, where no order is priced
     * </pre>
     * At 101 the buy at 102 meets the sell at 100; the buy at 100 and the sell at 102 stay.
     */
    @Test
    void leastImbalanceCanPickAPriceBetweenOrders() {
        final long lowBuy = h.limit(A, BUY, 100, 5);
        final long highBuy = h.limit(A, BUY, 102, 10);
        final long lowSell = h.limit(B, SELL, 100, 10);
        final long highSell = h.limit(B, SELL, 102, 5);
        h.clear();
        h.book.tick(2_000);
        assertEquals(List.of(new Event.Fill(9, 1, 101, 10, SELL, highBuy, A, 0, lowSell, B, 0, true)), h.fills());
        assertEquals(List.of(lowBuy, highSell), h.resting().stream().map(Resting::orderId).toList());
        assertNotCrossed();
    }

    /**
     * Worked example: buy 10 @ 105 against sell 10 @ 100. Every price from 100 to 105 trades 10 with no imbalance,
     * so the reference decides: none -> the lowest (100); 103 -> 103; 110 -> 105 (closest allowed); 90 -> 100.
     */
    @Test
    void referencePriceDecidesAmongEqualPrices() {
        assertEquals(100, clearingPriceWithReference(0));
        assertEquals(103, clearingPriceWithReference(103));
        assertEquals(105, clearingPriceWithReference(110));
        assertEquals(100, clearingPriceWithReference(90));
    }

    private long clearingPriceWithReference(final long reference) {
        h = new Harness(Harness.config().auction(1_000).build());
        h.limit(A, BUY, 105, 10);
        h.limit(B, SELL, 100, 10);
        if (reference != 0) {
            h.book.setReferencePrice(h.now, reference);
        }
        h.book.tick(2_000);
        final List<Event.Auction> auctions = h.events(Event.Auction.class);
        assertEquals(1, auctions.size());
        assertEquals(10, auctions.get(0).quantity());
        return auctions.get(0).price();
    }

    @Test
    void unfilledGtcRestsAndIocRemaindersAreCancelledAfterTheAuction() {
        final long ioc = h.limit(A, BUY, 100, 10, TimeInForce.IOC);
        final long farIoc = h.limit(A, BUY, 90, 3, TimeInForce.IOC);
        final long gtc = h.limit(C, BUY, 95, 3);
        final long sell = h.limit(B, SELL, 100, 4);
        assertEquals(2, h.book.openOrderCount(A));
        h.clear();
        h.book.tick(2_000);
        assertEquals(List.of(4L), h.fills().stream().map(Event.Fill::quantity).toList());
        assertEquals(List.of(
            new Event.Done(10, sell, B, 0, DoneReason.FILLED, 4, 0, 0),
            new Event.Done(14, ioc, A, 0, DoneReason.IOC_REMAINDER, 4, 6, 0),
            new Event.Done(16, farIoc, A, 0, DoneReason.IOC_REMAINDER, 0, 3, 0)), h.dones());
        assertEquals(List.of(gtc), h.resting().stream().map(Resting::orderId).toList());
        assertEquals(0, h.book.openOrderCount(A));
    }

    @Test
    void ordersArrivingAfterTheBoundaryWaitForTheNextAuction() {
        h.now = 1_500;
        h.limit(A, BUY, 100, 5);
        assertEquals(2_000, h.book.nextAuctionAtMs());
        h.now = 1_800;
        h.limit(B, SELL, 100, 2);
        h.clear();
        // the auction due at 2,000 runs before this order is accepted; the order itself waits for 3,000
        h.now = 2_500;
        final long late = h.limit(C, SELL, 99, 3);
        assertEquals(Event.Fill.class, h.events().get(0).getClass());
        assertEquals(new Event.Auction(9, 100, 2), h.events().get(4));
        assertTrue(h.events().get(5) instanceof Event.Accepted);
        assertEquals(3_000, h.book.nextAuctionAtMs());
        assertEquals(99, h.book.bestAskPrice());
        assertEquals(100, h.book.bestBidPrice());
        h.clear();
        // many intervals later: one auction, then the schedule resumes after the clock
        h.book.tick(10_500);
        assertEquals(List.of(late), h.fills().stream().map(Event.Fill::takerOrderId).toList());
        assertEquals(11_000, h.book.nextAuctionAtMs());
        assertNotCrossed();
    }

    @Test
    void gtdOrdersExpiringAfterTheAuctionTimeTakePartInIt() {
        final long early = h.place(c -> c.accountId(B).side(SELL).limit(100, 2).timeInForce(TimeInForce.GTD)
            .expireAtMs(1_900));
        final long late = h.place(c -> c.accountId(B).side(SELL).limit(100, 2).timeInForce(TimeInForce.GTD)
            .expireAtMs(2_050));
        h.limit(A, BUY, 100, 4);
        h.clear();
        h.book.tick(2_100);
        assertEquals(List.of(early, late), h.dones().stream().map(Event.Done::orderId).toList().subList(0, 2));
        assertEquals(DoneReason.EXPIRED, h.dones().get(0).reason());
        // the GTD sell was there first, so it is the maker
        assertEquals(List.of(late), h.fills().stream().map(Event.Fill::makerOrderId).toList());
    }

    /**
     * Worked example of a second round. B (account 1) sells 10 @ 100, C (account 2) sells 10 @ 101, then A (account
     * 1) buys 10 @ 102 with EXPIRE_MAKER.
     * <pre>
     *   round 1   price  100  101  102        round 2 (B gone)  price  101  102
     *             D(p)    10   10   10                          D(p)    10   10
     *             S(p)    10   20   20                          S(p)    10   10
     *             |D-S|    0   10   10   -> 100                 |D-S|    0    0   -> 101 (lower)
     * </pre>
     * Round 1 pairs A with B, the same account: A is the later order, its mode expires B, and nothing trades. The
     * book is still crossed (102 against 101), so round 2 clears A against C at 101.
     */
    @Test
    void selfTradePreventionCanNeedASecondRound() {
        final long b = h.limit(A, SELL, 100, 10);
        final long c = h.limit(B, SELL, 101, 10);
        final long a = h.place(o -> o.accountId(A).side(BUY).limit(102, 10)
            .selfTradePrevention(SelfTradePrevention.EXPIRE_MAKER));
        h.clear();
        h.book.tick(2_000);
        assertEquals(List.of(
            new Event.Done(7, b, A, 0, DoneReason.SELF_TRADE_PREVENTION, 0, 10, 0),
            new Event.Delta(8, SELL, 100, 0, 0),
            new Event.Fill(9, 1, 101, 10, BUY, c, B, 0, a, A, 0, true),
            new Event.Done(10, a, A, 0, DoneReason.FILLED, 10, 0, 0),
            new Event.Delta(11, BUY, 102, 0, 0),
            new Event.Done(12, c, B, 0, DoneReason.FILLED, 10, 0, 0),
            new Event.Delta(13, SELL, 101, 0, 0),
            new Event.Auction(14, 101, 10)), h.events());
        assertTrue(h.resting().isEmpty());
    }

    @Test
    void selfTradePreventionExpireTakerInAnAuction() {
        final long b = h.limit(A, SELL, 100, 10);
        final long a = h.limit(A, BUY, 100, 10);
        h.clear();
        h.book.tick(2_000);
        assertEquals(List.of(new Event.Done(5, a, A, 0, DoneReason.SELF_TRADE_PREVENTION, 0, 10, 0),
            new Event.Delta(6, BUY, 100, 0, 0)), h.events());
        assertEquals(List.of(b), h.resting().stream().map(Resting::orderId).toList());
    }

    @Test
    void auctionFeesChargeTheEarlierOrderAsMaker() {
        h = new Harness(Harness.config().auction(1_000).makerFeeBps(10).takerFeeBps(20).build());
        final long sell = h.limit(B, SELL, 101, 10);
        final long buy = h.limit(A, BUY, 101, 10);
        h.book.tick(2_000);
        // notional 1_010: maker ceil(1.01) = 2, taker ceil(2.02) = 3
        assertEquals(List.of(new Event.Fill(5, 1, 101, 10, BUY, sell, B, 2, buy, A, 3, true)), h.fills());
    }

    @Test
    void amendsInAnAuctionBookDoNotMatch() {
        final long bid = h.limit(A, BUY, 100, 5);
        final long other = h.limit(C, BUY, 100, 5);
        h.limit(B, SELL, 105, 5);
        h.clear();
        h.book.amend(h.now, A, bid, 106, 5);
        assertTrue(h.fills().isEmpty());
        assertEquals(106, h.book.bestBidPrice());
        h.book.amend(h.now, A, bid, 100, 5);
        assertEquals(List.of(other, bid), h.resting(BUY).stream().map(Resting::orderId).toList());
    }

    @Test
    void aBookThatDoesNotCrossHasNoAuction() {
        h.limit(A, BUY, 99, 5);
        h.limit(B, SELL, 100, 5);
        h.clear();
        assertFalse(h.book.indicativeAuction(new AuctionIndication()));
        h.book.tick(2_000);
        assertTrue(h.events().isEmpty());
    }
}
