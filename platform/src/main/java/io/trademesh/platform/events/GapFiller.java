package io.trademesh.platform.events;

import io.trademesh.proto.events.ReplayReply;
import io.trademesh.proto.events.ReplayRequest;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Puts each source instance's event batches in order and fills the gaps the at-most-once
 * event bus leaves: when a batch's sequence jumps, the batches after it are held, the
 * missed ones are asked of their owner ({@code EventReplay}, only the events of the accounts
 * this gateway follows), delivered, and then the held ones. When the owner cannot fill the
 * gap (past its retained window, or a new run of the instance), each followed account is
 * told to resync instead: a private stream never silently loses an event. Book events are
 * not replayed: book subscribers notice the jump in their market's book sequence and take
 * a snapshot. Used on one context only. For any consumer of event batches: the gateway's
 * private streams (asking for the accounts it follows), marketdata-service (asking for every
 * market's trades).
 */
public final class GapFiller {

    private static final Logger LOG = Logger.getLogger(GapFiller.class.getName());
    /** A gap of more batches than this is not asked for: the followed streams resync at once. */
    static final long MAX_REPLAY_BATCHES = 10_000;
    /** Batches held behind a repair; past this the repair is abandoned for a resync. */
    static final int MAX_HELD = 50_000;

    /** Asks a source service for missed batches. */
    public interface Replayer {
        Future<ReplayReply> replay(String sourceService, ReplayRequest request);
    }

    /** What the filler reports, for metrics. */
    public interface Counters {
        void missed(long batches);

        void repaired(long batches);

        void resynced();
    }

    private static final class Source {
        long startedAtMs;
        long lastSequence;
        boolean repairing;
        long repair;   // which repair is under way: a late answer to an abandoned one is ignored
        long gapTo;    // the last batch of the gap being repaired
        final ArrayDeque<BatchView> held = new ArrayDeque<>();
    }

    private final Context context;
    private final Replayer replayer;
    private final Supplier<List<String>> followedAccounts;
    private final Consumer<BatchView> deliver;
    private final ResyncNotice resync;
    private final Counters counters;
    private final Map<String, Source> sources = new HashMap<>();

    /** Tells the followers of {@code accountAddresses} to resync, with {@code reason}. */
    public interface ResyncNotice {
        void tell(List<String> accountAddresses, String reason);
    }

    public GapFiller(Context context, Replayer replayer, Supplier<List<String>> followedAccounts,
              Consumer<BatchView> deliver, ResyncNotice resync, Counters counters) {
        this.context = context;
        this.replayer = replayer;
        this.followedAccounts = followedAccounts;
        this.deliver = deliver;
        this.resync = resync;
        this.counters = counters;
    }

    /**
     * Picks up a source where a consumer that keeps its place (in its own journal) left it:
     * the next batch of the same run after {@code lastSequence} is expected, and a jump from
     * there is a gap to fill like any other. Call before the first batch of that source.
     */
    public void resume(String sourceInstance, long startedAtMs, long lastSequence) {
        Source s = sources.computeIfAbsent(sourceInstance, k -> new Source());
        s.startedAtMs = startedAtMs;
        s.lastSequence = lastSequence;
    }

    /** Takes the next batch as the event bus delivered it. */
    public void onBatch(BatchView batch) {
        if (batch.sourceInstance().isEmpty()) {
            deliver.accept(batch);   // unstamped (an older publisher): nothing to order by
            return;
        }
        Source s = sources.computeIfAbsent(batch.sourceInstance(), k -> new Source());
        if (s.repairing) {
            s.held.addLast(batch);
            if (s.held.size() > MAX_HELD) {
                // The owner is too slow to answer: stop waiting, tell the followers, go on.
                giveUp(s, batch.sourceService(), "the owner did not answer in time");
            }
            return;
        }
        process(s, batch);
    }

    private void process(Source s, BatchView batch) {
        if (s.startedAtMs != batch.startedAtMs()) {
            if (batch.startedAtMs() < s.startedAtMs) {
                return;   // a straggler of the instance's previous run
            }
            if (s.startedAtMs != 0) {
                // A new run: what the old one journaled but never published cannot be asked of anyone.
                List<String> accounts = followedAccounts.get();
                if (!accounts.isEmpty()) {
                    counters.resynced();
                    resync.tell(accounts, batch.sourceService() + " restarted: events of its previous run may"
                            + " be missing; re-read orders and balances");
                }
            }
            s.startedAtMs = batch.startedAtMs();
            s.lastSequence = batch.batchSequence() - 1;   // joining a run: nothing before it is owed
        }
        long seq = batch.batchSequence();
        if (seq <= s.lastSequence) {
            return;   // redelivered
        }
        if (seq == s.lastSequence + 1) {
            s.lastSequence = seq;
            deliver.accept(batch);
            return;
        }
        long from = s.lastSequence + 1;
        long to = seq - 1;
        counters.missed(to - from + 1);
        List<String> accounts = followedAccounts.get();
        if (accounts.isEmpty()) {
            s.lastSequence = seq;   // nobody here is owed the missed private events; books resync themselves
            deliver.accept(batch);
            return;
        }
        if (to - from + 1 > MAX_REPLAY_BATCHES) {
            counters.resynced();
            resync.tell(accounts, "events of " + batch.sourceService() + " were missed and cannot be recovered;"
                    + " re-read orders and balances");
            s.lastSequence = seq;
            deliver.accept(batch);
            return;
        }
        LOG.warning("missed batches " + from + ".." + to + " of " + batch.sourceInstance() + "; asking it for the"
                + " events of " + accounts.size() + " followed account(s)");
        s.repairing = true;
        long repair = ++s.repair;
        s.gapTo = to;
        s.held.addFirst(batch);   // the oldest held: found while draining, the later ones are behind it
        ReplayRequest request = ReplayRequest.newBuilder().setSourceInstance(batch.sourceInstance())
                .setStartedAtMs(batch.startedAtMs()).setFromBatchSequence(from).setToBatchSequence(to)
                .addAllAddresses(accounts).build();
        Future<ReplayReply> reply;
        try {
            reply = replayer.replay(batch.sourceService(), request);
        } catch (RuntimeException e) {
            reply = Future.failedFuture(e);
        }
        reply.onComplete(ar -> context.runOnContext(v -> {
            if (!s.repairing || s.repair != repair) {
                return;   // abandoned meanwhile
            }
            try {
                if (ar.succeeded() && ar.result().getComplete()) {
                    ar.result().getBatchesList().forEach(b -> deliver.accept(BatchView.of(b)));
                    counters.repaired(to - from + 1);
                } else {
                    LOG.warning("batches " + from + ".." + to + " of " + batch.sourceInstance() + " cannot be"
                            + " recovered (" + (ar.failed() ? ar.cause().getMessage() : "outside its retained window")
                            + "): telling " + accounts.size() + " account stream(s) to resync");
                    counters.resynced();
                    resync.tell(accounts, "events of " + batch.sourceService() + " were missed and cannot be"
                            + " recovered; re-read orders and balances");
                }
            } finally {
                // Whatever happened above, the source's later batches must flow again.
                resume(s);
            }
        }));
    }

    /** Abandons the repair under way: the followers resync, and the held batches go out. */
    private void giveUp(Source s, String service, String why) {
        LOG.warning("abandoning the repair of a gap of " + service + ": " + why);
        List<String> accounts = followedAccounts.get();
        counters.resynced();
        resync.tell(accounts, "events of " + service + " were missed and cannot be recovered; re-read orders and"
                + " balances");
        resume(s);
    }

    private void resume(Source s) {
        s.lastSequence = Math.max(s.lastSequence, s.gapTo);
        s.repairing = false;
        while (!s.repairing && !s.held.isEmpty()) {
            process(s, s.held.pollFirst());
        }
    }
}
