package io.trademesh.platform.store;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.MessageLite;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Frames a stored value with a checksum so a corrupt or torn value is detected rather
 * than parsed:
 * <pre>
 *   0       4                     4+n
 *   +-------+---------------------+
 *   | crc32c|  payload (n bytes)  |     crc32c of the payload, big-endian
 *   +-------+---------------------+
 * </pre>
 */
final class RecordFraming {

    static final int HEADER = 4;

    private RecordFraming() {
    }

    static byte[] frame(byte[] payload) {
        byte[] out = new byte[HEADER + payload.length];
        System.arraycopy(payload, 0, out, HEADER, payload.length);
        writeChecksum(out);
        return out;
    }

    /** Serializes {@code message} straight into a framed value: one array, no intermediate copy. */
    static byte[] frame(MessageLite message) {
        int size = message.getSerializedSize();
        byte[] out = new byte[HEADER + size];
        CodedOutputStream cos = CodedOutputStream.newInstance(out, HEADER, size);
        try {
            message.writeTo(cos);
            cos.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialize " + message.getClass().getSimpleName(), e);
        }
        writeChecksum(out);
        return out;
    }

    private static void writeChecksum(byte[] out) {
        CRC32C crc = new CRC32C();
        crc.update(out, HEADER, out.length - HEADER);
        int c = (int) crc.getValue();
        out[0] = (byte) (c >>> 24);
        out[1] = (byte) (c >>> 16);
        out[2] = (byte) (c >>> 8);
        out[3] = (byte) c;
    }

    /** Whether the value is long enough and its checksum matches its payload (from {@link #HEADER} on). */
    static boolean intact(byte[] value) {
        if (value == null || value.length < HEADER) {
            return false;
        }
        CRC32C crc = new CRC32C();
        crc.update(value, HEADER, value.length - HEADER);
        return (int) crc.getValue() == ByteBuffer.wrap(value, 0, HEADER).getInt();
    }

    /** The payload, or null when the value is too short or its checksum does not match. */
    static byte[] unframe(byte[] value) {
        if (!intact(value)) {
            return null;
        }
        byte[] payload = new byte[value.length - HEADER];
        System.arraycopy(value, HEADER, payload, 0, payload.length);
        return payload;
    }

    static byte[] sequenceKey(long sequence) {
        return ByteBuffer.allocate(Long.BYTES).putLong(sequence).array();
    }

    static long sequenceOf(byte[] key) {
        return ByteBuffer.wrap(key).getLong();
    }
}
