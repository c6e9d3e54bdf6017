package io.trademesh.options.store;

import static io.trademesh.options.store.OptionsCommands.BTC;
import static io.trademesh.options.store.OptionsCommands.USDT;
import static io.trademesh.options.store.OptionsCommands.chain;
import static io.trademesh.options.store.OptionsCommands.deposit;
import static io.trademesh.options.store.OptionsCommands.flatVol;
import static io.trademesh.options.store.OptionsCommands.index;
import static io.trademesh.options.store.OptionsCommands.limit;
import static io.trademesh.options.store.OptionsCommands.place;
import static io.trademesh.options.store.OptionsCommands.template;
import static io.trademesh.options.store.OptionsCommands.tick;
import static io.trademesh.options.store.OptionsCommands.withdraw;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trademesh.options.engine.Instrument;
import io.trademesh.options.engine.OptionsEngine;
import io.trademesh.options.pricing.BlackScholes;
import io.trademesh.options.pricing.VolSurface;
import io.trademesh.platform.engine.Outcome;
import io.trademesh.proto.common.Side;
import io.trademesh.proto.options.ChainReply;
import io.trademesh.proto.options.OptionLiquidation;
import io.trademesh.proto.options.OptionsAccount;
import io.trademesh.proto.options.OptionsCommand;
import io.trademesh.proto.wallet.WalletTransferReply;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hand-worked options examples: every expected figure is worked out in the comment beside it
 * (amounts in cents of USDT, prices in cents per BTC, quantities in 0.001 BTC; the contract
 * size is 0.01 BTC). With a volatility of 0.0001 and an hour to expiry the model's marks are
 * the intrinsic values, so the margin figures can be worked by hand.
 */
class OptionsHandWorkedTest {

    private static final long A = 1;
    private static final long B = 2;
    private static final long C = 3;
    private static final long T0 = 1_800_000_000_000L;
    private static final long EXPIRY = T0 + 3_600_000;
    private static final long TINY_VOL = 100_000;          // 0.0001
    private static final long A_RATIO = 150_000_000;       // 0.15
    private static final long B_RATIO = 100_000_000;       // 0.10
    private static final long C_RATIO = 75_000_000;        // 0.075

    private final OptionsStateMachine m = new OptionsStateMachine();
    private long now = T0;

    private Outcome run(OptionsCommand c) {
        return m.apply(now, c, true);
    }

    private static String call(long strike) {
        return OptionsEngine.symbol("BTC", EXPIRY, strike, true);
    }

    private static String put(long strike) {
        return OptionsEngine.symbol("BTC", EXPIRY, strike, false);
    }

    private OptionsAccount account(long id) {
        return OptionsProto.account(m.engine(), id, m.engine().assets().id("USDT"), now);
    }

    private long wallet(long id) {
        return account(id).getWalletBalance();
    }

    @BeforeEach
    void chainWithIndexAt60000() {
        Outcome created = run(chain(template(0, 0), EXPIRY, 60_000, 10_000, 50_000, 60_000, 62_000, 70_000));
        assertFalse(created.refused());
        assertEquals(8, ((ChainReply) created.reply()).getInstrumentsCount());
        assertFalse(run(OptionsCommands.params(A_RATIO, B_RATIO, C_RATIO)).refused());
        assertFalse(run(flatVol(EXPIRY, TINY_VOL)).refused());
        run(index(60_000 * USDT));
    }

