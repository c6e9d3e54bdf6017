package io.trademesh.spot.engine;

import io.trademesh.platform.trading.MarketSpec;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trademesh.matching.CommandType;
import io.trademesh.matching.DoneReason;
import io.trademesh.matching.MatchingMode;
import io.trademesh.matching.OrderType;
import io.trademesh.matching.RejectReason;
import io.trademesh.matching.SelfTradePrevention;
import io.trademesh.matching.Side;
import io.trademesh.matching.TimeInForce;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import io.trademesh.platform.trading.ClientOrderIds;
import io.trademesh.platform.wallet.WalletRefusal;

/**
 * The spot engine alone, with a recording listener: what each order reserves, how fills settle wallets and fees,
 * what cancel, expiry and amend give back, and that every refusal changes nothing (the engine's snapshot bytes are
 * compared before and after).
 *
 * <p>Markets as in SpotServiceProcessTest: BTC 8 decimals, USDT 6 decimals, price scale 2, tick 1, lot 10,000, so
 * the notional divisor is 10^4 and 1 BTC at 30,000.00 is 30,000 USDT. Expected amounts are worked out by hand in
 * USDT and BTC, not with the engine's own arithmetic.
 */
class SpotEngineTest {

    static final long BTC = 100_000_000L;
    static final long ETH = 100_000_000L;
    static final long USDT = 1_000_000L;
    /** One USDT in price units (price scale 2). */
    static final long PRICE = 100;
    static final long T0 = 1_000_000L;

    private final RecordingListener events = new RecordingListener();
    private final SpotEngine engine = new SpotEngine(events);
    private int btcUsdt;
    private int btc;
    private int usdt;
    private long now = T0;
    private int transfers;

    static MarketSpec spec(String symbol, String base, int makerBps, int takerBps) {
        return new MarketSpec(symbol, base, 8, "USDT", 6, 2, 1, 10_000, 10_000, 100 * BTC, 1_000_000 * PRICE, 0,
                makerBps, takerBps, 0, 1_000, MatchingMode.CONTINUOUS, 0);
    }

    @BeforeEach
    void setUp() {
        btcUsdt = engine.createMarket(now, spec("BTC-USDT", "BTC", 10, 20));
        btc = engine.assetId("BTC");
        usdt = engine.assetId("USDT");
        events.clear();
    }

    // ---------------------------------------------------------------- helpers

    private void credit(long account, String asset, long amount) {
        engine.credit(now, "setup-" + (++transfers), account, asset, amount);
    }

    private long limit(long account, Side side, long price, long quantity) {
        return order(account, null, side, TimeInForce.GTC, price, quantity);
    }

    private long order(long account, String clientId, Side side, TimeInForce tif, long price, long quantity) {
        return engine.placeOrder(now, account, btcUsdt, clientId, side, OrderType.LIMIT, tif, price, quantity, 0,
                0, SelfTradePrevention.EXPIRE_TAKER);
    }

    private long gtd(long account, Side side, long price, long quantity, long expireAtMs) {
        return engine.placeOrder(now, account, btcUsdt, null, side, OrderType.LIMIT, TimeInForce.GTD, price,
                quantity, 0, expireAtMs, SelfTradePrevention.EXPIRE_TAKER);
    }

    private long available(long account, int asset) {
        return engine.wallets().available(account, asset);
    }

    private long locked(long account, int asset) {
        return engine.wallets().locked(account, asset);
    }

    private byte[] state() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            engine.writeSnapshot(new DataOutputStream(bytes));
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Runs {@code command} and checks that it produced exactly one refusal and left the whole state as it was. */
    private void assertRefusedUnchanged(SpotCommandKind kind, SpotRejectReason reason, Runnable command) {
        byte[] before = state();
        long lastOrderId = engine.lastOrderId();
        events.clear();
        command.run();
        assertEquals(List.of("refused " + kind + " " + reason), events.lines);
        assertArrayEquals(before, state(), "a refused " + kind + " changed the state");
        assertEquals(lastOrderId, engine.lastOrderId());
    }

    // ---------------------------------------------------------------- reservations

    @Test
    void limitBuyReservesNotionalPlusTheMaxFeeOfQuote() {
        credit(1, "USDT", 100_000 * USDT);
        long bid = limit(1, Side.BUY, 30_000 * PRICE, BTC);

        // 30,000 USDT notional; the most the order can pay in fees is the 20 bps taker fee: 60 USDT.
        assertEquals(30_060 * USDT, locked(1, usdt));
        assertEquals(30_060 * USDT, engine.reserved(bid));
        assertEquals(69_940 * USDT, available(1, usdt));
        long notional = engine.market(btcUsdt).book().config().notional(30_000 * PRICE, BTC);
        assertEquals(notional + engine.market(btcUsdt).book().config().maxFee(notional), engine.reserved(bid));

        // A fee that does not come out even is rounded up: 0.0001 BTC at 30,000.01 is 3.000001 USDT,
        // 20 bps of it 0.0060000002 USDT, reserved as 0.006001.
        long small = limit(1, Side.BUY, 3_000_001, 10_000);
        assertEquals(3_000_001 + 6_001, engine.reserved(small));
        assertEquals(30_060 * USDT + 3_006_002, locked(1, usdt));
        assertEquals(0, locked(1, btc));
    }

    @Test
    void limitSellReservesItsBaseQuantity() {
        credit(2, "BTC", 2 * BTC);
        long ask = limit(2, Side.SELL, 31_000 * PRICE, BTC / 2);

        assertEquals(BTC / 2, engine.reserved(ask));
        assertEquals(BTC / 2, locked(2, btc));
        assertEquals(3 * BTC / 2, available(2, btc));
        assertEquals(0, locked(2, usdt));
    }

