package io.trademesh.marketdata.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trademesh.marketdata.candles.CandleInterval;
import io.trademesh.marketdata.engine.MarketDataEngine;
import io.trademesh.marketdata.engine.Rolling24h;
import io.trademesh.marketdata.history.TradeTape;
import io.trademesh.proto.common.PublicTrade;
import io.trademesh.proto.common.Side;
import io.trademesh.proto.marketdata.MarketDataCommand;
import io.trademesh.proto.marketdata.TradesObserved;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The journaled market-data state: a batch counts once (by its source's sequence, then by
 * trade id), history pages by time, the 24-hour ticker adds up the minutes, and replay and
 * snapshots give the live state's bytes.
 */
class MarketDataStateMachineTest {

    private static final long T0 = 1_800_000_000_000L - 1_800_000_000_000L % 86_400_000L;

    private static PublicTrade trade(String market, long id, long timeMs, long price, long quantity) {
        return PublicTrade.newBuilder().setMarket(market).setTradeId(id).setTimestampMs(timeMs).setPrice(price)
                .setQuantity(quantity).setQuoteQuantity(price * quantity / 100).setTakerSide(Side.SIDE_BUY).build();
    }

    private static MarketDataCommand batch(String instance, long startedAt, long sequence, PublicTrade... trades) {
        return MarketDataCommand.newBuilder().setTrades(TradesObserved.newBuilder().setSourceService("spot")
                .setSourceInstance(instance).setStartedAtMs(startedAt).setBatchSequence(sequence)
                .addAllTrades(List.of(trades))).build();
    }

    @Test
    void aBatchCountsOnceWhateverDeliversItAgain() {
        MarketDataStateMachine m = new MarketDataStateMachine();
        assertEquals(2, m.apply(T0, batch("spot-1", 1, 1, trade("BTC-USDT", 1, T0, 100, 2),
                trade("BTC-USDT", 2, T0 + 10, 110, 1)), true));
        assertEquals(0, m.apply(T0, batch("spot-1", 1, 1, trade("BTC-USDT", 1, T0, 100, 2)), true), "the same batch");
        // a gap filled from the owner delivers batch 3 with a trade already counted through another path
        assertEquals(1, m.apply(T0, batch("spot-1", 1, 3, trade("BTC-USDT", 2, T0 + 10, 110, 1),
                trade("BTC-USDT", 3, T0 + 70_000, 90, 4)), true));
        assertEquals(0, m.apply(T0, batch("spot-1", 1, 2), true), "older than the last applied");
        // a new run of the instance starts its sequence again
        assertEquals(1, m.apply(T0, batch("spot-1", 2, 1, trade("BTC-USDT", 4, T0 + 80_000, 95, 1)), true));
        MarketDataEngine e = m.engine();
        assertEquals(4, e.tradesApplied());
        assertEquals(List.of(new MarketDataEngine.SourceMark("spot", "spot-1", 2, 1)), e.sources());

        List<long[]> minutes = new ArrayList<>();
        e.market("BTC-USDT").candles().series(CandleInterval.M1).forEach(0, Long.MAX_VALUE,
                (start, open, high, low, close, base, quote, trades) -> minutes.add(
                        new long[] {start, open, high, low, close, base, trades}));
        assertEquals(2, minutes.size());
        assertArrayEquals(new long[] {T0, 100, 110, 100, 110, 3, 2}, minutes.get(0));
        assertArrayEquals(new long[] {T0 + 60_000, 90, 95, 90, 95, 5, 2}, minutes.get(1));

        Rolling24h day = new Rolling24h();
        assertTrue(e.rolling24h("BTC-USDT", T0 + 90_000, day));
        assertEquals(100, day.open);
        assertEquals(95, day.close);
        assertEquals(110, day.high);
        assertEquals(90, day.low);
        assertEquals(8, day.volume);
        assertEquals(4, day.trades);
        assertFalse(e.rolling24h("BTC-USDT", T0 + 90_000 + 86_400_000L + 60_000, day), "a day later: nothing");
    }

