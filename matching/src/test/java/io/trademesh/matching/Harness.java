package io.trademesh.matching;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/** A book, its recording sink and helpers that keep unit tests short. Order ids count up from 1. */
final class Harness {
    static final int MARKET = 7;

    final RecordingSink sink = new RecordingSink(MARKET);
    final OrderBook book;
    final NewOrder command = new NewOrder();
    long now = 1_000;
    long nextOrderId = 1;

    Harness(final MarketConfig config) {
        this.book = new OrderBook(config, sink, 16);
    }

    Harness() {
        this(config().build());
    }

    /** Defaults for tests: market 7, tick 1, lot 1, no fees, continuous. */
    static MarketConfig.Builder config() {
        return MarketConfig.builder().marketId(MARKET).maxPrice(1_000_000).maxQuantity(1_000_000);
    }

    /** Places an order built by {@code details} on top of clear() + timestamp + next id; returns the id used. */
    long place(final Consumer<NewOrder> details) {
        final long id = nextOrderId++;
        command.clear().timestampMs(now).orderId(id);
        details.accept(command);
        book.placeOrder(command);
        return id;
    }

    long limit(final long account, final Side side, final long price, final long quantity) {
        return limit(account, side, price, quantity, TimeInForce.GTC);
    }

    long limit(final long account, final Side side, final long price, final long quantity, final TimeInForce tif) {
        return place(c -> c.accountId(account).side(side).limit(price, quantity).timeInForce(tif));
    }

    long market(final long account, final Side side, final long quantity) {
        return place(c -> c.accountId(account).side(side).market(quantity));
    }

    List<Event> events() {
        return List.copyOf(sink.events);
    }

    /** Forget the events so far (the sequence check continues). */
    Harness clear() {
        sink.events.clear();
        return this;
    }

    <T extends Event> List<T> events(final Class<T> type) {
        return sink.events.stream().filter(type::isInstance).map(type::cast).collect(Collectors.toList());
    }

    List<Event.Fill> fills() {
        return events(Event.Fill.class);
    }

    List<Event.Done> dones() {
        return events(Event.Done.class);
    }

    List<Event.Delta> deltas() {
        return events(Event.Delta.class);
    }

    Event.Rejected onlyRejection() {
        final List<Event> all = events();
        if (all.size() != 1 || !(all.get(0) instanceof Event.Rejected)) {
            throw new AssertionError("expected exactly one rejection, got " + all);
        }
        return (Event.Rejected) all.get(0);
    }

    List<Resting> resting(final Side side) {
        return Resting.side(book, side);
    }

    List<Resting> resting() {
        return Resting.all(book);
    }

    byte[] snapshot() {
        return snapshot(book);
    }

    static byte[] snapshot(final OrderBook book) {
        try {
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            book.writeSnapshot(new DataOutputStream(bytes));
            return bytes.toByteArray();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void restore(final OrderBook book, final byte[] snapshot) throws IOException {
        book.readSnapshot(new DataInputStream(new ByteArrayInputStream(snapshot)));
    }
}