    // ---------------------------------------------------------------- fills and fees

    @Test
    void aFillSettlesBothSidesAndTheFeesGoToTheFeeAccount() {
        credit(1, "USDT", 100_000 * USDT);
        credit(2, "BTC", 2 * BTC);
        long bid = limit(1, Side.BUY, 30_000 * PRICE, BTC);
        events.clear();
        // The seller crosses the bid: 0.4 BTC trade at the bid's 30,000.00 for 12,000 USDT.
        long ask = limit(2, Side.SELL, 29_999 * PRICE, 4 * BTC / 10);

        assertEquals(1, events.fills.size());
        RecordingListener.Fill fill = events.fills.get(0);
        assertEquals(30_000 * PRICE, fill.price());
        assertEquals(bid, fill.makerOrderId());
        assertEquals(ask, fill.takerOrderId());
        assertEquals(12 * USDT, fill.makerFee());                 // 10 bps of 12,000
        assertEquals(24 * USDT, fill.takerFee());                 // 20 bps of 12,000

        // Buyer: pays 12,000 + 12 out of its reservation, receives 0.4 BTC.
        assertEquals(69_940 * USDT, available(1, usdt));
        assertEquals(18_048 * USDT, locked(1, usdt));
        assertEquals(18_048 * USDT, engine.reserved(bid));
        assertEquals(4 * BTC / 10, available(1, btc));
        // Seller: gives 0.4 BTC, receives 12,000 - 24.
        assertEquals(16 * BTC / 10, available(2, btc));
        assertEquals(0, locked(2, btc));
        assertEquals(11_976 * USDT, available(2, usdt));
        assertEquals(0, engine.reserved(ask));
        // The venue: both fees.
        assertEquals(36 * USDT, available(SpotEngine.FEE_ACCOUNT, usdt));
        assertEquals(0, locked(SpotEngine.FEE_ACCOUNT, usdt));
        // Nothing made or lost.
        assertEquals(100_000 * USDT, available(1, usdt) + locked(1, usdt) + available(2, usdt)
                + available(SpotEngine.FEE_ACCOUNT, usdt));
    }

    @Test
    void aMakerRebateForASellerIsPaidFromTheFeeAccount() {
        int ethUsdt = engine.createMarket(now, spec("ETH-USDT", "ETH", -5, 10));
        int eth = engine.assetId("ETH");
        engine.credit(now, "e1", 1, "USDT", 10_000 * USDT);
        engine.credit(now, "e2", 2, "ETH", ETH);
        engine.placeOrder(now, 2, ethUsdt, null, Side.SELL, OrderType.LIMIT, TimeInForce.GTC, 2_000 * PRICE, ETH, 0,
                0, null);
        engine.placeOrder(now, 1, ethUsdt, null, Side.BUY, OrderType.LIMIT, TimeInForce.GTC, 2_000 * PRICE, ETH, 0, 0,
                null);

        // 2,000 USDT notional: the maker (seller) gets a 1 USDT rebate, the taker (buyer) pays 2 USDT.
        assertEquals(-1 * USDT, events.fills.get(0).makerFee());
        assertEquals(2 * USDT, events.fills.get(0).takerFee());
        assertEquals(2_001 * USDT, available(2, usdt));
        assertEquals(0, locked(2, eth));
        assertEquals(7_998 * USDT, available(1, usdt));
        assertEquals(0, locked(1, usdt));
        assertEquals(ETH, available(1, eth));
        assertEquals(1 * USDT, available(SpotEngine.FEE_ACCOUNT, usdt));
    }

    @Test
    void aMakerRebateForABuyerLowersItsCostAndTheRestOfItsReservationIsReleased() {
        int ethUsdt = engine.createMarket(now, spec("ETH-USDT", "ETH", -5, 10));
        int eth = engine.assetId("ETH");
        engine.credit(now, "e1", 1, "USDT", 10_000 * USDT);
        engine.credit(now, "e2", 2, "ETH", ETH);
        long bid = engine.placeOrder(now, 1, ethUsdt, null, Side.BUY, OrderType.LIMIT, TimeInForce.GTC,
                2_000 * PRICE, ETH, 0, 0, null);
        // The max fee of a resting buy is the taker rate (the higher one): 2,000 + 2.
        assertEquals(2_002 * USDT, engine.reserved(bid));
        engine.placeOrder(now, 2, ethUsdt, null, Side.SELL, OrderType.LIMIT, TimeInForce.GTC, 2_000 * PRICE, ETH, 0,
                0, null);

        assertEquals(8_001 * USDT, available(1, usdt));          // paid 2,000 - 1 rebate
        assertEquals(0, locked(1, usdt));
        assertEquals(ETH, available(1, eth));
        assertEquals(1_998 * USDT, available(2, usdt));          // received 2,000 - 2 taker fee
        assertEquals(1 * USDT, available(SpotEngine.FEE_ACCOUNT, usdt));
        assertEquals(0, engine.reserved(bid));
    }

    // ---------------------------------------------------------------- giving back

    @Test
    void cancelReleasesWhatIsLeftOfAPartlyFilledOrder() {
        credit(1, "USDT", 100_000 * USDT);
        credit(2, "BTC", 2 * BTC);
        long bid = limit(1, Side.BUY, 30_000 * PRICE, BTC);
        limit(2, Side.SELL, 30_000 * PRICE, 4 * BTC / 10);
        events.clear();
        engine.cancel(now, 1, btcUsdt, bid);

        assertEquals(DoneReason.CANCELLED, events.dones.get(0).reason());
        assertEquals(0, locked(1, usdt));
        assertEquals(0, engine.reserved(bid));
        assertEquals(100_000 * USDT - 12_012 * USDT, available(1, usdt));
        assertEquals(4 * BTC / 10, available(1, btc));
    }

