package io.trademesh.platform.trading;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * A market's public counters: the gap-free book update sequence, the last trade, and
 * rolling 24 h volume/high/low in one-minute buckets (driven by the command clock).
 */
public final class MarketStats {

    private static final int MINUTES = 24 * 60;
    /** Recent public trades kept per market. */
    public static final int RECENT_TRADES = 500;
    private static final long MINUTE_MS = 60_000;

    private final long[] bucketMinute = new long[MINUTES];
    private final long[] volume = new long[MINUTES];
    private final long[] quoteVolume = new long[MINUTES];
    private final long[] high = new long[MINUTES];
    private final long[] low = new long[MINUTES];
    long bookSequence;
    long lastPrice;
    long lastTradeAtMs;
    private final java.util.ArrayDeque<TradeRecord> recent = new java.util.ArrayDeque<>();

    /** A public trade: no accounts. */
    public record TradeRecord(long tradeId, long marketSequence, long price, long quantity, boolean takerBuys,
                              long timestampMs) {
    }

    public MarketStats() {
        java.util.Arrays.fill(bucketMinute, -1);
    }

    void recentTrade(TradeRecord t) {
        recent.addLast(t);
        if (recent.size() > RECENT_TRADES) {
            recent.removeFirst();
        }
    }

    /** The newest {@code limit} trades, newest first. */
    public java.util.List<TradeRecord> recentTrades(int limit) {
        java.util.List<TradeRecord> out = new java.util.ArrayList<>();
        for (java.util.Iterator<TradeRecord> it = recent.descendingIterator(); it.hasNext() && out.size() < limit; ) {
            out.add(it.next());
        }
        return out;
    }

    void trade(long timestampMs, long price, long quantity, long notional) {
        long minute = Math.floorDiv(timestampMs, MINUTE_MS);
        int b = (int) Math.floorMod(minute, (long) MINUTES);
        if (bucketMinute[b] != minute) {
            bucketMinute[b] = minute;
            volume[b] = 0;
            quoteVolume[b] = 0;
            high[b] = price;
            low[b] = price;
        }
        volume[b] += quantity;
        quoteVolume[b] += notional;
        high[b] = Math.max(high[b], price);
        low[b] = Math.min(low[b], price);
        lastPrice = price;
        lastTradeAtMs = timestampMs;
    }

    public long bookSequence() {
        return bookSequence;
    }

    public long lastPrice() {
        return lastPrice;
    }

    /** [volume, quoteVolume, high, low] over the 24 h before {@code nowMs} (high/low 0 without trades). */
    public long[] rolling24h(long nowMs) {
        long now = Math.floorDiv(nowMs, MINUTE_MS);
        long v = 0;
        long qv = 0;
        long hi = 0;
        long lo = 0;
        boolean any = false;
        for (int b = 0; b < MINUTES; b++) {
            long m = bucketMinute[b];
            if (m < 0 || m <= now - MINUTES || m > now) {
                continue;
            }
            v += volume[b];
            qv += quoteVolume[b];
            hi = any ? Math.max(hi, high[b]) : high[b];
            lo = any ? Math.min(lo, low[b]) : low[b];
            any = true;
        }
        return new long[] {v, qv, hi, lo};
    }

    /** Only the buckets in use are written: minute, volume, quote volume, high, low. */
    void write(DataOutput out) throws IOException {
        out.writeLong(bookSequence);
        out.writeLong(lastPrice);
        out.writeLong(lastTradeAtMs);
        int used = 0;
        for (long m : bucketMinute) {
            if (m >= 0) {
                used++;
            }
        }
        out.writeInt(recent.size());
        for (TradeRecord t : recent) {
            out.writeLong(t.tradeId());
            out.writeLong(t.marketSequence());
            out.writeLong(t.price());
            out.writeLong(t.quantity());
            out.writeBoolean(t.takerBuys());
            out.writeLong(t.timestampMs());
        }
        out.writeInt(used);
        for (int b = 0; b < MINUTES; b++) {
            if (bucketMinute[b] >= 0) {
                out.writeInt(b);
                out.writeLong(bucketMinute[b]);
                out.writeLong(volume[b]);
                out.writeLong(quoteVolume[b]);
                out.writeLong(high[b]);
                out.writeLong(low[b]);
            }
        }
    }

    static MarketStats read(DataInput in) throws IOException {
        MarketStats s = new MarketStats();
        s.bookSequence = in.readLong();
        s.lastPrice = in.readLong();
        s.lastTradeAtMs = in.readLong();
        int trades = in.readInt();
        for (int i = 0; i < trades; i++) {
            s.recent.addLast(new TradeRecord(in.readLong(), in.readLong(), in.readLong(), in.readLong(),
                    in.readBoolean(), in.readLong()));
        }
        int used = in.readInt();
        for (int i = 0; i < used; i++) {
            int b = in.readInt();
            s.bucketMinute[b] = in.readLong();
            s.volume[b] = in.readLong();
            s.quoteVolume[b] = in.readLong();
            s.high[b] = in.readLong();
            s.low[b] = in.readLong();
        }
        return s;
    }
}
