package io.trademesh.risk.api;

import io.trademesh.platform.engine.Outcome;
import io.trademesh.platform.engine.CommandShard;
import io.trademesh.platform.store.JournalStore;
import io.trademesh.proto.risk.IndexPrice;
import io.trademesh.proto.risk.RiskCommand;
import io.trademesh.risk.store.RiskStateMachine;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

/**
 * The risk shard: the platform's single writer over {@link RiskStateMachine}. Once a command
 * is durable its events are published and an operator price it set goes to the index.
 */
public final class RiskShard {

    private RiskShard() {
    }

    /** The shard on {@code context}, its own (see {@link CommandShard#ownContext}). */
    public static CommandShard<RiskStateMachine, RiskCommand, Outcome> create(Vertx vertx, Context context,
            RiskStateMachine machine, JournalStore store, Consumer<IndexPrice> onOperatorPrice) {
        return CommandShard.of("risk engine", context, machine, store,
                (sequence, outcome) -> {
                    outcome.events().forEach(p -> vertx.eventBus().publish(p.address(), Buffer.buffer(p.payload())));
                    if (outcome.reply() instanceof IndexPrice operatorPrice) {   // only SetIndexPrice replies one
                        onOperatorPrice.accept(operatorPrice);
                    }
                });
    }
}
