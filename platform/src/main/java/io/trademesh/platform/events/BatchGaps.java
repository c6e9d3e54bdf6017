package io.trademesh.platform.events;

import io.trademesh.proto.events.EventBatch;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Notices event batches a consumer missed: per source instance, each batch's sequence
 * should be one more than the last one seen. A new {@code started_at_ms} is the instance's
 * restart, not a gap; a batch older than the last one seen (redelivered or reordered) is
 * not counted either. The event bus is at-most-once: what this reports is lost for this
 * consumer, and its owner must be asked (a book snapshot; account events after a sequence).
 */
public final class BatchGaps {

    private final Map<String, long[]> last = new ConcurrentHashMap<>();   // instance -> {startedAtMs, sequence}

    /** How many batches of this batch's source were missed just before it (0: none). */
    public long missedBefore(EventBatch batch) {
        if (batch.getSourceInstance().isEmpty()) {
            return 0;   // an unstamped batch (an older publisher): nothing to compare
        }
        long[] seen = last.computeIfAbsent(batch.getSourceInstance(), k -> new long[] {0, 0});
        synchronized (seen) {
            long missed = 0;
            if (seen[0] != batch.getStartedAtMs()) {
                // The first batch heard from this run of the instance: a consumer joining late misses nothing.
                seen[0] = batch.getStartedAtMs();
                seen[1] = batch.getBatchSequence() - 1;
            }
            if (batch.getBatchSequence() > seen[1]) {
                missed = batch.getBatchSequence() - seen[1] - 1;
            }
            seen[1] = Math.max(seen[1], batch.getBatchSequence());
            return missed;
        }
    }
}
