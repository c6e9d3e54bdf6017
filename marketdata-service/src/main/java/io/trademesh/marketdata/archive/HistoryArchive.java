package io.trademesh.marketdata.archive;

import io.trademesh.marketdata.candles.CandleInterval;
import io.trademesh.marketdata.candles.CandleSeries;
import io.trademesh.marketdata.history.TradeTape;
import io.trademesh.platform.store.StoreException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * Market history older than memory keeps, in a RocksDB of its own: closed candles of every
 * interval from 1m, and trades, each with a retention ({@link #retentionMs}). Derived data,
 * not journaled: what a crash loses here is still in memory (see {@link Archiver}) and is
 * written again, and a row written twice is the same row.
 *
 * <p>Keys sort by market, interval and time, so a range is one seek and a scan: candles
 * {@code 'C' market 0x00 interval start}, trades {@code 'T' market 0x00 time id}, and per
 * market and kind the newest row written, {@code 'W' market 0x00 kind} (the watermark, written
 * in the same batch as the rows). Times are big-endian with the sign bit flipped.
 *
 * <p>Blocking I/O: call it off the event loops. Safe from several threads; {@link #close}
 * waits for the calls in progress.
 */
public final class HistoryArchive implements AutoCloseable {

    private static final byte CANDLE = 'C';
    private static final byte TRADE = 'T';
    private static final byte WATERMARK = 'W';
    /** The watermark kind of trades (candles use their interval's ordinal). */
    public static final int TRADES = 0xFF;
    private static final long DAY_MS = 86_400_000L;

    static {
        RocksDB.loadLibrary();
    }

    private final Options options;
    private final WriteOptions writeOptions;
    private final RocksDB db;
    private final ReentrantReadWriteLock open = new ReentrantReadWriteLock();
    private boolean closed;

    private HistoryArchive(Options options, RocksDB db) {
        this.options = options;
        this.db = db;
        // The WAL without a sync: a row lost to a crash is still in memory and written again.
        this.writeOptions = new WriteOptions();
    }

    public static HistoryArchive open(Path dir) {
        Options options = new Options().setCreateIfMissing(true);
        try {
            java.nio.file.Files.createDirectories(dir);
            return new HistoryArchive(options, RocksDB.open(options, dir.toString()));
        } catch (RocksDBException | java.io.IOException e) {
            options.close();
            throw new StoreException("cannot open the history archive at " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * How long rows of a kind are kept: trades and 1-minute candles 30 days, 3- to 30-minute
     * candles 180 days, hourly and longer five years. 1-second candles are not archived.
     */
    public static long retentionMs(int kind) {
        if (kind == TRADES || kind == CandleInterval.M1.ordinal()) {
            return 30 * DAY_MS;
        }
        if (kind <= CandleInterval.M30.ordinal()) {
            return 180 * DAY_MS;
        }
        return 5 * 365 * DAY_MS;
    }

    /** Whether an interval's candles are archived (all but 1s). */
    public static boolean archived(CandleInterval interval) {
        return interval != CandleInterval.S1;
    }

    // ---------------------------------------------------------------- writing

    /** Rows and watermarks to write as one batch: built on the engine's thread, written off it. */
    public static final class Rows {
        private final List<byte[]> keys = new ArrayList<>();
        private final List<byte[]> values = new ArrayList<>();
        private int rows;

        public void candle(String market, CandleInterval interval, long start, long open, long high, long low,
                           long close, long base, long quote, long trades) {
            keys.add(candleKey(market, interval.ordinal(), start));
            values.add(ByteBuffer.allocate(56).putLong(open).putLong(high).putLong(low).putLong(close).putLong(base)
                    .putLong(quote).putLong(trades).array());
            rows++;
        }

        public void trade(String market, long tradeId, long timeMs, long price, long quantity, boolean takerBuys) {
            keys.add(tradeKey(market, timeMs, tradeId));
            values.add(ByteBuffer.allocate(17).putLong(price).putLong(quantity).put((byte) (takerBuys ? 1 : 0))
                    .array());
            rows++;
        }

        /** The newest row of a market and kind now written: a time, and for trades the id too. */
        public void watermark(String market, int kind, long timeMs, long tradeId) {
            keys.add(watermarkKey(market, kind));
            values.add(ByteBuffer.allocate(16).putLong(timeMs).putLong(tradeId).array());
        }

        public int rows() {
            return rows;
        }

        public boolean isEmpty() {
            return keys.isEmpty();
        }
    }

    public void write(Rows rows) {
        read(() -> {
            try (WriteBatch batch = new WriteBatch()) {
                for (int i = 0; i < rows.keys.size(); i++) {
                    batch.put(rows.keys.get(i), rows.values.get(i));
                }
                db.write(writeOptions, batch);
            }
            return null;
        });
    }

    /** Every watermark: market -> kind -> {time, trade id}. */
    public java.util.Map<String, java.util.Map<Integer, long[]>> watermarks() {
        return read(() -> {
            java.util.Map<String, java.util.Map<Integer, long[]>> out = new java.util.TreeMap<>();
            try (RocksIterator it = db.newIterator()) {
                for (it.seek(new byte[] {WATERMARK}); it.isValid() && it.key()[0] == WATERMARK; it.next()) {
                    byte[] k = it.key();
                    String market = new String(k, 1, k.length - 3, StandardCharsets.UTF_8);
                    ByteBuffer v = ByteBuffer.wrap(it.value());
                    out.computeIfAbsent(market, m -> new java.util.TreeMap<>())
                            .put(k[k.length - 1] & 0xFF, new long[] {v.getLong(), v.getLong()});
                }
            }
            return out;
        });
    }

    /** Deletes, for every market with a watermark, the rows older than their kind's retention at {@code nowMs}. */
    public long expire(long nowMs) {
        return read(() -> {
            long ranges = 0;
            for (String market : watermarks().keySet()) {
                for (CandleInterval interval : CandleInterval.values()) {
                    if (archived(interval)) {
                        long cutoff = nowMs - retentionMs(interval.ordinal());
                        db.deleteRange(candleKey(market, interval.ordinal(), Long.MIN_VALUE),
                                candleKey(market, interval.ordinal(), cutoff));
                        ranges++;
                    }
                }
                db.deleteRange(tradeKey(market, Long.MIN_VALUE, Long.MIN_VALUE),
                        tradeKey(market, nowMs - retentionMs(TRADES), Long.MIN_VALUE));
                ranges++;
            }
            return ranges;
        });
    }

    // ---------------------------------------------------------------- reading

    /**
     * Visits the archived candles of {@code market} and {@code interval} starting in
     * [fromMs, toMs), oldest first, at most {@code limit}; returns the start of the next one in
     * the range, or 0.
     */
    public long candles(String market, CandleInterval interval, long fromMs, long toMs, int limit,
                        CandleSeries.CandleVisitor visitor) {
        byte[] prefix = candleKey(market, interval.ordinal(), 0);
        int prefixLength = prefix.length - 8;
        return read(() -> {
            int visited = 0;
            try (RocksIterator it = db.newIterator()) {
                for (it.seek(candleKey(market, interval.ordinal(), fromMs)); it.isValid(); it.next()) {
                    byte[] k = it.key();
                    if (!samePrefix(k, prefix, prefixLength)) {
                        return 0L;
                    }
                    long start = time(k, prefixLength);
                    if (start >= toMs) {
                        return 0L;
                    }
                    if (visited == limit) {
                        return start;
                    }
                    ByteBuffer v = ByteBuffer.wrap(it.value());
                    visitor.candle(start, v.getLong(), v.getLong(), v.getLong(), v.getLong(), v.getLong(), v.getLong(),
                            v.getLong());
                    visited++;
                }
            }
            return 0L;
        });
    }

    /**
     * Visits the archived trades of {@code market} with a time in [fromMs, toMs), oldest first,
     * at most {@code limit}; returns the time of the next one in the range, or 0.
     */
    public long trades(String market, long fromMs, long toMs, int limit, TradeTape.TradeVisitor visitor) {
        byte[] prefix = tradeKey(market, 0, 0);
        int prefixLength = prefix.length - 16;
        return read(() -> {
            int visited = 0;
            try (RocksIterator it = db.newIterator()) {
                for (it.seek(tradeKey(market, fromMs, Long.MIN_VALUE)); it.isValid(); it.next()) {
                    byte[] k = it.key();
                    if (!samePrefix(k, prefix, prefixLength)) {
                        return 0L;
                    }
                    long time = time(k, prefixLength);
                    if (time >= toMs) {
                        return 0L;
                    }
                    if (visited == limit) {
                        return time;
                    }
                    ByteBuffer v = ByteBuffer.wrap(it.value());
                    visitor.trade(time(k, prefixLength + 8), time, v.getLong(), v.getLong(), v.get() == 1);
                    visited++;
                }
            }
            return 0L;
        });
    }

    /** The time of the oldest archived row of a market and kind, or Long.MIN_VALUE. */
    public long oldestMs(String market, int kind) {
        byte[] first = kind == TRADES ? tradeKey(market, Long.MIN_VALUE, Long.MIN_VALUE)
                : candleKey(market, kind, Long.MIN_VALUE);
        int prefixLength = first.length - (kind == TRADES ? 16 : 8);
        return read(() -> {
            try (RocksIterator it = db.newIterator()) {
                it.seek(first);
                return it.isValid() && samePrefix(it.key(), first, prefixLength) ? time(it.key(), prefixLength)
                        : Long.MIN_VALUE;
            }
        });
    }

    // ---------------------------------------------------------------- keys

    private static byte[] marketPrefix(byte kind, String market, int extra) {
        byte[] name = market.getBytes(StandardCharsets.UTF_8);
        byte[] key = new byte[1 + name.length + 1 + extra];
        key[0] = kind;
        System.arraycopy(name, 0, key, 1, name.length);
        key[1 + name.length] = 0;
        return key;
    }

    static byte[] candleKey(String market, int interval, long start) {
        byte[] key = marketPrefix(CANDLE, market, 9);
        key[key.length - 9] = (byte) interval;
        putTime(key, key.length - 8, start);
        return key;
    }

    static byte[] tradeKey(String market, long timeMs, long tradeId) {
        byte[] key = marketPrefix(TRADE, market, 16);
        putTime(key, key.length - 16, timeMs);
        putTime(key, key.length - 8, tradeId);
        return key;
    }

    static byte[] watermarkKey(String market, int kind) {
        byte[] key = marketPrefix(WATERMARK, market, 1);
        key[key.length - 1] = (byte) kind;
        return key;
    }

    /** Big-endian with the sign bit flipped: byte order is numeric order. */
    private static void putTime(byte[] key, int at, long value) {
        long v = value ^ Long.MIN_VALUE;
        for (int i = 7; i >= 0; i--) {
            key[at + i] = (byte) v;
            v >>>= 8;
        }
    }

    private static long time(byte[] key, int at) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (key[at + i] & 0xFF);
        }
        return v ^ Long.MIN_VALUE;
    }

    private static boolean samePrefix(byte[] key, byte[] prefix, int length) {
        return key.length == prefix.length && Arrays.equals(key, 0, length, prefix, 0, length);
    }

    // ---------------------------------------------------------------- lifecycle

    private interface Io<T> {
        T run() throws RocksDBException;
    }

    /** Runs a call unless the archive is closed; close waits for the calls in progress. */
    private <T> T read(Io<T> io) {
        open.readLock().lock();
        try {
            if (closed) {
                throw new StoreException("the history archive is closed");
            }
            return io.run();
        } catch (RocksDBException e) {
            throw new StoreException("history archive: " + e.getMessage(), e);
        } finally {
            open.readLock().unlock();
        }
    }

    @Override
    public void close() {
        open.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                writeOptions.close();
                db.close();
                options.close();
            }
        } finally {
            open.writeLock().unlock();
        }
    }
}
