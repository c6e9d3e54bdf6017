package io.trademesh.marketdata.engine;

import io.trademesh.marketdata.candles.CandleInterval;
import io.trademesh.marketdata.candles.CandleSeries;
import io.trademesh.marketdata.candles.MarketCandles;
import io.trademesh.marketdata.history.SampleTape;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * marketdata-service's state: per market its candles and recent trades, and per product
 * instance the last event batch applied, so that a batch delivered twice (redelivery, a
 * repaired gap, the journal replayed) changes nothing and a restart knows where each source
 * left off. Deterministic and single-threaded; trades are applied without allocation once a
 * market exists.
 */
public final class MarketDataEngine {

    private static final int SNAPSHOT_MAGIC = 0x4d445441; // "MDTA"
    /** 2 added funding and option marks; a version-1 snapshot reads with none. */
    private static final int SNAPSHOT_VERSION = 2;

    /** Retention per kind, in points: a pool's rates a minute for a week. */
    public static final int POOL_RATE_POINTS = 7 * 1_440;
    /** A perpetual's funding settlements: a year of hourly funding (eight years of 8-hourly). */
    public static final int FUNDING_POINTS = 8_760;
    /** An option's mark and volatility, a minute for two days (options live weeks; a point is 32 bytes). */
    public static final int OPTION_MARK_POINTS = 2 * 1_440;
    private static final long MINUTE_MS = 60_000;

    /** Where a source (one run of one product instance) was left. */
    public record SourceMark(String service, String instance, long startedAtMs, long lastBatchSequence) {
    }

    private final Map<String, MarketHistory> markets = new TreeMap<>();
    private final Map<String, SourceMark> sources = new TreeMap<>();
    /** Mark-price candles of futures contracts and options, from their owners' per-second marks. */
    private final Map<String, MarketCandles> marks = new TreeMap<>();
    /** Money-market pools' rates (utilization, borrow, supply; e9), a point a minute, by asset. */
    private final Map<String, SampleTape> poolRates = new TreeMap<>();
    /** Perpetuals' funding settlements (rate e8, mark price, paid), by market. */
    private final Map<String, SampleTape> funding = new TreeMap<>();
    /** Options' marks (mark price, mark IV e8, index price), a point a minute, by market. */
    private final Map<String, SampleTape> optionMarks = new TreeMap<>();
    private long trades;
    private long duplicates;

    /**
     * Starts applying one batch of {@code instance}: false when it was applied before (the same
     * run at this or a lower sequence, or an older run), and it must be skipped.
     */
    public boolean beginBatch(String service, String instance, long startedAtMs, long batchSequence) {
        SourceMark mark = sources.get(instance);
        if (mark != null && (startedAtMs < mark.startedAtMs()
                || (startedAtMs == mark.startedAtMs() && batchSequence <= mark.lastBatchSequence()))) {
            return false;
        }
        sources.put(instance, new SourceMark(service, instance, startedAtMs, batchSequence));
        return true;
    }

    /** One public trade; false when it was applied before (its id already counted in the market). */
    public boolean onTrade(String market, long tradeId, long timeMs, long price, long quantity, long quoteQuantity,
                           boolean takerBuys) {
        MarketHistory h = markets.get(market);
        if (h == null) {
            h = new MarketHistory(market);
            markets.put(market, h);
        }
        if (!h.candles.onTrade(tradeId, timeMs, price, quantity, quoteQuantity)) {
            duplicates++;
            return false;
        }
        h.trades.append(tradeId, timeMs, price, quantity, takerBuys);
        h.changed = true;
        trades++;
        return true;
    }

    /**
     * One mark price: a point of the market's mark-price candles, counted once per market and
     * time (the time stands for the trade id), so a mark heard twice changes nothing.
     */
    public boolean onMark(String market, long timeMs, long price) {
        MarketCandles c = marks.get(market);
        if (c == null) {
            c = new MarketCandles(market);
            marks.put(market, c);
        }
        return price > 0 && c.onTrade(timeMs, timeMs, price, 0, 0);
    }

    /** A pool's rates at a time: kept when it is the first sample of a newer minute. */
    public boolean onPoolRate(String asset, long timeMs, long utilizationE9, long borrowRateE9, long supplyRateE9) {
        return poolRates.computeIfAbsent(asset, a -> newPoolRates()).add(timeMs, utilizationE9, borrowRateE9,
                supplyRateE9);
    }

    /** A perpetual's funding settlement: kept when it is newer than the last kept (so once per time). */
    public boolean onFunding(String market, long timeMs, long rateE8, long markPrice, long paid) {
        return funding.computeIfAbsent(market, m -> newFunding()).add(timeMs, rateE8, markPrice, paid);
    }

    /** An option's mark and volatility: kept when it is the first sample of a newer minute. */
    public boolean onOptionMark(String market, long timeMs, long markPrice, long markIvE8, long indexPrice) {
        return optionMarks.computeIfAbsent(market, m -> newOptionMarks()).add(timeMs, markPrice, markIvE8,
                indexPrice);
    }

    private static SampleTape newPoolRates() {
        return new SampleTape(3, MINUTE_MS, POOL_RATE_POINTS);
    }

    private static SampleTape newFunding() {
        return new SampleTape(3, 1, FUNDING_POINTS);
    }

    private static SampleTape newOptionMarks() {
        return new SampleTape(3, MINUTE_MS, OPTION_MARK_POINTS);
    }

