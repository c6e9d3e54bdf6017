package io.trademesh.platform.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.trademesh.platform.testsupport.ChildJvm;
import io.trademesh.proto.journal.JournalRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durability under SIGKILL: every command a child reported as durable is in the store
 * after the child is killed, in order, with nothing partial after it. Several rounds on
 * one store, killed at different points, each round continuing the journal.
 */
class JournalKillTest {

    @TempDir
    Path dir;

    /** Logs RocksDB reused, over the rounds so far. */
    private long reusedLogs;

    @Test
    void everyAcknowledgedCommandSurvivesSigkill() throws Exception {
        killRounds(new int[] {37, 700, 4000}, JournalStore.DEFAULT_JOURNAL_BUFFER_BYTES);
    }

    /**
     * The same with a 64 KiB journal buffer: the write-ahead log rotates every few hundred
     * commands, and a rotation reuses a log whose data is flushed, overwriting it in place.
     * Recovery must stop where the new records end and the reused log's old ones begin.
     */
    @Test
    void everyAcknowledgedCommandSurvivesSigkillWhileLogsAreReused() throws Exception {
        killRounds(new int[] {3000, 12_000}, 64 << 10);
        assertTrue(reusedLogs > 0, "no write-ahead log was reused: the case above tested nothing new");
    }

    private void killRounds(int[] killAfterAcks, long journalBuffer) throws Exception {
        Map<Long, String> acked = new HashMap<>();
        long lastRecovered = 0;
        for (int round = 0; round < killAfterAcks.length; round++) {
            try (ChildJvm child = ChildJvm.start(JournalAppenderProcess.class, Map.of(), dir,
                    dir.resolve("store").toString(), "32", Long.toString(journalBuffer))) {
                String recovered = child.awaitLine(l -> l.startsWith("RECOVERED "), 60, TimeUnit.SECONDS);
                assertEquals("RECOVERED " + lastRecovered + " 0", recovered,
                        "round " + round + " must start where the previous round's store ended");
                int acks = 0;
                while (acks < killAfterAcks[round]) {
                    record(child.awaitLine(l -> l.startsWith("ACK ") || l.startsWith("ERROR "), 60,
                            TimeUnit.SECONDS), acked);
                    acks++;
                }
                child.kill();
                // Lines already written before the kill were durable when written: count them too.
                String line;
                while ((line = child.pollLine(200, TimeUnit.MILLISECONDS)) != null) {
                    if (line.startsWith("ACK ")) {
                        record(line, acked);
                    }
                }
            }
            reusedLogs += RawRocks.reusedLogs(dir.resolve("store"));
            lastRecovered = verify(acked);
        }
    }

    private static void record(String line, Map<Long, String> acked) {
        assertTrue(line.startsWith("ACK "), line);
        String[] parts = line.split(" ", 3);
        assertNotNull(parts[2]);
        acked.put(Long.parseLong(parts[1]), parts[2]);
    }

    /** Reopens the store: every acknowledged command is there; the journal is gap-free and whole. */
    private long verify(Map<Long, String> acked) {
        TreeMap<Long, String> stored = new TreeMap<>();
        RecoveryResult r;
        try (JournalStore store = JournalStore.open("kill-test", dir.resolve("store"), new SimpleMeterRegistry())) {
            r = store.recover(new StateMachine() {
                @Override
                public void restore(long sequence, byte[] state) {
                }

                @Override
                public void replay(JournalRecord record) {
                    stored.put(record.getSequence(), record.getCommand().toString(StandardCharsets.UTF_8));
                }
            });
        }
        assertEquals(0, r.cutRecords(), "a synced journal has no torn tail after SIGKILL");
        assertEquals(stored.size(), r.lastSequence());
        assertEquals(stored.isEmpty() ? 0 : stored.lastKey(), r.lastSequence());
        for (Map.Entry<Long, String> e : acked.entrySet()) {
            assertEquals(e.getValue(), stored.get(e.getKey()), "acknowledged command " + e.getKey() + " lost");
        }
        long maxAcked = acked.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
        assertTrue(r.lastSequence() >= maxAcked);
        return r.lastSequence();
    }
}
