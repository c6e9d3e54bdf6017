package io.trademesh.marketdata.candles;

/**
 * One market's candles of one interval, the last {@link CandleInterval#kept()} of them, in
 * primitive arrays indexed by candle number modulo the capacity: a trade finds its candle in
 * O(1) with no allocation, whatever order trades arrive in. A slot holds the candle that
 * started at {@code start[slot]}; a trade for an older candle than the slot now holds is
 * beyond what is kept and is refused (the caller counts it). Open and close are the prices of
 * the lowest and highest trade ids in the candle, so a late trade lands where it belongs.
 */
public final class CandleSeries {

    private final CandleInterval interval;
    private final int capacity;
    final long[] start;
    final long[] open;
    final long[] high;
    final long[] low;
    final long[] close;
    final long[] baseVolume;
    final long[] quoteVolume;
    final long[] count;
    private final long[] openId;
    private final long[] closeId;
    /** The newest candle's start, and the slot and end of the candle the last trade went to. */
    private long newest = Long.MIN_VALUE;
    /** Not state: the newest candle let go of since the series was made or restored (the archive checks it). */
    private long evicted = Long.MIN_VALUE;
    private long cachedStart = Long.MIN_VALUE;
    private long cachedEnd = Long.MIN_VALUE;
    private int cachedSlot;

    public CandleSeries(CandleInterval interval) {
        this.interval = interval;
        this.capacity = interval.kept();
        start = new long[capacity];
        java.util.Arrays.fill(start, Long.MIN_VALUE);
        open = new long[capacity];
        high = new long[capacity];
        low = new long[capacity];
        close = new long[capacity];
        baseVolume = new long[capacity];
        quoteVolume = new long[capacity];
        count = new long[capacity];
        openId = new long[capacity];
        closeId = new long[capacity];
    }

    public CandleInterval interval() {
        return interval;
    }

    /** Adds one trade; false when its candle is older than the ones kept. */
    boolean add(long tradeId, long timeMs, long price, long quantity, long quoteQuantity) {
        int slot;
        if (timeMs >= cachedStart && timeMs < cachedEnd) {
            slot = cachedSlot;   // the common case: the same candle as the last trade, no division
        } else {
            long candleStart = interval.startOf(timeMs);
            slot = (int) Math.floorMod(Math.floorDiv(candleStart, interval.lengthMs()), (long) capacity);
            if (start[slot] != candleStart) {
                if (start[slot] > candleStart || (newest != Long.MIN_VALUE
                        && candleStart <= newest - (long) capacity * interval.lengthMs())) {
                    return false;   // that candle's slot holds a newer one: too old to keep
                }
                if (count[slot] > 0) {
                    evicted = Math.max(evicted, start[slot]);
                }
                start[slot] = candleStart;
                count[slot] = 0;
            }
            newest = Math.max(newest, candleStart);
            cachedStart = candleStart;
            cachedEnd = candleStart + interval.lengthMs();
            cachedSlot = slot;
        }
        if (count[slot] == 0) {
            open[slot] = high[slot] = low[slot] = close[slot] = price;
            openId[slot] = closeId[slot] = tradeId;
            baseVolume[slot] = quantity;
            quoteVolume[slot] = quoteQuantity;
            count[slot] = 1;
            return true;
        }
        if (price > high[slot]) {
            high[slot] = price;
        }
        if (price < low[slot]) {
            low[slot] = price;
        }
        if (tradeId < openId[slot]) {
            openId[slot] = tradeId;
            open[slot] = price;
        }
        if (tradeId > closeId[slot]) {
            closeId[slot] = tradeId;
            close[slot] = price;
        }
        baseVolume[slot] += quantity;
        quoteVolume[slot] += quoteQuantity;
        count[slot]++;
        return true;
    }

    /** Visits the kept candles with trades that start in [fromMs, toMs), oldest first. */
    public void forEach(long fromMs, long toMs, CandleVisitor visitor) {
        if (newest == Long.MIN_VALUE) {
            return;
        }
        long length = interval.lengthMs();
        long oldestKept = newest - (long) (capacity - 1) * length;
        long first = fromMs <= oldestKept ? oldestKept : interval.startOf(fromMs);
        if (first < fromMs) {
            first += length;
        }
        for (long s = first; s < toMs && s <= newest; s += length) {
            int slot = (int) Math.floorMod(Math.floorDiv(s, length), (long) capacity);
            if (start[slot] == s && count[slot] > 0) {
                visitor.candle(s, open[slot], high[slot], low[slot], close[slot], baseVolume[slot], quoteVolume[slot],
                        count[slot]);
            }
        }
    }

    /** The start of the oldest candle kept, or Long.MIN_VALUE before the first trade. */
    public long oldestKeptMs() {
        return newest == Long.MIN_VALUE ? Long.MIN_VALUE : newest - (long) (capacity - 1) * interval.lengthMs();
    }

    /** The start of the newest candle the series let go of since it was made or restored, or Long.MIN_VALUE. */
    public long evictedMs() {
        return evicted;
    }

    /** The newest candle's start, or Long.MIN_VALUE before the first trade. */
    public long newestMs() {
        return newest;
    }

    /** Writes the slots that hold a candle: {@code int n, (int slot, long start, open, high, low, close, base, quote, count, openId, closeId)*, long newest}. */
    void write(java.io.DataOutput out) throws java.io.IOException {
        int n = 0;
        for (int i = 0; i < capacity; i++) {
            n += start[i] != Long.MIN_VALUE ? 1 : 0;
        }
        out.writeInt(n);
        for (int i = 0; i < capacity; i++) {
            if (start[i] != Long.MIN_VALUE) {
                out.writeInt(i);
                out.writeLong(start[i]);
                out.writeLong(open[i]);
                out.writeLong(high[i]);
                out.writeLong(low[i]);
                out.writeLong(close[i]);
                out.writeLong(baseVolume[i]);
                out.writeLong(quoteVolume[i]);
                out.writeLong(count[i]);
                out.writeLong(openId[i]);
                out.writeLong(closeId[i]);
            }
        }
        out.writeLong(newest);
    }

    void read(java.io.DataInput in) throws java.io.IOException {
        int n = in.readInt();
        for (int k = 0; k < n; k++) {
            int i = in.readInt();
            start[i] = in.readLong();
            open[i] = in.readLong();
            high[i] = in.readLong();
            low[i] = in.readLong();
            close[i] = in.readLong();
            baseVolume[i] = in.readLong();
            quoteVolume[i] = in.readLong();
            count[i] = in.readLong();
            openId[i] = in.readLong();
            closeId[i] = in.readLong();
        }
        newest = in.readLong();
        cachedStart = Long.MIN_VALUE;
        cachedEnd = Long.MIN_VALUE;
    }

    /** Receives candles without allocating a candle object. */
    public interface CandleVisitor {
        void candle(long startMs, long open, long high, long low, long close, long baseVolume, long quoteVolume,
                    long trades);
    }
}
