package io.trademesh.gateway;

import io.vertx.core.Context;
import io.vertx.core.internal.ContextInternal;

/** Which event loop a piece of work is on, whatever Vert.x context it runs in. */
public final class EventLoops {

    private EventLoops() {
    }

    /**
     * The event loop's own context under {@code context}: Vert.x runs each HTTP request (and
     * each socket's handlers) on a duplicate of it, so per-loop state is keyed by this one.
     */
    public static Context root(Context context) {
        return ((ContextInternal) context).unwrap();
    }
}
