package io.trademesh.gateway.ws;

import io.trademesh.platform.events.GapFiller;
import io.trademesh.proto.events.AccountEvent;
import io.trademesh.proto.events.StreamResync;
import io.vertx.core.Context;
import java.util.ArrayList;
import java.util.List;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.trademesh.platform.events.Addresses;
import io.trademesh.platform.events.BatchView;
import io.trademesh.platform.events.EventStreams;
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
    private final GapFiller filler;
    private final Counter missedBatches;
    private final Counter repairedBatches;
    private final Counter resyncs;

    private static final class Stream {
        final Set<BiConsumer<String, HubEvent>> subscribers = ConcurrentHashMap.newKeySet();
        MessageConsumer<Buffer> consumer;   // for an address outside the batches
    }

    /**
     * Follows every product's event batches on the calling context (where they are then
     * handled, in order), asking {@code replayer} for any it misses.
     */
    public StreamHub(Vertx vertx, GapFiller.Replayer replayer, MeterRegistry registry) {
        this.vertx = vertx;
        Context context = vertx.getOrCreateContext();
        this.missedBatches = Counter.builder("gateway.event.batches.missed")
                .description("event batches of the services this gateway never received").register(registry);
        this.repairedBatches = Counter.builder("gateway.event.batches.repaired")
                .description("missed event batches whose followed account events were fetched from their owner")
                .register(registry);
        this.resyncs = Counter.builder("gateway.private.resyncs")
                .description("times followed private streams were told to resync: missed events their owner"
                        + " no longer held, or an owner's restart").register(registry);
        this.filler = new GapFiller(context, replayer, this::followedAccounts, this::demultiplex, this::tellResync,
                new GapFiller.Counters() {
                    @Override
                    public void missed(long batches) {
                        missedBatches.increment(batches);
                    }

                    @Override
                    public void repaired(long batches) {
                        repairedBatches.increment(batches);
                    }

                    @Override
                    public void resynced() {
                        resyncs.increment();
                    }
                });
        for (String service : EventStreams.SERVICES) {
            vertx.eventBus().<Buffer>consumer(EventStreams.of(service), m -> filler.onBatch(BatchView.of(m.body()
                    .getBytes())));
        }
    }

    /** The account addresses someone here follows. */
    private List<String> followedAccounts() {
        List<String> out = new ArrayList<>();
        for (String address : streams.keySet()) {
            if (Addresses.isAccount(address)) {
                out.add(address);
            }
        }
        return out;
    }

    private void tellResync(List<String> accountAddresses, String reason) {
        for (String address : accountAddresses) {
            long account = Addresses.accountOf(address);
            deliver(address, Buffer.buffer(AccountEvent.newBuilder().setAccountId(account)
                    .setResync(StreamResync.newBuilder().setReason(reason)).build().toByteArray()));
        }
    }

    /**
     * Hands a batch's events to the sockets following their addresses; called in order by
     * the filler. Only followed events are copied out of the batch (BatchView).
     */
    private void demultiplex(BatchView batch) {
        batch.forEachEvent(streams::containsKey, this::deliver);
    }

    private void deliver(String address, Buffer event) {
        Stream s = streams.get(address);
        if (s != null) {
            deliver(s, address, event);
        }
    }

    private static void deliver(Stream s, String address, Buffer body) {
        HubEvent event = new HubEvent(body);   // rendered once for all its sockets
        for (BiConsumer<String, HubEvent> sub : s.subscribers) {
            try {
                sub.accept(address, event);
            } catch (RuntimeException e) {   // one socket's trouble must not cost the others their events
                LOG.log(Level.WARNING, "delivering an event of " + address + " to a socket failed", e);
            }
        }
    }

    /** Delivers every message published on {@code address} to {@code subscriber} until unsubscribed. */
    public synchronized void subscribe(String address, BiConsumer<String, HubEvent> subscriber) {
        Stream s = streams.computeIfAbsent(address, a -> new Stream());
        s.subscribers.add(subscriber);
        if (s.consumer == null && !EventStreams.batched(address)) {
            s.consumer = vertx.eventBus().<Buffer>consumer(address, m -> deliver(address, m.body()));
            LOG.fine("listening to " + address);
        }
    }

    public synchronized void unsubscribe(String address, BiConsumer<String, HubEvent> subscriber) {
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
