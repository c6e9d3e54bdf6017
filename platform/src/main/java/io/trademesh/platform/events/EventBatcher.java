package io.trademesh.platform.events;

import io.trademesh.proto.events.ReplayReply;
import io.trademesh.proto.events.ReplayRequest;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import com.google.protobuf.UnsafeByteOperations;
import io.trademesh.proto.events.AddressedEvent;
import io.trademesh.proto.events.EventBatch;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

/**
 * Collects a shard's events and publishes them as one {@link EventBatch} per event-loop
 * turn on {@code events.<service>}. Used from one context only (the shard's).
 *
 * <p>Why batch: with the Hazelcast cluster manager, Vert.x caches an address's subscriber
 * list only while it is non-empty, so each publish to an address without listeners (most
 * {@code acct.<id>} and many {@code md.<market>} addresses) is a blocking cluster-map read on
 * a worker thread. At five events per order that capped spot near 10k commands/s while its
 * CPU idled. One batch address with standing listeners costs one cached lookup per turn.
 *
 * <p>The event bus is at-most-once, so the batcher keeps its last batches (at most
 * {@link #RETAINED_BATCHES} and {@link #RETAINED_BYTES}) for {@link #replay}: a consumer
 * that notices a gap asks for what it missed ({@link EventReplayServer}). The window is in
 * memory: a restarted instance starts a new run with an empty one.
 */
public final class EventBatcher {

    /** A turn's batch is sent early at this many events, to bound the size of one message. */
    static final int MAX_EVENTS = 4_096;
    /** How many published batches are kept for replay. */
    static final int RETAINED_BATCHES = 65_536;
    /** How many bytes of published batches are kept for replay. */
    static final int RETAINED_BYTES = 16 << 20;

    private final Vertx vertx;
    private final String address;
    private final String service;
    private final String instance;
    private final long startedAtMs = System.currentTimeMillis();
    private long journalSequence;
    private EventBatch.Builder pending;
    /**
     * Published batches for replay, and their numbering: the next batch is {@code retained.next()}.
     * Written on the shard's context, read by replays, both under this lock.
     */
    private final BatchRing retained;

    /** Batches of {@code service}'s instance {@code instance}, stamped with both (see EventBatch). */
    public EventBatcher(Vertx vertx, String service, String instance) {
        this(vertx, service, instance, RETAINED_BATCHES, RETAINED_BYTES);
    }

    /** The same, retaining at most {@code retainedBatches} batches and {@code retainedBytes} bytes for replay. */
    public EventBatcher(Vertx vertx, String service, String instance, int retainedBatches, int retainedBytes) {
        this.retained = new BatchRing(retainedBatches, retainedBytes);
        this.vertx = vertx;
        this.address = EventStreams.of(service);
        this.service = service;
        this.instance = instance;
    }

    /** The journal sequence of the command whose events are added next. */
    public void journalSequence(long sequence) {
        journalSequence = Math.max(journalSequence, sequence);
    }

    /** Queues an event for {@code eventAddress}; it is published at the end of this turn. */
    public void add(String eventAddress, byte[] payload) {
        if (pending == null) {
            pending = EventBatch.newBuilder();
            vertx.getOrCreateContext().runOnContext(v -> endOfTurn());
        }
        pending.addEvents(AddressedEvent.newBuilder().setAddress(eventAddress)
                .setPayload(UnsafeByteOperations.unsafeWrap(payload)));
        if (pending.getEventsCount() >= MAX_EVENTS) {
            publish();
            pending = EventBatch.newBuilder();   // the end-of-turn task is still scheduled
        }
    }

    private void endOfTurn() {
        if (pending.getEventsCount() > 0) {
            publish();
        }
        pending = null;
    }

    private void publish() {
        EventBatch batch = pending.setSourceService(service).setSourceInstance(instance).setStartedAtMs(startedAtMs)
                .setBatchSequence(retained.next()).setJournalSequence(journalSequence).build();
        byte[] bytes = batch.toByteArray();
        retain(bytes);
        vertx.eventBus().publish(address, Buffer.buffer(bytes));
    }

    private synchronized void retain(byte[] bytes) {
        retained.add(bytes);
    }

    /**
     * The asked batches of this run, holding only the asked addresses' events; not complete
     * when the request is for another run or reaches before the window.
     */
    public ReplayReply replay(ReplayRequest request) {
        List<byte[]> asked;
        synchronized (this) {
            long from = request.getFromBatchSequence();
            long to = Math.min(request.getToBatchSequence(), retained.next() - 1);
            if (!request.getSourceInstance().equals(instance) || request.getStartedAtMs() != startedAtMs
                    || from < retained.first() || to < from) {
                return ReplayReply.newBuilder().setComplete(false).build();
            }
            asked = retained.copy(from, to);
        }
        Set<String> addresses = new HashSet<>(request.getAddressesList());
        ReplayReply.Builder reply = ReplayReply.newBuilder().setComplete(true);
        for (byte[] b : asked) {   // parsed outside the lock: the shard never waits for a replay
            EventBatch batch = EventStreams.parse(Buffer.buffer(b));
            if (addresses.isEmpty()) {
                reply.addBatches(batch);
                continue;
            }
            EventBatch.Builder kept = batch.toBuilder().clearEvents();
            batch.getEventsList().stream().filter(e -> addresses.contains(e.getAddress())).forEach(kept::addEvents);
            reply.addBatches(kept);
        }
        return reply.build();
    }
}
