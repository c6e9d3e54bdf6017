package io.trademesh.platform.trading;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** An order-book product's order counters, named {@code <product>.orders.*} (live commands only; replay does not count). */
public final class BookMetrics {

    private final MeterRegistry registry;
    private final String prefix;
    final Counter placed;
    final Counter matched;
    final Counter trades;
    final Counter filled;
    final Counter partiallyFilled;
    final Counter cancelled;
    final Counter expired;
    private final ConcurrentMap<String, Counter> rejected = new ConcurrentHashMap<>();

    /** @param prefix the product's name: "spot", "futures" */
    public BookMetrics(MeterRegistry registry, String prefix) {
        this.registry = registry;
        this.prefix = prefix;
        placed = counter(prefix + ".orders.placed", "Orders the books accepted");
        matched = counter(prefix + ".orders.matched", "Order sides that traded (two per trade)");
        trades = counter(prefix + ".trades", "Trades");
        filled = counter(prefix + ".orders.filled", "Orders completely filled");
        partiallyFilled = counter(prefix + ".orders.partially.filled", "Fills that left the order open");
        cancelled = counter(prefix + ".orders.cancelled", "Orders cancelled, one by one or by cancel-all");
        expired = counter(prefix + ".orders.expired", "Orders expired: GTD, IOC remainder, self-trade prevention");
    }

    private Counter counter(String name, String description) {
        return Counter.builder(name).description(description).register(registry);
    }

    void rejected(String reason) {
        rejected.computeIfAbsent(reason, r -> Counter.builder(prefix + ".orders.rejected")
                .description("Commands refused, by reason").tag("reason", r).register(registry)).increment();
    }
}
