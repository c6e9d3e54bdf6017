package io.trademesh.platform.events;

import java.util.ArrayList;
import java.util.List;

/**
 * The last published batches, kept for replay in one byte ring allocated once.
 *
 * <p>Why a ring: a batch is kept a few seconds under load, long enough to outlive a young
 * collection or two. Kept as a {@code byte[]} of its own, each one was promoted and died in
 * the old generation, which filled it at megabytes a second and cost a service a full
 * collection (60-70 ms at 13k orders/s) every minute or two. Copied into a ring that lives
 * for the whole run, a batch leaves nothing behind to collect.
 *
 * <p>Batch sequences are consecutive from 1; the ring holds {@code [first, next)}. Not
 * thread-safe: the caller locks (the shard writes, replays read).
 */
final class BatchRing {

    private final byte[] ring;
    /** Per slot (sequence modulo the slot count): the batch's absolute byte position and length. */
    private final long[] positions;
    private final int[] lengths;
    private long first = 1;
    private long next = 1;
    /** The absolute byte position of the next write; its offset in the ring is modulo the capacity. */
    private long writePosition;

    BatchRing(int maxBatches, int capacityBytes) {
        if (maxBatches < 1 || capacityBytes < 1) {
            throw new IllegalArgumentException("a ring needs room for at least one batch of one byte");
        }
        this.ring = new byte[capacityBytes];
        this.positions = new long[maxBatches];
        this.lengths = new int[maxBatches];
    }

    /** The sequence of the oldest batch held (equal to {@link #next()} when none is). */
    long first() {
        return first;
    }

    /** The sequence the next added batch gets. */
    long next() {
        return next;
    }

    /**
     * Adds the next batch, dropping the oldest ones until it fits. A batch larger than the
     * whole ring is not held at all: the ring is then empty and starts after it.
     */
    void add(byte[] batch) {
        long sequence = next++;
        if (batch.length > ring.length) {
            first = next;
            return;
        }
        while (first < sequence && (sequence - first >= positions.length
                || writePosition + batch.length - positions[slot(first)] > ring.length)) {
            first++;
        }
        int slot = slot(sequence);
        positions[slot] = writePosition;
        lengths[slot] = batch.length;
        int offset = (int) (writePosition % ring.length);
        int head = Math.min(batch.length, ring.length - offset);
        System.arraycopy(batch, 0, ring, offset, head);
        System.arraycopy(batch, head, ring, 0, batch.length - head);
        writePosition += batch.length;
    }

    /** Copies of the held batches from {@code from} to {@code to} (both included, both held). */
    List<byte[]> copy(long from, long to) {
        if (from < first || to >= next || from > to) {
            throw new IllegalArgumentException("batches " + from + ".." + to + " are not all held: the ring holds "
                    + first + ".." + (next - 1));
        }
        List<byte[]> out = new ArrayList<>((int) (to - from + 1));
        for (long s = from; s <= to; s++) {
            int slot = slot(s);
            byte[] batch = new byte[lengths[slot]];
            int offset = (int) (positions[slot] % ring.length);
            int head = Math.min(batch.length, ring.length - offset);
            System.arraycopy(ring, offset, batch, 0, head);
            System.arraycopy(ring, 0, batch, head, batch.length - head);
            out.add(batch);
        }
        return out;
    }

    private int slot(long sequence) {
        return (int) (sequence % positions.length);
    }
}
