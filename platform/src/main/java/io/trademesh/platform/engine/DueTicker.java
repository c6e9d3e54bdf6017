package io.trademesh.platform.engine;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.function.Supplier;

/**
 * Sends a shard's clock tick when its engine has something due (a GTD expiry, an auction,
 * a funding or an expiry time), instead of journaling a tick on a fixed beat while nothing
 * is due. It asks the engine when it is next due, ticks at once if that time has come, else
 * waits until then, but never longer than {@code maxWaitMs}: a command applied meanwhile
 * (a new GTD order) may have made something due sooner.
 */
public final class DueTicker {

    private static final long MIN_WAIT_MS = 5;

    private final Vertx vertx;
    private final Supplier<Future<Long>> nextDueMs;
    private final Supplier<Future<?>> tick;
    private final long maxWaitMs;
    private volatile boolean stopped;
    private volatile long timer = -1;

    /**
     * @param nextDueMs asks the engine (a shard query) when it next has work: epoch ms, or
     *                  {@code Long.MAX_VALUE} for nothing
     * @param tick      submits the journaled tick command
     */
    public DueTicker(Vertx vertx, Supplier<Future<Long>> nextDueMs, Supplier<Future<?>> tick, long maxWaitMs) {
        this.vertx = vertx;
        this.nextDueMs = nextDueMs;
        this.tick = tick;
        this.maxWaitMs = maxWaitMs;
    }

    public void start() {
        check();
    }

    public void stop() {
        stopped = true;
        vertx.cancelTimer(timer);
    }

    private void check() {
        if (stopped) {
            return;
        }
        nextDueMs.get().onComplete(ar -> {
            long now = System.currentTimeMillis();
            long due = ar.succeeded() ? ar.result() : Long.MAX_VALUE;
            if (due <= now && !stopped) {
                // Ask again as soon as the tick is applied; after one that failed (a shard stopped by a
                // fatal error still answers queries), only after the longest wait: never in a tight loop.
                tick.get().onComplete(done -> {
                    if (done.succeeded()) {
                        check();
                    } else if (!stopped) {
                        timer = vertx.setTimer(maxWaitMs, id -> check());
                    }
                });
                return;
            }
            long wait = Math.max(MIN_WAIT_MS, Math.min(maxWaitMs, due - now));
            if (!stopped) {
                timer = vertx.setTimer(wait, id -> check());
            }
        });
    }
}
