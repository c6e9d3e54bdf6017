package io.trademesh.platform.events;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The ring holds what a plain list of batches would: the newest ones, as many as fit both
 * limits, byte for byte, wrapping or not.
 */
class BatchRingProperties {

    @Provide
    Arbitrary<List<byte[]>> batches() {
        // sizes around the capacities below, so that batches wrap, fill the ring and overflow it
        return Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(70).list().ofMaxSize(200);
    }

    @Property(tries = 300)
    void holdsTheNewestBatchesThatFitBothLimits(@ForAll("batches") List<byte[]> batches,
                                                @ForAll @IntRange(min = 1, max = 12) int maxBatches,
                                                @ForAll @IntRange(min = 1, max = 160) int capacity) {
        BatchRing ring = new BatchRing(maxBatches, capacity);
        ArrayDeque<byte[]> model = new ArrayDeque<>();
        long modelFirst = 1;
        long sequence = 0;
        for (byte[] batch : batches) {
            ring.add(batch);
            sequence++;
            model.addLast(batch);
            long bytes = model.stream().mapToLong(b -> b.length).sum();
            while (!model.isEmpty() && (model.size() > maxBatches || bytes > capacity)) {
                bytes -= model.pollFirst().length;
                modelFirst++;
            }
            assertEquals(modelFirst, ring.first(), "oldest held after batch " + sequence);
            assertEquals(sequence + 1, ring.next());
            if (!model.isEmpty()) {
                List<byte[]> held = ring.copy(ring.first(), sequence);
                List<byte[]> expected = new ArrayList<>(model);
                assertEquals(expected.size(), held.size());
                for (int i = 0; i < expected.size(); i++) {
                    assertArrayEquals(expected.get(i), held.get(i), "batch " + (modelFirst + i));
                }
                // and any one of them alone
                long one = modelFirst + (sequence % model.size());
                assertArrayEquals(expected.get((int) (one - modelFirst)), ring.copy(one, one).get(0));
            }
        }
    }

    @Test
    void refusesToCopyWhatItNoLongerHolds() {
        BatchRing ring = new BatchRing(2, 100);
        ring.add(new byte[] {1});
        ring.add(new byte[] {2});
        ring.add(new byte[] {3});
        assertEquals(2, ring.first());
        assertThrows(IllegalArgumentException.class, () -> ring.copy(1, 3));
        assertThrows(IllegalArgumentException.class, () -> ring.copy(2, 4));
        assertArrayEquals(new byte[] {3}, ring.copy(3, 3).get(0));
    }

    @Test
    void aBatchLargerThanTheRingEmptiesIt() {
        BatchRing ring = new BatchRing(4, 10);
        ring.add(new byte[4]);
        ring.add(new byte[11]);
        assertEquals(3, ring.first());
        assertEquals(3, ring.next());
        ring.add(new byte[] {7});
        assertArrayEquals(new byte[] {7}, ring.copy(3, 3).get(0));
    }
}
