package io.trademesh.platform.engine;

import com.google.protobuf.MessageLite;
import io.trademesh.platform.store.JournalStore;
import io.trademesh.platform.store.Snapshot;
import io.trademesh.platform.store.StoreException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The single writer of a service's state: one Vert.x context of its own owns the state
 * machine {@code M} (see {@link #ownContext}). A service's gRPC server listens from that
 * context, so its handlers run on the same event-loop thread and a command does not wake
 * another thread on its way in and out (see {@code ServiceRuntime}); what the shard
 * guarantees is one writer and no locks, not a core of its own.
 * Commands reach it as tasks on that context; each is stamped with the command clock,
 * applied, and appended to the journal; only once durable is its outcome released (the
 * reply, and {@code onDurable} publishes its events). Queries run on the same context and
 * see the state between commands.
 *
 * <p>An exception out of the state machine, or a journal that cannot write, is fatal for the
 * shard: it stops taking commands and says why, since memory and journal may no longer
 * agree. The service then reports not ready; a restart recovers from the journal.
 *
 * @param <M> the state machine
 * @param <C> the journaled command (a protobuf message)
 * @param <O> what applying one command produced
 */
public final class CommandShard<M, C extends MessageLite, O> {

    /** Applies one command live, at {@code nowMs}; the same code path replay uses. */
    @FunctionalInterface
    public interface Applier<M, C, O> {
        O apply(M machine, long nowMs, C command);
    }

    /** Told, on the shard's context and in journal order, of each command once it is durable. */
    @FunctionalInterface
    public interface Durable<O> {
        void durable(long journalSequence, O outcome);
    }

    private static final Logger LOG = Logger.getLogger(CommandShard.class.getName());

    private final String name;
    private final Context context;
    private final M machine;
    private final JournalStore store;
    private final Applier<M, C, O> applier;
    private final Durable<O> onDurable;
    private long lastTimestampMicros;
    private int inFlight;
    private Promise<Void> drained;
    private volatile boolean stopped;
    private volatile Throwable fatal;

    /**
     * @param context the shard's own context, from {@link #ownContext}; nothing else may run
     *                tasks that touch {@code machine}
     */
    public CommandShard(String name, Context context, M machine, JournalStore store, Applier<M, C, O> applier,
                        Durable<O> onDurable) {
        this.name = name;
        this.context = context;
        this.machine = machine;
        this.store = store;
        this.applier = applier;
        this.onDurable = onDurable;
    }

    /**
     * A new event-loop context that nothing else uses: the context of a deployment of its own
     * (an empty verticle), which lives until Vert.x closes.
     */
    public static Future<Context> ownContext(Vertx vertx) {
        ContextHolder holder = new ContextHolder();
        return vertx.deployVerticle(holder).map(id -> holder.context());
    }

    /** An empty verticle: its deployment gives the shard a context of its own. */
    private static final class ContextHolder extends VerticleBase {
        Context context() {
            return context;
        }
    }

    /** The shard of a {@link JournaledStateMachine}: live commands go through its {@code apply}. */
    public static <C extends MessageLite, O, M extends JournaledStateMachine<C, O>> CommandShard<M, C, O> of(
            String name, Context context, M machine, JournalStore store, Durable<O> onDurable) {
        return new CommandShard<>(name, context, machine, store, (m, nowMs, command) -> m.apply(nowMs, command, true),
                onDurable);
    }

    /** Applies {@code command} on the shard's context; completes with its outcome once durable. */
    public Future<O> submit(C command) {
        Promise<O> promise = Promise.promise();
        context.runOnContext(v -> apply(command, promise));
        return promise.future();
    }

    /**
     * Applies {@code commands} in order in one task on the shard's context; each future
     * completes like {@link #submit}'s, with that command's outcome once it is durable.
     */
    public List<Future<O>> submitAll(List<C> commands) {
        List<Promise<O>> promises = new ArrayList<>(commands.size());
        List<Future<O>> futures = new ArrayList<>(commands.size());
        for (int i = 0; i < commands.size(); i++) {
            Promise<O> p = Promise.promise();
            promises.add(p);
            futures.add(p.future());
        }
        context.runOnContext(v -> {
            for (int i = 0; i < commands.size(); i++) {
                apply(commands.get(i), promises.get(i));
            }
        });
        return futures;
    }

    /** Runs a read of the state on the shard's context. */
    public <T> Future<T> query(Function<M, T> read) {
        Promise<T> promise = Promise.promise();
        context.runOnContext(v -> {
            try {
                promise.complete(read.apply(machine));
            } catch (RuntimeException e) {
                promise.fail(e);
            }
        });
        return promise.future();
    }

    private void apply(C command, Promise<O> promise) {
        if (stopped || fatal != null) {
            promise.fail(new StoreException(fatal != null ? name + " stopped after a fatal error"
                    : name + " is shutting down"));
            return;
        }
        // The command clock never goes back, whatever the wall clock does.
        long now = Math.max(System.currentTimeMillis() * 1000, lastTimestampMicros);
        lastTimestampMicros = now;
        O outcome;
        try {
            outcome = applier.apply(machine, now / 1000, command);
        } catch (RuntimeException e) {
            fail(e);
            promise.fail(e);
            return;
        }
        inFlight++;
        store.append(now, command.toByteArray()).onComplete(ar -> {
            inFlight--;
            if (ar.succeeded()) {
                // Both must happen whatever the other does: events out, reply released.
                try {
                    onDurable.durable(ar.result(), outcome);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, name + ": publishing a durable command's events failed", e);
                }
                try {
                    promise.complete(outcome);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, name + ": answering a durable command failed", e);
                }
            } else {
                fail(ar.cause());
                promise.fail(ar.cause());
            }
            if (inFlight == 0 && drained != null) {
                drained.tryComplete();
            }
        });
    }

    private void fail(Throwable e) {
        if (fatal == null) {
            fatal = e;
            LOG.log(Level.SEVERE, name + " stopped: a command failed to apply or to become durable;"
                    + " restart the service to recover from its journal", e);
        }
    }

    /**
     * Commands applied but not yet durable: how far the journal is behind the state (read off
     * the shard's context it is a recent value, which is all a gauge needs).
     */
    public int pending() {
        return inFlight;
    }

    /** False after a fatal error: readiness reports it. */
    public boolean healthy() {
        return fatal == null;
    }

    /** The state and the journal sequence it reflects, taken between commands. */
    public Future<Snapshot> snapshot(BiFunction<M, Long, Snapshot> write) {
        return query(m -> write.apply(m, store.lastAssignedSequence()));
    }

    /** Refuses new commands and completes when every command in flight is durable and answered. */
    public Future<Void> stop() {
        Promise<Void> done = Promise.promise();
        context.runOnContext(v -> {
            stopped = true;
            if (inFlight == 0) {
                done.complete();
            } else {
                drained = done;
            }
        });
        return done.future();
    }
}