    @Test
    void aChainListsACallAndAPutAtEveryStrikeOnce() {
        ChainReply reply = (ChainReply) run(chain(template(0, 0), EXPIRY + 86_400_000, 0, 0, 65_000)).reply();
        assertEquals(2, reply.getInstrumentsCount());
        assertEquals(OptionsEngine.symbol("BTC", EXPIRY + 86_400_000, 65_000, true), reply.getInstruments(0).getSymbol());
        assertTrue(reply.getInstruments(0).getSymbol().matches("BTC-\\d{8}-65000-C"));
        assertEquals(OptionsEngine.DEFAULT_WINDOW_MS, reply.getInstruments(1).getOption().getSettlementWindowMs());
        assertEquals("MARKET_EXISTS", run(chain(template(0, 0), EXPIRY, 60_000, 10_000, 70_000)).refusal().name());
        // a strike must be a whole number of USDT (price units at 2 decimals: a multiple of 100)
        OptionsCommand fractional = chain(template(0, 0), EXPIRY, 60_000, 10_000, 1).toBuilder()
                .setCreateChain(chain(template(0, 0), EXPIRY, 60_000, 10_000, 1).getCreateChain().toBuilder()
                        .setStrikes(0, 65_050)).build();
        assertEquals("INVALID_MARKET", run(fractional).refusal().name());
        assertEquals(10, m.engine().instruments().size());
    }

    @Test
    void aShortNeedsTheStatedInitialMarginAndALongOnlyItsPremium() {
        run(deposit("a", A, 1_000 * USDT));
        // short call 70000 at index 60000: OTM 10000, 0.15 - 10000/60000 < 0.10, so
        // initial = 0.10 x 60000 + mark 0 = 6000 USDT per BTC: 600 USDT for 0.1 BTC, 1200 for 0.2
        assertEquals("INSUFFICIENT_MARGIN",
                run(place(limit(A, call(70_000), Side.SIDE_SELL, 500 * USDT, 200))).refusal().name());
        assertFalse(run(place(limit(A, call(70_000), Side.SIDE_SELL, 500 * USDT, 100))).refused());
        assertEquals(600 * USDT, account(A).getInitialMargin());
        // short call 62000: OTM 2000, 0.15 x 60000 - 2000 = 7000 > 0.10 x 60000: 7000 USDT per BTC,
        // 70 for 0.01 BTC; together 670, within the 1000 of the wallet
        assertFalse(run(place(limit(A, call(62_000), Side.SIDE_SELL, 100 * USDT, 10))).refused());
        assertEquals(670 * USDT, account(A).getInitialMargin());
        // short put 50000: OTM 10000, floor: 0.10 x 60000 = 6000 per BTC: 60 for 0.01 BTC
        assertFalse(run(place(limit(A, put(50_000), Side.SIDE_SELL, 100 * USDT, 10))).refused());
        assertEquals(730 * USDT, account(A).getInitialMargin());

        // B buys 0.1 BTC of the 70000 call at 500: premium 500 x 0.1 = 50 USDT, at once
        run(deposit("b", B, 1_000 * USDT));
        assertFalse(run(place(limit(B, call(70_000), Side.SIDE_BUY, 500 * USDT, 100))).refused());
        assertEquals(1_050 * USDT, wallet(A));
        assertEquals(950 * USDT, wallet(B));
        OptionsAccount b = account(B);
        assertEquals(0, b.getInitialMargin(), "a long needs no margin");
        assertEquals(100, b.getPositions(0).getSize());
        assertEquals(500 * USDT, b.getPositions(0).getAveragePrice());
        assertEquals(-50 * USDT, b.getPositions(0).getUnrealizedPnl(), "marked at 0, it is worth nothing now");
        // A's maintenance: 0.075 x 60000 + 0 = 4500 per BTC, 450 for the 0.1 BTC short
        assertEquals(450 * USDT, account(A).getMaintenanceMargin());
        assertEquals(-100, account(A).getPositions(0).getSize());
    }

