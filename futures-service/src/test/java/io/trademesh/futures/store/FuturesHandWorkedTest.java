package io.trademesh.futures.store;

import static io.trademesh.futures.store.FuturesCommands.BTC;
import static io.trademesh.futures.store.FuturesCommands.USDT;
import static io.trademesh.futures.store.FuturesCommands.contract;
import static io.trademesh.futures.store.FuturesCommands.create;
import static io.trademesh.futures.store.FuturesCommands.deposit;
import static io.trademesh.futures.store.FuturesCommands.index;
import static io.trademesh.futures.store.FuturesCommands.limit;
import static io.trademesh.futures.store.FuturesCommands.market;
import static io.trademesh.futures.store.FuturesCommands.perpetualTerms;
import static io.trademesh.futures.store.FuturesCommands.place;
import static io.trademesh.futures.store.FuturesCommands.tick;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trademesh.futures.engine.Contract;
import io.trademesh.futures.engine.FuturesEngine;
import io.trademesh.futures.engine.MarginBrackets;
import io.trademesh.platform.engine.Outcome;
import io.trademesh.proto.common.Position;
import io.trademesh.proto.common.Side;
import io.trademesh.proto.futures.FuturesAccount;
import io.trademesh.proto.futures.FuturesCommand;
import io.trademesh.proto.futures.Liquidation;
import io.trademesh.proto.trading.OrderReply;
import io.trademesh.proto.wallet.WalletTransferReply;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hand-worked futures examples: every expected figure below is worked out in the comment
 * beside it (cents of USDT; prices in cents per BTC; 1 BTC = 1000 units of 0.001 BTC, the lot is 10 units).
 */
class FuturesHandWorkedTest {

    private static final String PERP = "BTC-PERP";
    private static final long A = 1;
    private static final long B = 2;
    private static final long C = 3;
    private static final long T0 = 1_800_000_000_000L - 1_800_000_000_000L % 60_000 + 1_000;

    private final FuturesStateMachine m = new FuturesStateMachine();
    private final List<Outcome> outcomes = new ArrayList<>();
    private long now = T0;

    private Outcome run(FuturesCommand c) {
        Outcome o = m.apply(now, c, true);
        outcomes.add(o);
        return o;
    }

    private FuturesEngine engine() {
        return m.engine();
    }

    private Contract perp() {
        return engine().contract(PERP);
    }

    private FuturesAccount account(long id) {
        return FuturesProto.account(engine(), id, engine().assets().id("USDT"), now);
    }

    private Position position(long id) {
        FuturesAccount a = account(id);
        return a.getPositionsCount() == 0 ? Position.getDefaultInstance() : a.getPositions(0);
    }

    /** A long 1 BTC at 30000 against B short; both deposited 10000 USDT. Funding every minute. */
    @BeforeEach
    void openPositions() {
        run(create(contract(PERP, perpetualTerms(60_000))));
        run(index(30_000 * USDT));
        run(deposit("a", A, 10_000 * USDT));
        run(deposit("b", B, 10_000 * USDT));
        run(place(limit(B, PERP, Side.SIDE_SELL, 30_000 * USDT, BTC)));
        OrderReply r = (OrderReply) run(place(limit(A, PERP, Side.SIDE_BUY, 30_000 * USDT, BTC))).reply();
        assertTrue(r.getAccepted(), r.toString());
        assertEquals(1, r.getFillsCount());
    }

