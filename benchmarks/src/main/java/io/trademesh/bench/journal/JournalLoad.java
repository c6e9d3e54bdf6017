package io.trademesh.bench.journal;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.trademesh.bench.ProcessStats;
import io.trademesh.platform.store.JournalStore;
import io.trademesh.platform.store.Snapshot;
import io.trademesh.platform.store.StateMachine;
import io.trademesh.proto.journal.JournalRecord;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Load for the journal's synced group commit, as services use it: appends come from Vert.x
 * event-loop contexts and each appender waits for durability before its next command.
 * <ul>
 *   <li>closed loop ({@code --appenders N}): N appenders, each with one command in flight;
 *       reports commands/s and time to durable.</li>
 *   <li>open loop ({@code --rate R}): commands issued at R/s whatever the store does; the
 *       latency counts from the intended send time (no coordinated omission).</li>
 * </ul>
 * Run: {@code java -cp benchmarks/target/benchmarks.jar io.trademesh.bench.journal.JournalLoad --appenders 256}
 */
@Command(name = "journal-load", mixinStandardHelpOptions = true,
        description = "Journal throughput and time-to-durable with synced group commit.")
public final class JournalLoad implements Callable<Integer> {

    @Option(names = "--appenders", description = "Concurrent appenders, closed loop (default ${DEFAULT-VALUE}).")
    int appenders = 16;

    @Option(names = "--rate", description = "Open loop: commands per second (0 = closed loop).")
    long rate;

    @Option(names = "--payload", description = "Command size in bytes (default ${DEFAULT-VALUE}).")
    int payloadBytes = 100;

    @Option(names = "--warmup", description = "Warm-up seconds (default ${DEFAULT-VALUE}).")
    int warmupSeconds = 3;

    @Option(names = "--seconds", description = "Measured seconds (default ${DEFAULT-VALUE}).")
    int seconds = 10;

    @Option(names = "--dir", description = "Store directory (default: a temp dir, deleted after).")
    Path dir;

    @Option(names = "--buffer-kb", description = "The journal's in-memory buffer in KiB: the write-ahead log rotates"
            + " each time it fills, and from the second rotation on reuses a flushed one (default: the services'"
            + " ${DEFAULT-VALUE}).")
    long bufferKb = JournalStore.DEFAULT_JOURNAL_BUFFER_BYTES >> 10;

    @Option(names = "--random-payload", description = "Fill commands with random bytes instead of zeros, so that"
            + " a flush of the buffer writes (and compresses) as much as it holds.")
    boolean randomPayload;

    @Option(names = "--progress", description = "Print each measured second's commands, p99 and max to stderr,"
            + " to see the seconds a flush of the buffer falls in.")
    boolean progress;

    @Option(names = "--snapshot-seconds", description = "Write a snapshot every this many seconds, as the services"
            + " do (every 60 s), so that the journal is pruned behind the older of the two kept; 0 for none"
            + " (default ${DEFAULT-VALUE}).")
    int snapshotSeconds;

    @Option(names = "--snapshot-kb", description = "Size of each snapshot in KiB (default ${DEFAULT-VALUE}).")
    int snapshotKb = 32;

    private final Recorder recorder = new Recorder(TimeUnit.SECONDS.toNanos(10), 3);
    private final LongAdder completed = new LongAdder();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private byte[][] payloads;
    private int nextPayload;
    private JournalStore store;