    @Test
    void cancelOfASellReleasesItsBase() {
        credit(2, "BTC", 2 * BTC);
        long ask = limit(2, Side.SELL, 31_000 * PRICE, BTC);
        engine.cancel(now, 2, btcUsdt, ask);

        assertEquals(0, locked(2, btc));
        assertEquals(2 * BTC, available(2, btc));
    }

    @Test
    void gtdExpiryReleasesTheReservation() {
        credit(1, "USDT", 100_000 * USDT);
        long bid = gtd(1, Side.BUY, 30_000 * PRICE, BTC, T0 + 1_000);
        engine.tick(T0 + 999);
        assertEquals(30_060 * USDT, locked(1, usdt));

        events.clear();
        engine.tick(T0 + 1_000);
        assertEquals(List.of(new RecordingListener.Done(btcUsdt, bid, 1, DoneReason.EXPIRED, 0, BTC, 0)),
                events.dones);
        assertEquals(0, locked(1, usdt));
        assertEquals(100_000 * USDT, available(1, usdt));
        assertEquals(0, engine.reserved(bid));
    }

    @Test
    void theUnfilledRestOfAnIocOrderIsReleased() {
        credit(1, "USDT", 100_000 * USDT);
        credit(2, "BTC", 2 * BTC);
        limit(2, Side.SELL, 30_000 * PRICE, 3 * BTC / 10);
        events.clear();
        long ioc = order(1, null, Side.BUY, TimeInForce.IOC, 30_100 * PRICE, BTC);

        // Reserved 30,100 + 60.20 at the limit; traded 0.3 BTC at 30,000: 9,000 + 18 fee.
        assertEquals(30_160_200_000L, events.firstBalance(1, usdt).locked());
        assertEquals(new RecordingListener.Done(btcUsdt, ioc, 1, DoneReason.IOC_REMAINDER, 3 * BTC / 10,
                7 * BTC / 10, 0), events.dones.get(events.dones.size() - 1));
        assertEquals(0, locked(1, usdt));
        assertEquals(100_000 * USDT - 9_018 * USDT, available(1, usdt));
        assertEquals(3 * BTC / 10, available(1, btc));
    }

    // ---------------------------------------------------------------- market orders

    @Test
    void aMarketBuyByQuoteLocksTheAmountPlusItsMaxFeeAndReleasesWhatItDidNotSpend() {
        credit(1, "USDT", 100_000 * USDT);
        credit(2, "BTC", 2 * BTC);
        limit(2, Side.SELL, 30_000 * PRICE, BTC / 10);
        events.clear();
        long buy = engine.placeOrder(now, 1, btcUsdt, null, Side.BUY, OrderType.MARKET, null, 0, 0, 5_000 * USDT, 0,
                null);

        assertEquals(new RecordingListener.Balance(1, usdt, 94_990 * USDT, 5_010 * USDT),
                events.firstBalance(1, usdt));
        // Only 0.1 BTC was offered: 3,000 + 6 fee spent, 2,000 of the budget left unspent.
        assertEquals(new RecordingListener.Done(btcUsdt, buy, 1, DoneReason.IOC_REMAINDER, BTC / 10, 0,
                2_000 * USDT), events.dones.get(events.dones.size() - 1));
        assertEquals(0, locked(1, usdt));
        assertEquals(100_000 * USDT - 3_006 * USDT, available(1, usdt));
        assertEquals(BTC / 10, available(1, btc));
        assertEquals(0, engine.reserved(buy));
    }

    @Test
    void aMarketBuyByBaseQuantityReservesTheCostOfWalkingTheAsks() {
        credit(1, "USDT", 100_000 * USDT);
        credit(2, "BTC", 2 * BTC);
        limit(2, Side.SELL, 30_000 * PRICE, 2 * BTC / 10);
        limit(2, Side.SELL, 30_100 * PRICE, 3 * BTC / 10);
        events.clear();
        long buy = engine.placeOrder(now, 1, btcUsdt, null, Side.BUY, OrderType.MARKET, TimeInForce.IOC, 0,
                4 * BTC / 10, 0, 0, SelfTradePrevention.EXPIRE_TAKER);

        // 0.2 at 30,000 (6,000) + 0.2 at 30,100 (6,020) = 12,020 USDT, plus 20 bps: 12,044.04 USDT.
        assertEquals(12_044_040_000L, events.firstBalance(1, usdt).locked());
        assertEquals(2, events.fills.size());
        assertEquals(DoneReason.FILLED, events.dones.get(events.dones.size() - 1).reason());
        assertEquals(0, locked(1, usdt));
        assertEquals(100_000 * USDT - 12_044_040_000L, available(1, usdt));
        assertEquals(4 * BTC / 10, available(1, btc));
        assertEquals(0, engine.reserved(buy));
    }

    @Test
    void aMarketBuyByBaseQuantityThatCannotPayForTheWalkIsRefused() {
        credit(1, "USDT", 12_044_039_999L);
        credit(2, "BTC", 2 * BTC);
        limit(2, Side.SELL, 30_000 * PRICE, 2 * BTC / 10);
        limit(2, Side.SELL, 30_100 * PRICE, 3 * BTC / 10);

        assertRefusedUnchanged(SpotCommandKind.PLACE_ORDER, SpotRejectReason.INSUFFICIENT_FUNDS,
                () -> engine.placeOrder(now, 1, btcUsdt, null, Side.BUY, OrderType.MARKET, TimeInForce.IOC, 0,
                        4 * BTC / 10, 0, 0, SelfTradePrevention.EXPIRE_TAKER));
    }

