package io.trademesh.platform.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/** Opens a closed store's RocksDB directly, so a test can damage it the way a disk or a bug would. */
final class RawRocks implements AutoCloseable {

    private final DBOptions options = new DBOptions();
    private final List<ColumnFamilyHandle> handles = new ArrayList<>();
    private final RocksDB db;

    /**
     * The write-ahead logs the store in {@code dir} reused since it was last opened: RocksDB
     * notes each in its info log ("reusing log N from recycle list").
     */
    static long reusedLogs(Path dir) throws IOException {
        Path log = dir.resolve("LOG");
        if (!Files.exists(log)) {
            return 0;
        }
        try (Stream<String> lines = Files.lines(log, StandardCharsets.ISO_8859_1)) {
            return lines.filter(l -> l.contains("from recycle list")).count();
        }
    }

    RawRocks(Path dir) throws RocksDBException {
        List<ColumnFamilyDescriptor> cfs = List.of(
                new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY),
                new ColumnFamilyDescriptor("journal".getBytes(StandardCharsets.UTF_8)),
                new ColumnFamilyDescriptor("snapshots".getBytes(StandardCharsets.UTF_8)),
                new ColumnFamilyDescriptor("meta".getBytes(StandardCharsets.UTF_8)));
        db = RocksDB.open(options, dir.toString(), cfs, handles);
    }

    void putJournal(long seq, byte[] value) throws RocksDBException {
        db.put(handles.get(1), RecordFraming.sequenceKey(seq), value);
    }

    byte[] getSnapshot(long seq) throws RocksDBException {
        return db.get(handles.get(2), RecordFraming.sequenceKey(seq));
    }

    void putSnapshot(long seq, byte[] value) throws RocksDBException {
        db.put(handles.get(2), RecordFraming.sequenceKey(seq), value);
    }

    void putMeta(String key, String value) throws RocksDBException {
        db.put(handles.get(3), key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        handles.forEach(ColumnFamilyHandle::close);
        db.close();
        options.close();
    }
}
