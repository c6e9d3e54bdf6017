package io.trademesh.bench.journal;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.trademesh.bench.ToolDirectory;
import io.trademesh.platform.engine.JournaledStateMachine;
import io.trademesh.platform.store.JournalStore;
import io.trademesh.proto.journal.JournalRecord;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The heap a snapshot needs, on the path services use: an engine's state of {@code --mb} MB of longs, written through
 * {@link JournaledStateMachine#snapshot} and the store, or recovered from the store into a new state of the same size.
 * Run it with a given {@code -Xmx}: it prints {@code ok} or dies of {@code OutOfMemoryError}; the smallest heap that
 * passes is the figure. Both steps need a heap of at least the state plus one copy of the snapshot. It also prints
 * how long the engine's thread spent serializing (the shard takes no command meanwhile), and how long recovery took.
 * <pre>
 *   for x in 300 400 500 600; do java -Xmx${x}m -XX:+UseSerialGC -cp benchmarks/target/benchmarks.jar \
 *       io.trademesh.bench.journal.SnapshotMemory write --dir /tmp/snapmem --mb 100; done
 * </pre>
 */
@Command(name = "snapshot-memory", mixinStandardHelpOptions = true,
        description = "Writes or recovers a snapshot of a state of the given size, to find the heap each needs.")
public final class SnapshotMemory implements Callable<Integer> {

    @Parameters(index = "0", description = "write (a fresh store; needs the state and its snapshot) or recover")
    String step;

    /** Marks a directory this tool made, which a later write may replace. */
    private static final String MARKER = "SNAPSHOT-MEMORY";

    @Option(names = "--dir", required = true,
            description = "Store directory: new, or one an earlier write made (which write replaces).")
    Path dir;

    @Option(names = "--mb", description = "State size in MB (default ${DEFAULT-VALUE}).")
    int mb = 100;

    public static void main(String[] args) {
        System.exit(new CommandLine(new SnapshotMemory()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (step.equals("write")) {
            if (!ToolDirectory.prepare(dir, MARKER, "snapshot-memory")) {
                return 2;
            }
            Longs machine = new Longs(new long[mb << 17]);
            for (int i = 0; i < machine.state.length; i++) {
                machine.state[i] = i * 0x9E3779B97F4A7C15L;
            }
            long serializeMs;
            try (JournalStore store = JournalStore.open("snapshot-memory", dir, new SimpleMeterRegistry())) {
                store.recover(machine);
                store.append(0, new byte[] {1}).toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
                long t0 = System.nanoTime();
                var snapshot = machine.snapshot(1); // what the engine's thread does; the store writes on its own
                serializeMs = (System.nanoTime() - t0) / 1_000_000;
                store.writeSnapshot(snapshot).toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
            }
            System.out.printf("ok: wrote a snapshot of a %d MB state with -Xmx%d MB; the engine's thread spent %d ms"
                    + " serializing it%n", mb, maxHeapMb(), serializeMs);
        } else if (step.equals("recover")) {
            Longs machine = new Longs(null);
            long t0 = System.nanoTime();
            try (JournalStore store = JournalStore.open("snapshot-memory", dir, new SimpleMeterRegistry())) {
                store.recover(machine);
            }
            long recoverMs = (System.nanoTime() - t0) / 1_000_000;
            if (machine.state == null) {
                System.err.println("no snapshot in " + dir + ": run the write step first");
                return 2;
            }
            System.out.printf("ok: recovered a %d MB state with -Xmx%d MB in %d ms%n", machine.state.length >> 17,
                    maxHeapMb(), recoverMs);
        } else {
            System.err.println("step must be write or recover");
            return 2;
        }
        return 0;
    }

    private static long maxHeapMb() {
        return Runtime.getRuntime().maxMemory() >> 20;
    }

    /** An engine whose whole state is one array of longs. */
    private static final class Longs extends JournaledStateMachine<JournalRecord, Void> {
        long[] state;

        Longs(long[] state) {
            super("snapshot-memory");
            this.state = state;
        }

        @Override
        protected JournalRecord parse(ByteString command) throws InvalidProtocolBufferException {
            return JournalRecord.parseFrom(command);
        }

        @Override
        public Void apply(long nowMs, JournalRecord command, boolean live) {
            return null;
        }

        @Override
        protected void writeState(DataOutput out) throws IOException {
            out.writeInt(state.length);
            for (long v : state) {
                out.writeLong(v);
            }
        }

        @Override
        protected void readState(DataInput in) throws IOException {
            state = new long[in.readInt()];
            for (int i = 0; i < state.length; i++) {
                state[i] = in.readLong();
            }
        }
    }
}