    @Test
    void aMarketSellByQuoteAmountIsRefusedAsUnsupported() {
        credit(2, "BTC", 2 * BTC);
        credit(1, "USDT", 100_000 * USDT);
        limit(1, Side.BUY, 30_000 * PRICE, BTC);

        assertRefusedUnchanged(SpotCommandKind.PLACE_ORDER, SpotRejectReason.UNSUPPORTED_ORDER,
                () -> engine.placeOrder(now, 2, btcUsdt, null, Side.SELL, OrderType.MARKET, null, 0, 0,
                        1_000 * USDT, 0, null));
    }

    // ---------------------------------------------------------------- refusals change nothing

    @Test
    void notEnoughAvailableIsARefusalThatChangesNothing() {
        credit(1, "USDT", 30_060 * USDT - 1);
        credit(2, "BTC", BTC / 2);
        limit(2, Side.SELL, 31_000 * PRICE, BTC / 4);                  // so the book has state and a sequence
        long bookSequence = engine.market(btcUsdt).book().lastSequence();

        assertRefusedUnchanged(SpotCommandKind.PLACE_ORDER, SpotRejectReason.INSUFFICIENT_FUNDS,
                () -> limit(1, Side.BUY, 30_000 * PRICE, BTC));
        assertRefusedUnchanged(SpotCommandKind.PLACE_ORDER, SpotRejectReason.INSUFFICIENT_FUNDS,
                () -> limit(2, Side.SELL, 32_000 * PRICE, BTC / 4 + 10_000));
        assertEquals(bookSequence, engine.market(btcUsdt).book().lastSequence());

        // One unit more and the same order is accepted, leaving nothing available.
        credit(1, "USDT", 1);
        long bid = limit(1, Side.BUY, 30_000 * PRICE, BTC);
        assertTrue(bid > 0);
        assertEquals(0, available(1, usdt));
        assertEquals(30_060 * USDT, locked(1, usdt));
    }

    @Test
    void anOrderTheBookRejectsGivesItsReservationBack() {
        credit(1, "USDT", 100_000 * USDT);
        events.clear();
        long id = limit(1, Side.BUY, 30_000 * PRICE, 10_001);         // not a whole lot

        assertEquals(List.of(new RecordingListener.Rejection(btcUsdt, CommandType.NEW_ORDER, id, 1,
                RejectReason.QUANTITY_NOT_ON_LOT)), events.rejections);
        assertEquals(0, locked(1, usdt));
        assertEquals(100_000 * USDT, available(1, usdt));
        assertEquals(0, engine.reserved(id));
    }

    // ---------------------------------------------------------------- amend

    @Test
    void anAmendUpThatNeedsMoreThanIsAvailableIsRefusedAndChangesNothing() {
        credit(1, "USDT", 31_000 * USDT);
        long bid = limit(1, Side.BUY, 30_000 * PRICE, BTC);
        assertEquals(940 * USDT, available(1, usdt));

        // 1.1 BTC needs 33,000 + 66 = 33,066 USDT: 3,006 more than reserved, only 940 available.
        assertRefusedUnchanged(SpotCommandKind.AMEND_ORDER, SpotRejectReason.INSUFFICIENT_FUNDS,
                () -> engine.amend(now, 1, btcUsdt, bid, 0, 11 * BTC / 10));
        assertRefusedUnchanged(SpotCommandKind.AMEND_ORDER, SpotRejectReason.INSUFFICIENT_FUNDS,
                () -> engine.amend(now, 1, btcUsdt, bid, 31_000 * PRICE, 0));

        credit(1, "USDT", 2_066 * USDT);
        engine.amend(now, 1, btcUsdt, bid, 0, 11 * BTC / 10);
        assertEquals(33_066 * USDT, locked(1, usdt));
        assertEquals(33_066 * USDT, engine.reserved(bid));
        assertEquals(0, available(1, usdt));
        assertEquals(11 * BTC / 10, engine.market(btcUsdt).book().order(bid).quantity());
    }

    @Test
    void anAmendUpOfASellNeedsMoreBase() {
        credit(2, "BTC", BTC);
        long ask = limit(2, Side.SELL, 31_000 * PRICE, 8 * BTC / 10);

        assertRefusedUnchanged(SpotCommandKind.AMEND_ORDER, SpotRejectReason.INSUFFICIENT_FUNDS,
                () -> engine.amend(now, 2, btcUsdt, ask, 0, 12 * BTC / 10));
        engine.amend(now, 2, btcUsdt, ask, 0, BTC);
        assertEquals(BTC, locked(2, btc));
        assertEquals(0, available(2, btc));
    }

    @Test
    void anAmendDownReleasesWhatTheOrderNoLongerNeeds() {
        credit(1, "USDT", 100_000 * USDT);
        credit(2, "BTC", BTC);
        long bid = limit(1, Side.BUY, 30_000 * PRICE, BTC);
        long ask = limit(2, Side.SELL, 31_000 * PRICE, BTC);

        engine.amend(now, 1, btcUsdt, bid, 0, BTC / 2);
        assertEquals(15_030 * USDT, locked(1, usdt));              // 15,000 + 30
        engine.amend(now, 1, btcUsdt, bid, 20_000 * PRICE, 0);
        assertEquals(10_020 * USDT, locked(1, usdt));              // 10,000 + 20
        assertEquals(10_020 * USDT, engine.reserved(bid));
        assertEquals(89_980 * USDT, available(1, usdt));

        engine.amend(now, 2, btcUsdt, ask, 0, BTC / 4);
        assertEquals(BTC / 4, locked(2, btc));
        assertEquals(3 * BTC / 4, available(2, btc));
    }