    @Test
    void markCandlesCountEachMarkOncePerTime() {
        MarketDataStateMachine m = new MarketDataStateMachine();
        MarketDataCommand marks = MarketDataCommand.newBuilder().setMarks(io.trademesh.proto.marketdata.MarksObserved
                .newBuilder().addSamples(mark("BTC-PERP", T0 + 1_000, 30_000))
                .addSamples(mark("BTC-PERP", T0 + 2_000, 30_500)).addSamples(mark("BTC-PERP", T0 + 61_000, 29_000))
                .addSamples(mark("BTC-PERP", T0 + 62_000, 0))).build();
        assertEquals(3, m.apply(T0, marks, true), "a mark of 0 (none yet) is not a point");
        assertEquals(0, m.apply(T0, marks, true), "heard again: nothing changes");
        List<long[]> minutes = new ArrayList<>();
        m.engine().marks("BTC-PERP").series(CandleInterval.M1).forEach(0, Long.MAX_VALUE,
                (start, open, high, low, close, base, quote, samples) -> minutes.add(
                        new long[] {start, open, high, low, close, base, samples}));
        assertArrayEquals(new long[] {T0, 30_000, 30_500, 30_000, 30_500, 0, 2}, minutes.get(0));
        assertArrayEquals(new long[] {T0 + 60_000, 29_000, 29_000, 29_000, 29_000, 0, 1}, minutes.get(1));
        assertEquals(null, m.engine().market("BTC-PERP"), "marks are not trades");
    }

    @Test
    void poolRatesKeepTheFirstSampleOfEachMinute() {
        MarketDataStateMachine m = new MarketDataStateMachine();
        var rates = io.trademesh.proto.marketdata.MarksObserved.newBuilder();
        for (int s = 0; s < 180; s++) { // three minutes of per-second samples, utilisation rising
            rates.addPoolRates(io.trademesh.proto.marketdata.PoolRateSample.newBuilder().setAsset("USDT")
                    .setTimestampMs(T0 + s * 1_000L).setUtilizationE9(s).setBorrowRateE9(2 * s).setSupplyRateE9(s / 2));
        }
        MarketDataCommand c = MarketDataCommand.newBuilder().setMarks(rates).build();
        assertEquals(3, m.apply(T0, c, true));
        assertEquals(0, m.apply(T0, c, true), "heard again: nothing changes");
        List<long[]> points = new ArrayList<>();
        long next = m.engine().poolRates("USDT").forEach(T0, T0 + 180_000, 2,
                (time, v) -> points.add(new long[] {time, v[0], v[1], v[2]}));
        assertArrayEquals(new long[] {T0, 0, 0, 0}, points.get(0));
        assertArrayEquals(new long[] {T0 + 60_000, 60, 120, 30}, points.get(1));
        assertEquals(T0 + 120_000, next, "the third minute is the next page");
    }

    @Test
    void fundingCountsOncePerSettlementAndOptionMarksOncePerMinute() {
        MarketDataStateMachine m = new MarketDataStateMachine();
        var observed = io.trademesh.proto.marketdata.MarksObserved.newBuilder()
                .addFunding(funding("BTC-PERP", T0, 10_000, 30_000, 15))
                .addFunding(funding("BTC-PERP", T0 + 3_600_000, -2_500, 30_100, 4))
                .addFunding(funding("BTC-PERP", T0 + 3_600_000, -2_500, 30_100, 4)) // read twice
                .addFunding(funding("BTC-PERP", T0 + 1_000, 1, 1, 1)); // older than the newest kept
        for (int s = 0; s < 120; s += 30) { // an option's mark every 30 s over two minutes
            observed.addSamples(mark("BTC-C", T0 + s * 1_000L, 1_500 + s).toBuilder()
                    .setMarkIvE8(55_000_000 + s).setIndexPrice(60_000 + s));
        }
        MarketDataCommand c = MarketDataCommand.newBuilder().setMarks(observed).build();
        assertEquals(2 + 4, m.apply(T0, c, true), "two settlements, four mark points");
        assertEquals(0, m.apply(T0, c, true), "read again: nothing changes");
        List<long[]> funding = new ArrayList<>();
        m.engine().funding("BTC-PERP").forEach(0, Long.MAX_VALUE, 10,
                (time, v) -> funding.add(new long[] {time, v[0], v[1], v[2]}));
        assertEquals(2, funding.size());
        assertArrayEquals(new long[] {T0, 10_000, 30_000, 15}, funding.get(0));
        assertArrayEquals(new long[] {T0 + 3_600_000, -2_500, 30_100, 4}, funding.get(1));
        List<long[]> iv = new ArrayList<>();
        m.engine().optionMarks("BTC-C").forEach(0, Long.MAX_VALUE, 10,
                (time, v) -> iv.add(new long[] {time, v[0], v[1], v[2]}));
        assertEquals(2, iv.size(), "the first sample of each minute");
        assertArrayEquals(new long[] {T0 + 60_000, 1_560, 55_000_060, 60_060}, iv.get(1));
        assertEquals(null, m.engine().optionMarks("BTC-PERP"), "a future's mark has no volatility");
    }

