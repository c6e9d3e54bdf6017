package io.trademesh.platform.events;

import com.google.protobuf.UnsafeByteOperations;
import io.trademesh.proto.common.AddressedEvent;
import io.trademesh.proto.common.EventBatch;
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
    private EventBatch.Builder pending;

    public EventBatcher(Vertx vertx, String service) {
        this.vertx = vertx;
        this.address = EventStreams.of(service);
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
        vertx.eventBus().publish(address, Buffer.buffer(pending.build().toByteArray()));
    }
}