    @Test
    void anAmendThatCrossesTradesAndKeepsOnlyWhatTheRestNeeds() {
        credit(1, "USDT", 100_000 * USDT);
        credit(2, "BTC", BTC);
        long bid = limit(1, Side.BUY, 29_000 * PRICE, BTC);
        limit(2, Side.SELL, 30_000 * PRICE, 4 * BTC / 10);
        // Moving the bid to 30,500 locks 30,500 + 61 first, then trades 0.4 at 30,000 (12,000 + 24 taker fee).
        engine.amend(now, 1, btcUsdt, bid, 30_500 * PRICE, 0);

        assertEquals(1, events.fills.size());
        // The remaining 0.6 BTC at 30,500 needs 18,300 + 36.60.
        assertEquals(18_336_600_000L, engine.reserved(bid));
        assertEquals(18_336_600_000L, locked(1, usdt));
        assertEquals(100_000 * USDT - 12_024 * USDT - 18_336_600_000L, available(1, usdt));
    }

    @Test
    void anAmendOfAnotherAccountsOrderIsRejectedByTheBookAndChangesNoWallet() {
        credit(1, "USDT", 100_000 * USDT);
        credit(3, "USDT", 100_000 * USDT);
        long bid = limit(1, Side.BUY, 30_000 * PRICE, BTC);
        events.clear();
        engine.amend(now, 3, btcUsdt, bid, 0, 2 * BTC);

        assertEquals(RejectReason.UNKNOWN_ORDER, events.rejections.get(0).reason());
        assertEquals(30_060 * USDT, locked(1, usdt));
        assertEquals(0, locked(3, usdt));
        assertEquals(100_000 * USDT, available(3, usdt));
    }

    // ---------------------------------------------------------------- client order ids

    @Test
    void aRepeatedClientOrderIdIsAnsweredWithTheExistingOrder() {
        credit(1, "USDT", 100_000 * USDT);
        credit(3, "USDT", 100_000 * USDT);
        long first = order(1, "c1", Side.BUY, TimeInForce.GTC, 30_000 * PRICE, BTC);
        assertEquals("c1", engine.clientOrderId(first));
        assertEquals(first, engine.orderIdForClientId(1, "c1"));

        byte[] before = state();
        events.clear();
        long again = order(1, "c1", Side.BUY, TimeInForce.GTC, 29_000 * PRICE, 2 * BTC);
        assertEquals(first, again);
        assertEquals(List.of("duplicate " + first), events.lines);
        assertArrayEquals(before, state());

        // Another account may use the same id. Once the first order is done its account still may not,
        // for the retention window: a retry is answered with the finished order.
        long other = order(3, "c1", Side.BUY, TimeInForce.GTC, 29_000 * PRICE, BTC);
        assertNotEquals(first, other);
        engine.cancel(now, 1, btcUsdt, first);
        assertEquals(first, engine.orderIdForClientId(1, "c1"));
        now += ClientOrderIds.DEFAULT_RETENTION_MS - 1;
        assertEquals(first, order(1, "c1", Side.BUY, TimeInForce.GTC, 29_000 * PRICE, BTC));
        now += 1;
        long reused = order(1, "c1", Side.BUY, TimeInForce.GTC, 29_000 * PRICE, BTC);
        assertTrue(reused > other);
        assertEquals(reused, engine.orderIdForClientId(1, "c1"));
    }

    @Test
    void aRetriedImmediateOrderExecutesOnceAndIsAnsweredWithTheOriginal() {
        credit(1, "USDT", 100_000 * USDT);
        credit(2, "BTC", 10 * BTC);
        limit(2, Side.SELL, 30_000 * PRICE, 2 * BTC);
        long ioc = order(1, "ioc-1", Side.BUY, TimeInForce.IOC, 30_000 * PRICE, BTC);
        assertEquals(1, events.fills.size());
        long btcAfter = available(1, btc);
        byte[] before = state();
        events.clear();

        assertEquals(ioc, order(1, "ioc-1", Side.BUY, TimeInForce.IOC, 30_000 * PRICE, BTC));
        assertEquals(List.of("duplicate " + ioc), events.lines);
        assertEquals(btcAfter, available(1, btc));
        assertArrayEquals(before, state());
    }

    @Test
    void theClientOrderIdOfAnOrderTheBookRejectedIsFreeAgain() {
        credit(1, "USDT", 100_000 * USDT);
        long rejected = order(1, "c1", Side.BUY, TimeInForce.POST_ONLY, 30_000 * PRICE, 10_001);
        assertEquals(RejectReason.QUANTITY_NOT_ON_LOT, events.rejections.get(0).reason());
        assertEquals(0, engine.orderIdForClientId(1, "c1"));

        long accepted = order(1, "c1", Side.BUY, TimeInForce.POST_ONLY, 30_000 * PRICE, BTC);
        assertTrue(accepted > rejected);
        assertEquals(accepted, engine.orderIdForClientId(1, "c1"));
    }

    // ---------------------------------------------------------------- transfers