    @Test
    void pnlMarginAndPricesAfterTheIndexMoves() {
        assertEquals(BTC, position(A).getSize());
        assertEquals(-BTC, position(B).getSize());
        assertEquals(30_000 * USDT, position(A).getEntryPrice());
        run(index(31_000 * USDT));
        // mark = median(index 31000 (no funding rate yet), index + no basis = 31000, last trade 30000) = 31000
        assertEquals(31_000 * USDT, perp().markPrice());
        // A: +1000 USDT unrealised; B: -1000
        assertEquals(1_000 * USDT, position(A).getUnrealizedPnl());
        assertEquals(-1_000 * USDT, position(B).getUnrealizedPnl());
        FuturesAccount b = account(B);
        assertEquals(10_000 * USDT, b.getWalletBalance());
        assertEquals(9_000 * USDT, b.getMarginBalance());
        // maintenance of 31000 USDT notional in bracket 1: ceil(3_100_000 x 40 / 10000) = 12_400 cents
        assertEquals(12_400, b.getMaintenanceMargin());
        // initial at the default 20x: 3_100_000 / 20 = 155_000
        assertEquals(155_000, b.getInitialMargin());
        // B's liquidation price: equity(P) = 4_000_000 - P = 0.004 P  =>  P = 4_000_000 / 1.004 = 3_984_063.7
        assertEquals(3_984_064, position(B).getLiquidationPrice());
        // bankrupt where equity is 0: P = 4_000_000 (40000 USDT)
        assertEquals(40_000 * USDT, position(B).getBankruptcyPrice());
        // margin ratio 12_400 / 900_000 = 137 bps, the account's and its position's (cross)
        assertEquals(137, b.getMarginRatioBps());
        assertEquals(137, position(B).getMarginRatioBps());
    }

    @Test
    void bracketMaintenanceIsContinuousAtTheCaps() {
        MarginBrackets b = perp().terms().brackets();
        // deductions: 50k x (0.50% - 0.40%) = 50 USDT; 50 + 250k x (1.00% - 0.50%) = 1300 USDT
        assertEquals(0, b.deduction(0));
        assertEquals(50 * USDT, b.deduction(1));
        assertEquals(1_300 * USDT, b.deduction(2));
        // at 50k: 0.40% = 200 USDT in bracket 1, and 0.50% - 50 = 200 just above it
        assertEquals(200 * USDT, b.maintenance(50_000 * USDT));
        assertEquals(200 * USDT + 1, b.maintenance(50_000 * USDT + 200)); // 5_000_200 x 0.5% - 5000 = 20_001
        // 100k in bracket 2: 500 - 50 = 450 USDT
        assertEquals(450 * USDT, b.maintenance(100_000 * USDT));
        // 500k in bracket 3: 5000 - 1300 = 3700 USDT
        assertEquals(3_700 * USDT, b.maintenance(500_000 * USDT));
    }

    @Test
    void fundingIsPaidByLongsToShortsAtTheMarkAndIsZeroSum() {
        run(index(31_000 * USDT));
        now = perp().nextFundingMs();
        run(index(31_000 * USDT));
        run(tick());
        // no book: every premium sample is 0; rate = 0 + clamp(0.01% - 0, +-0.05%) = 0.01% (10_000 e8)
        assertEquals(10_000, perp().lastFundingRateE8());
        // longs pay ceil(3_100_000 x 10_000 / 10^8) = 310 cents; the short receives them
        assertEquals(10_000 * USDT - 310, account(A).getWalletBalance());
        assertEquals(10_000 * USDT + 310, account(B).getWalletBalance());
        assertEquals(310, position(A).getFundingPaid());
        assertEquals(-310, position(B).getFundingPaid());
        assertEquals(1, perp().fundingHistory().iterator().next().paid() / 310);
    }

    @Test
    void anAccountBelowMaintenanceIsClosedInTheBookAndPaysTheFund() {
        run(deposit("c", C, 100_000 * USDT));
        run(index(39_000 * USDT));
        run(place(limit(C, PERP, Side.SIDE_SELL, 39_500 * USDT, BTC)));
        assertEquals(0, engine().insurance(0));
        // index 39900: B's equity 4_000_000 - 3_990_000 = 10_000 < maintenance ceil(3_990_000 x 0.4%) = 15_960
        Outcome o = run(index(39_900 * USDT));
        // the liquidation buys C's ask at 39500: realised -950_000, wallet 50_000;
        // fee min(ceil(3_950_000 x 50 bps) = 19_750, equity 50_000) = 19_750 to the fund
        assertEquals(0, position(B).getSize());
        assertEquals(50_000 - 19_750, account(B).getWalletBalance());
        assertEquals(19_750, engine().insurance(0));
        assertEquals(-BTC, position(C).getSize());
        Liquidation l = liquidations(o).get(0);
        assertEquals(39_500 * USDT, l.getPrice());
        assertEquals(BTC, l.getQuantity());
        assertFalse(l.getDeleveraged());
    }

