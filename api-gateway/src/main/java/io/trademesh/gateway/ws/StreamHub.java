package io.trademesh.gateway.ws;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.trademesh.platform.events.BatchGaps;
import io.trademesh.proto.events.EventBatch;
import io.trademesh.platform.events.EventStreams;
import io.trademesh.proto.events.AddressedEvent;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Hands each event of an address to every socket that follows it, with one listener per
 * address for the whole gateway however many sockets follow it.
 *
 * <p>Per-command events (books, trades, accounts) arrive in the services' event batches,
 * which the hub follows from the start and demultiplexes by address; events for addresses
 * nobody here follows are dropped on the spot. Periodic events (tickers, prices) have their
 * own addresses, and the hub listens to one of those only while a socket follows it.
 */
public final class StreamHub {

    private static final Logger LOG = Logger.getLogger(StreamHub.class.getName());

    private final Vertx vertx;
    private final Map<String, Stream> streams = new ConcurrentHashMap<>();
    private final BatchGaps gaps = new BatchGaps();
    private final Counter missedBatches;

    private static final class Stream {
        final Set<BiConsumer<String, Buffer>> subscribers = ConcurrentHashMap.newKeySet();
        MessageConsumer<Buffer> consumer;   // for an address outside the batches
    }

    public StreamHub(Vertx vertx, MeterRegistry registry) {
        this.vertx = vertx;
        this.missedBatches = Counter.builder("gateway.event.batches.missed")
                .description("event batches of the services this gateway never received (book subscribers"
                        + " resync by their book sequence)").register(registry);
        for (String service : EventStreams.SERVICES) {
            vertx.eventBus().<Buffer>consumer(EventStreams.of(service), m -> demultiplex(m.body()));
        }
    }

    private void demultiplex(Buffer bytes) {
        EventBatch batch = EventStreams.parse(bytes);
        long missed = gaps.missedBefore(batch);
        if (missed > 0) {
            missedBatches.increment(missed);
            LOG.warning("missed " + missed + " event batch(es) of " + batch.getSourceInstance() + " before batch "
                    + batch.getBatchSequence() + " (journal sequence " + batch.getJournalSequence() + ")");
        }
        for (AddressedEvent e : batch.getEventsList()) {
            Stream s = streams.get(e.getAddress());
            if (s != null) {   // copied only when someone here follows it
                deliver(s, e.getAddress(), Buffer.buffer(e.getPayload().toByteArray()));
            }
        }
    }

    private void deliver(String address, Buffer event) {
        Stream s = streams.get(address);
        if (s != null) {
            deliver(s, address, event);
        }
    }

    private static void deliver(Stream s, String address, Buffer event) {
        for (BiConsumer<String, Buffer> sub : s.subscribers) {
            try {
                sub.accept(address, event);
            } catch (RuntimeException e) {   // one socket's trouble must not cost the others their events
                LOG.log(Level.WARNING, "delivering an event of " + address + " to a socket failed", e);
            }
        }
    }

    /** Delivers every message published on {@code address} to {@code subscriber} until unsubscribed. */
    public synchronized void subscribe(String address, BiConsumer<String, Buffer> subscriber) {
        Stream s = streams.computeIfAbsent(address, a -> new Stream());
        s.subscribers.add(subscriber);
        if (s.consumer == null && !EventStreams.batched(address)) {
            s.consumer = vertx.eventBus().<Buffer>consumer(address, m -> deliver(address, m.body()));
            LOG.fine("listening to " + address);
        }
    }

    public synchronized void unsubscribe(String address, BiConsumer<String, Buffer> subscriber) {
        Stream s = streams.get(address);
        if (s == null) {
            return;
        }
        s.subscribers.remove(subscriber);
        if (s.subscribers.isEmpty()) {
            if (s.consumer != null) {
                s.consumer.unregister();
            }
            streams.remove(address);
        }
    }

    /** Addresses with at least one subscriber (for metrics). */
    public int activeStreams() {
        return streams.size();
    }
}
