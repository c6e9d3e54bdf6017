package io.trademesh.spot.store;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** spot-service's own counters (live commands only; replay does not count). */
public final class SpotMetrics {

    private final MeterRegistry registry;
    final Counter placed;
    final Counter matched;
    final Counter trades;
    final Counter filled;
    final Counter partiallyFilled;
    final Counter cancelled;
    final Counter expired;
    private final ConcurrentMap<String, Counter> rejected = new ConcurrentHashMap<>();

    public SpotMetrics(MeterRegistry registry) {
        this.registry = registry;
        placed = counter("spot.orders.placed", "Orders the books accepted");
        matched = counter("spot.orders.matched", "Order sides that traded (two per trade)");
        trades = counter("spot.trades", "Trades");
        filled = counter("spot.orders.filled", "Orders completely filled");
        partiallyFilled = counter("spot.orders.partially.filled", "Fills that left the order open");
        cancelled = counter("spot.orders.cancelled", "Orders cancelled, one by one or by cancel-all");
        expired = counter("spot.orders.expired", "Orders expired: GTD, IOC remainder, self-trade prevention");
    }

    private Counter counter(String name, String description) {
        return Counter.builder(name).description(description).register(registry);
    }

    void rejected(String reason) {
        rejected.computeIfAbsent(reason, r -> Counter.builder("spot.orders.rejected")
                .description("Commands refused, by reason").tag("reason", r).register(registry)).increment();
    }
}