    @Test
    void aBankruptPositionTheBookCannotTakeIsDeleveragedAtItsBankruptcyPrice() {
        // index 45000 with no asks: B's equity 4_000_000 - 4_500_000 = -500_000; the fund is empty
        Outcome o = run(index(45_000 * USDT));
        // ADL against A at the bankruptcy price 4_500_000 + (-500_000) = 4_000_000
        assertEquals(0, position(B).getSize());
        assertEquals(0, position(A).getSize());
        assertEquals(0, account(B).getWalletBalance());
        // A realises 40000 - 30000 = 10000 USDT
        assertEquals(20_000 * USDT, account(A).getWalletBalance());
        Liquidation l = liquidations(o).get(0);
        assertTrue(l.getDeleveraged());
        assertEquals(40_000 * USDT, l.getPrice());
        assertEquals(0, engine().deficit(0));
    }

    @Test
    void ordersThatAddRiskNeedMarginAndAFreshIndex() {
        run(deposit("c", C, 1_000 * USDT));
        // 20x on 1000 USDT: a 1 BTC buy at 30000 needs 1500 USDT of initial margin
        OrderReply r = (OrderReply) run(place(limit(C, PERP, Side.SIDE_BUY, 30_000 * USDT, BTC))).reply();
        assertEquals("INSUFFICIENT_MARGIN", r.getRejectReason());
        r = (OrderReply) run(place(limit(C, PERP, Side.SIDE_BUY, 29_000 * USDT, BTC / 2))).reply();
        assertTrue(r.getAccepted(), r.toString());
        r = (OrderReply) run(place(limit(C, PERP, Side.SIDE_SELL, 31_000 * USDT, BTC / 2).setReduceOnly(true))).reply();
        assertEquals("REDUCE_ONLY", r.getRejectReason());
        now += 31_000; // no index for more than 30 s
        r = (OrderReply) run(place(limit(C, PERP, Side.SIDE_BUY, 29_000 * USDT, BTC / 10))).reply();
        assertEquals("INDEX_STALE", r.getRejectReason());
        // closing A's position adds no risk: allowed while stale, whatever reduce-only orders rest
        r = (OrderReply) run(place(limit(A, PERP, Side.SIDE_SELL, 40_000 * USDT, BTC / 2).setReduceOnly(true))).reply();
        assertTrue(r.getAccepted(), r.toString());
        r = (OrderReply) run(place(market(A, PERP, Side.SIDE_UNSPECIFIED, 0).setClosePosition(true))).reply();
        assertTrue(r.getAccepted(), r.toString());
    }

    @Test
    void withdrawalsLeaveTheInitialMargin() {
        run(index(31_000 * USDT));
        // B: equity 900_000 - initial 155_000 = 745_000 free
        WalletTransferReply w = (WalletTransferReply) run(FuturesCommands.withdraw("w1", B, 745_001)).reply();
        assertFalse(w.getApplied());
        assertEquals("INSUFFICIENT_FUNDS", w.getRejectReason());
        w = (WalletTransferReply) run(FuturesCommands.withdraw("w2", B, 745_000)).reply();
        assertTrue(w.getApplied());
    }

    private static io.trademesh.proto.trading.Conditional.Builder trigger(
            io.trademesh.proto.trading.ConditionalKind kind, long price) {
        return io.trademesh.proto.trading.Conditional.newBuilder().setKind(kind).setTriggerPrice(price);
    }

    private int held(long account) {
        int n = 0;
        for (var o : perp().conditionalOrders()) {
            n += o.accountId() == account ? 1 : 0;
        }
        return n;
    }

    @Test
    void aStopOnTheMarkClosesTheLongWhenTheMarkFallsToIt() {
        run(deposit("c", C, 100_000 * USDT));
        run(place(limit(C, PERP, Side.SIDE_BUY, 28_900 * USDT, BTC)));
        OrderReply r = (OrderReply) run(place(market(A, PERP, Side.SIDE_SELL, BTC).setReduceOnly(true)
                .setConditional(trigger(io.trademesh.proto.trading.ConditionalKind.CONDITIONAL_STOP,
                        29_000 * USDT)))).reply();
        assertTrue(r.getAccepted(), r.toString());
        assertEquals("ORDER_STATUS_NEW", r.getOrder().getStatus().name());
        assertEquals(1, held(A));
        run(index(29_500 * USDT)); // mark 29500: not yet
        assertEquals(BTC, position(A).getSize());
        // mark = median(28950, 28950, last trade 30000) = 28950 <= 29000: the stop sells 1 BTC into C's bid at 28900
        run(index(28_950 * USDT));
        assertEquals(0, held(A));
        assertEquals(0, position(A).getSize());
        assertEquals(10_000 * USDT - 1_100 * USDT, account(A).getWalletBalance());
    }

