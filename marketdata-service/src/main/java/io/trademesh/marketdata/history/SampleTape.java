package io.trademesh.marketdata.history;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * A history of samples of a few {@code long} values (a pool's rates, a contract's funding, an
 * option's mark and volatility): at most one point per {@code bucketMs} (the first sample heard
 * in it), the last {@code capacity}, in primitive arrays that grow up to the capacity and then
 * wrap. A sample for a bucket already kept, or an older one, changes nothing, so hearing it
 * again, or late, is harmless.
 */
public final class SampleTape {

    private static final int FIRST = 64;

    private final int columns;
    private final long bucketMs;
    private final int capacity;
    private long[] time;
    /** values[column][slot]: one primitive array per column. */
    private long[][] values;
    private long total;
    private int size;
    private long lastBucket = Long.MIN_VALUE;

    public SampleTape(int columns, long bucketMs, int capacity) {
        if (columns < 1 || bucketMs < 1 || capacity < 1) {
            throw new IllegalArgumentException("columns, bucket and capacity are >= 1");
        }
        this.columns = columns;
        this.bucketMs = bucketMs;
        this.capacity = capacity;
        this.time = new long[Math.min(FIRST, capacity)];
        this.values = new long[columns][time.length];
    }

    /** Keeps the sample when it is the first of a newer bucket; returns whether it did. */
    public boolean add(long timeMs, long... point) {
        if (point.length != columns) {
            throw new IllegalArgumentException("a point has " + columns + " values, not " + point.length);
        }
        long bucket = Math.floorDiv(timeMs, bucketMs);
        if (bucket <= lastBucket) {
            return false;
        }
        lastBucket = bucket;
        if (size == time.length && time.length < capacity) {
            int grown = (int) Math.min(capacity, time.length * 4L);
            long[] oldTime = time;
            long[][] oldValues = values;
            time = new long[grown];
            values = new long[columns][grown];
            // Unwrap while growing: the oldest point goes to slot 0, so logical index i stays at slot i % length.
            for (long i = total - size; i < total; i++) {
                int from = (int) (i % oldTime.length);
                int to = (int) (i % grown);
                time[to] = oldTime[from];
                for (int c = 0; c < columns; c++) {
                    values[c][to] = oldValues[c][from];
                }
            }
        }
        int slot = slot(total);
        time[slot] = timeMs;
        for (int c = 0; c < columns; c++) {
            values[c][slot] = point[c];
        }
        total++;
        size = Math.min(size + 1, time.length);
        return true;
    }

    private int slot(long logical) {
        return (int) (logical % time.length);
    }

    public int size() {
        return size;
    }

    /** The time of the oldest point kept, or Long.MIN_VALUE when there is none. */
    public long oldestMs() {
        return size == 0 ? Long.MIN_VALUE : time[slot(total - size)];
    }

    /** The time of the newest point kept, or Long.MIN_VALUE when there is none. */
    public long newestMs() {
        return size == 0 ? Long.MIN_VALUE : time[slot(total - 1)];
    }

    /**
     * Visits the points with a time in [fromMs, toMs), oldest first, at most {@code limit};
     * returns the time of the next point in the range after the last visited, or 0. The
     * visitor's array is reused from point to point.
     */
    public long forEach(long fromMs, long toMs, int limit, PointVisitor visitor) {
        long[] point = new long[columns];
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
            for (int c = 0; c < columns; c++) {
                point[c] = values[c][s];
            }
            visitor.point(time[s], point);
            visited++;
        }
        return 0;
    }

    /** Receives one point: its time and its values (an array the tape reuses). */
    public interface PointVisitor {
        void point(long timeMs, long[] values);
    }

    /** {@code int size, (long time, long value * columns) * size, long last bucket}. */
    public void write(DataOutput out) throws IOException {
        out.writeInt(size);
        for (long i = total - size; i < total; i++) {
            int s = slot(i);
            out.writeLong(time[s]);
            for (int c = 0; c < columns; c++) {
                out.writeLong(values[c][s]);
            }
        }
        out.writeLong(lastBucket);
    }

    public void read(DataInput in) throws IOException {
        int n = in.readInt();
        long[] point = new long[columns];
        for (int i = 0; i < n; i++) {
            long t = in.readLong();
            for (int c = 0; c < columns; c++) {
                point[c] = in.readLong();
            }
            add(t, point);
        }
        lastBucket = Math.max(lastBucket, in.readLong());
    }
}