    /** The pool's rate history (utilization, borrow, supply), or null when none was heard. */
    public SampleTape poolRates(String asset) {
        return poolRates.get(asset);
    }

    /** The perpetual's funding history (rate, mark price, paid), or null when none was read. */
    public SampleTape funding(String market) {
        return funding.get(market);
    }

    /** The option's mark history (mark price, mark IV, index), or null when none was heard. */
    public SampleTape optionMarks(String market) {
        return optionMarks.get(market);
    }

    /** The market's mark-price candles, or null when no mark was heard. */
    public MarketCandles marks(String market) {
        return marks.get(market);
    }

    public MarketHistory market(String market) {
        return markets.get(market);
    }

    public List<String> marketNames() {
        return new ArrayList<>(markets.keySet());
    }

    /** The markets with trades since the last call (for the per-second streams); clears the marks. */
    public List<String> takeChanged() {
        List<String> changed = new ArrayList<>();
        for (Map.Entry<String, MarketHistory> e : markets.entrySet()) {
            if (e.getValue().changed) {
                e.getValue().changed = false;
                changed.add(e.getKey());
            }
        }
        return changed;
    }

    public List<SourceMark> sources() {
        return new ArrayList<>(sources.values());
    }

    public long tradesApplied() {
        return trades;
    }

    public long duplicates() {
        return duplicates;
    }

    /**
     * The 24 hours to {@code nowMs} from the 1-minute candles, into {@code out}: false when the
     * market had no trade in the window.
     */
    public boolean rolling24h(String market, long nowMs, Rolling24h out) {
        MarketHistory h = markets.get(market);
        if (h == null) {
            return false;
        }
        CandleSeries minutes = h.candles.series(CandleInterval.M1);
        long to = CandleInterval.M1.startOf(nowMs) + CandleInterval.M1.lengthMs();
        out.clear(to - 86_400_000L, nowMs);
        minutes.forEach(to - 86_400_000L, to, out);
        return out.trades > 0;
    }

    // ---------------------------------------------------------------- snapshot

    /**
     * {@code int magic "MDTA", int version, long trades, long duplicates, int sources:
     * (service, instance, long startedAt, long lastBatch)*, int markets: (name, candles, trades)*,
     * int marks: (name, candles)*, int pools: (asset, rate points)*, int funding: (market, points)*,
     * int option marks: (market, points)*}, sorted by name.
     */
    public void write(DataOutput out) throws IOException {
        out.writeInt(SNAPSHOT_MAGIC);
        out.writeInt(SNAPSHOT_VERSION);
        out.writeLong(trades);
        out.writeLong(duplicates);
        out.writeInt(sources.size());
        for (SourceMark s : sources.values()) {
            out.writeUTF(s.service());
            out.writeUTF(s.instance());
            out.writeLong(s.startedAtMs());
            out.writeLong(s.lastBatchSequence());
        }
        out.writeInt(markets.size());
        for (Map.Entry<String, MarketHistory> e : markets.entrySet()) {
            out.writeUTF(e.getKey());
            e.getValue().candles.write(out);
            e.getValue().trades.write(out);
        }
        out.writeInt(marks.size());
        for (Map.Entry<String, MarketCandles> e : marks.entrySet()) {
            out.writeUTF(e.getKey());
            e.getValue().write(out);
        }
        writeTapes(out, poolRates);
        writeTapes(out, funding);
        writeTapes(out, optionMarks);
    }

    private static void writeTapes(DataOutput out, Map<String, SampleTape> tapes) throws IOException {
        out.writeInt(tapes.size());
        for (Map.Entry<String, SampleTape> e : tapes.entrySet()) {
            out.writeUTF(e.getKey());
            e.getValue().write(out);
        }
    }

    private static void readTapes(DataInput in, Map<String, SampleTape> into,
                                  java.util.function.Supplier<SampleTape> empty) throws IOException {
        into.clear();
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            String key = in.readUTF();
            SampleTape t = empty.get();
            t.read(in);
            into.put(key, t);
        }
    }

    public void read(DataInput in) throws IOException {
        int magic = in.readInt();
        int version = in.readInt();
        if (magic != SNAPSHOT_MAGIC || version < 1 || version > SNAPSHOT_VERSION) {
            throw new IOException("not a market-data snapshot of version 1 to " + SNAPSHOT_VERSION);
        }
        markets.clear();
        sources.clear();
        trades = in.readLong();
        duplicates = in.readLong();
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            SourceMark s = new SourceMark(in.readUTF(), in.readUTF(), in.readLong(), in.readLong());
            sources.put(s.instance(), s);
        }
        int m = in.readInt();
        for (int i = 0; i < m; i++) {
            String name = in.readUTF();
            MarketHistory h = new MarketHistory(name);
            h.candles.read(in);
            h.trades.read(in);
            markets.put(name, h);
        }
        marks.clear();
        int k = in.readInt();
        for (int i = 0; i < k; i++) {
            String name = in.readUTF();
            MarketCandles c = new MarketCandles(name);
            c.read(in);
            marks.put(name, c);
        }
        readTapes(in, poolRates, MarketDataEngine::newPoolRates);
        if (version >= 2) {
            readTapes(in, funding, MarketDataEngine::newFunding);
            readTapes(in, optionMarks, MarketDataEngine::newOptionMarks);
        } else {
            funding.clear();
            optionMarks.clear();
        }
    }
}
