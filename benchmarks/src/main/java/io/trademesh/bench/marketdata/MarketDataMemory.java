package io.trademesh.bench.marketdata;

import io.trademesh.bench.ProcessStats;
import io.trademesh.marketdata.candles.CandleInterval;
import io.trademesh.marketdata.engine.MarketDataEngine;
import io.trademesh.marketdata.engine.Rolling24h;
import io.trademesh.marketdata.serve.LocalBook;
import io.trademesh.proto.common.BookDelta;
import io.trademesh.proto.common.BookLevel;
import io.trademesh.proto.common.BookLevelDelta;
import io.trademesh.proto.common.BookSnapshot;
import io.trademesh.proto.common.Side;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Memory of marketdata-service's state for many markets (issue 14's target: at most 1 GB for
 * 1,000 markets), in process, no network. Per market: a live book ({@code LocalBook}, seeded
 * from an owner's snapshot of {@code --levels} levels a side, then {@code --diffs} diffs applied
 * and its snapshot built, as the streams keep it for a subscriber), and a day of trades through
 * {@link MarketDataEngine#onTrade}: {@code --trades-per-minute} in every minute of 24 hours, so
 * each market has its candles of all 14 intervals (a day of 1m ... 30m candles and what each
 * interval keeps; the arrays are allocated at full retention either way) and its trade tape
 * (the last 10,000 trades: full from 7 trades a minute); then every market's 24-hour ticker
 * from its 1-minute candles. After {@code System.gc()} three times it prints the heap used
 * (MemoryMXBean) and the process's RSS (/proc/self/status VmRSS), total and per market, each
 * part over a baseline taken before anything was built, and the size of the engine's snapshot
 * ({@link MarketDataEngine#write} into a counting stream). One measurement per invocation:
 * run it a few times and take the median.
 *
 * <pre>
 *   java -Xmx2g -cp benchmarks/target/benchmarks.jar io.trademesh.bench.marketdata.MarketDataMemory \
 *        [--markets 1000] [--levels 50] [--trades-per-minute 10]
 * </pre>
 */
@Command(name = "marketdata-memory", mixinStandardHelpOptions = true,
        description = "marketdata-service's books, candles, tapes and tickers for many markets: heap and RSS.")
public final class MarketDataMemory implements Callable<Integer> {

    private static final long DAY_MS = 86_400_000L;
    private static final long MINUTE_MS = 60_000L;
    private static final double MB = 1024.0 * 1024.0;

    @Option(names = "--markets", description = "Markets (default ${DEFAULT-VALUE}).")
    int markets = 1_000;

    @Option(names = "--levels", description = "Book levels a side (default ${DEFAULT-VALUE}).")
    int levels = 50;

    @Option(names = "--diffs", description = "Diffs applied to each book after its seed (default ${DEFAULT-VALUE}).")
    int diffs = 100;

    @Option(names = "--trades-per-minute", description = "Trades per market per minute, for 24 hours"
            + " (default ${DEFAULT-VALUE}).")
    int tradesPerMinute = 10;

    @Option(names = "--target-mb", description = "The target for the whole process (default ${DEFAULT-VALUE}).")
    long targetMb = 1024;

    @Option(names = "--service-snapshot", description = "Also take the snapshot as the service does"
            + " (JournaledStateMachine: a ByteArrayOutputStream of 256 KiB to start, then toByteArray) and report"
            + " the heap's peak, or the OutOfMemoryError.")
    boolean serviceSnapshot;

    /** Kept reachable until everything is measured. */
    private Object[] books;
    private MarketDataEngine engine;

    public static void main(String[] args) {
        System.exit(new CommandLine(new MarketDataMemory()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        gc();
        long heap0 = memory.getHeapMemoryUsage().getUsed();
        long rss0 = rssBytes();

        long t0 = System.nanoTime();
        buildBooks();
        double booksSeconds = (System.nanoTime() - t0) / 1e9;
        gc();
        long heap1 = memory.getHeapMemoryUsage().getUsed();

        long t1 = System.nanoTime();
        long applied = buildHistory();
        double historySeconds = (System.nanoTime() - t1) / 1e9;

        long t2 = System.nanoTime();
        long end = dayEnd();
        Rolling24h ticker = new Rolling24h();
        long tickerTrades = 0;
        for (int m = 0; m < markets; m++) {
            if (engine.rolling24h(symbol(m), end, ticker)) {
                tickerTrades += ticker.trades;
            }
        }
        double tickerMs = (System.nanoTime() - t2) / 1e6;
        gc();
        long heap2 = memory.getHeapMemoryUsage().getUsed();
        long committed = memory.getHeapMemoryUsage().getCommitted();
        long nonHeap = memory.getNonHeapMemoryUsage().getUsed();
        long rss = rssBytes();

        CountingStream counted = new CountingStream();
        long t3 = System.nanoTime();
        try (DataOutputStream out = new DataOutputStream(counted)) {
            engine.write(out);
        }
        double snapshotMs = (System.nanoTime() - t3) / 1e6;

        long state = heap2 - heap0;
        long rssState = rss - rss0;
        long trades = (long) markets * tradesPerMinute * (DAY_MS / MINUTE_MS);
        System.out.printf("%,d markets: books of %d levels a side (%d diffs each) built in %.1f s; %,d trades"
                        + " (%d a minute a market for 24 h) into candles and tapes in %.1f s (%,d applied);"
                        + " %,d 24-hour tickers in %.0f ms (%,d trades in them)%n", markets, levels, diffs,
                booksSeconds, trades, tradesPerMinute, historySeconds, applied, markets, tickerMs, tickerTrades);
        System.out.printf("heap used: %.0f MB baseline; books +%.1f MB (%.1f KB a market); candles, tapes, ids"
                        + " +%.1f MB (%.1f KB a market); state %.1f MB (%.1f KB a market); heap used %.0f MB,"
                        + " committed %.0f MB; non-heap %.0f MB%n", heap0 / MB, (heap1 - heap0) / MB,
                (heap1 - heap0) / 1024.0 / markets, (heap2 - heap1) / MB, (heap2 - heap1) / 1024.0 / markets,
                state / MB, state / 1024.0 / markets, heap2 / MB, committed / MB, nonHeap / MB);
        System.out.printf("RSS: %.0f MB baseline, %.0f MB with the state (+%.0f MB, %.1f KB a market)%n", rss0 / MB,
                rss / MB, rssState / MB, rssState / 1024.0 / markets);
        System.out.printf("snapshot: %,d bytes (%.1f MB, %.1f KB a market), written in %.0f ms%n", counted.bytes,
                counted.bytes / MB, counted.bytes / 1024.0 / markets, snapshotMs);
        System.out.printf("target <= %,d MB for %,d markets: process RSS %.0f MB: %s; state on the heap %.0f MB: %s%n",
                targetMb, markets, rss / MB, rss / MB <= targetMb ? "met" : "not met", state / MB,
                state / MB <= targetMb ? "met" : "not met");
        if (serviceSnapshot) {
            serviceSnapshot(state);
        }
        java.lang.ref.Reference.reachabilityFence(books);
        java.lang.ref.Reference.reachabilityFence(engine);
        return 0;
    }

    /** As {@code JournaledStateMachine.snapshot}: the bytes in memory, grown by doubling, then copied out. */
    private void serviceSnapshot(long state) throws Exception {
        gc();
        List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).toList();
        long before = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        heapPools.forEach(MemoryPoolMXBean::resetPeakUsage);
        long t0 = System.nanoTime();
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 * 1024);
            DataOutputStream out = new DataOutputStream(bytes);
            engine.write(out);
            out.flush();
            byte[] snapshot = bytes.toByteArray();
            long peak = heapPools.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
            System.out.printf("snapshot as the service takes it: %,d bytes in %.0f ms; heap peak %.0f MB (%.0f MB"
                            + " over the %.0f MB before it, the state %.0f MB), max heap %.0f MB%n", snapshot.length,
                    (System.nanoTime() - t0) / 1e6, peak / MB, (peak - before) / MB, before / MB, state / MB,
                    Runtime.getRuntime().maxMemory() / MB);
        } catch (OutOfMemoryError e) {
            System.out.printf("snapshot as the service takes it: OutOfMemoryError after %.0f ms (max heap %.0f MB,"
                    + " %.0f MB used before it)%n", (System.nanoTime() - t0) / 1e6, Runtime.getRuntime().maxMemory() / MB,
                    before / MB);
        }
    }

    private static String symbol(int m) {
        return "MEM" + m + "-USDT";
    }

    /** The end of the simulated day, on a minute. */
    private static long dayEnd() {
        return CandleInterval.M1.startOf(1_800_000_000_000L);
    }

    /** Each market's book: an owner's snapshot of {@code levels} a side, then diffs that follow it. */
    private void buildBooks() {
        SplittableRandom random = new SplittableRandom(14);
        books = new Object[markets];
        for (int m = 0; m < markets; m++) {
            String market = symbol(m);
            long mid = 1_000_000 + random.nextInt(9_000_000);
            long tick = 1 + random.nextInt(10);
            BookSnapshot.Builder seed = BookSnapshot.newBuilder().setMarket(market).setBookSequence(1_000)
                    .setMarketSequence(5_000);
            for (int i = 1; i <= levels; i++) {
                seed.addBids(BookLevel.newBuilder().setPrice(mid - i * tick).setQuantity(1 + random.nextInt(1_000_000))
                        .setOrderCount(1 + random.nextInt(5)));
                seed.addAsks(BookLevel.newBuilder().setPrice(mid + i * tick).setQuantity(1 + random.nextInt(1_000_000))
                        .setOrderCount(1 + random.nextInt(5)));
            }
            LocalBook book = new LocalBook(market);
            book.seed(seed.build());
            for (int d = 1; d <= diffs; d++) {
                boolean bid = random.nextBoolean();
                long price = bid ? mid - (1 + random.nextInt(levels)) * tick : mid + (1 + random.nextInt(levels)) * tick;
                BookDelta delta = BookDelta.newBuilder().setMarket(market).setBookSequence(1_000 + d)
                        .setMarketSequence(5_000 + d).setTimestampMs(dayEnd())
                        .addLevels(BookLevelDelta.newBuilder().setSide(bid ? Side.SIDE_BUY : Side.SIDE_SELL)
                                .setPrice(price).setTotalQuantity(1 + random.nextInt(1_000_000))).build();
                if (!book.apply(delta)) {
                    throw new IllegalStateException("diff " + d + " of " + market + " did not follow");
                }
            }
            book.snapshot();   // built and kept, as for a subscriber after the last diff
            books[m] = book;
        }
    }

    /** A day of trades, minute by minute, every market in each minute (as they would arrive). */
    private long buildHistory() {
        engine = new MarketDataEngine();
        SplittableRandom random = new SplittableRandom(24);
        long start = dayEnd() - DAY_MS;
        long[] price = new long[markets];
        long[] nextId = new long[markets];
        for (int m = 0; m < markets; m++) {
            price[m] = 1_000_000 + random.nextInt(9_000_000);
        }
        String[] names = new String[markets];
        for (int m = 0; m < markets; m++) {
            names[m] = symbol(m);
        }
        long spacing = MINUTE_MS / Math.max(1, tradesPerMinute);
        long applied = 0;
        for (long minute = 0; minute < DAY_MS / MINUTE_MS; minute++) {
            long minuteStart = start + minute * MINUTE_MS;
            engine.beginBatch("spot", "spot-1", start, minute + 1);
            for (int m = 0; m < markets; m++) {
                for (int k = 0; k < tradesPerMinute; k++) {
                    price[m] = Math.max(1, price[m] + random.nextInt(21) - 10);
                    long quantity = 1 + random.nextInt(100_000);
                    long time = minuteStart + k * spacing + random.nextLong(spacing);
                    if (engine.onTrade(names[m], ++nextId[m], time, price[m], quantity, price[m] * quantity,
                            random.nextBoolean())) {
                        applied++;
                    }
                }
            }
        }
        return applied;
    }

    private static void gc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
    }

    private static long rssBytes() {
        double mb = ProcessStats.rssMb("self");
        return mb < 0 ? -1 : (long) (mb * 1024 * 1024);
    }

    /** Counts what is written, keeps nothing. */
    private static final class CountingStream extends OutputStream {
        long bytes;

        @Override
        public void write(int b) {
            bytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes += len;
        }
    }
}
