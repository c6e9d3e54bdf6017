package io.trademesh.platform.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** What goes in comes out, whatever the sizes of the writes and across every chunk boundary. */
class ChunkedOutputTest {

    @Test
    void writesOfEverySizeComeOutAsOneByteString() {
        Random random = new Random(3);
        ChunkedOutput chunked = new ChunkedOutput();
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        while (plain.size() < 5 * 1024 * 1024) { // several full-size chunks
            if (random.nextInt(4) == 0) {
                int b = random.nextInt(256);
                chunked.write(b);
                plain.write(b);
            } else {
                byte[] piece = new byte[random.nextInt(random.nextBoolean() ? 16 : 300_000)];
                random.nextBytes(piece);
                int off = piece.length == 0 ? 0 : random.nextInt(piece.length);
                chunked.write(piece, off, piece.length - off);
                plain.write(piece, off, piece.length - off);
            }
        }
        assertEquals(plain.size(), chunked.size());
        assertArrayEquals(plain.toByteArray(), chunked.toByteString().toByteArray());
        assertTrue(chunked.toByteString().size() == plain.size(), "handing over twice gives the same bytes");
    }

    @Test
    void nothingWrittenIsAnEmptyByteString() {
        assertEquals(0, new ChunkedOutput().toByteString().size());
    }
}