    @Test
    void creditsAndDebitsAreAppliedOncePerTransferId() {
        engine.credit(now, "t1", 1, "USDT", 100 * USDT);
        engine.credit(now, "t1", 1, "USDT", 100 * USDT);
        engine.credit(now, "t1", 1, "USDT", 999 * USDT);            // the id reused for another amount
        assertEquals(100 * USDT, available(1, usdt));
        assertEquals(List.of(
                new RecordingListener.Transfer("t1", 1, usdt, 100 * USDT, true, true, null, false),
                new RecordingListener.Transfer("t1", 1, usdt, 100 * USDT, true, true, null, true),
                new RecordingListener.Transfer("t1", 1, usdt, 999 * USDT, true, false,
                        WalletRefusal.TRANSFER_ID_MISMATCH, false)),
                events.transfers);

        events.clear();
        engine.debit(now, "t2", 1, "USDT", 30 * USDT);
        engine.debit(now, "t2", 1, "USDT", 30 * USDT);
        assertEquals(70 * USDT, available(1, usdt));
        assertEquals(List.of(
                new RecordingListener.Transfer("t2", 1, usdt, 30 * USDT, false, true, null, false),
                new RecordingListener.Transfer("t2", 1, usdt, 30 * USDT, false, true, null, true)),
                events.transfers);
    }

    @Test
    void aRefusedDebitStaysRefusedWhenRetriedAfterTheFundsArrive() {
        engine.credit(now, "t1", 1, "USDT", 100 * USDT);
        engine.debit(now, "t2", 1, "USDT", 150 * USDT);
        engine.credit(now, "t3", 1, "USDT", 100 * USDT);
        events.clear();
        byte[] before = state();
        engine.debit(now, "t2", 1, "USDT", 150 * USDT);

        assertEquals(List.of(new RecordingListener.Transfer("t2", 1, usdt, 150 * USDT, false, false,
                WalletRefusal.INSUFFICIENT_FUNDS, true)), events.transfers);
        assertArrayEquals(before, state());
        assertEquals(200 * USDT, available(1, usdt));
    }

    @Test
    void aDebitCannotTakeLockedFunds() {
        credit(1, "USDT", 31_000 * USDT);
        limit(1, Side.BUY, 30_000 * PRICE, BTC);                   // 30,060 locked, 940 available
        events.clear();
        engine.debit(now, "t9", 1, "USDT", 941 * USDT);
        assertEquals(WalletRefusal.INSUFFICIENT_FUNDS, events.transfers.get(0).reason());
        engine.debit(now, "t10", 1, "USDT", 940 * USDT);
        assertEquals(0, available(1, usdt));
        assertEquals(30_060 * USDT, locked(1, usdt));
    }

    @Test
    void aTransferWithoutAnIdIsRefusedAndNotRemembered() {
        byte[] before = state();
        engine.credit(now, "", 1, "USDT", 100 * USDT);
        engine.credit(now, null, 1, "USDT", 100 * USDT);
        assertEquals(2, events.transfers.size());
        assertTrue(events.transfers.stream().noneMatch(RecordingListener.Transfer::applied));
        assertArrayEquals(before, state());
    }

    @Test
    void badTransfersAreRefusedWithTheirReasonAndRememberedAsRefused() {
        engine.credit(now, "a", 1, "DOGE", 100);
        engine.credit(now, "b", SpotEngine.FEE_ACCOUNT, "USDT", 100);
        engine.debit(now, "c", SpotEngine.FEE_ACCOUNT, "USDT", 100);
        engine.credit(now, "d", 1, "USDT", 0);
        engine.credit(now, "e", 1, "USDT", -5);
        engine.debit(now, "f", 1, "USDT", 1);
        engine.credit(now, "g", 1, "USDT", Long.MAX_VALUE);
        engine.credit(now, "h", 1, "USDT", 1);

        assertEquals(List.of(WalletRefusal.UNKNOWN_ASSET, WalletRefusal.INVALID_ACCOUNT,
                WalletRefusal.INVALID_ACCOUNT, WalletRefusal.INVALID_AMOUNT, WalletRefusal.INVALID_AMOUNT,
                WalletRefusal.INSUFFICIENT_FUNDS, WalletRefusal.BALANCE_OVERFLOW),
                events.transfers.stream().filter(t -> !t.applied()).map(RecordingListener.Transfer::reason)
                        .toList());
        assertEquals(Long.MAX_VALUE, available(1, usdt));
        assertEquals(0, available(SpotEngine.FEE_ACCOUNT, usdt));
    }

    // ---------------------------------------------------------------- unknown names, the fee account

    @Test
    void unknownMarketsAreRefusedAndChangeNothing() {
        credit(1, "USDT", 100_000 * USDT);
        long bid = limit(1, Side.BUY, 30_000 * PRICE, BTC);

        assertRefusedUnchanged(SpotCommandKind.PLACE_ORDER, SpotRejectReason.UNKNOWN_MARKET,
                () -> engine.placeOrder(now, 1, 7, null, Side.BUY, OrderType.LIMIT, null, 30_000 * PRICE, BTC, 0, 0,
                        null));
        assertRefusedUnchanged(SpotCommandKind.AMEND_ORDER, SpotRejectReason.UNKNOWN_MARKET,
                () -> engine.amend(now, 1, 7, bid, 0, BTC / 2));
        assertRefusedUnchanged(SpotCommandKind.CANCEL_ORDER, SpotRejectReason.UNKNOWN_MARKET,
                () -> engine.cancel(now, 1, -3, bid));
        assertRefusedUnchanged(SpotCommandKind.CANCEL_ALL, SpotRejectReason.UNKNOWN_MARKET,
                () -> engine.cancelAll(now, 1, 7));
    }

