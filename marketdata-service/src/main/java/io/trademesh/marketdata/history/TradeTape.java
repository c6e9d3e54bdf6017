package io.trademesh.marketdata.history;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * A market's most recent trades, the last {@link #CAPACITY}, in arrival order (which is the
 * owner's trade order: its trade ids and times only grow), in primitive arrays that grow up to
 * the capacity and then wrap: nothing allocated per trade once full. Reads by time range find
 * their start by binary search.
 */
public final class TradeTape {

    public static final int CAPACITY = 10_000;
    private static final int FIRST = 64;

    private long[] id = new long[FIRST];
    private long[] time = new long[FIRST];
    private long[] price = new long[FIRST];
    private long[] quantity = new long[FIRST];
    private boolean[] buyTaker = new boolean[FIRST];
    /** Trades ever appended; the kept ones are [total - size, total). */
    private long total;
    private int size;
    /** The newest trade the tape let go of since it was made (not state: a restored tape starts afresh). */
    private long evictedTime = Long.MIN_VALUE;
    private long evictedId = Long.MIN_VALUE;

    public void append(long tradeId, long timeMs, long tradePrice, long tradeQuantity, boolean takerBuys) {
        if (size == id.length && id.length < CAPACITY) {
            grow(Math.min(CAPACITY, id.length * 4));
        }
        int slot = (int) (total % id.length);
        if (size == id.length) {
            evictedTime = time[slot];
            evictedId = id[slot];
        }
        id[slot] = tradeId;
        time[slot] = timeMs;
        price[slot] = tradePrice;
        quantity[slot] = tradeQuantity;
        buyTaker[slot] = takerBuys;
        total++;
        size = Math.min(size + 1, id.length);
    }

    private void grow(int capacity) {
        // before wrapping the slots are in order from 0: growing keeps them there
        id = Arrays.copyOf(id, capacity);
        time = Arrays.copyOf(time, capacity);
        price = Arrays.copyOf(price, capacity);
        quantity = Arrays.copyOf(quantity, capacity);
        buyTaker = Arrays.copyOf(buyTaker, capacity);
    }

    public int size() {
        return size;
    }

    /** Whether the tape let go of a trade after (timeMs, tradeId) since it was made or restored. */
    public boolean evictedAfter(long timeMs, long tradeId) {
        return evictedTime > timeMs || (evictedTime == timeMs && evictedId > tradeId);
    }

    /** The time of the oldest trade kept, or Long.MIN_VALUE when there is none. */
    public long oldestMs() {
        return size == 0 ? Long.MIN_VALUE : time[slot(total - size)];
    }

    private int slot(long logical) {
        return (int) (logical % id.length);
    }

    /**
     * Visits the kept trades with a time in [fromMs, toMs), oldest first, at most {@code limit};
     * returns the time of the next trade in the range after the last visited, or 0 when none is left.
     */
    public long forEach(long fromMs, long toMs, int limit, TradeVisitor visitor) {
        return forEach(fromMs, Long.MIN_VALUE, toMs, limit, visitor);
    }

    /**
     * As {@link #forEach(long, long, int, TradeVisitor)}, leaving out the trades at time
     * {@code fromMs} with an id up to {@code afterIdAtFrom} (those the archive answered).
     */
    public long forEach(long fromMs, long afterIdAtFrom, long toMs, int limit, TradeVisitor visitor) {
        long lo = firstAtOrAfter(fromMs);
        int visited = 0;
        for (long i = lo; i < total; i++) {
            int s = slot(i);
            if (time[s] >= toMs) {
                return 0;
            }
            if (time[s] == fromMs && id[s] <= afterIdAtFrom) {
                continue;
            }
            if (visited == limit) {
                return time[s];
            }
            visitor.trade(id[s], time[s], price[s], quantity[s], buyTaker[s]);
            visited++;
        }
        return 0;
    }

    /**
     * Visits, oldest first and at most {@code limit}, the kept trades after (afterTimeMs,
     * afterId) that are older than the newest {@code keepNewest} (those the archive takes
     * while memory still has them); returns how many it visited.
     */
    public int forEachOlderThanNewest(long afterTimeMs, long afterId, int keepNewest, int limit,
                                      TradeVisitor visitor) {
        long lo = firstAtOrAfter(afterTimeMs);
        int visited = 0;
        for (long i = lo; i < total - keepNewest && visited < limit; i++) {
            int s = slot(i);
            if (time[s] == afterTimeMs && id[s] <= afterId) {
                continue;
            }
            visitor.trade(id[s], time[s], price[s], quantity[s], buyTaker[s]);
            visited++;
        }
        return visited;
    }

    /** The logical index of the first kept trade at or after {@code timeMs} (binary search: times only grow). */
    private long firstAtOrAfter(long timeMs) {
        long lo = total - size;
        long hi = total;
        while (lo < hi) {
            long mid = (lo + hi) >>> 1;
            if (time[slot(mid)] < timeMs) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Receives trades without allocating a trade object. */
    public interface TradeVisitor {
        void trade(long tradeId, long timeMs, long price, long quantity, boolean takerBuys);
    }

    /** Writes the kept trades, oldest first. */
    public void write(DataOutput out) throws IOException {
        out.writeInt(size);
        for (long i = total - size; i < total; i++) {
            int s = slot(i);
            out.writeLong(id[s]);
            out.writeLong(time[s]);
            out.writeLong(price[s]);
            out.writeLong(quantity[s]);
            out.writeBoolean(buyTaker[s]);
        }
    }

    /** Reads what {@link #write} wrote, into a fresh tape. */
    public void read(DataInput in) throws IOException {
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            append(in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readBoolean());
        }
    }
}