    @Test
    void aTrailingStopBuysBackWhenThePriceRisesItsCallbackFromTheLow() {
        run(deposit("c", C, 100_000 * USDT));
        run(place(limit(C, PERP, Side.SIDE_SELL, 29_400 * USDT, BTC)));
        OrderReply r = (OrderReply) run(place(market(B, PERP, Side.SIDE_BUY, BTC).setReduceOnly(true)
                .setConditional(trigger(io.trademesh.proto.trading.ConditionalKind.CONDITIONAL_TRAILING_STOP, 0)
                        .setCallbackBps(100)))).reply();
        assertTrue(r.getAccepted(), r.toString());
        run(index(29_500 * USDT));
        run(index(29_000 * USDT)); // the low: 29000; fires at 29000 x 1.01 = 29290 or above
        run(index(29_200 * USDT));
        assertEquals(-BTC, position(B).getSize());
        assertEquals(29_000 * USDT, perp().conditionalOrders().iterator().next().extreme());
        run(index(29_300 * USDT));
        assertEquals(0, position(B).getSize(), "bought back from C at 29400");
        assertEquals(10_000 * USDT + 600 * USDT, account(B).getWalletBalance());
    }

    @Test
    void aDatedContractSettlesAtTheWindowsAverageIndexAndStopsTrading() {
        String dated = "BTC-DATED";
        long expiry = now + 600_000;
        run(create(contract(dated, FuturesCommands.datedTerms(expiry, 60_000))));
        // the new contract takes the index of its pair from BTC-PERP
        run(deposit("d", D, 10_000 * USDT));
        run(deposit("e", E, 10_000 * USDT));
        run(place(limit(D, dated, Side.SIDE_SELL, 30_000 * USDT, BTC)));
        run(place(limit(E, dated, Side.SIDE_BUY, 30_000 * USDT, BTC)));
        run(place(limit(E, dated, Side.SIDE_BUY, 29_000 * USDT, BTC / 2))); // rests until expiry
        // the index every 5 s up to expiry: 30000 before the last minute, then 30700 and 31300 in turn,
        // starting and ending on 30700: 13 samples in the window (its start and the expiry included)
        boolean high = true;
        while (now < expiry) {
            now += 5_000;
            long index = now < expiry - 60_000 ? 30_000 * USDT : (high = !high) ? 31_300 * USDT : 30_700 * USDT;
            run(index(index));
            run(tick());
        }
        Contract c = engine().contract(dated);
        assertTrue(c.settled());
        // (7 x 3_070_000 + 6 x 3_130_000) / 13 = 3_097_692 (rounded down)
        assertEquals(3_097_692, c.settlementPrice());
        // E's long of 1 BTC from 30000 realised +976.92 USDT, D's short the same loss; the resting bid is gone
        assertEquals(10_000 * USDT + 97_692, account(E).getWalletBalance());
        assertEquals(10_000 * USDT - 97_692, account(D).getWalletBalance());
        assertEquals(0, c.book().orderCount());
        OrderReply late = (OrderReply) run(place(limit(E, dated, Side.SIDE_BUY, 30_000 * USDT, BTC))).reply();
        assertEquals("CONTRACT_EXPIRED", late.getRejectReason());
    }

    @Test
    void aStopAlreadyReachedWhenPlacedFiresInTheSameCommand() {
        run(deposit("c", C, 100_000 * USDT));
        run(place(limit(C, PERP, Side.SIDE_SELL, 30_100 * USDT, BTC)));
        // the last trade is 30000: a buy stop at 29000 is reached as it is placed, and buys C's ask
        run(place(market(B, PERP, Side.SIDE_BUY, BTC).setReduceOnly(true)
                .setConditional(trigger(io.trademesh.proto.trading.ConditionalKind.CONDITIONAL_STOP, 29_000 * USDT)
                        .setTriggerBy(io.trademesh.proto.trading.TriggerPrice.TRIGGER_PRICE_LAST))));
        assertEquals(0, held(B));
        assertEquals(0, position(B).getSize());
    }

