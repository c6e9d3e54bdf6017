package io.trademesh.platform.events;

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
 */
public final class EventBatcher {

    /** A turn's batch is sent early at this many events, to bound the size of one message. */
    static final int MAX_EVENTS = 4_096;

    private final Vertx vertx;
    private final String address;
    private final String service;
    private final String instance;
    private final long startedAtMs = System.currentTimeMillis();
    private long batchSequence;
    private long journalSequence;
    private EventBatch.Builder pending;

    /** Batches of {@code service}'s instance {@code instance}, stamped with both (see EventBatch). */
    public EventBatcher(Vertx vertx, String service, String instance) {
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
                .setBatchSequence(++batchSequence).setJournalSequence(journalSequence).build();
        vertx.eventBus().publish(address, Buffer.buffer(batch.toByteArray()));
    }
}
