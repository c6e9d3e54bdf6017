package io.trademesh.marketdata.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SampleTapeTest {

    @Test
    void growsThenWrapsKeepingTheNewestInOrder() throws Exception {
        SampleTape tape = new SampleTape(2, 10, 100);
        for (int i = 0; i < 250; i++) {
            assertTrue(tape.add(i * 10L, i, -i));
        }
        assertEquals(100, tape.size());
        assertEquals(1_500, tape.oldestMs(), "the oldest 150 are gone");
        assertEquals(2_490, tape.newestMs());
        List<Long> seen = new ArrayList<>();
        long next = tape.forEach(0, Long.MAX_VALUE, 1_000, (time, v) -> {
            assertEquals(time / 10, v[0]);
            assertEquals(-v[0], v[1]);
            seen.add(time);
        });
        assertEquals(0, next);
        assertEquals(100, seen.size());
        for (int i = 1; i < seen.size(); i++) {
            assertEquals(seen.get(i - 1) + 10, seen.get(i), "oldest first, none missing");
        }

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        tape.write(new DataOutputStream(bytes));
        SampleTape copy = new SampleTape(2, 10, 100);
        copy.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        copy.write(new DataOutputStream(again));
        assertEquals(java.util.Arrays.toString(bytes.toByteArray()), java.util.Arrays.toString(again.toByteArray()));
        assertFalse(copy.add(2_495, 1, 1), "the restored tape still refuses the last bucket");
    }

    @Test
    void keepsTheFirstSampleOfABucketAndRefusesOlderOnes() {
        SampleTape tape = new SampleTape(1, 60_000, 10);
        assertTrue(tape.add(60_000, 1));
        assertFalse(tape.add(119_999, 2), "same minute");
        assertFalse(tape.add(0, 3), "older");
        assertTrue(tape.add(120_000, 4));
        assertThrows(IllegalArgumentException.class, () -> tape.add(180_000, 1, 2));
    }
}