    private static io.trademesh.proto.futures.FundingEvent funding(String market, long timeMs, long rateE8, long mark,
                                                                  long paid) {
        return io.trademesh.proto.futures.FundingEvent.newBuilder().setMarket(market).setTimestampMs(timeMs)
                .setRateE8(rateE8).setMarkPrice(mark).setPaid(paid).build();
    }

    private static io.trademesh.proto.marketdata.MarkSample mark(String market, long timeMs, long price) {
        return io.trademesh.proto.marketdata.MarkSample.newBuilder().setMarket(market).setTimestampMs(timeMs)
                .setPrice(price).build();
    }

    @Test
    void tradeHistoryPagesByTimeAndKeepsTheLastTenThousand() {
        TradeTape tape = new TradeTape();
        for (int i = 1; i <= TradeTape.CAPACITY + 500; i++) {
            tape.append(i, T0 + i * 10L, 100 + i, 1, i % 2 == 0);
        }
        assertEquals(TradeTape.CAPACITY, tape.size());
        assertEquals(T0 + 501 * 10L, tape.oldestMs(), "the oldest 500 are gone");
        List<Long> ids = new ArrayList<>();
        long next = tape.forEach(T0 + 1_000 * 10L, T0 + 2_000 * 10L, 300, (id, time, price, q, buy) -> ids.add(id));
        assertEquals(300, ids.size());
        assertEquals(1_000L, ids.get(0));
        assertEquals(T0 + 1_300 * 10L, next, "the next page starts at the 301st");
        ids.clear();
        next = tape.forEach(next, T0 + 2_000 * 10L, 1_000, (id, time, price, q, buy) -> ids.add(id));
        assertEquals(700, ids.size());
        assertEquals(0, next, "nothing more in the range");
    }

    @Test
    void replayAndSnapshotsGiveTheLiveState() throws Exception {
        MarketDataStateMachine live = new MarketDataStateMachine();
        List<MarketDataCommand> journal = new ArrayList<>();
        java.util.Random random = new java.util.Random(5);
        long[] next = new long[3];
        for (int b = 1; b <= 400; b++) {
            List<PublicTrade> trades = new ArrayList<>();
            for (int k = random.nextInt(4); k > 0; k--) {
                int market = random.nextInt(3);
                long id = ++next[market];
                trades.add(trade("M" + market, id, T0 + b * 900L, 1_000 + random.nextInt(50), 1 + random.nextInt(9)));
            }
            journal.add(batch("spot-1", 1, random.nextInt(10) == 0 ? Math.max(1, b - 3) : b,
                    trades.toArray(new PublicTrade[0])));
            if (b % 7 == 0) {
                journal.add(MarketDataCommand.newBuilder().setMarks(io.trademesh.proto.marketdata.MarksObserved
                        .newBuilder().addSamples(mark("P", T0 + b * 900L, 2_000 + random.nextInt(9)))
                        .addSamples(mark("O", T0 + b * 9_000L, 50 + random.nextInt(9)).toBuilder()
                                .setMarkIvE8(40_000_000 + random.nextInt(1_000)).setIndexPrice(2_000))
                        .addFunding(funding("P", T0 + b * 3_600L, random.nextInt(200) - 100, 2_000, b))).build());
            }
        }
        for (MarketDataCommand c : journal) {
            live.apply(T0, c, true);
        }
        byte[] state = live.snapshot(1).state();
        MarketDataStateMachine replayed = new MarketDataStateMachine();
        for (MarketDataCommand c : journal) {
            replayed.apply(T0, c, false);
        }
        assertArrayEquals(state, replayed.snapshot(1).state());
        MarketDataStateMachine restored = new MarketDataStateMachine();
        restored.restore(1, state);
        assertArrayEquals(state, restored.snapshot(1).state());
        MarketDataStateMachine resumed = new MarketDataStateMachine();
        MarketDataStateMachine half = new MarketDataStateMachine();
        for (MarketDataCommand c : journal.subList(0, 200)) {
            half.apply(T0, c, false);
        }
        resumed.restore(1, half.snapshot(1).state());
        for (MarketDataCommand c : journal.subList(200, journal.size())) {
            resumed.apply(T0, c, false);
        }
        assertArrayEquals(state, resumed.snapshot(1).state());
    }
}
