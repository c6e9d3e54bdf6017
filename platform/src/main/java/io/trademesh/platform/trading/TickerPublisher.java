package io.trademesh.platform.trading;

import io.trademesh.platform.engine.CommandShard;
import io.trademesh.platform.events.Addresses;
import io.trademesh.proto.common.Ticker;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Publishes the ticker of each market whose book or trades changed since the last round, on
 * {@code ticker.<market>}. Called periodically by the product service, off the hot path: one
 * query between commands per round.
 */
public final class TickerPublisher<M extends BookState> {

    private final CommandShard<M, ?, ?> shard;
    private final EventBus bus;
    /** market id -> the book's event sequence at its last published ticker; read and written on the shard. */
    private final Map<Integer, Long> published = new HashMap<>();

    public TickerPublisher(CommandShard<M, ?, ?> shard, EventBus bus) {
        this.shard = shard;
        this.bus = bus;
    }

    public void publishChanged() {
        long now = System.currentTimeMillis();
        shard.query(m -> {
            List<Ticker> changed = new ArrayList<>();
            for (int id = 0; id < m.markets().marketCount(); id++) {
                long seq = m.markets().book(id).lastSequence();
                Long last = published.put(id, seq);
                if (last == null || last != seq) {
                    changed.add(BookOrderEntry.tickerOf(m, id, now));
                }
            }
            return changed;
        }).onSuccess(tickers -> tickers.forEach(t ->
                bus.publish(Addresses.ticker(t.getMarket()), Buffer.buffer(t.toByteArray()))));
    }
}
