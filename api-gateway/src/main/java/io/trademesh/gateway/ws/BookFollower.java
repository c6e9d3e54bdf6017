package io.trademesh.gateway.ws;

import io.trademesh.gateway.api.Json;
import io.trademesh.proto.common.BookDelta;
import io.trademesh.proto.common.Market;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;

/**
 * One socket's subscription to one market's book: a snapshot first, then deltas whose
 * book sequence goes up by one. Deltas that arrive before the snapshot wait (at most
 * {@link #MAX_PENDING_DELTAS}); a jump in the sequence (a missed event) or a client that
 * has fallen behind (its write queue full) starts it again from a fresh snapshot, once
 * the client can take one. So does a delta {@link #MAX_DELTA_AGE_MS} older than the
 * quickest seen (the gateway itself fell behind): skipping what is stale lets it catch up,
 * and the book conflates to a snapshot (once a second while the gateway stays behind), with
 * a sequence jump the client can see, instead of a backlog. Deltas are shared with every
 * socket following the book ({@link Delta}, rendered once). Used on the socket's event loop
 * only.
 */
final class BookFollower {

    static final int MAX_PENDING_DELTAS = 1_000;
    /** A delta older than this when it reaches the socket is stale: the socket resyncs instead. */
    static final long MAX_DELTA_AGE_MS = 2_000;
    /** While deltas stay stale (the gateway stays behind), a fresh snapshot at most this often. */
    static final long SNAPSHOT_WHILE_BEHIND_NANOS = 1_000_000_000L;

    /** A delta as every socket sends it: its sequence and time, and its JSON text. */
    record Delta(long bookSequence, long timeMs, String text) {

        /** Decodes and renders an event of {@code md.<market>.book}. */
        static Delta of(Buffer body, Market market) {
            BookDelta d;
            try {
                d = BookDelta.parseFrom(body.getBytes());
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                throw new IllegalStateException("undecodable book event of " + market.getSymbol(), e);
            }
            return new Delta(d.getBookSequence(), d.getTimestampMs(), new JsonObject().put("channel", "book")
                    .put("type", "delta").mergeIn(Json.bookDelta(d, market)).encode());
        }
    }

    /** What the follower needs of its socket. */
    interface Socket {
        boolean writeQueueFull();

        void send(JsonObject message);

        void sendText(String text);

        /**
         * A snapshot of the book, carrying the sequence it includes, from a request started no
         * earlier than {@code notBeforeNanos}.
         */
        Future<BookSnapshots.Rendered> snapshot(long notBeforeNanos);

        /** Counted: a follower started again from a snapshot. */
        void resynced();
    }

    private final Market market;
    private final Socket socket;
    private final ArrayDeque<Delta> pending = new ArrayDeque<>();
    private long lastSent = -1;   // -1: no snapshot sent yet
    private long holdingSinceNanos;  // when the deltas now held began to be held
    private long quickestMs = Long.MAX_VALUE;
    private long lastSnapshotNanos;  // when the last snapshot was asked for  // the smallest age of a delta seen: transit plus clock skew
    private boolean resyncing;
    private boolean snapshotInFlight;
    private boolean failed;      // the last snapshot failed (the client was told once): retried a second on
    private boolean stopped;

    BookFollower(Market market, Socket socket) {
        this.market = market;
        this.socket = socket;
    }

    /** Sends the first snapshot; deltas are held until it is out. */
    void start() {
        sendSnapshot();
    }

    void stop() {
        stopped = true;
        pending.clear();
    }

    /** The socket can take more: a follower waiting to resync does it now. */
    void drained() {
        if (resyncing && !stopped && !failed) {
            sendSnapshot();
        }
    }

    /** The client subscribed again: a follower whose snapshot failed tries again now. */
    void retry() {
        if (failed && !stopped && !snapshotInFlight) {
            sendSnapshot();
        }
    }

    void onDelta(Delta d) {
        if (stopped) {
            return;
        }
        if (lastSent < 0 || resyncing) {
            pending.addLast(d);
            if (pending.size() > MAX_PENDING_DELTAS) {
                pending.clear();      // the snapshot to come covers them
                resyncing = true;
                holdingSinceNanos = System.nanoTime();
            }
            if (resyncing && !snapshotInFlight && mayResync(d) && !socket.writeQueueFull()) {
                sendSnapshot();       // caught up again, or a second behind: the conflated book goes out now
            }
            return;
        }
        if (d.bookSequence() <= lastSent) {
            return;
        }
        if (d.bookSequence() != lastSent + 1 || socket.writeQueueFull() || !fresh(d)) {
            // A gap (missed event), a client behind or a gateway behind: start again from a
            // snapshot once the client can take one and the deltas are fresh.
            resyncing = true;
            holdingSinceNanos = System.nanoTime();
            pending.clear();
            socket.resynced();
            if (!socket.writeQueueFull() && mayResync(d)) {
                sendSnapshot();
            }
            return;
        }
        lastSent = d.bookSequence();
        socket.sendText(d.text());
    }

    /**
     * Whether to ask for the conflated book now: the deltas are fresh again (and the last ask did
     * not fail), or the last snapshot was asked for a second ago or more, so a client of a
     * gateway that stays behind, or of an owner that cannot answer for a while, still gets its
     * book once a second at most (one {@code GetBook} per market, shared).
     */
    private boolean mayResync(Delta d) {
        return fresh(d) && !failed || System.nanoTime() - lastSnapshotNanos >= SNAPSHOT_WHILE_BEHIND_NANOS;
    }

    /**
     * Whether a delta reached the socket within {@link #MAX_DELTA_AGE_MS} of the quickest one
     * seen: measured against that, not against zero, so a clock skew between the owner's host
     * and this one does not make every delta look stale.
     */
    private boolean fresh(Delta d) {
        long age = System.currentTimeMillis() - d.timeMs();
        quickestMs = Math.min(quickestMs, age);
        return age - quickestMs <= MAX_DELTA_AGE_MS;
    }

    private void sendSnapshot() {
        if (!resyncing) {
            resyncing = true;
            holdingSinceNanos = System.nanoTime();
        }
        if (snapshotInFlight) {
            return;   // the one under way covers this resync too
        }
        snapshotInFlight = true;
        lastSnapshotNanos = System.nanoTime();
        socket.snapshot(holdingSinceNanos).onComplete(ar -> {
            snapshotInFlight = false;
            if (stopped) {
                return;
            }
            if (ar.failed()) {
                // Still resyncing: tried again a second on (at the next delta) or when the client
                // subscribes again; the client is told once per outage.
                pending.clear();
                holdingSinceNanos = System.nanoTime();
                if (!failed) {
                    failed = true;
                    socket.send(new JsonObject().put("channel", "book").put("market", market.getSymbol())
                            .put("error", new JsonObject().put("code", "SERVICE_UNAVAILABLE")
                                    .put("message", "book snapshot failed; retrying every second while the book"
                                            + " changes, or subscribe again")));
                }
                return;
            }
            failed = false;
            socket.sendText(ar.result().text());
            lastSent = ar.result().bookSequence();
            resyncing = false;
            while (!pending.isEmpty() && !resyncing) {
                Delta d = pending.pollFirst();
                if (d.bookSequence() > lastSent) {
                    onDelta(d);
                }
            }
        });
    }
}
