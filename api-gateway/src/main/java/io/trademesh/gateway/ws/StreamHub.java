package io.trademesh.gateway.ws;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.logging.Logger;

/**
 * One event-bus consumer per address for the whole gateway, however many sockets follow
 * it: each message is handed to every subscribed session. The consumer goes away with its
 * last subscriber, so the gateway listens only to what its clients want.
 */
public final class StreamHub {

    private static final Logger LOG = Logger.getLogger(StreamHub.class.getName());

    private final Vertx vertx;
    private final Map<String, Stream> streams = new ConcurrentHashMap<>();

    private static final class Stream {
        final Set<BiConsumer<String, Buffer>> subscribers = ConcurrentHashMap.newKeySet();
        MessageConsumer<Buffer> consumer;
    }

    public StreamHub(Vertx vertx) {
        this.vertx = vertx;
    }

    /** Delivers every message published on {@code address} to {@code subscriber} until unsubscribed. */
    public synchronized void subscribe(String address, BiConsumer<String, Buffer> subscriber) {
        Stream s = streams.computeIfAbsent(address, a -> new Stream());
        s.subscribers.add(subscriber);
        if (s.consumer == null) {
            s.consumer = vertx.eventBus().<Buffer>consumer(address, m -> {
                for (BiConsumer<String, Buffer> sub : s.subscribers) {
                    sub.accept(address, m.body());
                }
            });
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
            s.consumer.unregister();
            streams.remove(address);
        }
    }

    /** Addresses with at least one subscriber (for metrics). */
    public int activeStreams() {
        return streams.size();
    }
}
