package io.trademesh.gateway.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trademesh.proto.common.Asset;
import io.trademesh.proto.common.BookDelta;
import io.trademesh.proto.common.BookLevelDelta;
import io.trademesh.proto.common.Market;
import io.trademesh.proto.common.Side;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A socket's book follower with a stand-in socket: deltas in sequence go out as the shared
 * text; a gap, a full write queue or a stale delta (the gateway behind) conflate to a fresh
 * snapshot once deltas are fresh again; and one event is rendered once for all its sockets.
 */
class BookFollowerTest {

    private static final Market BTC = Market.newBuilder().setSymbol("BTC-USDT")
            .setBase(Asset.newBuilder().setSymbol("BTC").setDecimals(8))
            .setQuote(Asset.newBuilder().setSymbol("USDT").setDecimals(6)).setPriceScale(2).build();

    private static final class FakeSocket implements BookFollower.Socket {
        final List<String> sent = new ArrayList<>();
        final List<Promise<BookSnapshots.Rendered>> snapshots = new ArrayList<>();
        boolean full;
        int resyncs;

        @Override
        public boolean writeQueueFull() {
            return full;
        }

        @Override
        public void send(JsonObject message) {
            sent.add(message.encode());
        }

        @Override
        public void sendText(String text) {
            sent.add(text);
        }

        @Override
        public Future<BookSnapshots.Rendered> snapshot(long notBeforeNanos) {
            Promise<BookSnapshots.Rendered> p = Promise.promise();
            snapshots.add(p);
            return p.future();
        }

        @Override
        public void resynced() {
            resyncs++;
        }

        void answer(long sequence) {
            snapshots.get(snapshots.size() - 1).complete(new BookSnapshots.Rendered(sequence, "snapshot@" + sequence));
        }
    }

    private static BookFollower.Delta delta(long sequence, long timeMs) {
        BookDelta d = BookDelta.newBuilder().setMarket("BTC-USDT").setBookSequence(sequence).setTimestampMs(timeMs)
                .addLevels(BookLevelDelta.newBuilder().setSide(Side.SIDE_BUY).setPrice(3_000_000)
                        .setTotalQuantity(sequence)).build();
        return BookFollower.Delta.of(Buffer.buffer(d.toByteArray()), BTC);
    }

    @Test
    void deltasFollowTheSnapshotAndAGapOrAFullQueueConflates() {
        FakeSocket socket = new FakeSocket();
        BookFollower f = new BookFollower(BTC, socket);
        long now = System.currentTimeMillis();
        f.start();
        f.onDelta(delta(5, now));
        f.onDelta(delta(6, now));            // held until the snapshot is out
        socket.answer(5);
        assertEquals(List.of("snapshot@5"), socket.sent.subList(0, 1));
        assertEquals(6, new JsonObject(socket.sent.get(1)).getLong("bookSequence"), "6 follows the snapshot");
        f.onDelta(delta(7, now));
        f.onDelta(delta(9, now));            // 8 missed: a fresh snapshot is asked for
        assertEquals(2, socket.snapshots.size());
        assertEquals(1, socket.resyncs);
        f.onDelta(delta(10, now));           // held
        socket.answer(9);
        assertEquals("snapshot@9", socket.sent.get(3));
        assertEquals(10, new JsonObject(socket.sent.get(4)).getLong("bookSequence"));

        socket.full = true;                  // a slow client: no delta, no snapshot while full
        f.onDelta(delta(11, now));
        assertEquals(5, socket.sent.size());
        assertEquals(2, socket.snapshots.size());
        socket.full = false;
        f.drained();
        assertEquals(3, socket.snapshots.size(), "drained: the conflated book is asked for");
    }