    @Test
    void aHeldConditionalOrderIsCancelledByIdAndByCancelAll() {
        OrderReply r = (OrderReply) run(place(market(A, PERP, Side.SIDE_SELL, BTC / 2).setReduceOnly(true)
                .setConditional(trigger(io.trademesh.proto.trading.ConditionalKind.CONDITIONAL_STOP,
                        25_000 * USDT)))).reply();
        run(place(limit(A, PERP, Side.SIDE_SELL, 40_000 * USDT, BTC / 2).setReduceOnly(true)
                .setConditional(trigger(io.trademesh.proto.trading.ConditionalKind.CONDITIONAL_TAKE_PROFIT,
                        39_000 * USDT).setTriggerBy(io.trademesh.proto.trading.TriggerPrice.TRIGGER_PRICE_LAST))));
        assertEquals(2, held(A));
        OrderReply cancelled = (OrderReply) run(FuturesCommand.newBuilder().setCancelOrder(
                io.trademesh.proto.trading.CancelOrderRequest.newBuilder().setAccountId(A).setMarket(PERP)
                        .setOrderId(r.getOrder().getOrderId())).build()).reply();
        assertEquals("ORDER_STATUS_CANCELLED", cancelled.getOrder().getStatus().name());
        assertEquals(1, held(A));
        var all = (io.trademesh.proto.trading.CancelAllReply) run(FuturesCommands.cancelAll(A)).reply();
        assertEquals(1, all.getCancelledOrderIdsCount());
        assertEquals(0, held(A));
        OrderReply bad = (OrderReply) run(place(market(A, PERP, Side.SIDE_SELL, BTC).setConditional(
                trigger(io.trademesh.proto.trading.ConditionalKind.CONDITIONAL_TRAILING_STOP, 0)
                        .setCallbackBps(5)))).reply();
        assertEquals("INVALID_CONDITIONAL", bad.getRejectReason());
    }

    private static final long D = 4;
    private static final long E = 5;

    private FuturesCommand marginMode(long account, boolean isolated) {
        return FuturesCommand.newBuilder().setSetMarginMode(io.trademesh.proto.futures.SetMarginModeRequest
                .newBuilder().setAccountId(account).setMarket(PERP).setIsolated(isolated)).build();
    }

    private FuturesCommand adjust(long account, long amount) {
        return FuturesCommand.newBuilder().setAdjustMargin(io.trademesh.proto.futures.AdjustMarginRequest
                .newBuilder().setAccountId(account).setMarket(PERP).setAmount(amount)).build();
    }

    /** C isolated at 10x buys 1 BTC at 30000 from D: 3000 USDT of C's 10000 set aside for the position. */
    private void isolatedLong() {
        run(deposit("c", C, 10_000 * USDT));
        run(deposit("d", D, 10_000 * USDT));
        var mode = (io.trademesh.proto.futures.MarginReply) run(marginMode(C, true)).reply();
        assertTrue(mode.getAccepted(), mode.toString());
        run(FuturesCommands.leverage(C, PERP, 10));
        run(place(limit(D, PERP, Side.SIDE_SELL, 30_000 * USDT, BTC)));
        run(place(market(C, PERP, Side.SIDE_BUY, BTC)));
        assertTrue(position(C).getIsolated());
        assertEquals(3_000 * USDT, position(C).getIsolatedMargin());
        assertEquals(7_000 * USDT, account(C).getAvailable());
    }

    @Test
    void anIsolatedPositionLosesAtMostItsOwnMargin() {
        isolatedLong();
        var refused = (io.trademesh.proto.futures.MarginReply) run(marginMode(C, false)).reply();
        assertEquals("POSITION_EXISTS", refused.getRejectReason());
        run(deposit("e", E, 100_000 * USDT));
        run(place(limit(E, PERP, Side.SIDE_BUY, 27_050 * USDT, BTC)));
        // index 27100: C's isolated equity 3000 - 2900 = 100 < maintenance ceil(2_710_000 x 0.4%) = 10_840 cents
        run(index(27_100 * USDT));
        // sold into E's bid at 27050: realised -2950, margin left 50 USDT; the fee takes min(135.25, 50) = 50
        assertEquals(0, position(C).getSize());
        assertEquals(7_000 * USDT, account(C).getWalletBalance(), "the rest of C's wallet is untouched");
        assertEquals(50 * USDT, engine().insurance(0));
    }

