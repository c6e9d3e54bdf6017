package io.trademesh.platform.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventBatcherTest {

    private final Vertx vertx = Vertx.vertx();
    private final BlockingQueue<List<String>> batches = new LinkedBlockingQueue<>();

    @AfterEach
    void close() {
        vertx.close().await();
    }

    private EventBatcher listen() {
        vertx.eventBus().<Buffer>consumer(EventStreams.of("test"), m -> {
            List<String> events = new ArrayList<>();
            EventStreams.forEach(m.body(), (address, payload) -> events.add(address + "=" + payload));
            batches.add(events);
        }).completion().await();
        return new EventBatcher(vertx, "test", "test-1");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void eventsOfOneTurnGoOutAsOneBatchInOrder() throws Exception {
        EventBatcher batcher = listen();
        Context shard = vertx.getOrCreateContext();
        shard.runOnContext(v -> {
            batcher.add("md.X.book", bytes("1"));
            batcher.add("acct.7", bytes("2"));
            batcher.add("md.X.trades", bytes("3"));
        });
        assertEquals(List.of("md.X.book=1", "acct.7=2", "md.X.trades=3"), batches.poll(5, TimeUnit.SECONDS));

        shard.runOnContext(v -> batcher.add("acct.8", bytes("4")));   // a later turn: a new batch
        assertEquals(List.of("acct.8=4"), batches.poll(5, TimeUnit.SECONDS));
        assertTrue(batches.poll(200, TimeUnit.MILLISECONDS) == null, "nothing more was published");
    }

    @Test
    void batchesNameTheirSourceAndCountUpSoAGapShows() throws Exception {
        BlockingQueue<io.trademesh.proto.events.EventBatch> stamped = new LinkedBlockingQueue<>();
        vertx.eventBus().<Buffer>consumer(EventStreams.of("test"), m -> stamped.add(EventStreams.parse(m.body())))
                .completion().await();
        EventBatcher batcher = new EventBatcher(vertx, "test", "test-1");
        Context shard = vertx.getOrCreateContext();
        shard.runOnContext(v -> {
            batcher.journalSequence(41);
            batcher.add("acct.7", bytes("a"));
            batcher.journalSequence(42);
            batcher.add("acct.7", bytes("b"));
        });
        io.trademesh.proto.events.EventBatch first = stamped.poll(5, TimeUnit.SECONDS);
        assertEquals("test", first.getSourceService());
        assertEquals("test-1", first.getSourceInstance());
        assertEquals(1, first.getBatchSequence());
        assertEquals(42, first.getJournalSequence());
        assertTrue(first.getStartedAtMs() > 0);
        shard.runOnContext(v -> {
            batcher.journalSequence(43);
            batcher.add("acct.7", bytes("c"));
        });
        io.trademesh.proto.events.EventBatch second = stamped.poll(5, TimeUnit.SECONDS);
        assertEquals(2, second.getBatchSequence());
        assertEquals(43, second.getJournalSequence());
        assertEquals(first.getStartedAtMs(), second.getStartedAtMs());
    }

    @Test
    void aLongTurnIsSplitIntoBoundedBatchesAndLosesNothing() throws Exception {
        EventBatcher batcher = listen();
        int total = EventBatcher.MAX_EVENTS * 2 + 5;
        vertx.getOrCreateContext().runOnContext(v -> {
            for (int i = 0; i < total; i++) {
                batcher.add("acct.1", bytes(Integer.toString(i)));
            }
        });
        List<String> all = new ArrayList<>();
        for (int expected : new int[] {EventBatcher.MAX_EVENTS, EventBatcher.MAX_EVENTS, 5}) {
            List<String> batch = batches.poll(5, TimeUnit.SECONDS);
            assertEquals(expected, batch.size());
            all.addAll(batch);
        }
        for (int i = 0; i < total; i++) {
            assertEquals("acct.1=" + i, all.get(i));
        }
        // and the batcher still schedules a flush for the next turn
        vertx.getOrCreateContext().runOnContext(v -> batcher.add("acct.2", bytes("x")));
        assertEquals(List.of("acct.2=x"), batches.poll(5, TimeUnit.SECONDS));
    }

    @Test
    void exactlyAFullBatchLeavesNoEmptyOneBehind() throws Exception {
        EventBatcher batcher = listen();
        vertx.getOrCreateContext().runOnContext(v -> {
            for (int i = 0; i < EventBatcher.MAX_EVENTS; i++) {
                batcher.add("acct.1", bytes(Integer.toString(i)));
            }
        });
        assertEquals(EventBatcher.MAX_EVENTS, batches.poll(5, TimeUnit.SECONDS).size());
        assertTrue(batches.poll(300, TimeUnit.MILLISECONDS) == null, "no empty batch after a full one");
    }

    @Test
    void onlyPerCommandAddressesAreBatched() {
        assertTrue(EventStreams.batched("md.BTC-USDT.book"));
        assertTrue(EventStreams.batched("md.BTC-USDT.trades"));
        assertTrue(EventStreams.batched("acct.42"));
        assertFalse(EventStreams.batched("md.BTC-USDT.ticker"));
        assertFalse(EventStreams.batched("price.BTC"));
        assertFalse(EventStreams.batched("risk.control"));
    }
}