    @Test
    void aBuyNeedsItsPremiumAndALimitKeepsToTheBandAroundTheMark() {
        run(deposit("b", B, 10 * USDT));
        // 0.1 BTC at 500: premium 50 USDT > 10
        assertEquals("INSUFFICIENT_FUNDS",
                run(place(limit(B, call(70_000), Side.SIDE_BUY, 500 * USDT, 100))).refusal().name());
        // mark 0: the band is max(0 x 50%, 60000 x 1%) = 600 USDT around it
        assertEquals("PRICE_OUT_OF_BAND",
                run(place(limit(B, call(70_000), Side.SIDE_BUY, 700 * USDT, 10))).refusal().name());
        assertFalse(run(place(limit(B, call(70_000), Side.SIDE_BUY, 600 * USDT, 10))).refused());
        // 6 USDT set aside for it: a withdrawal of more than 4 is refused
        assertFalse(((WalletTransferReply) run(withdraw("w1", B, 5 * USDT)).reply()).getApplied());
        assertTrue(((WalletTransferReply) run(withdraw("w2", B, 4 * USDT)).reply()).getApplied());
    }

    @Test
    void aWithdrawalLeavesTheInitialMarginAndAStaleIndexBlocksNewShorts() {
        run(deposit("a", A, 1_000 * USDT));
        run(deposit("b", B, 1_000 * USDT));
        run(place(limit(A, call(70_000), Side.SIDE_SELL, 500 * USDT, 100)));
        run(place(limit(B, call(70_000), Side.SIDE_BUY, 500 * USDT, 100)));
        // wallet 1050, initial 600: 450 free
        assertFalse(((WalletTransferReply) run(withdraw("w1", A, 451 * USDT)).reply()).getApplied());
        assertTrue(((WalletTransferReply) run(withdraw("w2", A, 450 * USDT)).reply()).getApplied());
        now += 31_000;
        assertEquals("INDEX_STALE",
                run(place(limit(C, call(70_000), Side.SIDE_SELL, 500 * USDT, 10))).refusal().name());
        // selling what one holds adds no risk: allowed on a stale index
        assertFalse(run(place(limit(B, call(70_000), Side.SIDE_SELL, 500 * USDT, 100))).refused());
    }