    @Test
    void isolatedMarginIsAddedAndRemovedDownToTheInitialMargin() {
        isolatedLong();
        var added = (io.trademesh.proto.futures.MarginReply) run(adjust(C, 500 * USDT)).reply();
        assertTrue(added.getAccepted(), added.toString());
        assertEquals(3_500 * USDT, position(C).getIsolatedMargin());
        assertEquals(6_500 * USDT, account(C).getAvailable());
        // initial margin at 10x is 3000: at most 500 can come out
        var tooMuch = (io.trademesh.proto.futures.MarginReply) run(adjust(C, -501 * USDT)).reply();
        assertEquals("INSUFFICIENT_MARGIN", tooMuch.getRejectReason());
        var removed = (io.trademesh.proto.futures.MarginReply) run(adjust(C, -500 * USDT)).reply();
        assertTrue(removed.getAccepted());
        assertEquals(3_000 * USDT, position(C).getIsolatedMargin());
        // closing gives the margin and the PnL back to the wallet: sold at 30000 to D's bid, flat, no PnL
        run(place(limit(D, PERP, Side.SIDE_BUY, 30_000 * USDT, BTC)));
        run(place(market(C, PERP, Side.SIDE_SELL, BTC)));
        assertEquals(0, position(C).getSize());
        assertEquals(10_000 * USDT, account(C).getAvailable());
    }

    private static final String PERP2 = "BTC-PERP2";
    private static final long F = 6;
    private static final long G = 7;

    /** A second perpetual on the same index; C and D get what the test gives them, E, F and G 10000 USDT each. */
    private void secondPerpetualAndDeposits(long c, long d) {
        run(create(contract(PERP2, perpetualTerms(60_000))));
        run(deposit("c", C, c));
        run(deposit("d", D, d));
        for (long other : new long[] {E, F, G}) {
            run(deposit("other-" + other, other, 10_000 * USDT));
        }
    }

    private void takes(long account, String market, Side side, long quantity) {
        OrderReply r = (OrderReply) run(place(market(account, market, side, quantity))).reply();
        assertTrue(r.getAccepted() && r.getFillsCount() > 0, r.toString());
    }

    /** The command's liquidations: their contracts, and which were deleveragings. */
    private static List<Liquidation> liquidations(Outcome o, List<String> markets, List<Boolean> deleveraged) {
        List<Liquidation> l = liquidations(o);
        assertEquals(markets, l.stream().map(Liquidation::getMarket).toList());
        assertEquals(deleveraged, l.stream().map(Liquidation::getDeleveraged).toList());
        return l;
    }

    @Test
    void anAccountLeftBankruptByAnotherDeleveragingIsLiquidatedInTheSameCommand() {
        secondPerpetualAndDeposits(4_600 * USDT, 650 * USDT);
        run(FuturesCommands.leverage(D, PERP2, 50));
        // C at 20x: short 2 BTC of PERP to E and long 1 BTC of PERP2 from D (at 50x), all at 30000;
        // C's initial margin is 3000 + 1500 of its 4600
        run(place(limit(E, PERP, Side.SIDE_BUY, 30_000 * USDT, 2 * BTC)));
        takes(C, PERP, Side.SIDE_SELL, 2 * BTC);
        run(place(limit(D, PERP2, Side.SIDE_SELL, 30_000 * USDT, BTC)));
        takes(C, PERP2, Side.SIDE_BUY, BTC);
        // F's ask is all the book holds when the index jumps
        run(place(limit(F, PERP, Side.SIDE_SELL, 30_000 * USDT, BTC)));

        Outcome o = run(index(36_000 * USDT));
        // C first: equity 4600 - 12000 + 6000 = -1400, below maintenance. It buys F's 1 BTC at 30000
        // (realised 0; fee ceil(3_000_000 x 50 bps) = 15_000 cents to the fund): wallet 4450,
        // equity 4450 - 6000 + 6000 = 4450, above maintenance 2 x 0.4% x 36000 = 288: it stops.
        // D next: equity 650 - 6000 = -5350 and no asks; the fund's 150 goes to D, and D's short is
        // deleveraged against C's long at 36000 - 5200 = 30800. C realises 800: wallet 5250, equity
        // 5250 - 6000 = -750. C, changed by D's liquidation, is looked at again: no asks, no fund,
        // so its short is deleveraged at 36000 - 750 = 35250, and C ends flat at 0.
        List<Liquidation> l = liquidations(o, List.of(PERP, PERP2, PERP), List.of(false, true, true));
        assertEquals(30_800 * USDT, l.get(1).getPrice());
        assertEquals(35_250 * USDT, l.get(2).getPrice());
        assertEquals(0, account(C).getPositionsCount());
        assertEquals(0, account(C).getWalletBalance());
        assertEquals(0, account(D).getWalletBalance());
        assertEquals(0, engine().insurance(0));
        assertEquals(0, engine().deficit(0));
    }

