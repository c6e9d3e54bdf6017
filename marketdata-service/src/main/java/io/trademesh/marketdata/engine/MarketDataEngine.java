package io.trademesh.marketdata.engine;

import io.trademesh.marketdata.candles.CandleInterval;
import io.trademesh.marketdata.candles.CandleSeries;
import io.trademesh.marketdata.candles.MarketCandles;
import io.trademesh.marketdata.history.RateTape;
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
    private static final int SNAPSHOT_VERSION = 1;

    /** Where a source (one run of one product instance) was left. */
    public record SourceMark(String service, String instance, long startedAtMs, long lastBatchSequence) {
    }

    private final Map<String, MarketHistory> markets = new TreeMap<>();
    private final Map<String, SourceMark> sources = new TreeMap<>();
    /** Mark-price candles of futures contracts and options, from their owners' per-second marks. */
    private final Map<String, MarketCandles> marks = new TreeMap<>();
    /** Money-market pools' rates, a point a minute, by asset. */
    private final Map<String, RateTape> poolRates = new TreeMap<>();
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
        return poolRates.computeIfAbsent(asset, a -> new RateTape()).add(timeMs, utilizationE9, borrowRateE9,
                supplyRateE9);
    }

    /** The pool's rate history, or null when none was heard. */
    public RateTape poolRates(String asset) {
        return poolRates.get(asset);
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
     * int marks: (name, candles)*, int pools: (asset, rate points)*}, sorted by name.
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
        out.writeInt(poolRates.size());
        for (Map.Entry<String, RateTape> e : poolRates.entrySet()) {
            out.writeUTF(e.getKey());
            e.getValue().write(out);
        }
    }

    public void read(DataInput in) throws IOException {
        if (in.readInt() != SNAPSHOT_MAGIC || in.readInt() != SNAPSHOT_VERSION) {
            throw new IOException("not a market-data snapshot of version " + SNAPSHOT_VERSION);
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
        poolRates.clear();
        int p = in.readInt();
        for (int i = 0; i < p; i++) {
            String asset = in.readUTF();
            RateTape t = new RateTape();
            t.read(in);
            poolRates.put(asset, t);
        }
    }
}
