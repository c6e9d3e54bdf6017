package io.trademesh.platform.store;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.trademesh.proto.journal.JournalRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Child JVM for {@link JournalKillTest}: recovers the store in args[0], then appends from
 * args[1] threads forever, printing "ACK seq payload" for each command only after its
 * future completed (it is durable). The parent SIGKILLs it at some point. args[2], if
 * given, is the journal's buffer in bytes (small: the write-ahead log rotates often).
 */
public final class JournalAppenderProcess {

    private JournalAppenderProcess() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int threads = Integer.parseInt(args[1]);
        long buffer = args.length > 2 ? Long.parseLong(args[2]) : JournalStore.DEFAULT_JOURNAL_BUFFER_BYTES;
        JournalStore store = JournalStore.open("kill-test", dir, new SimpleMeterRegistry(), buffer);
        long[] count = {0};
        RecoveryResult r = store.recover(new StateMachine() {
            @Override
            public void restore(long sequence, byte[] state) {
            }

            @Override
            public void replay(JournalRecord record) {
                count[0]++;
            }
        });
        System.out.println("RECOVERED " + r.lastSequence() + " " + r.cutRecords());
        long run = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread th = new Thread(() -> {
                for (long i = 0; ; i++) {
                    String payload = "r" + run + "-t" + id + "-" + i;
                    try {
                        long seq = store.append(i, payload.getBytes(StandardCharsets.UTF_8))
                                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
                        System.out.println("ACK " + seq + " " + payload);
                    } catch (Exception e) {
                        System.out.println("ERROR " + e);
                        return;
                    }
                }
            }, "appender-" + t);
            th.start();
        }
    }
}
