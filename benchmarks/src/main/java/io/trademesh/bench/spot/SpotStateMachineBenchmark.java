package io.trademesh.bench.spot;

import io.trademesh.bench.matching.CountingSink;

import io.trademesh.platform.trading.MarketSpec;
import io.trademesh.spot.engine.SpotCommandKind;
import io.trademesh.spot.engine.SpotEngine;
import io.trademesh.spot.engine.SpotListener;
import io.trademesh.spot.engine.SpotRejectReason;
import io.trademesh.platform.wallet.WalletLedger;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * spot-service's state machine without I/O: {@link SpotEngine} with its wallets and reservations, the order books,
 * settlement and fees, and the events, driven through the engine's methods (no protobuf, no journal) with a listener
 * that only counts. The matching engine alone is {@code bench.matching.MatchingEngineBenchmark}, on the same mixes.
 *
 * <p>One operation is one command. {@link #throughput} replays {@value #COMMANDS} pre-generated commands (see
 * {@link SpotWorkload}) per invocation against an engine restored, before the invocation and outside the timing, from
 * the snapshot taken after the set-up; a {@code System.gc()} follows, also untimed, so that the replaced state
 * (~400 MB with 1,000 markets) is not collected during the measurement. {@link #latency} runs one command per call,
 * in {@code Mode.SampleTime}, for per-command percentiles; it restores before each iteration, and between two calls
 * (in an untimed invocation set-up) whenever an iteration runs past the end of the stream.
 *
 * <p>{@code -prof gc} gives {@code gc.alloc.rate.norm} in bytes per command, but it counts the restores too (about
 * 1 byte per command of a batch with one market, about 385 with 1,000). So the trial tear-down of
 * {@link #throughput} runs the stream once more, warm, and prints what the engine alone allocated per command.
 *
 * <p>{@code markets = 1}: 2,000 accounts; {@code markets = 1000}: 100,000 accounts, each command to a random market.
 * {@code restingPerMarket} orders rest in every book at the start.
 *
 * <pre>
 *   java -jar benchmarks/target/benchmarks.jar SpotStateMachineBenchmark -f 1 -wi 2 -w 2s -i 3 -r 3s -prof gc
 * </pre>
 */
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms6g", "-Xmx6g"})
public class SpotStateMachineBenchmark {
    static final int COMMANDS = 1 << 20;

    /** The workload and an engine to run it; restored from the set-up snapshot before each run of the stream. */
    @State(Scope.Thread)
    public static class Engine {
        @Param({"EXCHANGE_CORE", "HEAVY"})
        public String mix;

        @Param({"1", "1000"})
        public int markets;

        @Param({"1000"})
        public int restingPerMarket;

        SpotWorkload workload;
        SpotEngine engine;
        final CountingListener listener = new CountingListener();
        private ByteArrayInputStream snapshotBytes;
        private DataInputStream snapshotInput;
        int next;
        long wraps;

        @Setup(Level.Trial)
        public void generate() throws IOException {
            final int accounts = markets == 1 ? 2_000 : 100_000;
            workload = SpotWorkload.generate(SpotWorkload.Mix.valueOf(mix), markets, accounts, restingPerMarket,
                COMMANDS, 42);
            if (workload.rejectedCommands != 0) {
                throw new IllegalStateException("the generated stream has " + workload.rejectedCommands
                    + " refusals or rejections");
            }
            engine = new SpotEngine(listener);
            snapshotBytes = new ByteArrayInputStream(workload.snapshot);
            snapshotInput = new DataInputStream(snapshotBytes);
            final long before = allocatedBytes();
            restore();
            final long restoreBytes = allocatedBytes() - before;
            System.out.printf("%nworkload %s, %d market(s), %d accounts: %d commands, %.2f %% of them trading, "
                    + "%d orders resting at the end (%d at the start); snapshot %d bytes, one restore allocates "
                    + "%d bytes = %.1f bytes per command of a batch%n", mix, markets, accounts, COMMANDS,
                100.0 * workload.tradingCommands / COMMANDS, workload.restingAtEnd,
                (long) markets * restingPerMarket, workload.snapshot.length, restoreBytes,
                (double) restoreBytes / COMMANDS);
        }

        void restore() throws IOException {
            snapshotBytes.reset();
            engine.readSnapshot(snapshotInput);
            next = 0;
        }

        /** Restores, then collects the replaced state now rather than during the next measurement. */
        void restoreAndCollect() throws IOException {
            restore();
            System.gc();
        }

        @TearDown(Level.Trial)
        public void report() {
            if (wraps > 0) {
                System.out.printf("%nthe stream was restored %d times between calls (untimed)%n", wraps);
            }
        }

        static long allocatedBytes() {
            final java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            return threads instanceof com.sun.management.ThreadMXBean t
                ? t.getThreadAllocatedBytes(Thread.currentThread().getId()) : 0;
        }
    }

    /** The engine restored before every batch. */
    @State(Scope.Thread)
    public static class Batch extends Engine {
        @Setup(Level.Invocation)
        public void restoreBatch() throws IOException {
            restoreAndCollect();
        }

        /**
         * With the code warm: what the engine itself allocates per command over one pass of the stream (the
         * profiler's figure for {@link #throughput} also has the restores in it).
         */
        @TearDown(Level.Trial)
        public void measureAllocation() throws IOException {
            restoreAndCollect();
            final long before = allocatedBytes();
            for (int i = 0; i < COMMANDS; i++) {
                workload.apply(i, engine);
            }
            final long bytes = allocatedBytes() - before;
            System.out.printf("%nallocation check: one pass of %d commands allocated %d bytes = %.3f bytes per "
                + "command (restores excluded)%n", COMMANDS, bytes, (double) bytes / COMMANDS);
        }
    }

    /** The engine restored before every iteration, and between two calls when the stream runs out. */
    @State(Scope.Thread)
    public static class Single extends Engine {
        @Setup(Level.Iteration)
        public void restoreIteration() throws IOException {
            restoreAndCollect();
        }

        /** Untimed: Mode.SampleTime times the benchmark call only. */
        @Setup(Level.Invocation)
        public void wrapWhenDone() throws IOException {
            if (next == COMMANDS) {
                wraps++;
                restoreAndCollect();
            }
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(COMMANDS)
    public long throughput(final Batch state) {
        final SpotWorkload w = state.workload;
        final SpotEngine engine = state.engine;
        for (int i = 0; i < COMMANDS; i++) {
            w.apply(i, engine);
        }
        return state.listener.events + state.listener.filledQuantity;
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public long latency(final Single state) {
        state.workload.apply(state.next++, state.engine);
        return state.listener.events;
    }

    /** Counts spot's own events on top of the books' ones. */
    static final class CountingListener extends CountingSink implements SpotListener {

        @Override
        public void onMarketCreated(final int marketId, final MarketSpec spec) {
            events++;
        }

        @Override
        public void onRefused(final SpotCommandKind command, final long accountId, final int marketId,
                              final long orderId, final SpotRejectReason reason) {
            events++;
        }

        @Override
        public void onDuplicateClientOrderId(final int marketId, final long accountId, final long existingOrderId) {
            events++;
        }

        @Override
        public void onBalance(final long accountId, final int assetId, final long available, final long locked) {
            events++;
        }

        @Override
        public void onTransfer(final WalletLedger.Outcome outcome) {
            events++;
        }
    }
}
