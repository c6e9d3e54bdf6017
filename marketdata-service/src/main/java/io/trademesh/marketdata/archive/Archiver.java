package io.trademesh.marketdata.archive;

import io.trademesh.marketdata.candles.CandleInterval;
import io.trademesh.marketdata.candles.CandleSeries;
import io.trademesh.marketdata.engine.MarketDataEngine;
import io.trademesh.marketdata.engine.MarketHistory;
import io.trademesh.marketdata.history.TradeTape;
import io.trademesh.marketdata.store.MarketDataStateMachine;
import io.trademesh.platform.engine.CommandShard;
import io.trademesh.proto.marketdata.MarketDataCommand;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Copies history from memory into the {@link HistoryArchive} before memory lets it go: every
 * pass (every few seconds) takes, on the engine's thread, the candles in the older half of each
 * interval's window and the trades in the older half of each market's tape, newer than what
 * was archived (the watermarks), and writes them with their new watermarks in one batch off
 * the event loop. Memory is the bounded retry queue: a failed write moves no watermark and the
 * next pass takes the same rows again, and while the archive lags by less than half a window
 * nothing is lost; beyond that, a series whose memory let go of rows the archive had not
 * taken is logged and counted ({@link #missed()}), and the lag is a metric. A pass takes at
 * most {@link #MAX_ROWS} rows, so the engine's thread is held briefly; the rest waits for the
 * next pass.
 */
public final class Archiver {

    private static final Logger LOG = Logger.getLogger(Archiver.class.getName());
    public static final int MAX_ROWS = 50_000;
    private static final long EXPIRE_EVERY_MS = 3_600_000;

    private final Vertx vertx;
    private final CommandShard<MarketDataStateMachine, MarketDataCommand, Integer> shard;
    private final HistoryArchive archive;
    private final long intervalMs;
    /** market -> kind (interval ordinal, or TRADES) -> {time, trade id} of the newest row archived. */
    private final Map<String, Map<Integer, long[]>> watermarks = new ConcurrentHashMap<>();
    private final AtomicLong rows = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong missed = new AtomicLong();
    private final java.util.Set<String> lossReported = ConcurrentHashMap.newKeySet();
    private volatile long lastPassMs = System.currentTimeMillis();
    private final java.util.concurrent.atomic.AtomicBoolean passing = new java.util.concurrent.atomic.AtomicBoolean();
    private long timer = -1;
    private volatile long lastExpiryMs;

    public Archiver(Vertx vertx, CommandShard<MarketDataStateMachine, MarketDataCommand, Integer> shard,
                    HistoryArchive archive, long intervalMs) {
        this.vertx = vertx;
        this.shard = shard;
        this.archive = archive;
        this.intervalMs = intervalMs;
    }

    public HistoryArchive archive() {
        return archive;
    }

    /** Reads the watermarks, then passes every interval. */
    public Future<Void> start() {
        return vertx.executeBlocking(archive::watermarks).map(stored -> {
            stored.forEach((market, kinds) -> watermarks.put(market, new ConcurrentHashMap<>(kinds)));
            timer = vertx.setPeriodic(intervalMs, id -> pass());
            return null;
        });
    }

    /** One pass: collect on the engine's thread, write off the event loop; expire once an hour. */
    public Future<Integer> pass() {
        if (!passing.compareAndSet(false, true)) {
            return Future.succeededFuture(0);
        }
        Map<String, Map<Integer, long[]>> before = copy();
        return shard.query(m -> collect(m.engine(), before)).compose(batch -> vertx.executeBlocking(() -> {
            if (!batch.rows.isEmpty()) {
                archive.write(batch.rows);
            }
            long now = System.currentTimeMillis();
            if (now - lastExpiryMs >= EXPIRE_EVERY_MS) {
                lastExpiryMs = now;
                archive.expire(now);
            }
            return batch;
        })).map(batch -> {
            batch.advanced.forEach((market, kinds) -> watermarks.computeIfAbsent(market,
                    k -> new ConcurrentHashMap<>()).putAll(kinds));
            rows.addAndGet(batch.rows.rows());
            if (batch.missed > 0) {
                missed.addAndGet(batch.missed);
                LOG.warning(batch.missed + " series let go of history before it was archived: the archive lags"
                        + " (marketdata.archive.lag.ms); the archive has a gap there");
            }
            lastPassMs = System.currentTimeMillis();
            return batch.rows.rows();
        }).onFailure(e -> {
            failures.incrementAndGet();
            LOG.warning("archiving history failed (the next pass takes the same rows again): " + e.getMessage());
        }).onComplete(ar -> passing.set(false));
    }

    private Map<String, Map<Integer, long[]>> copy() {
        Map<String, Map<Integer, long[]>> out = new HashMap<>();
        watermarks.forEach((market, kinds) -> out.put(market, new HashMap<>(kinds)));
        return out;
    }

    private final class Batch {
        final HistoryArchive.Rows rows = new HistoryArchive.Rows();
        final Map<String, Map<Integer, long[]>> advanced = new HashMap<>();
        long missed;

        /** Whether this series' loss was counted already (once per series, until the service restarts). */
        boolean reported(String market, int kind) {
            return !lossReported.add(market + '/' + kind);
        }
    }

    /** On the engine's thread: the rows each market's memory holds in its older half beyond the watermarks. */
    private Batch collect(MarketDataEngine engine, Map<String, Map<Integer, long[]>> marks) {
        Batch batch = new Batch();
        for (String market : engine.marketNames()) {
            if (batch.rows.rows() >= MAX_ROWS) {
                break;
            }
            MarketHistory h = engine.market(market);
            Map<Integer, long[]> kinds = marks.getOrDefault(market, Map.of());
            for (CandleInterval interval : CandleInterval.values()) {
                if (HistoryArchive.archived(interval)) {
                    candles(market, h.candles().series(interval), kinds.get(interval.ordinal()), batch);
                }
            }
            trades(market, h.trades(), kinds.get(HistoryArchive.TRADES), batch);
        }
        return batch;
    }

    private void candles(String market, CandleSeries series, long[] mark, Batch batch) {
        if (series.newestMs() == Long.MIN_VALUE) {
            return;
        }
        CandleInterval interval = series.interval();
        long length = interval.lengthMs();
        long through = series.newestMs() - (long) (interval.kept() / 2) * length;
        long after = mark == null ? Long.MIN_VALUE : mark[0];
        if (mark != null && series.evictedMs() > after && !batch.reported(market, interval.ordinal())) {
            batch.missed++; // candles fell out of memory before they were archived
        }
        long[] newest = {Long.MIN_VALUE};
        int room = MAX_ROWS - batch.rows.rows();
        int[] taken = {0};
        series.forEach(after == Long.MIN_VALUE ? Long.MIN_VALUE : after + 1, through + 1,
                (start, open, high, low, close, base, quote, trades) -> {
                    if (taken[0] < room) {
                        batch.rows.candle(market, interval, start, open, high, low, close, base, quote, trades);
                        newest[0] = start;
                        taken[0]++;
                    }
                });
        if (newest[0] != Long.MIN_VALUE) {
            batch.rows.watermark(market, interval.ordinal(), newest[0], 0);
            batch.advanced.computeIfAbsent(market, k -> new HashMap<>()).put(interval.ordinal(),
                    new long[] {newest[0], 0});
        }
    }

    private void trades(String market, TradeTape tape, long[] mark, Batch batch) {
        if (tape.size() == 0) {
            return;
        }
        long afterTime = mark == null ? Long.MIN_VALUE : mark[0];
        long afterId = mark == null ? Long.MIN_VALUE : mark[1];
        if (mark != null && tape.evictedAfter(afterTime, afterId) && !batch.reported(market, HistoryArchive.TRADES)) {
            batch.missed++; // trades fell out of the tape before they were archived
        }
        long[] newest = null;
        long[] last = new long[2];
        int n = tape.forEachOlderThanNewest(afterTime, afterId, TradeTape.CAPACITY / 2,
                MAX_ROWS - batch.rows.rows(), (id, time, price, quantity, buy) -> {
                    batch.rows.trade(market, id, time, price, quantity, buy);
                    last[0] = time;
                    last[1] = id;
                });
        if (n > 0) {
            newest = last;
            batch.rows.watermark(market, HistoryArchive.TRADES, newest[0], newest[1]);
            batch.advanced.computeIfAbsent(market, k -> new HashMap<>()).put(HistoryArchive.TRADES, newest);
        }
    }

    /** The newest archived row of a market and kind: {time, trade id}, or null when none. */
    public long[] watermark(String market, int kind) {
        Map<Integer, long[]> kinds = watermarks.get(market);
        return kinds == null ? null : kinds.get(kind);
    }

    public long rows() {
        return rows.get();
    }

    public long failures() {
        return failures.get();
    }

    /** Rows memory let go before the archive took them. */
    public long missed() {
        return missed.get();
    }

    /** How long since the last pass that wrote: the archive's lag behind memory. */
    public long lagMs() {
        return System.currentTimeMillis() - lastPassMs;
    }

    public void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }
}
