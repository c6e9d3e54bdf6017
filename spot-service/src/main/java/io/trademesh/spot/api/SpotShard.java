package io.trademesh.spot.api;

import io.trademesh.platform.engine.CommandShard;
import io.trademesh.platform.events.EventBatcher;
import io.trademesh.platform.store.JournalStore;
import io.trademesh.proto.spot.SpotCommand;
import io.trademesh.spot.store.SpotStateMachine;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/** The spot shard: the platform's single writer over {@link SpotStateMachine}, publishing events in batches when durable. */
public final class SpotShard {

    private SpotShard() {
    }

    /** The shard on {@code context}, its own (see {@link CommandShard#ownContext}). */
    public static CommandShard<SpotStateMachine, SpotCommand, SpotOutput.Outcome> create(Vertx vertx,
            Context context, SpotStateMachine machine, JournalStore store, String instance) {
        EventBatcher events = new EventBatcher(vertx, "spot", instance);
        return new CommandShard<>("spot engine", context, machine, store,
                (m, nowMs, command) -> m.applier().apply(nowMs, command, true),
                (sequence, outcome) -> {
                    events.journalSequence(sequence);
                    outcome.events().forEach(p -> events.add(p.address(), p.payload()));
                });
    }
}