    @Test
    void theFeeAccountCannotTrade() {
        assertRefusedUnchanged(SpotCommandKind.PLACE_ORDER, SpotRejectReason.INVALID_ACCOUNT,
                () -> limit(SpotEngine.FEE_ACCOUNT, Side.SELL, 30_000 * PRICE, BTC));
    }

    @Test
    void badMarketDefinitionsAreRefused() {
        events.clear();
        assertEquals(-1, engine.createMarket(now, spec("BTC-USDT", "BTC", 10, 20)));
        assertEquals(-1, engine.createMarket(now, spec("X-USDT", "X", 30, 20)));      // maker above taker
        assertEquals(-1, engine.createMarket(now, new MarketSpec("BTC-EUR", "BTC", 6, "EUR", 2, 2, 1, 1, 1, 100,
                100, 0, 0, 0, 0, 10, MatchingMode.CONTINUOUS, 0)));                    // BTC has 8 decimals
        assertEquals(-1, engine.createMarket(now, new MarketSpec("Y-USDT", "Y", 8, "USDT", 6, 2, 1, 10_000, 10_000,
                10_000_000_000_000_000L, 1_000_000_000_000L, 0, 0, 0, 0, 10, MatchingMode.CONTINUOUS, 0))); // overflows
        assertEquals(-1, engine.createMarket(now, new MarketSpec("USDT-USDT", "USDT", 6, "USDT", 6, 2, 1, 1, 1, 100,
                100, 0, 0, 0, 0, 10, MatchingMode.CONTINUOUS, 0)));
        assertEquals(List.of(SpotRejectReason.MARKET_EXISTS, SpotRejectReason.INVALID_MARKET,
                SpotRejectReason.INVALID_MARKET, SpotRejectReason.INVALID_MARKET, SpotRejectReason.INVALID_MARKET),
                events.refusals.stream().map(RecordingListener.Refusal::reason).toList());
        assertEquals(1, engine.markets().size());
        assertEquals(-1, engine.assetId("X"));
    }

    // ---------------------------------------------------------------- the command clock

    /**
     * A GTD order that expires at or before an amend's timestamp is gone when the book sees the amend. If the amend
     * had to lock more first, that extra must be released exactly once (with the rest of the reservation, by the
     * expiry).
     */
    @Test
    void anAmendOfAGtdOrderThatHasExpiredByItsTimeReleasesTheReservationOnce() {
        credit(1, "USDT", 40_000 * USDT);
        long bid = gtd(1, Side.BUY, 30_000 * PRICE, BTC, T0 + 1_000);
        events.clear();
        // 1.2 BTC needs 36,072: 6,012 more than the 30,060 reserved, and 9,940 is available.
        engine.amend(T0 + 2_000, 1, btcUsdt, bid, 0, 12 * BTC / 10);

        assertEquals(DoneReason.EXPIRED, events.dones.get(0).reason());
        assertEquals(RejectReason.UNKNOWN_ORDER, events.rejections.get(0).reason());
        assertEquals(0, locked(1, usdt));
        assertEquals(40_000 * USDT, available(1, usdt));
        assertEquals(0, engine.reserved(bid));
    }

    /** The same with a sell: the extra base locked for the amend must not be unlocked twice. */
    @Test
    void anAmendOfAGtdSellThatHasExpiredByItsTimeReleasesTheReservationOnce() {
        credit(2, "BTC", 2 * BTC);
        long ask = gtd(2, Side.SELL, 31_000 * PRICE, BTC, T0 + 1_000);
        engine.amend(T0 + 2_000, 2, btcUsdt, ask, 0, 3 * BTC / 2);

        assertEquals(0, locked(2, btc));
        assertEquals(2 * BTC, available(2, btc));
        assertEquals(0, engine.reserved(ask));
    }

    /**
     * The book expires GTD orders before it does anything else with a command; the funds such an order held are
     * free for a new order stamped at or after its expiry.
     */
    @Test
    void aNewOrderStampedAfterAGtdExpiryCanUseTheFundsItHeld() {
        credit(1, "USDT", 30_060 * USDT);
        long first = gtd(1, Side.BUY, 30_000 * PRICE, BTC, T0 + 1_000);
        events.clear();
        long second = engine.placeOrder(T0 + 1_000, 1, btcUsdt, null, Side.BUY, OrderType.LIMIT, TimeInForce.GTC,
                30_000 * PRICE, BTC, 0, 0, null);

        assertTrue(second > first, "refused: " + events.refusals);
        assertEquals(DoneReason.EXPIRED, events.dones.get(0).reason());
        assertEquals(30_060 * USDT, engine.reserved(second));
        assertEquals(30_060 * USDT, locked(1, usdt));
    }

    @Test
    void theEngineSaysWhenItIsNextDue() {
        credit(1, "USDT", 100_000 * USDT);
        assertEquals(Long.MAX_VALUE, engine.nextDueMs(), "nothing rests: nothing is due");
        limit(1, Side.BUY, 29_000 * PRICE, BTC);
        assertEquals(Long.MAX_VALUE, engine.nextDueMs(), "a GTC order is never due");
        gtd(1, Side.BUY, 29_000 * PRICE, BTC, now + 5_000);
        gtd(1, Side.BUY, 29_000 * PRICE, BTC, now + 2_000);
        assertEquals(now + 2_000, engine.nextDueMs());
        engine.tick(now + 2_000);
        assertEquals(now + 5_000, engine.nextDueMs());
        engine.tick(now + 5_000);
        assertEquals(Long.MAX_VALUE, engine.nextDueMs());
    }

