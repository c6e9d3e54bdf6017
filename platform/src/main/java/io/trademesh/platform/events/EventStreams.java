package io.trademesh.platform.events;

import com.google.protobuf.InvalidProtocolBufferException;
import io.trademesh.proto.events.EventBatch;
import io.vertx.core.buffer.Buffer;
import java.util.function.BiConsumer;

/**
 * Which events travel batched and how to read them. A service's per-command events (book
 * diffs {@code md.<market>.book}, trades {@code md.<market>.trades}, account events
 * {@code acct.<id>}) are published as {@link EventBatch}es on {@code events.<service>};
 * periodic ones (tickers, index prices, risk control) keep their own addresses, since
 * they are few and have standing listeners. See {@link EventBatcher} for why.
 */
public final class EventStreams {

    /** The services whose event batches a listener of every product follows. */
    public static final String[] SERVICES = {"spot", "futures", "options", "moneymarket"};

    private EventStreams() {
    }

    /** The address a service publishes its event batches on. */
    public static String of(String service) {
        return Addresses.events(service);
    }

    /** True when events for {@code address} arrive inside batches rather than on the address itself. */
    public static boolean batched(String address) {
        return Addresses.isAccount(address) || Addresses.isMarketEvents(address);
    }

    /** A published batch, parsed. */
    public static EventBatch parse(Buffer batch) {
        try {
            return EventBatch.parseFrom(batch.getBytes());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("not an event batch: " + e.getMessage(), e);
        }
    }

    /** Hands every event of a published batch, in order, to {@code each} as (address, payload). */
    public static void forEach(Buffer batch, BiConsumer<String, Buffer> each) {
        BatchView.of(batch.getBytes()).forEachEvent(address -> true, each);
    }
}