    @Test
    void belowMaintenanceTheShortIsBoughtBackInStepsWithAFeeToTheFund() {
        run(deposit("a", A, 1_000 * USDT));
        run(deposit("b", B, 1_000 * USDT));
        run(deposit("c", C, 5_000 * USDT));
        run(place(limit(A, call(70_000), Side.SIDE_SELL, 500 * USDT, 100)));
        run(place(limit(B, call(70_000), Side.SIDE_BUY, 500 * USDT, 100)));
        run(place(limit(A, call(62_000), Side.SIDE_SELL, 2_000 * USDT, 10))); // an open order, cancelled below
        // index 75000: mark of the 70000 call 5000; A's maintenance (0.075 x 75000 + 5000) x 0.1
        // = 1062.50 USDT > its wallet of 1050: its orders go, and there is nothing to buy back from
        now += 1_000;
        run(index(75_000 * USDT));
        assertEquals(5_000 * USDT, m.engine().instrument(call(70_000)).markPrice());
        assertEquals(106_250, account(A).getMaintenanceMargin());
        assertTrue(m.engine().underwater(A));
        assertEquals(0, m.engine().instrument(call(62_000)).book().openOrderCount(A));
        // C offers 0.1 BTC at 5100 (band: 5000 +- 2500); the next tick buys back half of A's short
        // (0.05 BTC) at 5100: 255 USDT, and a fee of 0.5% of the index value 75000 x 0.05 = 18.75
        run(place(limit(C, call(70_000), Side.SIDE_SELL, 5_100 * USDT, 100)));
        now += 1_000;
        Outcome liquidation = run(tick());
        OptionLiquidation shown = null;
        for (var p : liquidation.events()) {
            if (p.address().endsWith(".liquidations")) {
                try {
                    shown = OptionLiquidation.parseFrom(p.payload());
                } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                    throw new AssertionError(e);
                }
            }
        }
        assertEquals(50, shown.getQuantity());
        assertEquals(5_100 * USDT, shown.getPrice());
        assertEquals(1_875, shown.getFee());
        // 1050 - 255 - 18.75 = 776.25 >= maintenance of the 0.05 left: 10625 x 0.05 = 531.25
        assertEquals(77_625, wallet(A));
        assertEquals(53_125, account(A).getMaintenanceMargin());
        assertEquals(-50, account(A).getPositions(0).getSize());
        assertFalse(m.engine().underwater(A));
        assertEquals(1_875, m.engine().insurance(m.engine().assets().id("USDT")));
        assertEquals(5_255 * USDT, wallet(C));
    }

    @Test
    void expirySettlesOnceOnTheIndexAveragedOverTheWindow() throws Exception {
        run(deposit("a", A, 2_000 * USDT));
        run(deposit("b", B, 1_000 * USDT));
        run(place(limit(A, call(60_000), Side.SIDE_SELL, 100 * USDT, 100)));
        run(place(limit(B, call(60_000), Side.SIDE_BUY, 100 * USDT, 100))); // premium 10 USDT
        // samples every 10 s in the last minute: 61000, 62000, 63000
        long[] samples = {61_000, 62_000, 63_000};
        for (int i = 0; i < samples.length; i++) {
            now = EXPIRY - 60_000 + i * 10_000L;
            run(index(samples[i] * USDT));
            run(tick());
        }
        assertEquals(62_000 * USDT, OptionsProto.ticker(m.engine().instrument(call(60_000)), now)
                .getEstimatedSettlementPrice());
        now = EXPIRY;
        run(tick());
        Instrument settled = m.engine().instrument(call(60_000));
        assertTrue(settled.expiry().settled());
        assertEquals(62_000 * USDT, settled.expiry().settlementPrice());
        // intrinsic 2000 per BTC: B receives 200 for 0.1 BTC, A pays it
        assertEquals(1_000 * USDT - 10 * USDT + 200 * USDT, wallet(B));
        assertEquals(2_000 * USDT + 10 * USDT - 200 * USDT, wallet(A));
        assertEquals(0, account(A).getPositionsCount());
        assertEquals(0, account(A).getInitialMargin(), "margin released");
        byte[] after = m.snapshot(1).state();
        now += 60_000;
        run(tick());
        assertEquals(1_190 * USDT, wallet(B), "paid once");
        assertEquals("INSTRUMENT_EXPIRED",
                run(place(limit(B, call(60_000), Side.SIDE_BUY, 100 * USDT, 10))).refusal().name());
        OptionsStateMachine restored = new OptionsStateMachine();
        restored.restore(1, after);
        assertArrayEquals(after, restored.snapshot(1).state());
    }

    @Test
    void theMarkIsBlackScholesAtTheSurfaceRoundedToTheTick() {
        long expiry = T0 + 30L * 86_400_000;
        run(chain(template(0, 0), expiry, 0, 0, 62_000));
        run(flatVol(expiry, 600_000_000));
        now += 1_000;
        run(index(60_000 * USDT));
        Instrument x = m.engine().instrument(OptionsEngine.symbol("BTC", expiry, 62_000, true));
        double years = (expiry - now) / VolSurface.YEAR_MS;
        double model = BlackScholes.price(true, 60_000 * USDT, 62_000 * USDT, years, 0.6, 0);
        assertEquals(Math.round(model / 100) * 100, x.markPrice());
        var ticker = OptionsProto.ticker(x, now);
        assertEquals(0.6, ticker.getMarkIv(), 1e-12);
        assertTrue(ticker.getDelta() > 0.3 && ticker.getDelta() < 0.6, "delta " + ticker.getDelta());
        assertTrue(ticker.getTheta() < 0 && ticker.getVega() > 0 && ticker.getGamma() > 0);
        // margin of one short: a - OTM/index = 0.15 - 2000/60000 = 0.1167 > 0.10: 7000 + mark per BTC
        run(deposit("a", A, 10_000 * USDT));
        run(place(limit(A, x.spec().symbol(), Side.SIDE_SELL, x.markPrice(), BTC / 10)));
        assertEquals((7_000 * USDT + x.markPrice()) / 10, account(A).getInitialMargin());
    }
}
