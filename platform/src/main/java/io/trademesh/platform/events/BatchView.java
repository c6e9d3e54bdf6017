package io.trademesh.platform.events;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import io.trademesh.proto.events.EventBatch;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * A published {@link EventBatch} read without parsing it: its stamp (source, run,
 * sequences) up front, its events only on demand, and of those only the payloads a
 * consumer wants are copied. A gateway follows every product's batches but only the
 * addresses its sockets follow; parsing each batch in full allocated an object and two
 * byte copies per event it then dropped (BENCHMARKS.md, event demultiplexing).
 */
public final class BatchView {

    // Field numbers of trademesh.events.EventBatch and AddressedEvent.
    private static final int EVENTS = 1;
    private static final int SOURCE_SERVICE = 2;
    private static final int SOURCE_INSTANCE = 3;
    private static final int STARTED_AT = 4;
    private static final int BATCH_SEQUENCE = 5;
    private static final int JOURNAL_SEQUENCE = 6;
    private static final int ADDRESS = 1;
    private static final int PAYLOAD = 2;

    private final byte[] bytes;
    private String sourceService = "";
    private String sourceInstance = "";
    private long startedAtMs;
    private long batchSequence;
    private long journalSequence;

    private BatchView(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Reads the stamp of a published batch; an undecodable one is an {@link IllegalArgumentException}. */
    public static BatchView of(byte[] bytes) {
        BatchView v = new BatchView(bytes);
        try {
            CodedInputStream in = CodedInputStream.newInstance(bytes);
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                switch (WireFormat.getTagFieldNumber(tag)) {
                    case SOURCE_SERVICE -> v.sourceService = in.readStringRequireUtf8();
                    case SOURCE_INSTANCE -> v.sourceInstance = in.readStringRequireUtf8();
                    case STARTED_AT -> v.startedAtMs = in.readInt64();
                    case BATCH_SEQUENCE -> v.batchSequence = in.readUInt64();
                    case JOURNAL_SEQUENCE -> v.journalSequence = in.readUInt64();
                    default -> in.skipField(tag);
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("not an event batch: " + e.getMessage(), e);
        }
        return v;
    }

    /** A batch object (a replayed one) as a view. */
    public static BatchView of(EventBatch batch) {
        return of(batch.toByteArray());
    }

    /**
     * Hands each event whose address {@code wanted} accepts, in order, to {@code each} as
     * (address, payload); the payloads of the others are skipped, not copied.
     */
    public void forEachEvent(Predicate<String> wanted, BiConsumer<String, Buffer> each) {
        try {
            CodedInputStream in = CodedInputStream.newInstance(bytes);
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                if (WireFormat.getTagFieldNumber(tag) != EVENTS) {
                    in.skipField(tag);
                    continue;
                }
                int limit = in.pushLimit(in.readRawVarint32());
                // Serialized in field order, the address comes before the payload; proto3 leaves
                // out an empty one, so a missing address is "" and a missing payload is empty.
                String address = "";
                boolean decided = false;
                boolean keep = false;
                byte[] payload = null;
                for (int t = in.readTag(); t != 0; t = in.readTag()) {
                    int field = WireFormat.getTagFieldNumber(t);
                    if (field == ADDRESS) {
                        address = in.readStringRequireUtf8();
                        decided = true;
                        keep = wanted.test(address);
                        if (!keep) {
                            break;
                        }
                    } else if (field == PAYLOAD) {
                        if (!decided) {
                            decided = true;
                            keep = wanted.test(address);
                        }
                        if (keep) {
                            payload = in.readByteArray();
                        } else {
                            in.skipField(t);
                        }
                    } else {
                        in.skipField(t);
                    }
                }
                if (!decided) {
                    keep = wanted.test(address);
                }
                if (keep) {
                    each.accept(address, Buffer.buffer(payload == null ? new byte[0] : payload));
                }
                in.skipRawBytes(in.getBytesUntilLimit());
                in.popLimit(limit);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("not an event batch: " + e.getMessage(), e);
        }
    }

    public String sourceService() {
        return sourceService;
    }

    public String sourceInstance() {
        return sourceInstance;
    }

    public long startedAtMs() {
        return startedAtMs;
    }

    public long batchSequence() {
        return batchSequence;
    }

    public long journalSequence() {
        return journalSequence;
    }
}
