package io.trademesh.platform.store;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An output stream that keeps what it is given in chunks and hands them over as one
 * {@link ByteString} without copying them. A {@code ByteArrayOutputStream} doubles its array as
 * it fills and then copies it once more to hand it over: a snapshot of n bytes briefly needed
 * up to 3n of heap on top of the state it describes. Here it needs n and one chunk.
 */
public final class ChunkedOutput extends OutputStream {
    private static final int FIRST_CHUNK = 4 * 1024;
    private static final int MAX_CHUNK = 1024 * 1024;

    private final List<ByteString> full = new ArrayList<>();
    private byte[] chunk = new byte[FIRST_CHUNK];
    private int used;
    private long size;

    @Override
    public void write(int b) {
        if (used == chunk.length) {
            next();
        }
        chunk[used++] = (byte) b;
        size++;
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
            size += n;
        }
    }

    /** How many bytes were written. */
    public long size() {
        return size;
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
        chunk = new byte[Math.min(MAX_CHUNK, chunk.length * 2)];
        used = 0;
    }
}
