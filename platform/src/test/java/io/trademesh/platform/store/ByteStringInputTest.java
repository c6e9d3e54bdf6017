package io.trademesh.platform.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The snapshot codec: {@link ChunkedOutput} writes the bytes {@code DataOutputStream} writes, and
 * {@link ByteStringInput} reads them back, also where a value straddles two chunks.
 */
class ByteStringInputTest {

    /** Writes a reproducible mix of every kind of value, about 3 MB: several chunks of ChunkedOutput. */
    private static void writeMix(DataOutput out) throws IOException {
        Random random = new Random(11);
        for (int i = 0; i < 200_000; i++) {
            switch (random.nextInt(9)) {
                case 0 -> out.writeLong(random.nextLong());
                case 1 -> out.writeInt(random.nextInt());
                case 2 -> out.writeShort(random.nextInt());
                case 3 -> out.writeByte(random.nextInt());
                case 4 -> out.writeBoolean(random.nextBoolean());
                case 5 -> out.writeDouble(random.nextGaussian());
                case 6 -> out.writeUTF("id-" + random.nextInt(1000) + (random.nextBoolean() ? "é€" : ""));
                case 7 -> out.writeChar(random.nextInt(65536));
                default -> {
                    byte[] b = new byte[random.nextInt(40)];
                    random.nextBytes(b);
                    out.write(b);
                }
            }
        }
    }

    private static void readMix(DataInput in) throws IOException {
        Random random = new Random(11);
        for (int i = 0; i < 200_000; i++) {
            switch (random.nextInt(9)) {
                case 0 -> assertEquals(random.nextLong(), in.readLong());
                case 1 -> assertEquals(random.nextInt(), in.readInt());
                case 2 -> assertEquals((short) random.nextInt(), in.readShort());
                case 3 -> assertEquals((byte) random.nextInt(), in.readByte());
                case 4 -> assertEquals(random.nextBoolean(), in.readBoolean());
                case 5 -> assertEquals(random.nextGaussian(), in.readDouble());
                case 6 -> assertEquals("id-" + random.nextInt(1000) + (random.nextBoolean() ? "é€" : ""), in.readUTF());
                case 7 -> assertEquals((char) random.nextInt(65536), in.readChar());
                default -> {
                    byte[] expected = new byte[random.nextInt(40)];
                    random.nextBytes(expected);
                    byte[] got = new byte[expected.length];
                    in.readFully(got);
                    assertArrayEquals(expected, got);
                }
            }
        }
    }

    @Test
    void writesWhatDataOutputStreamWritesAndReadsItBack() throws IOException {
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        writeMix(new DataOutputStream(plain));
        ChunkedOutput chunked = new ChunkedOutput();
        writeMix(chunked);
        ByteString written = chunked.toByteString();
        assertArrayEquals(plain.toByteArray(), written.toByteArray(), "the same bytes as DataOutputStream");

        for (ByteString bytes : new ByteString[] {written, ByteString.copyFrom(plain.toByteArray())}) {
            ByteStringInput in = new ByteStringInput(bytes); // over the chunks, then over one array
            readMix(in);
            assertTrue(in.atEnd());
            assertThrows(EOFException.class, in::readLong);
        }
    }

    @Test
    void linesEndAsDataInputStreamEndsThem() throws IOException {
        byte[] text = "one\ntwo\r\nthree\rfour".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        ByteStringInput in = new ByteStringInput(ByteString.copyFrom(text));
        java.io.DataInputStream reference = new java.io.DataInputStream(new java.io.ByteArrayInputStream(text));
        for (int i = 0; i < 5; i++) {
            @SuppressWarnings("deprecation")
            String expected = reference.readLine();
            assertEquals(expected, in.readLine(), "line " + i);
        }
    }

    @Test
    void aValueCutShortIsAnEndOfFileNotAGuess() throws IOException {
        ByteStringInput in = new ByteStringInput(ByteString.copyFrom(new byte[] {1, 2, 3}));
        assertFalse(in.atEnd());
        assertThrows(EOFException.class, in::readInt);
        assertEquals(0, new ByteStringInput(ByteString.EMPTY).skipBytes(5));
    }
}
