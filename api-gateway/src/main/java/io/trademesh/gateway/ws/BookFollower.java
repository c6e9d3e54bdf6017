package io.trademesh.gateway.ws;

import io.trademesh.gateway.api.Json;
import io.trademesh.proto.common.BookDelta;
import io.trademesh.proto.common.BookSnapshot;
import io.trademesh.proto.common.Market;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;

/**
 * One socket's subscription to one market's book: a snapshot first, then deltas whose
 * book sequence goes up by one. Deltas that arrive before the snapshot wait (at most
 * {@link #MAX_PENDING_DELTAS}); a jump in the sequence (a missed event) or a client that
 * has fallen behind (its write queue full) starts it again from a fresh snapshot, once
 * the client can take one. Used on the socket's event loop only.
 */
final class BookFollower {

    static final int MAX_PENDING_DELTAS = 1_000;

    /** What the follower needs of its socket. */
    interface Socket {
        boolean writeQueueFull();

        void send(JsonObject message);

        /** A snapshot of the book, carrying the sequence it includes. */
        Future<BookSnapshot> snapshot(String market);

        /** Counted: a follower started again from a snapshot. */
        void resynced();
    }

    private final Market market;
    private final Socket socket;
    private final ArrayDeque<BookDelta> pending = new ArrayDeque<>();
    private long lastSent = -1;   // -1: no snapshot sent yet
    private boolean resyncing;
    private boolean snapshotInFlight;
    private boolean failed;      // the last snapshot failed: waits for the client to subscribe again
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

    /** The client subscribed again: a follower whose snapshot failed tries once more. */
    void retry() {
        if (failed && !stopped) {
            failed = false;
            sendSnapshot();
        }
    }

    void onDelta(BookDelta d) {
        if (stopped) {
            return;
        }
        if (lastSent < 0 || resyncing) {
            pending.addLast(d);
            if (pending.size() > MAX_PENDING_DELTAS) {
                pending.clear();      // the snapshot to come covers them
                resyncing = true;
            }
            return;
        }
        if (d.getBookSequence() <= lastSent) {
            return;
        }
        if (d.getBookSequence() != lastSent + 1 || socket.writeQueueFull()) {
            // A gap (missed event) or a client behind: start again from a snapshot once it can take one.
            resyncing = true;
            socket.resynced();
            if (!socket.writeQueueFull()) {
                sendSnapshot();
            }
            return;
        }
        lastSent = d.getBookSequence();
        socket.send(new JsonObject().put("channel", "book").put("type", "delta").mergeIn(Json.bookDelta(d, market)));
    }

    private void sendSnapshot() {
        resyncing = true;
        if (snapshotInFlight) {
            return;   // the one under way covers this resync too
        }
        snapshotInFlight = true;
        socket.snapshot(market.getSymbol()).onComplete(ar -> {
            snapshotInFlight = false;
            if (stopped) {
                return;
            }
            if (ar.failed()) {
                failed = true;
                pending.clear();
                socket.send(new JsonObject().put("channel", "book").put("market", market.getSymbol())
                        .put("error", new JsonObject().put("code", "SERVICE_UNAVAILABLE")
                                .put("message", "book snapshot failed; subscribe again")));
                return;
            }
            socket.send(new JsonObject().put("channel", "book").put("type", "snapshot")
                    .mergeIn(Json.book(ar.result(), market)));
            lastSent = ar.result().getBookSequence();
            resyncing = false;
            while (!pending.isEmpty() && !resyncing) {
                BookDelta d = pending.pollFirst();
                if (d.getBookSequence() > lastSent) {
                    onDelta(d);
                }
            }
        });
    }
}
