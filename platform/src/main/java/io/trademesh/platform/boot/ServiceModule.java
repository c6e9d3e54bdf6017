package io.trademesh.platform.boot;

import io.trademesh.platform.config.ServiceDefaults;
import io.trademesh.platform.store.Snapshot;
import io.trademesh.platform.store.StateMachine;
import io.vertx.core.Future;

/**
 * What a service plugs into the platform. The launcher does the rest: configuration,
 * store recovery, cluster join, HTTP (health, metrics) and gRPC servers, periodic and
 * shutdown snapshots, graceful stop.
 */
public interface ServiceModule {

    ServiceDefaults defaults();

    /**
     * Reads and checks the service's own configuration (its environment variables), before
     * anything starts: a bad value throws a {@link io.trademesh.platform.config.ConfigException}
     * whose message names the variable, and start-up ends with exit code 2.
     */
    default void configure() {
    }

    /** False for a service that keeps no state (the gateway): no store is opened. */
    default boolean hasStore() {
        return true;
    }

    /** The engine the store rebuilds on start-up; called once, before {@link #start}. */
    StateMachine stateMachine();

    /**
     * Called once recovered and joined: register gRPC services, routes and event-bus
     * consumers on the runtime. The service is ready when the returned future completes.
     */
    Future<Void> start(ServiceRuntime runtime);

    /** The engine's state and the sequence it reflects, taken on the engine's own thread. */
    Future<Snapshot> snapshot();

    /** Stop taking new commands and finish the ones in flight (their journal appends included). */
    default Future<Void> stop() {
        return Future.succeededFuture();
    }
}
