package io.trademesh.platform.boot;

import io.trademesh.platform.config.ServiceDefaults;
import io.trademesh.platform.store.Snapshot;
import io.trademesh.platform.store.StateMachine;
import io.trademesh.platform.store.StoreException;
import io.trademesh.proto.journal.JournalRecord;
import io.vertx.core.Future;

/**
 * The module of a service whose engine has no commands yet: it opens and recovers its
 * store, joins the cluster and serves health, metrics and status, and nothing else. A
 * journaled command in its store is one it cannot apply, so recovery refuses to go on
 * rather than silently dropping it. The stateless gateway uses it without a store.
 */
public final class EmptyEngineModule implements ServiceModule {

    private final ServiceDefaults defaults;
    private final boolean hasStore;
    private volatile long sequence;

    public EmptyEngineModule(ServiceDefaults defaults, boolean hasStore) {
        this.defaults = defaults;
        this.hasStore = hasStore;
    }

    @Override
    public ServiceDefaults defaults() {
        return defaults;
    }

    @Override
    public boolean hasStore() {
        return hasStore;
    }

    @Override
    public StateMachine stateMachine() {
        return new StateMachine() {
            @Override
            public void restore(long seq, byte[] state) {
                if (state.length != 0) {
                    throw new StoreException(defaults.serviceName() + ": snapshot at " + seq
                            + " holds state this build cannot read");
                }
                sequence = seq;
            }

            @Override
            public void replay(JournalRecord record) {
                throw new StoreException(defaults.serviceName() + ": journaled command " + record.getSequence()
                        + " is unknown to this build");
            }
        };
    }

    @Override
    public Future<Void> start(ServiceRuntime runtime) {
        return Future.succeededFuture();
    }

    @Override
    public Future<Snapshot> snapshot() {
        return Future.succeededFuture(new Snapshot(sequence, new byte[0]));
    }
}