    @Test
    void staleDeltasAreSkippedAndTheBookConflatesOnceTheyAreFreshAgain() {
        FakeSocket socket = new FakeSocket();
        BookFollower f = new BookFollower(BTC, socket);
        long now = System.currentTimeMillis();
        f.start();
        socket.answer(1);
        f.onDelta(delta(2, now));
        assertEquals(2, socket.sent.size());
        long late = now - BookFollower.MAX_DELTA_AGE_MS - 1_000;
        for (long s = 3; s < 50; s++) {      // the gateway fell behind: these are stale
            f.onDelta(delta(s, late));
        }
        assertEquals(2, socket.sent.size(), "nothing stale is sent");
        assertEquals(1, socket.snapshots.size(), "and no snapshot is asked for within a second");
        assertEquals(1, socket.resyncs);
        f.onDelta(delta(50, System.currentTimeMillis()));   // caught up
        assertEquals(2, socket.snapshots.size());
        socket.answer(50);
        assertEquals("snapshot@50", socket.sent.get(2));
        f.onDelta(delta(51, System.currentTimeMillis()));
        assertEquals(51, new JsonObject(socket.sent.get(3)).getLong("bookSequence"));
    }

    @Test
    void aGatewayThatStaysBehindStillSendsTheBookOnceASecond() throws Exception {
        FakeSocket socket = new FakeSocket();
        BookFollower f = new BookFollower(BTC, socket);
        long now = System.currentTimeMillis();
        f.start();
        socket.answer(1);
        f.onDelta(delta(2, now));
        long late = now - BookFollower.MAX_DELTA_AGE_MS - 1_000;
        f.onDelta(delta(3, late));
        f.onDelta(delta(4, late));
        assertEquals(1, socket.snapshots.size(), "behind: no snapshot within a second of the last");
        Thread.sleep(BookFollower.SNAPSHOT_WHILE_BEHIND_NANOS / 1_000_000 + 100);
        f.onDelta(delta(5, late));           // still behind, a second on: the conflated book goes out
        assertEquals(2, socket.snapshots.size());
        socket.answer(5);
        assertEquals("snapshot@5", socket.sent.get(2));
        f.onDelta(delta(6, late));           // stale again: held, no snapshot for another second
        assertEquals(3, socket.sent.size());
        assertEquals(2, socket.snapshots.size());
    }

    @Test
    void aFailedSnapshotIsToldOnceAndTriedAgainASecondOn() throws Exception {
        FakeSocket socket = new FakeSocket();
        BookFollower f = new BookFollower(BTC, socket);
        f.start();
        socket.snapshots.get(0).fail("owner busy");
        assertEquals(1, socket.sent.size());
        assertTrue(socket.sent.get(0).contains("SERVICE_UNAVAILABLE"), socket.sent.get(0));
        long now = System.currentTimeMillis();
        f.onDelta(delta(7, now));
        assertEquals(1, socket.snapshots.size(), "not again within a second");
        Thread.sleep(BookFollower.SNAPSHOT_WHILE_BEHIND_NANOS / 1_000_000 + 100);
        f.onDelta(delta(8, System.currentTimeMillis()));
        assertEquals(2, socket.snapshots.size(), "a second on, at the next delta");
        socket.snapshots.get(1).fail("still busy");
        assertEquals(1, socket.sent.size(), "told once per outage");
        f.retry();                            // the client subscribed again
        socket.answer(9);
        assertEquals("snapshot@9", socket.sent.get(1));
    }

    @Test
    void anEventIsRenderedOnceForAllItsSockets() {
        BookDelta d = BookDelta.newBuilder().setMarket("BTC-USDT").setBookSequence(3).setTimestampMs(1).build();
        HubEvent event = new HubEvent(Buffer.buffer(d.toByteArray()));
        int[] renders = {0};
        BookFollower.Delta first = event.rendered(b -> {
            renders[0]++;
            return BookFollower.Delta.of(b, BTC);
        });
        for (int i = 0; i < 299; i++) {
            assertSame(first, event.rendered(b -> {
                renders[0]++;
                return BookFollower.Delta.of(b, BTC);
            }));
        }
        assertEquals(1, renders[0]);
        assertTrue(first.text().contains("\"type\":\"delta\""), first.text());
    }
}
