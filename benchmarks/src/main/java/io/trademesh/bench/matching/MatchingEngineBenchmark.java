package io.trademesh.bench.matching;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

import io.trademesh.matching.NewOrder;
import io.trademesh.matching.OrderBook;

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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The matching engine alone: commands per second through {@link OrderBook}, no I/O, no journal.
 *
 * <p>One operation is one command. An invocation replays {@value #COMMANDS} pre-generated commands (see
 * {@link MatchingWorkload}) against books restored, before the invocation and outside the timing, from the snapshot
 * taken after the prefill; the sink only counts. Nothing is allocated per command once pools are warm: check with
 * {@code -prof gc} ({@code gc.alloc.rate.norm}, bytes per command).
 *
 * <p>{@code markets = 1} uses 2,000 accounts, {@code markets = 1000} uses 100,000 accounts with each command going
 * to a random market. {@code restingPerMarket} orders rest in every book at the start.
 *
 * <pre>
 *   java -jar benchmarks/target/benchmarks.jar MatchingEngineBenchmark -f 1 -wi 2 -i 3 -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
public class MatchingEngineBenchmark {
    static final int COMMANDS = 1 << 20;

    @Param({"EXCHANGE_CORE", "HEAVY"})
    public String mix;

    @Param({"1", "1000"})
    public int markets;

    @Param({"1000"})
    public int restingPerMarket;

    private MatchingWorkload workload;
    private OrderBook[] books;
    private ByteArrayInputStream[] snapshotBytes;
    private DataInputStream[] snapshotInputs;
    private final CountingSink sink = new CountingSink();
    private final NewOrder order = new NewOrder();

    @Setup(Level.Trial)
    public void generate() {
        final int accounts = markets == 1 ? 2_000 : 100_000;
        workload = MatchingWorkload.generate(MatchingWorkload.Mix.valueOf(mix), markets, accounts, restingPerMarket,
            COMMANDS, 42);
        if (workload.rejectedCommands != 0) {
            throw new IllegalStateException("the generated stream has " + workload.rejectedCommands + " rejections");
        }
        System.out.printf("%nworkload %s, %d market(s), %d accounts: %d commands, %.2f %% of them trading, "
                + "%d orders resting at the end (%d at the start)%n", mix, markets, accounts, COMMANDS,
            100.0 * workload.tradingCommands / COMMANDS, workload.restingAtEnd, (long) markets * restingPerMarket);
        books = new OrderBook[markets];
        snapshotBytes = new ByteArrayInputStream[markets];
        snapshotInputs = new DataInputStream[markets];
        for (int m = 0; m < markets; m++) {
            books[m] = new OrderBook(workload.configs[m], sink, restingPerMarket * 2);
            snapshotBytes[m] = new ByteArrayInputStream(workload.snapshots[m]);
            snapshotInputs[m] = new DataInputStream(snapshotBytes[m]);
        }
    }

    @Setup(Level.Invocation)
    public void restore() throws IOException {
        for (int m = 0; m < markets; m++) {
            snapshotBytes[m].reset();
            books[m].readSnapshot(snapshotInputs[m]);
        }
    }

    @Benchmark
    @OperationsPerInvocation(COMMANDS)
    public long commands() {
        final MatchingWorkload w = workload;
        final OrderBook[] b = books;
        final int[] market = w.market;
        for (int i = 0; i < COMMANDS; i++) {
            w.apply(i, b[market[i]], order);
        }
        return sink.events + sink.filledQuantity;
    }
}