    public static void main(String[] args) {
        System.exit(new CommandLine(new JournalLoad()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        boolean temp = dir == null;
        Path storeDir = temp ? Files.createTempDirectory("journal-load") : dir;
        // Distinct random commands, more than a table block holds, so that compression finds no repeats.
        payloads = new byte[randomPayload ? 4096 : 1][payloadBytes];
        if (randomPayload) {
            Random random = new Random(42);
            for (byte[] p : payloads) {
                random.nextBytes(p);
            }
        }
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        store = JournalStore.open("journal-load", storeDir, new SimpleMeterRegistry(), bufferKb << 10);
        store.recover(new StateMachine() {
            @Override
            public void restore(long sequence, byte[] state) {
            }

            @Override
            public void replay(JournalRecord record) {
            }
        });
        try {
            if (snapshotSeconds > 0) {
                // A snapshot at the newest sequence handed out: the store writes it after every record before it.
                byte[] state = new byte[snapshotKb << 10];
                vertx.setPeriodic(TimeUnit.SECONDS.toMillis(snapshotSeconds), id -> {
                    if (running.get()) {
                        store.writeSnapshot(new Snapshot(store.lastAssignedSequence(), state))
                                .onFailure(e -> System.err.println("snapshot failed: " + e.getMessage()));
                    }
                });
            }
            if (rate > 0) {
                openLoop(vertx);
            } else {
                closedLoop(vertx);
            }
            Thread.sleep(TimeUnit.SECONDS.toMillis(warmupSeconds));
            recorder.getIntervalHistogram(); // drop the warm-up
            long before = completed.sum();
            long cpuBefore = ProcessStats.cpuMs("self");
            long t0 = System.nanoTime();
            Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
            Histogram second = null;
            long doneBefore = before;
            for (int s = 1; s <= seconds; s++) {
                Thread.sleep(Math.max(0, t0 + TimeUnit.SECONDS.toNanos(s) - System.nanoTime()) / 1_000_000);
                second = recorder.getIntervalHistogram(second);
                h.add(second);
                if (progress) {
                    long done = completed.sum();
                    System.err.printf("%4d s (%tT): %7d commands, p99 %7.3f ms, max %7.3f ms%n", s,
                            LocalTime.now(ZoneOffset.UTC), done - doneBefore,
                            ms(second.getValueAtPercentile(99)), ms(second.getMaxValue()));
                    doneBefore = done;
                }
            }
            long n = completed.sum() - before;
            long cpuMs = ProcessStats.cpuMs("self") - cpuBefore;
            double elapsed = (System.nanoTime() - t0) / 1e9;
            running.set(false);
            String mode = rate > 0 ? "open loop at " + rate + "/s" : "closed loop, " + appenders + " appenders";
            System.out.printf("%s, %d-byte commands: %.0f commands/s; time to durable p50 %.3f ms, p99 %.3f ms,"
                            + " p99.9 %.3f ms, max %.3f ms (%d samples); %.1f us of CPU per command%n",
                    mode, payloadBytes, n / elapsed, ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(99)),
                    ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()), h.getTotalCount(),
                    n == 0 ? 0.0 : cpuMs * 1000.0 / n);
            Thread.sleep(200);
        } finally {
            running.set(false);
            store.close();
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            if (temp) {
                try (Stream<Path> files = Files.walk(storeDir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
        return 0;
    }

    private void closedLoop(Vertx vertx) {
        for (int i = 0; i < appenders; i++) {
            Context ctx = vertx.getOrCreateContext();
            ctx.runOnContext(v -> appendNext());
        }
    }

    /** One appender: append, and when durable, record and append again (on the same context). */
    private void appendNext() {
        if (!running.get()) {
            return;
        }
        long start = System.nanoTime();
        store.append(start / 1000, payload()).onComplete(ar -> {
            if (ar.succeeded()) {
                recorder.recordValue(Math.min(System.nanoTime() - start, TimeUnit.SECONDS.toNanos(10)));
                completed.increment();
                appendNext();
            }
        });
    }

    /** A pacer on one context issues each millisecond's share of the rate, timed from its intended start. */
    private void openLoop(Vertx vertx) throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        Thread pacer = new Thread(() -> {
            Context ctx = vertx.getOrCreateContext();
            long intervalNanos = TimeUnit.SECONDS.toNanos(1) / rate;
            long next = System.nanoTime();
            started.countDown();
            while (running.get()) {
                long now = System.nanoTime();
                if (now < next) {
                    java.util.concurrent.locks.LockSupport.parkNanos(Math.min(next - now, 200_000));
                    continue;
                }
                long due = 0;
                long first = next;
                while (next <= now && due < 10_000) {
                    due++;
                    next += intervalNanos;
                }
                long count = due;
                long firstIntended = first;
                ctx.runOnContext(v -> {
                    for (long i = 0; i < count; i++) {
                        long intended = firstIntended + i * intervalNanos;
                        store.append(intended / 1000, payload()).onComplete(ar -> {
                            if (ar.succeeded()) {
                                recorder.recordValue(Math.min(System.nanoTime() - intended,
                                        TimeUnit.SECONDS.toNanos(10)));
                                completed.increment();
                            }
                        });
                    }
                });
            }
        }, "pacer");
        pacer.setDaemon(true);
        pacer.start();
        started.await();
    }

    /** Appends run on event-loop contexts, several at once in a closed loop: a racy index only repeats a command. */
    private byte[] payload() {
        int i = nextPayload;
        nextPayload = i + 1 == payloads.length ? 0 : i + 1;
        return payloads[i];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
