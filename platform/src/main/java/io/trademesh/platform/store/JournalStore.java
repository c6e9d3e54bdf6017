package io.trademesh.platform.store;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.trademesh.proto.journal.JournalRecord;
import io.trademesh.proto.journal.SnapshotRecord;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WALRecoveryMode;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * A service's durable store: a command journal and state snapshots in one RocksDB.
 *
 * <h2>Layout</h2>
 * <pre>
 * column family  key                              value
 * journal        sequence, 8 bytes big-endian     frame(JournalRecord)   gap-free from 1
 * snapshots      sequence, 8 bytes big-endian     frame(SnapshotRecord)  the newest two are kept
 * meta           "format" | "service" (UTF-8)     UTF-8 text
 * </pre>
 * {@code frame} is a CRC32C-checked value, see {@link RecordFraming}.
 *
 * <h2>Writes</h2>
 * {@link #append} assigns the next sequence and queues the record. A writer thread takes
 * everything queued and writes it as one {@link WriteBatch} to RocksDB's write-ahead log;
 * a syncer thread then makes every batch written so far durable with one WAL sync and
 * completes their futures, on the appenders' Vert.x contexts when they had one. This is
 * group commit with the sync pipelined: batches written while a sync is in flight are
 * covered by the next one, so the writer never waits on the disk while there is more to
 * write. A small batch with nothing queued behind it and no sync under way (light traffic)
 * is synced by the writer itself: handing it over would only cost the syncer's wake-up.
 * A future completes only once its record is durable; the WAL is written by one thread in
 * sequence order, so a crash can lose only a suffix of unacknowledged records, never open a
 * gap. Snapshots go through the same queue, so a snapshot at sequence N is never written
 * before the journal up to N.
 *
 * <h2>Reused logs</h2>
 * Once the journal's buffer fills, the WAL rotates and the buffer is flushed to a table
 * file; the old log is then kept for reuse, and a sync of a log overwritten in place
 * costs the file system no size update. Anything left unflushed in another column family
 * would keep every log from its own onwards, so the metadata is flushed when first
 * written and each snapshot in the background after it is written.
 *
 * <h2>Pruning</h2>
 * The newest two snapshots are kept, and the journal after the older of them, so that a
 * corrupt newest snapshot can still fall back to the previous one and replay forward.
 *
 * <h2>Recovery</h2>
 * {@link #recover} restores the newest snapshot whose checksum holds (falling back to
 * older ones), then replays the journal after it. The first record that is missing,
 * fails its checksum or does not parse ends the journal: it and everything after it are
 * deleted (a torn tail is cut, never replayed).
 */
public final class JournalStore implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(JournalStore.class.getName());
    private static final String FORMAT = "1";
    private static final int KEEP_SNAPSHOTS = 2;
    private static final int MAX_BATCH = 16_384;
    /** The largest batch the writer syncs itself when nothing is queued behind it. */
    private static final int QUIET_BATCH = 4;
    /** RocksDB's default memtable size: the journal's write-ahead log rotates each time it fills. */
    public static final long DEFAULT_JOURNAL_BUFFER_BYTES = 64L << 20;
    /**
     * Write-ahead logs kept for reuse once their data is flushed. A sync of a log being
     * overwritten in place flushes only the data: the file's size and blocks do not change,
     * so the file system journals nothing. A sync that grows the file must also commit its
     * new size: on our ext4 disk a lone appender's command took a third longer to become
     * durable, at a third more CPU (BENCHMARKS.md). Two cover the log being flushed while
     * the next one fills.
     */
    private static final int RECYCLED_WALS = 2;
    /**
     * A flush or compaction hands its table to the disk a mebibyte at a time as it writes,
     * instead of in one sync at the end. A journal sync queued behind that end sync waited
     * for all of it: a flush of the 64 MiB buffer held syncs up to 20 ms (BENCHMARKS.md).
     */
    private static final long TABLE_BYTES_PER_SYNC = 1L << 20;

    static {
        RocksDB.loadLibrary();
    }

    private final String service;
    private final Path dir;
    private final DBOptions dbOptions;
    private final ColumnFamilyOptions cfOptions;
    private final ColumnFamilyOptions journalCfOptions;
    private final RocksDB db;
    private final ColumnFamilyHandle journalCf;
    private final ColumnFamilyHandle snapshotsCf;
    private final ColumnFamilyHandle metaCf;
    private final List<ColumnFamilyHandle> handles;
    private final WriteOptions syncWrite;
    private final WriteOptions walWrite;
    private final FlushOptions flushInBackground = new FlushOptions().setWaitForFlush(false).setAllowWriteStall(true);

    private final Timer durableTimer;
    private final DistributionSummary batchSize;
    private final Counter appended;

    /** Snapshot sequences present in the store, oldest first; touched by the writer thread after recovery. */
    private final TreeSet<Long> snapshotSequences = new TreeSet<>();

    private final Object lock = new Object();
    // Guarded by lock.
    private ArrayList<PendingWrite> pending = new ArrayList<>();
    private long lastAssigned;
    private boolean closing;
    private Throwable failure;
    private boolean recovered;

    private final Object syncLock = new Object();
    // Guarded by syncLock: written to the WAL, waiting for the next sync.
    private ArrayList<PendingWrite> written = new ArrayList<>();
    private boolean writerDone;
    private boolean syncerBusy;

    private volatile long lastDurable;
    private volatile long lastSnapshot;
    private Thread writer;
    private Thread syncer;

    private JournalStore(String service, Path dir, MeterRegistry registry, long journalBufferBytes) {
        this.service = service;
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StoreException("cannot create data dir " + dir + ": " + e.getMessage(), e);
        }
        if (!Files.isWritable(dir)) {
            throw new StoreException("data dir " + dir + " is not writable");
        }
        dbOptions = new DBOptions()
                .setCreateIfMissing(true)
                .setCreateMissingColumnFamilies(true)
                // Point-in-time recovery stops at the first record that is not this log's,
                // which is also how a recycled log's stale tail is told from new records.
                .setWalRecoveryMode(WALRecoveryMode.PointInTimeRecovery)
                .setRecycleLogFileNum(RECYCLED_WALS)
                .setKeepLogFileNum(3)
                .setMaxTotalWalSize(256L << 20)
                .setBytesPerSync(TABLE_BYTES_PER_SYNC);
        cfOptions = new ColumnFamilyOptions();
        // Journal records live only until the snapshot after next: compressing them took half
        // of each flush's time, for space that is soon freed.
        journalCfOptions = new ColumnFamilyOptions().setMemTableConfig(new org.rocksdb.VectorMemTableConfig())
                .setWriteBufferSize(journalBufferBytes)
                .setCompressionType(CompressionType.NO_COMPRESSION);
        List<ColumnFamilyDescriptor> descriptors = List.of(
                new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions),
                new ColumnFamilyDescriptor("journal".getBytes(StandardCharsets.UTF_8), journalCfOptions),
                new ColumnFamilyDescriptor("snapshots".getBytes(StandardCharsets.UTF_8), cfOptions),
                new ColumnFamilyDescriptor("meta".getBytes(StandardCharsets.UTF_8), cfOptions));
        handles = new ArrayList<>();
        try {
            db = RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
        } catch (RocksDBException e) {
            dbOptions.close();
            cfOptions.close();
            journalCfOptions.close();
            flushInBackground.close();
            throw new StoreException("cannot open store at " + dir + ": " + e.getMessage(), e);
        }
        journalCf = handles.get(1);
        snapshotsCf = handles.get(2);
        metaCf = handles.get(3);
        syncWrite = new WriteOptions().setSync(true);
        walWrite = new WriteOptions();

        durableTimer = Timer.builder("journal.append.durable")
                .description("Time from append to the command being durable (synced)")
                .tag("service", service)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(10_000))
                .maximumExpectedValue(Duration.ofSeconds(5))
                .register(registry);
        batchSize = DistributionSummary.builder("journal.batch.size")
                .description("Commands per synced write batch")
                .tag("service", service)
                .register(registry);
        appended = Counter.builder("journal.appends").tag("service", service).register(registry);
        registry.gauge("journal.last.durable.sequence", io.micrometer.core.instrument.Tags.of("service", service),
                this, s -> s.lastDurable);
        registry.gauge("journal.last.snapshot.sequence", io.micrometer.core.instrument.Tags.of("service", service),
                this, s -> s.lastSnapshot);
    }

    /**
     * Opens (or creates) the store in {@code dir} for {@code service}. A store written by
     * another service or in an unknown format is refused.
     */
    public static JournalStore open(String service, Path dir, MeterRegistry registry) {
        return open(service, dir, registry, DEFAULT_JOURNAL_BUFFER_BYTES);
    }

    /**
     * As {@link #open(String, Path, MeterRegistry)}, with the journal's in-memory buffer of
     * {@code journalBufferBytes}: each time it fills, the write-ahead log rotates and the
     * buffer is flushed to a table file. Services use the default; tests and load tools use a
     * small one to rotate (and reuse) logs within seconds.
     */
    public static JournalStore open(String service, Path dir, MeterRegistry registry, long journalBufferBytes) {
        if (journalBufferBytes <= 0) {
            throw new IllegalArgumentException("journalBufferBytes must be positive: " + journalBufferBytes);
        }
        JournalStore store = new JournalStore(service, dir, registry, journalBufferBytes);
        try {
            store.checkMeta();
        } catch (RuntimeException e) {
            store.closeHandles();
            throw e;
        }
        return store;
    }

    private void checkMeta() {
        try {
            byte[] format = db.get(metaCf, bytes("format"));
            byte[] owner = db.get(metaCf, bytes("service"));
            if (format == null) {
                try (WriteBatch batch = new WriteBatch()) {
                    batch.put(metaCf, bytes("format"), bytes(FORMAT));
                    batch.put(metaCf, bytes("service"), bytes(service));
                    db.write(syncWrite, batch);
                }
                // Written once: left in memory, it would pin the first write-ahead log (and
                // every later one) until the logs reach their size limit.
                try (FlushOptions wait = new FlushOptions().setWaitForFlush(true)) {
                    db.flush(wait, metaCf);
                }
                return;
            }
            if (!FORMAT.equals(text(format))) {
                throw new StoreException("store at " + dir + " has format " + text(format) + ", expected " + FORMAT);
            }
            if (owner != null && !service.equals(text(owner))) {
                throw new StoreException("store at " + dir + " belongs to " + text(owner) + ", not " + service);
            }
        } catch (RocksDBException e) {
            throw new StoreException("cannot read store metadata at " + dir + ": " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- recovery

    /**
     * Rebuilds {@code machine}: newest valid snapshot, then the journal after it. Must be
     * called once, before any append. Starts the writer thread when done.
     */
    public RecoveryResult recover(StateMachine machine) {
        synchronized (lock) {
            if (recovered) {
                throw new IllegalStateException("recover() already ran");
            }
        }
        loadSnapshotSequences();
        long from = 0;
        int skipped = 0;
        for (Long seq : snapshotSequences.descendingSet()) {
            SnapshotRecord snap = readSnapshot(seq);
            if (snap == null) {
                skipped++;
                LOG.warning(service + ": snapshot at sequence " + seq + " is corrupt; falling back to an older one");
                continue;
            }
            try {
                machine.restore(seq, snap.getState());
            } catch (Exception e) {
                skipped++;
                LOG.log(Level.SEVERE, service + ": snapshot at sequence " + seq
                        + " passed its checksum but could not be restored; falling back to an older one", e);
                continue;
            }
            from = seq;
            break;
        }
        if (skipped > 0 && from == 0 && !snapshotSequences.isEmpty()) {
            LOG.warning(service + ": no usable snapshot; replaying the journal from the start");
        }

        long expected = from + 1;
        long replayed = 0;
        long cut = 0;
        try (RocksIterator it = db.newIterator(journalCf)) {
            it.seek(RecordFraming.sequenceKey(expected));
            if (it.isValid() && from == 0 && RecordFraming.sequenceOf(it.key()) != 1) {
                throw new StoreException(service + ": journal starts at sequence " + RecordFraming.sequenceOf(it.key())
                        + " but no usable snapshot exists before it; the store cannot be recovered");
            }
            while (it.isValid()) {
                long seq = RecordFraming.sequenceOf(it.key());
                JournalRecord record = seq == expected ? parseRecord(it.value(), seq) : null;
                if (record == null) {
                    cut = cutTail(seq, seq == expected ? "fails its checksum or does not parse"
                            : "is missing (found " + seq + " next)", expected);
                    break;
                }
                try {
                    machine.replay(record);
                } catch (Exception e) {
                    throw new StoreException(service + ": replay of journaled command " + seq + " failed", e);
                }
                replayed++;
                expected++;
                it.next();
            }
        }
        long last = expected - 1;
        synchronized (lock) {
            lastAssigned = last;
            recovered = true;
        }
        lastDurable = last;
        lastSnapshot = from;
        writer = new Thread(this::writeLoop, service + "-journal-writer");
        writer.setDaemon(true);
        writer.start();
        syncer = new Thread(this::syncLoop, service + "-journal-syncer");
        syncer.setDaemon(true);
        syncer.start();
        RecoveryResult result = new RecoveryResult(from, replayed, last, cut, skipped);
        LOG.info(service + ": recovered from snapshot " + from + ", replayed " + replayed
                + " journaled commands, now at sequence " + last
                + (cut > 0 ? ", cut a corrupt journal tail of " + cut + " records" : ""));
        return result;
    }

    private void loadSnapshotSequences() {
        try (RocksIterator it = db.newIterator(snapshotsCf)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                snapshotSequences.add(RecordFraming.sequenceOf(it.key()));
            }
        }
    }

    /**
     * The snapshot at {@code seq}, or null if it is corrupt. Its state aliases the value read from the store: a large
     * snapshot is in memory once while it is restored, not three times.
     */
    private SnapshotRecord readSnapshot(long seq) {
        try {
            byte[] value = db.get(snapshotsCf, RecordFraming.sequenceKey(seq));
            if (!RecordFraming.intact(value)) {
                return null;
            }
            // Aliasing needs the input to be known immutable, which only a wrapped byte string can say.
            CodedInputStream in = UnsafeByteOperations.unsafeWrap(value, RecordFraming.HEADER,
                    value.length - RecordFraming.HEADER).newCodedInput();
            in.enableAliasing(true);
            SnapshotRecord rec = SnapshotRecord.parseFrom(in);
            return rec.getSequence() == seq ? rec : null;
        } catch (RocksDBException | IOException e) {
            return null;
        }
    }

    private static JournalRecord parseRecord(byte[] value, long seq) {
        byte[] payload = RecordFraming.unframe(value);
        if (payload == null) {
            return null;
        }
        try {
            JournalRecord rec = JournalRecord.parseFrom(payload);
            return rec.getSequence() == seq ? rec : null;
        } catch (InvalidProtocolBufferException e) {
            return null;
        }
    }

    /** Deletes the journal from {@code fromSeq} on; returns how many records were removed. */
    private long cutTail(long fromSeq, String why, long expected) {
        long count = 0;
        try (RocksIterator it = db.newIterator(journalCf)) {
            for (it.seek(RecordFraming.sequenceKey(fromSeq)); it.isValid(); it.next()) {
                count++;
            }
        }
        try (WriteBatch batch = new WriteBatch()) {
            batch.deleteRange(journalCf, RecordFraming.sequenceKey(fromSeq), RecordFraming.sequenceKey(Long.MAX_VALUE));
            db.write(syncWrite, batch);
        } catch (RocksDBException e) {
            throw new StoreException(service + ": cannot cut the journal tail: " + e.getMessage(), e);
        }
        LOG.warning(service + ": journal record " + expected + " " + why + "; cut " + count
                + " record(s) from sequence " + fromSeq + " on");
        return count;
    }

    // ---------------------------------------------------------------- appends

    /**
     * Assigns the next sequence to {@code command}, stamped with {@code timestampMicros},
     * and queues it. The array is the store's from now on: do not change it. The future completes with the sequence once the record is durable,
     * on the caller's Vert.x context if it has one, else on the writer thread.
     */
    public Future<Long> append(long timestampMicros, byte[] command) {
        Context ctx = Vertx.currentContext();
        Promise<Long> promise = Promise.promise();
        long start = System.nanoTime();
        synchronized (lock) {
            if (!recovered || closing || failure != null) {
                return Future.failedFuture(notWritable());
            }
            long seq = ++lastAssigned;
            // The caller hands the command over: wrapped, not copied.
            byte[] value = RecordFraming.frame(JournalRecord.newBuilder()
                    .setSequence(seq)
                    .setTimestampMicros(timestampMicros)
                    .setCommand(UnsafeByteOperations.unsafeWrap(command))
                    .build());
            pending.add(new PendingWrite(seq, value, false, promise, ctx, start));
            if (pending.size() == 1) {
                lock.notifyAll();
            }
        }
        return promise.future();
    }

    /**
     * Queues a snapshot of the state after {@code snapshot.sequence()}. It is written after
     * every journal record up to that sequence, and completes once durable. Then the store
     * keeps the newest two snapshots and prunes the journal behind the older of them.
     */
    public Future<Void> writeSnapshot(Snapshot snapshot) {
        Context ctx = Vertx.currentContext();
        Promise<Long> promise = Promise.promise();
        synchronized (lock) {
            if (!recovered || failure != null) {
                return Future.failedFuture(notWritable());
            }
            if (snapshot.sequence() > lastAssigned || snapshot.sequence() < 0) {
                return Future.failedFuture(new IllegalArgumentException("snapshot sequence " + snapshot.sequence()
                        + " is beyond the journal's last sequence " + lastAssigned));
            }
            byte[] value = RecordFraming.frame(SnapshotRecord.newBuilder()
                    .setSequence(snapshot.sequence())
                    .setCreatedAtMicros(TimeUnit.MILLISECONDS.toMicros(System.currentTimeMillis()))
                    .setService(service)
                    .setFormatVersion(1)
                    .setState(snapshot.bytes())
                    .build());
            pending.add(new PendingWrite(snapshot.sequence(), value, true, promise, ctx, System.nanoTime()));
            if (pending.size() == 1) {
                lock.notifyAll();
            }
        }
        return promise.future().mapEmpty();
    }

    private StoreException notWritable() {
        if (failure != null) {
            return new StoreException(service + ": store failed earlier and takes no writes", failure);
        }
        return new StoreException(service + (recovered ? ": store is closing" : ": store not recovered yet"));
    }

    /** Writer thread: turns everything queued into one WriteBatch, written to the WAL unsynced. */
    private void writeLoop() {
        ArrayList<PendingWrite> batch = new ArrayList<>();
        while (true) {
            synchronized (lock) {
                while (pending.isEmpty() && !closing && failure == null) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                if (failure != null || pending.isEmpty()) {
                    break; // failed, or closing and drained
                }
                if (pending.size() <= MAX_BATCH) {
                    ArrayList<PendingWrite> swap = pending;
                    pending = batch;
                    batch = swap;
                } else {
                    List<PendingWrite> head = pending.subList(0, MAX_BATCH);
                    batch.addAll(head);
                    head.clear();
                }
            }
            Throwable error = writeBatch(batch);
            if (error != null) {
                complete(batch, error, System.nanoTime());
                failAll(error);
                break;
            }
            // A small batch with nothing behind it: traffic is light, the sync would overlap
            // little writing, and handing it over would cost the syncer's wake-up. A larger
            // batch means appenders are many, and the pipeline keeps writing while it syncs.
            boolean quiet = batch.size() <= QUIET_BATCH && nothingQueued();
            boolean syncHere;
            synchronized (syncLock) {
                // Only while the syncer is idle: it completes batches in order, and so must this.
                syncHere = quiet && !syncerBusy && written.isEmpty();
                if (!syncHere) {
                    written.addAll(batch);
                    syncLock.notifyAll();
                }
            }
            if (syncHere && !syncAndComplete(batch)) {
                break;
            }
            batch.clear();
        }
        synchronized (syncLock) {
            writerDone = true;
            syncLock.notifyAll();
        }
    }

    /**
     * Syncer thread: one WAL sync covers every batch written before it started; then their
     * futures complete. Batches keep being written while a sync is in flight, so the disk's
     * sync time is shared by everything that arrives meanwhile (group commit).
     */
    private void syncLoop() {
        ArrayList<PendingWrite> toSync = new ArrayList<>();
        while (true) {
            synchronized (syncLock) {
                while (written.isEmpty() && !writerDone) {
                    try {
                        syncLock.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                if (written.isEmpty()) {
                    return; // the writer is done and everything it wrote is synced
                }
                ArrayList<PendingWrite> swap = written;
                written = toSync;
                toSync = swap;
                syncerBusy = true;
            }
            boolean synced = syncAndComplete(toSync);
            toSync.clear();
            synchronized (syncLock) {
                syncerBusy = false;
            }
            if (!synced) {
                return;
            }
        }
    }

    private boolean nothingQueued() {
        synchronized (lock) {
            return pending.isEmpty();
        }
    }

    /** One WAL sync, then the writes' futures complete; false (and the store failed) if the sync failed. */
    private boolean syncAndComplete(List<PendingWrite> writes) {
        Throwable error = null;
        try {
            db.syncWal();
        } catch (RocksDBException | RuntimeException e) {
            LOG.log(Level.SEVERE, service + ": journal sync failed; the store stops taking writes", e);
            error = new StoreException(service + ": journal sync failed: " + e.getMessage(), e);
        }
        if (error == null) {
            markDurable(writes);
        }
        complete(writes, error, System.nanoTime());
        if (error != null) {
            failAll(error);
            return false;
        }
        return true;
    }

    private Throwable writeBatch(List<PendingWrite> writes) {
        long newestSnapshot = -1;
        try (WriteBatch wb = new WriteBatch()) {
            for (PendingWrite w : writes) {
                if (w.snapshot) {
                    wb.put(snapshotsCf, RecordFraming.sequenceKey(w.sequence), w.value);
                    newestSnapshot = Math.max(newestSnapshot, w.sequence);
                } else {
                    wb.put(journalCf, RecordFraming.sequenceKey(w.sequence), w.value);
                }
            }
            if (newestSnapshot >= 0) {
                prune(wb, newestSnapshot);
            }
            db.write(walWrite, wb);
            if (newestSnapshot >= 0) {
                // A snapshot left in memory would pin its write-ahead log, and every later one,
                // until the logs reach their size limit: no log could be reused meanwhile. The
                // flush runs in the background; RocksDB syncs the logs it closes before the
                // table it writes counts, so the snapshot never outlives the journal before it.
                db.flush(flushInBackground, snapshotsCf);
            }
            return null;
        } catch (RocksDBException | RuntimeException e) {
            LOG.log(Level.SEVERE, service + ": journal write failed; the store stops taking writes", e);
            return new StoreException(service + ": journal write failed: " + e.getMessage(), e);
        }
    }

    private void markDurable(List<PendingWrite> synced) {
        long lastSeq = -1;
        long newestSnapshot = -1;
        int commands = 0;
        for (PendingWrite w : synced) {
            if (w.snapshot) {
                newestSnapshot = Math.max(newestSnapshot, w.sequence);
            } else {
                lastSeq = w.sequence;
                commands++;
            }
        }
        if (lastSeq > 0) {
            lastDurable = lastSeq;
        }
        if (newestSnapshot >= 0) {
            lastSnapshot = Math.max(lastSnapshot, newestSnapshot);
        }
        if (commands > 0) {
            batchSize.record(commands);
            appended.increment(commands);
        }
    }

    /** Keeps the newest two snapshots and the journal after the older one. Writer thread only. */
    private void prune(WriteBatch wb, long newest) throws RocksDBException {
        snapshotSequences.add(newest);
        while (snapshotSequences.size() > KEEP_SNAPSHOTS) {
            long oldest = snapshotSequences.pollFirst();
            wb.delete(snapshotsCf, RecordFraming.sequenceKey(oldest));
        }
        if (snapshotSequences.size() == KEEP_SNAPSHOTS) {
            long keepAfter = snapshotSequences.first();
            wb.deleteRange(journalCf, RecordFraming.sequenceKey(0), RecordFraming.sequenceKey(keepAfter + 1));
        }
    }

    private void complete(List<PendingWrite> writes, Throwable error, long now) {
        Map<Context, List<PendingWrite>> byContext = null;
        for (PendingWrite w : writes) {
            if (!w.snapshot) {
                durableTimer.record(now - w.startNanos, TimeUnit.NANOSECONDS);
            }
            if (w.context == null) {
                w.finish(error);
            } else {
                if (byContext == null) {
                    byContext = new IdentityHashMap<>();
                }
                byContext.computeIfAbsent(w.context, c -> new ArrayList<>()).add(w);
            }
        }
        if (byContext != null) {
            // One hop per context per batch, not one per command.
            for (Map.Entry<Context, List<PendingWrite>> e : byContext.entrySet()) {
                List<PendingWrite> list = e.getValue();
                e.getKey().runOnContext(v -> {
                    for (PendingWrite w : list) {
                        w.finish(error);
                    }
                });
            }
        }
    }

    /** After a failed write or sync: nothing queued or unsynced will become durable; fail it all. */
    private void failAll(Throwable error) {
        List<PendingWrite> rest;
        synchronized (lock) {
            failure = error;
            rest = new ArrayList<>(pending);
            pending.clear();
            lock.notifyAll();
        }
        synchronized (syncLock) {
            rest.addAll(written);
            written.clear();
            syncLock.notifyAll();
        }
        complete(rest, error, System.nanoTime());
    }

    // ---------------------------------------------------------------- reads for tools and tests

    /** True once recovered and until closed or failed: appends are taken. */
    public boolean isWritable() {
        synchronized (lock) {
            return recovered && !closing && failure == null;
        }
    }

    /** The newest durable sequence. */
    public long lastDurableSequence() {
        return lastDurable;
    }

    /** The newest sequence handed out by {@link #append}, durable or not. */
    public long lastAssignedSequence() {
        synchronized (lock) {
            return lastAssigned;
        }
    }

    /** The sequence of the newest durable snapshot, 0 if none. */
    public long lastSnapshotSequence() {
        return lastSnapshot;
    }

    /** Visits the journal records from {@code fromSeq} on, in order, as stored (no checks). */
    public void forEachJournalValue(long fromSeq, JournalVisitor visitor) {
        try (RocksIterator it = db.newIterator(journalCf)) {
            for (it.seek(RecordFraming.sequenceKey(fromSeq)); it.isValid(); it.next()) {
                long seq = RecordFraming.sequenceOf(it.key());
                if (!visitor.visit(seq, parseRecord(it.value(), seq))) {
                    return;
                }
            }
        }
    }

    /** Sees one journal entry; {@code record} is null when the stored value is corrupt. Return false to stop. */
    @FunctionalInterface
    public interface JournalVisitor {
        boolean visit(long sequence, JournalRecord record);
    }

    /** Snapshot sequences present in the store, oldest first. */
    public List<Long> snapshotSequences() {
        List<Long> out = new ArrayList<>();
        try (RocksIterator it = db.newIterator(snapshotsCf)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                out.add(RecordFraming.sequenceOf(it.key()));
            }
        }
        return out;
    }

    /** The snapshot at {@code sequence} if present and its checksum holds, else null. */
    public SnapshotRecord snapshotAt(long sequence) {
        return readSnapshot(sequence);
    }

    public Path directory() {
        return dir;
    }

    // ---------------------------------------------------------------- close

    /**
     * Finishes every queued write (their futures complete), stops the writer and closes
     * RocksDB. Appends after this fail.
     */
    @Override
    public void close() {
        synchronized (lock) {
            closing = true;
            lock.notifyAll();
        }
        for (Thread t : new Thread[] {writer, syncer}) {
            if (t == null) {
                continue;
            }
            try {
                t.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (t.isAlive()) {
                LOG.severe(service + ": " + t.getName() + " did not finish within 30 s; closing anyway");
            }
        }
        closeHandles();
        LOG.info(service + ": store closed at sequence " + lastDurable);
    }

    private void closeHandles() {
        try {
            db.syncWal();
        } catch (RocksDBException e) {
            LOG.warning(service + ": WAL sync on close failed: " + e.getMessage());
        }
        for (ColumnFamilyHandle h : handles) {
            h.close();
        }
        db.close();
        syncWrite.close();
        walWrite.close();
        flushInBackground.close();
        dbOptions.close();
        cfOptions.close();
        journalCfOptions.close();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** One queued write: a journal record or a snapshot. */
    private static final class PendingWrite {
        final long sequence;
        final byte[] value;
        final boolean snapshot;
        final Promise<Long> promise;
        final Context context;
        final long startNanos;

        PendingWrite(long sequence, byte[] value, boolean snapshot, Promise<Long> promise, Context context,
                     long startNanos) {
            this.sequence = sequence;
            this.value = value;
            this.snapshot = snapshot;
            this.promise = promise;
            this.context = context;
            this.startNanos = startNanos;
        }

        void finish(Throwable error) {
            // A listener that throws must not stop the rest of its batch from completing.
            try {
                if (error == null) {
                    promise.complete(sequence);
                } else {
                    promise.fail(error);
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "a listener of journal record " + sequence + " failed", e);
            }
        }
    }
}
