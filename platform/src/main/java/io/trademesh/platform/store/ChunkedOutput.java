package io.trademesh.platform.store;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where an engine writes its snapshot: a {@link DataOutput} (big-endian, the bytes
 * {@code DataOutputStream} writes) that keeps what it is given in chunks and hands them over as
 * one {@link ByteString} without copying them. A {@code ByteArrayOutputStream} doubles its array
 * as it fills and then copies it once more to hand it over: a snapshot of n bytes briefly needed
 * up to 3n of heap on top of the state it describes; here it needs n and one chunk. It is not
 * synchronized: a {@code DataOutputStream} over a buffered stream takes a lock for every
 * {@code writeLong}, and the engine's thread waits for the whole snapshot.
 */
public final class ChunkedOutput extends OutputStream implements DataOutput {
    private static final int FIRST_CHUNK = 4 * 1024;
    private static final int MAX_CHUNK = 1024 * 1024;
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    private final List<ByteString> full = new ArrayList<>();
    private byte[] chunk = new byte[FIRST_CHUNK];
    private int used;
    /** Bytes in the full chunks: one addition a chunk, not one a value. */
    private long flushed;
    private DataOutputStream strings;

    @Override
    public void write(int b) {
        if (used == chunk.length) {
            next();
        }
        chunk[used++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        while (len > 0) {
            if (used == chunk.length) {
                next();
            }
            int n = Math.min(len, chunk.length - used);
            System.arraycopy(b, off, chunk, used, n);
            used += n;
            off += n;
            len -= n;
        }
    }

    @Override
    public void writeLong(long v) {
        if (chunk.length - used >= Long.BYTES) {
            LONG.set(chunk, used, v);
            used += Long.BYTES;
        } else {
            straddling(v, Long.BYTES);
        }
    }

    @Override
    public void writeInt(int v) {
        if (chunk.length - used >= Integer.BYTES) {
            INT.set(chunk, used, v);
            used += Integer.BYTES;
        } else {
            straddling(v, Integer.BYTES);
        }
    }

    /** The low {@code n} bytes of {@code v}, big-endian, where they do not fit in what is left of the chunk. */
    private void straddling(long v, int n) {
        for (int shift = 8 * (n - 1); shift >= 0; shift -= 8) {
            write((int) (v >>> shift));
        }
    }

    @Override
    public void writeShort(int v) {
        write(v >>> 8);
        write(v);
    }

    @Override
    public void writeChar(int v) {
        writeShort(v);
    }

    @Override
    public void writeByte(int v) {
        write(v);
    }

    @Override
    public void writeBoolean(boolean v) {
        write(v ? 1 : 0);
    }

    @Override
    public void writeFloat(float v) {
        writeInt(Float.floatToIntBits(v));
    }

    @Override
    public void writeDouble(double v) {
        writeLong(Double.doubleToLongBits(v));
    }

    @Override
    public void writeBytes(String s) throws IOException {
        strings().writeBytes(s);
    }

    @Override
    public void writeChars(String s) throws IOException {
        strings().writeChars(s);
    }

    @Override
    public void writeUTF(String s) throws IOException {
        strings().writeUTF(s);
    }

    /** How many bytes were written. */
    public long size() {
        return flushed + used;
    }

    /** Everything written, as one byte string over the chunks (only the last, partly filled one is copied). */
    public ByteString toByteString() {
        List<ByteString> parts = new ArrayList<>(full);
        if (used > 0) {
            parts.add(UnsafeByteOperations.unsafeWrap(Arrays.copyOf(chunk, used)));
        }
        return ByteString.copyFrom(parts); // concatenates: a rope over the parts, no copy
    }

    /** Chunks grow (small states stay small) up to a size whose last partial copy costs little. */
    private void next() {
        full.add(UnsafeByteOperations.unsafeWrap(chunk));
        flushed += chunk.length;
        chunk = new byte[Math.min(MAX_CHUNK, chunk.length * 2)];
        used = 0;
    }

    /** For the rare strings, DataOutputStream's own encoding, writing straight into this stream. */
    private DataOutputStream strings() {
        if (strings == null) {
            strings = new DataOutputStream(this);
        }
        return strings;
    }
}
