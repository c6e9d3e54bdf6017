package io.trademesh.platform.store;

import com.google.protobuf.ByteString;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Iterator;

/**
 * Where an engine reads its snapshot: a {@link DataInput} over a {@link ByteString} as it is
 * (one array aliased from the store, or the chunks a snapshot was written in), reading what
 * {@code DataOutputStream} wrote. It is not synchronized: a {@code DataInputStream} over a
 * {@code ByteArrayInputStream} takes a lock for every {@code readLong}, which made most of a
 * large state's recovery time.
 */
public final class ByteStringInput implements DataInput {
    private final Iterator<ByteBuffer> buffers;
    private ByteBuffer current;

    public ByteStringInput(ByteString bytes) {
        this.buffers = bytes.asReadOnlyByteBufferList().iterator();
        this.current = ByteBuffer.allocate(0);
    }

    /** True when every byte was read. */
    public boolean atEnd() {
        return !ready(1);
    }

    /** Whether {@code n} bytes can be read from the current buffer, moving past spent ones. */
    private boolean ready(int n) {
        while (!current.hasRemaining()) {
            if (!buffers.hasNext()) {
                return false;
            }
            current = buffers.next();
        }
        return current.remaining() >= n;
    }

    @Override
    public void readFully(byte[] b) throws IOException {
        readFully(b, 0, b.length);
    }

    @Override
    public void readFully(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            if (!ready(1)) {
                throw new EOFException();
            }
            int n = Math.min(len, current.remaining());
            current.get(b, off, n);
            off += n;
            len -= n;
        }
    }

    @Override
    public int skipBytes(int n) {
        int skipped = 0;
        while (skipped < n && ready(1)) {
            int k = Math.min(n - skipped, current.remaining());
            current.position(current.position() + k);
            skipped += k;
        }
        return skipped;
    }

    @Override
    public byte readByte() throws IOException {
        if (!ready(1)) {
            throw new EOFException();
        }
        return current.get();
    }

    @Override
    public boolean readBoolean() throws IOException {
        return readByte() != 0;
    }

    @Override
    public int readUnsignedByte() throws IOException {
        return readByte() & 0xFF;
    }

    @Override
    public short readShort() throws IOException {
        return ready(Short.BYTES) ? current.getShort() : (short) ((readUnsignedByte() << 8) | readUnsignedByte());
    }

    @Override
    public int readUnsignedShort() throws IOException {
        return readShort() & 0xFFFF;
    }

    @Override
    public char readChar() throws IOException {
        return (char) readShort();
    }

    @Override
    public int readInt() throws IOException {
        return ready(Integer.BYTES) ? current.getInt() : (int) straddling(Integer.BYTES);
    }

    @Override
    public long readLong() throws IOException {
        return ready(Long.BYTES) ? current.getLong() : straddling(Long.BYTES);
    }

    /** A big-endian value of {@code n} bytes that starts in one chunk and ends in the next. */
    private long straddling(int n) throws IOException {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 8) | readUnsignedByte();
        }
        return v;
    }

    @Override
    public float readFloat() throws IOException {
        return Float.intBitsToFloat(readInt());
    }

    @Override
    public double readDouble() throws IOException {
        return Double.longBitsToDouble(readLong());
    }

    @Override
    public String readUTF() throws IOException {
        return DataInputStream.readUTF(this);
    }

    /** As {@code DataInputStream.readLine}: bytes as chars up to "\n", "\r" or "\r\n"; null at the end. */
    @Override
    public String readLine() throws IOException {
        if (atEnd()) {
            return null;
        }
        StringBuilder line = new StringBuilder();
        while (!atEnd()) {
            int c = readUnsignedByte();
            if (c == '\n') {
                break;
            }
            if (c == '\r') {
                if (ready(1) && current.get(current.position()) == '\n') {
                    current.get();
                }
                break;
            }
            line.append((char) c);
        }
        return line.toString();
    }
}
