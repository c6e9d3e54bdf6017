package io.trademesh.futures.engine;

import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * One side of a contract's positions by liquidation key, in price buckets: longs are
 * candidates when the mark is at or below their key, shorts when at or above. A bucket
 * holds its positions in an intrusive list, so a key that moves within its bucket (what
 * funding and small fills do to most keys) changes nothing here, and one that moves out costs
 * two list links and, only for a bucket that empties or appears, a tree operation. A mark
 * move visits the buckets it reached; the exact key decides inside the boundary bucket.
 */
final class LiquidationIndex {

    /** A bucket's positions, linked through {@link Position#prev} and {@link Position#next}. */
    private static final class Bucket {
        Position head;
        int size;
    }

    private final boolean longs;
    private final long width;
    private final TreeMap<Long, Bucket> buckets = new TreeMap<>();

    /**
     * @param longs true for the longs' side
     * @param width bucket width in price units
     */
    LiquidationIndex(boolean longs, long width) {
        this.longs = longs;
        this.width = Math.max(1, width);
    }

    private long bucketOf(long key) {
        return Math.floorDiv(key, width);
    }

    /** Adds {@code p} under its current {@code liquidationKey}. */
    void add(Position p) {
        long b = bucketOf(p.liquidationKey);
        Bucket bucket = buckets.get(b);
        if (bucket == null) {
            bucket = new Bucket();
            buckets.put(b, bucket);
        }
        p.bucket = b;
        p.prev = null;
        p.next = bucket.head;
        if (bucket.head != null) {
            bucket.head.prev = p;
        }
        bucket.head = p;
        bucket.size++;
    }

    void remove(Position p) {
        Bucket bucket = buckets.get(p.bucket);
        if (p.prev != null) {
            p.prev.next = p.next;
        } else {
            bucket.head = p.next;
        }
        if (p.next != null) {
            p.next.prev = p.prev;
        }
        p.prev = null;
        p.next = null;
        if (--bucket.size == 0) {
            buckets.remove(p.bucket);
        }
    }

    /** Moves {@code p} to {@code key}; within its bucket that is just the new key. */
    void move(Position p, long key) {
        if (bucketOf(key) == p.bucket) {
            p.liquidationKey = key;
            return;
        }
        remove(p);
        p.liquidationKey = key;
        add(p);
    }

    /** Calls {@code visitor} with every position whose key the mark has reached. */
    void crossed(long mark, Consumer<Position> visitor) {
        long b = bucketOf(mark);
        NavigableMap<Long, Bucket> reached = longs ? buckets.tailMap(b, true) : buckets.headMap(b, true);
        for (Map.Entry<Long, Bucket> e : reached.entrySet()) {
            boolean boundary = e.getKey() == b;
            for (Position p = e.getValue().head; p != null; p = p.next) {
                if (!boundary || (longs ? p.liquidationKey >= mark : p.liquidationKey <= mark)) {
                    visitor.accept(p);
                }
            }
        }
    }
}
