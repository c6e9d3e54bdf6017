package io.trademesh.marketdata.candles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Candles from a scripted trade stream, worked by hand: across minute boundaries, with trades
 * delivered twice and out of order, and one too old for the 1s candles kept.
 */
class MarketCandlesTest {

    /** A Monday 00:00 UTC: every interval's candles start here. */
    private static final long B = CandleInterval.W1.startOf(1_800_000_000_000L);

    record Candle(long start, long open, long high, long low, long close, long base, long quote, long trades) {
    }

    private static List<Candle> candles(MarketCandles m, CandleInterval i) {
        List<Candle> out = new ArrayList<>();
        m.series(i).forEach(Long.MIN_VALUE + 1, Long.MAX_VALUE, (s, o, h, l, c, bv, qv, n) ->
                out.add(new Candle(s, o, h, l, c, bv, qv, n)));
        return out;
    }

    @Test
    void intervalsStartWhereTheVenuesStartThem() {
        assertEquals(java.time.DayOfWeek.MONDAY, java.time.Instant.ofEpochMilli(B).atZone(java.time.ZoneOffset.UTC)
                .getDayOfWeek());
        assertEquals(0, B % 86_400_000L);
        assertEquals(B + 60_000, CandleInterval.M1.startOf(B + 119_999));
        assertEquals(B, CandleInterval.W1.startOf(B + 7 * 86_400_000L - 1));
        assertEquals(B - 7 * 86_400_000L, CandleInterval.W1.startOf(B - 1));
        assertEquals(CandleInterval.H4, CandleInterval.of("4h"));
    }

    @Test
    void aScriptedStreamWithDuplicatesAndLateTrades() {
        MarketCandles m = new MarketCandles("BTC-USDT");
        assertTrue(m.onTrade(1, B + 1_000, 100, 2, 200));
        assertTrue(m.onTrade(2, B + 30_000, 110, 1, 110));
        assertTrue(m.onTrade(3, B + 59_999, 90, 3, 270));
        assertTrue(m.onTrade(4, B + 60_000, 95, 1, 95));
        assertTrue(m.onTrade(5, B + 61_500, 105, 2, 210));
        assertFalse(m.onTrade(2, B + 30_000, 110, 1, 110), "redelivered");
        assertFalse(m.onTrade(5, B + 61_500, 105, 2, 210), "redelivered");
        assertTrue(m.onTrade(7, B + 62_000, 120, 1, 120));
        assertTrue(m.onTrade(6, B + 61_800, 80, 1, 80), "late, but its candle is kept");
        assertEquals(2, m.duplicates());

        // 1m: [B, B+60s) trades 1..3; [B+60s, B+120s) trades 4..7, the close is trade 7's (the highest id)
        assertEquals(List.of(new Candle(B, 100, 110, 90, 90, 6, 580, 3),
                new Candle(B + 60_000, 95, 120, 80, 120, 5, 505, 4)), candles(m, CandleInterval.M1));
        // 1s around the late trade: second 61 holds trades 5 and 6, so it closes at trade 6's 80
        List<Candle> seconds = candles(m, CandleInterval.S1);
        assertEquals(6, seconds.size());
        assertEquals(new Candle(B + 61_000, 105, 105, 80, 80, 3, 290, 2), seconds.get(4));
        // 3m and 1w: all seven
        assertEquals(List.of(new Candle(B, 100, 120, 80, 120, 11, 1_085, 7)), candles(m, CandleInterval.M3));
        assertEquals(candles(m, CandleInterval.M3), candles(m, CandleInterval.W1));

        // a trade 400 s later moves the 1s candles past the 300 kept; then one for B+2s arrives:
        // too old for the 1s candles, still in the minute's
        assertTrue(m.onTrade(8, B + 400_000, 100, 1, 100));
        assertTrue(m.onTrade(9, B + 2_000, 200, 1, 200));
        assertEquals(1, m.late());
        assertEquals(new Candle(B, 100, 200, 90, 200, 7, 780, 4), candles(m, CandleInterval.M1).get(0));
        assertTrue(candles(m, CandleInterval.S1).stream().noneMatch(c -> c.start() == B + 2_000));
    }

    @Test
    void aRangeReadsOnlyItsCandles() {
        MarketCandles m = new MarketCandles("X");
        for (int i = 0; i < 10; i++) {
            m.onTrade(i + 1, B + i * 60_000L, 100 + i, 1, 100 + i);
        }
        List<Candle> out = new ArrayList<>();
        m.series(CandleInterval.M1).forEach(B + 120_000, B + 300_000, (s, o, h, l, c, bv, qv, n) ->
                out.add(new Candle(s, o, h, l, c, bv, qv, n)));
        assertEquals(List.of(B + 120_000, B + 180_000, B + 240_000), out.stream().map(Candle::start).toList());
    }

    @Test
    void idsFarBehindTheWindowAreRefusedAndTheWindowForgetsNothingInside() {
        TradeIdWindow w = new TradeIdWindow();
        assertTrue(w.firstTime(5));
        assertTrue(w.firstTime(70_000));
        assertFalse(w.firstTime(5), "below the window now: refused");
        assertTrue(w.firstTime(69_999 - 60_000));
        assertFalse(w.firstTime(69_999 - 60_000));
        assertTrue(w.firstTime(1_000_000));
        assertFalse(w.firstTime(1_000_000));
        assertTrue(w.firstTime(999_999));
    }

    @Test
    void aLongRunOfTradeIdsCountsEveryIdOnceBeyondTheWindow() {
        // a market's trade ids run 1, 2, 3 ... far past the window's 65,536: each is new once, and
        // a redelivery of any id still inside the window is refused
        TradeIdWindow w = new TradeIdWindow();
        for (long id = 1; id <= 300_000; id++) {
            assertTrue(w.firstTime(id), "trade " + id + " is new");
            if (id % 997 == 0) {
                assertFalse(w.firstTime(id - 1_000), "trade " + (id - 1_000) + " again");
            }
        }
        assertTrue(w.firstTime(1_800_000_000_000L), "a jump far ahead");
        assertFalse(w.firstTime(1_800_000_000_000L));
        assertTrue(w.firstTime(1_800_000_000_001L));
        assertFalse(w.firstTime(1_800_000_000_000L), "the id that moved the window is still in it");
    }
}