    /**
     * The client order id of a GTD order that expired by the new order's time is retained like any
     * finished order's (it finished when the engine's clock passed its expiry), and free again
     * once the retention window has passed since then.
     */
    @Test
    void aClientOrderIdOfAGtdOrderExpiredByTheNewOrdersTimeIsRetainedThenFree() {
        credit(1, "USDT", 100_000 * USDT);
        long first = engine.placeOrder(now, 1, btcUsdt, "c1", Side.BUY, OrderType.LIMIT, TimeInForce.GTD,
                30_000 * PRICE, BTC, 0, T0 + 1_000, null);
        long retry = engine.placeOrder(T0 + 5_000, 1, btcUsdt, "c1", Side.BUY, OrderType.LIMIT, TimeInForce.GTC,
                29_000 * PRICE, BTC, 0, 0, null);
        assertEquals(first, retry);
        assertEquals(DoneReason.EXPIRED, events.dones.get(0).reason());

        long second = engine.placeOrder(T0 + 5_000 + ClientOrderIds.DEFAULT_RETENTION_MS, 1, btcUsdt, "c1", Side.BUY,
                OrderType.LIMIT, TimeInForce.GTC, 29_000 * PRICE, BTC, 0, 0, null);
        assertNotEquals(first, second);
        assertEquals(second, engine.orderIdForClientId(1, "c1"));
        assertEquals(29_000 * PRICE, engine.market(btcUsdt).book().order(second).price());
    }

    /**
     * In an auction market an amend stamped after a due auction first lets the auction run (at the order's old
     * price), then applies. The reservation must cover what the order can still spend after both: here the auction
     * fills 0.5 ETH at 1,990 although the amend lowers the bid to 1,950 while raising it to 1.5 ETH. The next auction
     * then fills the remaining 1 ETH at 1,950, and settling it must not find the reservation short (which would be
     * fatal for the shard, and again on every replay of the journal).
     */
    @Test
    void anAmendAfterADueAuctionKeepsTheOrderFullyReserved() {
        MarketSpec auction = new MarketSpec("ETH-USDT", "ETH", 8, "USDT", 6, 2, 1, 10_000, 10_000, 100 * ETH,
                1_000_000 * PRICE, 0, 0, 10, 0, 1_000, MatchingMode.AUCTION, 1_000);
        int ethUsdt = engine.createMarket(T0, auction);
        int eth = engine.assetId("ETH");
        engine.credit(T0, "e1", 1, "USDT", 10_000 * USDT);
        engine.credit(T0, "e2", 2, "ETH", 2 * ETH);
        long bid = engine.placeOrder(T0 + 10, 1, ethUsdt, null, Side.BUY, OrderType.LIMIT, TimeInForce.GTC,
                2_000 * PRICE, ETH, 0, 0, null);
        engine.placeOrder(T0 + 20, 2, ethUsdt, null, Side.SELL, OrderType.LIMIT, TimeInForce.GTC, 1_990 * PRICE,
                ETH / 2, 0, 0, null);

        engine.amend(T0 + 1_500, 1, ethUsdt, bid, 1_950 * PRICE, 3 * ETH / 2);
        assertEquals(1, engine.market(ethUsdt).book().lastTradeId(), "the due auction ran first");
        long leaves = engine.market(ethUsdt).book().order(bid).leavesQuantity();
        assertEquals(ETH, leaves);
        assertTrue(engine.reserved(bid) >= 1_950 * USDT, "reserved " + engine.reserved(bid)
                + " for 1 ETH at 1,950");

        engine.placeOrder(T0 + 1_600, 2, ethUsdt, null, Side.SELL, OrderType.LIMIT, TimeInForce.GTC, 1_950 * PRICE,
                ETH, 0, 0, null);
        engine.tick(T0 + 2_000);
        assertEquals(3 * ETH / 2, available(1, eth));
        assertEquals(0, locked(1, usdt));
        assertEquals(10_000 * USDT - 995 * USDT - 1_950 * USDT, available(1, usdt));
    }

    /**
     * A snapshot of version 2 (written by the build before reservations moved onto the orders, kept as a file) is
     * read with each reservation on its order: a bid for 1 BTC at 30,000 (30,060 USDT reserved with the 0.2% max
     * fee), 0.4 BTC of it bought as maker (12,000 and a 0.1% fee of 12 spent, 18,048 still reserved), and an ask
     * for 2 BTC at 31,000.
     */
    @Test
    void aVersion2SnapshotPutsEachReservationOnItsOrder() throws IOException {
        RecordingListener listener = new RecordingListener();
        SpotEngine restored = new SpotEngine(listener);
        try (var in = new java.io.DataInputStream(getClass().getResourceAsStream("/snapshots/spot-v2.bin"))) {
            assertEquals(2, restored.readSnapshot(in));
        }
        listener.continueFrom(0, restored.market(0).book().lastSequence());
        int u = restored.assetId("USDT");
        int b = restored.assetId("BTC");
        assertEquals(18_048 * USDT, restored.reserved(1));
        assertEquals(2 * BTC, restored.reserved(2));
        assertEquals(18_048 * USDT, restored.wallets().locked(1, u));
        assertEquals(2 * BTC, restored.wallets().locked(2, b));

        restored.cancel(T0, 1, 0, 1);
        restored.cancel(T0, 2, 0, 2);
        assertEquals(0, restored.wallets().locked(1, u));
        assertEquals(0, restored.wallets().locked(2, b));
        assertEquals(100_000 * USDT - 12_000 * USDT - 12 * USDT, restored.wallets().available(1, u));
        assertEquals(10 * BTC - 40_000_000L, restored.wallets().available(2, b));
    }
}