    @Test
    void anAccountWhoseRestingOrderAnotherLiquidationFillsIsLiquidatedInTheSameCommand() {
        secondPerpetualAndDeposits(10_000 * USDT, 650 * USDT);
        // C: cross long 2 BTC of PERP at 30000; isolated in PERP2 with a bid for 1 BTC at 30000
        run(place(limit(E, PERP, Side.SIDE_SELL, 30_000 * USDT, 2 * BTC)));
        takes(C, PERP, Side.SIDE_BUY, 2 * BTC);
        run(FuturesCommand.newBuilder().setSetMarginMode(io.trademesh.proto.futures.SetMarginModeRequest
                .newBuilder().setAccountId(C).setMarket(PERP2).setIsolated(true)).build());
        // D: cross long 1 BTC of PERP2 from G at 50x
        run(FuturesCommands.leverage(D, PERP2, 50));
        run(place(limit(G, PERP2, Side.SIDE_SELL, 30_000 * USDT, BTC)));
        takes(D, PERP2, Side.SIDE_BUY, BTC);
        assertTrue(((OrderReply) run(place(limit(C, PERP2, Side.SIDE_BUY, 30_000 * USDT, BTC))).reply())
                .getAccepted());
        run(place(limit(F, PERP, Side.SIDE_BUY, 30_000 * USDT, BTC)));

        Outcome o = run(index(24_000 * USDT));
        // C first: equity 10000 - 12000 = -2000. Its PERP orders cancelled (not its isolated bid),
        // it sells 1 BTC to F's bid at 30000 (realised 0, fee 150 to the fund): wallet 9850,
        // equity 9850 - 6000 = 3850 above maintenance 0.4% x 24000 = 96: it stops.
        // D next: equity 650 - 6000 = -5350; it sells at no less than 24000 - (0 + fund 150) and
        // meets C's bid at 30000 (realised 0, fee 150): D is flat with 500.
        // C, filled by D's liquidation, is looked at again: 1500 set aside for 1 BTC at 20x, isolated
        // equity 1500 - 6000 = -4500. No bids: the fund's 300 goes in, and the rest is deleveraged
        // against G's short at 24000 + 4200 = 28200. C's cross part is untouched: 9850 - 1500 = 8350.
        List<Liquidation> l = liquidations(o, List.of(PERP, PERP2, PERP2), List.of(false, false, true));
        assertEquals(28_200 * USDT, l.get(2).getPrice());
        FuturesAccount c = account(C);
        assertEquals(List.of(PERP), c.getPositionsList().stream().map(Position::getMarket).toList());
        assertEquals(BTC, c.getPositions(0).getSize());
        assertEquals(8_350 * USDT, c.getWalletBalance());
        assertEquals(500 * USDT, account(D).getWalletBalance());
        assertEquals(11_800 * USDT, account(G).getWalletBalance(), "G bought its short back at 28200");
        assertEquals(0, engine().insurance(0));
    }

    private static List<Liquidation> liquidations(Outcome o) {
        List<Liquidation> out = new ArrayList<>();
        o.events().stream().filter(p -> p.address().endsWith(".liquidations")).forEach(p -> {
            try {
                out.add(Liquidation.parseFrom(p.payload()));
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                throw new AssertionError(e);
            }
        });
        return out;
    }
}
