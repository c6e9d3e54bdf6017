package io.trademesh.marketdata.history;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * A money-market pool's rates, one point a minute (the first sample heard in each minute), the
 * last {@link #CAPACITY} (a week), in primitive arrays that grow up to the capacity and then
 * wrap. A sample for a minute already kept, or older, changes nothing: hearing it again, or
 * late, is harmless.
 */
public final class RateTape {

    public static final int CAPACITY = 7 * 1_440;
    private static final long MINUTE_MS = 60_000;
    private static final int FIRST = 64;

    private long[] time = new long[FIRST];
    private long[] utilization = new long[FIRST];
    private long[] borrowRate = new long[FIRST];
    private long[] supplyRate = new long[FIRST];
    private long total;
    private int size;
    private long lastMinute = Long.MIN_VALUE;

    /** Keeps the sample when it is the first of a newer minute; returns whether it did. */
    public boolean add(long timeMs, long utilizationE9, long borrowRateE9, long supplyRateE9) {
        long minute = Math.floorDiv(timeMs, MINUTE_MS);
        if (minute <= lastMinute) {
            return false;
        }
        lastMinute = minute;
        if (size == time.length && time.length < CAPACITY) {
            int capacity = Math.min(CAPACITY, time.length * 4);
            time = Arrays.copyOf(time, capacity);
            utilization = Arrays.copyOf(utilization, capacity);
            borrowRate = Arrays.copyOf(borrowRate, capacity);
            supplyRate = Arrays.copyOf(supplyRate, capacity);
        }
        int slot = (int) (total % time.length);
        time[slot] = timeMs;
        utilization[slot] = utilizationE9;
        borrowRate[slot] = borrowRateE9;
        supplyRate[slot] = supplyRateE9;
        total++;
        size = Math.min(size + 1, time.length);
        return true;
    }

    private int slot(long logical) {
        return (int) (logical % time.length);
    }

    /** The time of the oldest point kept, or Long.MIN_VALUE when there is none. */
    public long oldestMs() {
        return size == 0 ? Long.MIN_VALUE : time[slot(total - size)];
    }

    /**
     * Visits the points with a time in [fromMs, toMs), oldest first, at most {@code limit};
     * returns the time of the next point in the range after the last visited, or 0.
     */
    public long forEach(long fromMs, long toMs, int limit, RateVisitor visitor) {
        int visited = 0;
        for (long i = total - size; i < total; i++) {
            int s = slot(i);
            if (time[s] < fromMs) {
                continue;
            }
            if (time[s] >= toMs) {
                return 0;
            }
            if (visited == limit) {
                return time[s];
            }
            visitor.point(time[s], utilization[s], borrowRate[s], supplyRate[s]);
            visited++;
        }
        return 0;
    }

    /** Receives points without allocating a point object. */
    public interface RateVisitor {
        void point(long timeMs, long utilizationE9, long borrowRateE9, long supplyRateE9);
    }

    public void write(DataOutput out) throws IOException {
        out.writeInt(size);
        for (long i = total - size; i < total; i++) {
            int s = slot(i);
            out.writeLong(time[s]);
            out.writeLong(utilization[s]);
            out.writeLong(borrowRate[s]);
            out.writeLong(supplyRate[s]);
        }
        out.writeLong(lastMinute);
    }

    public void read(DataInput in) throws IOException {
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            add(in.readLong(), in.readLong(), in.readLong(), in.readLong());
        }
        lastMinute = in.readLong();
    }
}
