package io.trademesh.platform.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalStoreTest {

    @TempDir
    Path dir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private JournalStore open() {
        return JournalStore.open("test-service", dir, registry);
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Applies and journals {@code count} commands the way a service does: apply, then append. */
    private static void run(JournalStore store, KeyValueMachine machine, int from, int count) throws Exception {
        List<Future<Long>> acks = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            String cmd = "k" + (i % 17) + "=v" + i;
            Future<Long> ack = store.append(i * 1000L, cmd.getBytes(StandardCharsets.UTF_8));
            machine.apply(store.lastAssignedSequence(), cmd);
            acks.add(ack);
        }
        for (Future<Long> f : acks) {
            await(f);
        }
    }

    @Test
    void acknowledgedCommandsAreRecoveredInOrder() throws Exception {
        KeyValueMachine live = new KeyValueMachine();
        try (JournalStore store = open()) {
            store.recover(new KeyValueMachine());
            run(store, live, 0, 100);
            assertEquals(100, store.lastDurableSequence());
        }
        KeyValueMachine recovered = new KeyValueMachine();
        try (JournalStore store = open()) {
            RecoveryResult r = store.recover(recovered);
            assertEquals(new RecoveryResult(0, 100, 100, 0, 0), r);
            assertEquals(live.state, recovered.state);
            assertEquals(101, await(store.append(0, "a=b".getBytes(StandardCharsets.UTF_8))));
        }
    }

    @Test
    void concurrentAppendersGetGapFreeSequencesAndShareSyncs() throws Exception {
        int threads = 16;
        int perThread = 400;
        ConcurrentLinkedQueue<Long> sequences = new ConcurrentLinkedQueue<>();
        try (JournalStore store = open()) {
            store.recover(new KeyValueMachine());
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        sequences.add(await(store.append(i, ("t" + id + "=" + i).getBytes(StandardCharsets.UTF_8))));
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
        }
        Set<Long> unique = new TreeSet<>(sequences);
        assertEquals(threads * perThread, unique.size());
        assertEquals(1L, ((TreeSet<Long>) unique).first());
        assertEquals((long) threads * perThread, ((TreeSet<Long>) unique).last());
        double batches = registry.get("journal.batch.size").summary().count();
        assertTrue(batches < threads * perThread / 2.0,
                "group commit should put several commands in one synced batch; batches: " + batches);
    }

    /**
     * Bursts of one command (which the writer syncs itself when nothing is behind them) mixed
     * with bursts of forty (which it hands to the syncer): one appender's context still sees
     * every command durable, in sequence order, and the durable sequence never goes back.
     */
    @Test
    void completionsKeepSequenceOrderWhicheverThreadSyncs() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (JournalStore store = open()) {
            store.recover(new KeyValueMachine());
            Context context = vertx.getOrCreateContext();
            List<Long> completed = new ArrayList<>();   // touched on the context only
            List<Long> durableSeen = new ArrayList<>();
            int bursts = 300;
            int total = 0;
            for (int b = 0; b < bursts; b++) {
                total += b % 5 == 0 ? 40 : 1;
            }
            CountDownLatch all = new CountDownLatch(total);
            for (int b = 0; b < bursts; b++) {
                int size = b % 5 == 0 ? 40 : 1;
                context.runOnContext(v -> {
                    for (int i = 0; i < size; i++) {
                        store.append(i, ("k=" + i).getBytes(StandardCharsets.UTF_8)).onSuccess(seq -> {
                            completed.add(seq);
                            durableSeen.add(store.lastDurableSequence());
                            all.countDown();
                        });
                    }
                });
                if (b % 3 == 0) {
                    Thread.sleep(1);   // some bursts find the journal idle, some find it busy
                }
            }
            assertTrue(all.await(60, TimeUnit.SECONDS), "every append became durable");
            CountDownLatch read = new CountDownLatch(1);
            context.runOnContext(v -> read.countDown());
            read.await(10, TimeUnit.SECONDS);
            for (int i = 0; i < total; i++) {
                assertEquals(i + 1, completed.get(i), "completion " + i + " in sequence order");
                assertTrue(durableSeen.get(i) >= i + 1, "durable sequence covers each completed command");
                assertTrue(i == 0 || durableSeen.get(i) >= durableSeen.get(i - 1), "durable sequence never goes back");
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void snapshotPlusReplayReproducesTheState() throws Exception {
        KeyValueMachine live = new KeyValueMachine();
        try (JournalStore store = open()) {
            store.recover(new KeyValueMachine());
            run(store, live, 0, 50);
            await(store.writeSnapshot(live.snapshot()));
            run(store, live, 50, 30);
        }
        KeyValueMachine recovered = new KeyValueMachine();
        try (JournalStore store = open()) {
            RecoveryResult r = store.recover(recovered);
            assertEquals(50, r.snapshotSequence());
            assertEquals(30, r.replayed());
            assertEquals(80, r.lastSequence());
            assertEquals(1, recovered.restores);
        }
        assertEquals(live.state, recovered.state);
    }

    @Test
    void aSnapshotOfManyChunksIsRestoredFromTheStoredBytesAsWritten() throws Exception {
        java.util.Random random = new java.util.Random(5);
        ChunkedOutput out = new ChunkedOutput();
        byte[] piece = new byte[100_000];
        for (int i = 0; i < 35; i++) { // 3.5 MB: several chunks, one partly filled
            random.nextBytes(piece);
            out.write(piece, 0, piece.length);
        }
        com.google.protobuf.ByteString written = out.toByteString();
        com.google.protobuf.ByteString[] restored = new com.google.protobuf.ByteString[1];
        KeyValueMachine machine = new KeyValueMachine() {
            @Override
            public void restore(long sequence, com.google.protobuf.ByteString state) {
                restored[0] = state;
            }
        };
        try (JournalStore store = open()) {
            store.recover(new KeyValueMachine());
            await(store.append(0, "a=b".getBytes(StandardCharsets.UTF_8)));
            await(store.writeSnapshot(new Snapshot(1, written)));
        }
        try (JournalStore store = open()) {
            assertEquals(1, store.recover(machine).snapshotSequence());
        }
        assertEquals(written, restored[0]);
    }

    @Test
    void corruptNewestSnapshotFallsBackToThePreviousOne() throws Exception {
        KeyValueMachine live = new KeyValueMachine();
        try (JournalStore store = open()) {
            store.recover(new KeyValueMachine());
            run(store, live, 0, 30);
            await(store.writeSnapshot(live.snapshot()));
            run(store, live, 30, 30);
            await(store.writeSnapshot(live.snapshot()));
            run(store, live, 60, 30);
            assertEquals(List.of(30L, 60L), store.snapshotSequences());
        }
        try (RawRocks raw = new RawRocks(dir)) {
            byte[] value = raw.getSnapshot(60);
            value[value.length - 1] ^= 0x5A; // one flipped byte in the state
            raw.putSnapshot(60, value);
        }
        KeyValueMachine recovered = new KeyValueMachine();
        try (JournalStore store = open()) {
            RecoveryResult r = store.recover(recovered);
            assertEquals(30, r.snapshotSequence());
            assertEquals(1, r.skippedSnapshots());
            assertEquals(60, r.replayed());
            assertEquals(90, r.lastSequence());
        }
        assertEquals(live.state, recovered.state);
    }

    @Test
    void keepsTwoSnapshotsAndPrunesTheJournalBehindTheOlder() throws Exception {
        KeyValueMachine live = new KeyValueMachine();
        try (JournalStore store = open()) {
            store.recover(new KeyValueMachine());
            for (int round = 0; round < 3; round++) {
                run(store, live, round * 10, 10);
                await(store.writeSnapshot(live.snapshot()));
            }
            run(store, live, 30, 5);
            assertEquals(List.of(20L, 30L), store.snapshotSequences());
            List<Long> journal = new ArrayList<>();
            store.forEachJournalValue(0, (seq, rec) -> journal.add(seq));
            assertEquals(21L, journal.get(0));
            assertEquals(35L, journal.get(journal.size() - 1));
        }
        KeyValueMachine recovered = new KeyValueMachine();
        try (JournalStore store = open()) {
            assertEquals(30, store.recover(recovered).snapshotSequence());
        }
        assertEquals(live.state, recovered.state);
    }

    @Test
    void garbageAtTheJournalTailIsCutNotReplayed() throws Exception {
        KeyValueMachine live = new KeyValueMachine();
        try (JournalStore store = open()) {
            store.recover(new KeyValueMachine());
            run(store, live, 0, 40);
        }
        try (RawRocks raw = new RawRocks(dir)) {
            raw.putJournal(41, "not a framed record".getBytes(StandardCharsets.UTF_8));
            raw.putJournal(42, new byte[] {1, 2, 3});
        }
        KeyValueMachine recovered = new KeyValueMachine();
        try (JournalStore store = open()) {
            RecoveryResult r = store.recover(recovered);
            assertEquals(40, r.lastSequence());
            assertEquals(2, r.cutRecords());
            assertEquals(live.state, recovered.state);
            // The journal goes on from the last whole command.
            assertEquals(41, await(store.append(0, "x=y".getBytes(StandardCharsets.UTF_8))));
        }
        try (JournalStore store = open()) {
            RecoveryResult r = store.recover(new KeyValueMachine());
            assertEquals(41, r.lastSequence());
            assertEquals(0, r.cutRecords());
        }
    }

    @Test
    void aGapEndsTheJournal() throws Exception {
        KeyValueMachine live = new KeyValueMachine();
        try (JournalStore store = open()) {
            store.recover(new KeyValueMachine());
            run(store, live, 0, 10);
        }
        try (RawRocks raw = new RawRocks(dir)) {
            // A well-formed record after a hole is still not replayed.
            raw.putJournal(12, RecordFraming.frame(io.trademesh.proto.journal.JournalRecord.newBuilder()
                    .setSequence(12).setCommand(com.google.protobuf.ByteString.copyFromUtf8("k=late")).build()
                    .toByteArray()));
        }
        KeyValueMachine recovered = new KeyValueMachine();
        try (JournalStore store = open()) {
            RecoveryResult r = store.recover(recovered);
            assertEquals(10, r.lastSequence());
            assertEquals(1, r.cutRecords());
        }
        assertEquals(live.state, recovered.state);
    }

    /**
     * With a 64 KiB buffer the write-ahead log rotates every thousand-odd commands. A
     * snapshot, or the store's own metadata, left in memory would keep every log from the
     * one it was written to onwards: here that would be a dozen. Flushed, the old logs are
     * reused, and recovery still finds everything.
     */
    @Test
    void writeAheadLogsAreReusedWhileSnapshotsAreTaken() throws Exception {
        KeyValueMachine live = new KeyValueMachine();
        try (JournalStore store = JournalStore.open("test-service", dir, registry, 64 << 10)) {
            store.recover(new KeyValueMachine());
            for (int round = 0; round < 6; round++) {
                run(store, live, round * 3000, 3000);
                await(store.writeSnapshot(live.snapshot()));
            }
            run(store, live, 18_000, 500);
            // Flushes run in the background, so a log is released some time after its
            // rotation; a pinned one never is. Wait for the count to settle, with a deadline.
            long logs = writeAheadLogs();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (logs > 5 && System.nanoTime() < deadline) {
                Thread.sleep(50);
                logs = writeAheadLogs();
            }
            assertTrue(logs <= 5, logs + " write-ahead logs kept: something pins the old ones");
        }
        assertTrue(RawRocks.reusedLogs(dir) > 0, "no write-ahead log was reused");
        KeyValueMachine recovered = new KeyValueMachine();
        try (JournalStore store = open()) {
            RecoveryResult r = store.recover(recovered);
            assertEquals(18_000, r.snapshotSequence());
            assertEquals(18_500, r.lastSequence());
        }
        assertEquals(live.state, recovered.state);
    }

    /**
     * What RocksDB recorded of the store's options: tables reach the disk a mebibyte at a time,
     * so that no journal sync waits behind a whole flush, and the journal is not compressed.
     */
    @Test
    void tablesAreSyncedAsTheyAreWrittenAndTheJournalIsNotCompressed() throws Exception {
        try (JournalStore store = open()) {
            store.recover(new KeyValueMachine());
        }
        Path options;
        try (Stream<Path> files = Files.list(dir)) {
            options = files.filter(p -> p.getFileName().toString().startsWith("OPTIONS-"))
                    .max(Comparator.naturalOrder()).orElseThrow();
        }
        List<String> lines = Files.readAllLines(options, StandardCharsets.ISO_8859_1);
        assertEquals("1048576", option(lines, "[DBOptions]", "bytes_per_sync"));
        assertEquals("kNoCompression", option(lines, "[CFOptions \"journal\"]", "compression"));
        assertEquals("kSnappyCompression", option(lines, "[CFOptions \"snapshots\"]", "compression"));
    }

    /** The value of {@code key} in one section of a RocksDB OPTIONS file. */
    private static String option(List<String> lines, String section, String key) {
        boolean inSection = false;
        for (String line : lines) {
            String t = line.trim();
            if (t.startsWith("[")) {
                inSection = t.equals(section);
            } else if (inSection && t.startsWith(key + "=")) {
                return t.substring(key.length() + 1);
            }
        }
        throw new AssertionError(key + " not found in " + section);
    }

    private long writeAheadLogs() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".log")).count();
        }
    }

    @Test
    void garbageAppendedToTheWriteAheadLogIsIgnored() throws Exception {
        KeyValueMachine live = new KeyValueMachine();
        try (JournalStore store = open()) {
            store.recover(new KeyValueMachine());
            run(store, live, 0, 40);
        }
        Path wal;
        try (Stream<Path> files = Files.list(dir)) {
            wal = files.filter(p -> p.getFileName().toString().endsWith(".log"))
                    .max(Comparator.comparing(p -> p.getFileName().toString())).orElseThrow();
        }
        byte[] garbage = new byte[777];
        new java.util.Random(7).nextBytes(garbage);
        Files.write(wal, garbage, StandardOpenOption.APPEND);
        KeyValueMachine recovered = new KeyValueMachine();
        try (JournalStore store = open()) {
            assertEquals(40, store.recover(recovered).lastSequence());
        }
        assertEquals(live.state, recovered.state);
    }

    @Test
    void aStoreOfAnotherServiceIsRefused() throws IOException {
        JournalStore.open("spot-service", dir, registry).close();
        StoreException e = assertThrows(StoreException.class,
                () -> JournalStore.open("futures-service", dir, registry));
        assertTrue(e.getMessage().contains("belongs to spot-service"), e.getMessage());
    }

    @Test
    void appendsBeforeRecoveryOrAfterCloseFail() throws Exception {
        JournalStore store = open();
        assertTrue(store.append(0, new byte[0]).failed());
        store.recover(new KeyValueMachine());
        assertEquals(1, await(store.append(0, "a=b".getBytes(StandardCharsets.UTF_8))));
        store.close();
        assertTrue(store.append(0, new byte[0]).failed());
    }
}
