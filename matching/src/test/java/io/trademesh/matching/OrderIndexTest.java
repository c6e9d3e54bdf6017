package io.trademesh.matching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The order index against a plain map, through growth and many removals (the backward shift is the risky part). */
class OrderIndexTest {

    @Test
    void agreesWithAMapThroughAddsRemovesAndGrowth() {
        for (long seed = 1; seed <= 20; seed++) {
            Random random = new Random(seed);
            OrderIndex index = new OrderIndex(4);
            Map<Long, Order> reference = new HashMap<>();
            List<Long> ids = new ArrayList<>();
            long nextId = 1;
            for (int step = 0; step < 20_000; step++) {
                if (ids.isEmpty() || random.nextInt(100) < 55) {
                    // Ids as spot hands them out (rising, with gaps from other markets), sometimes dense.
                    nextId += random.nextInt(100) < 50 ? 1 : 1 + random.nextInt(1_000);
                    Order order = new Order();
                    order.orderId = nextId;
                    assertTrue(index.add(order));
                    reference.put(nextId, order);
                    ids.add(nextId);
                } else {
                    long id = ids.remove(random.nextInt(ids.size()));
                    index.remove(id);
                    reference.remove(id);
                    assertNull(index.get(id));
                }
                if (step % 997 == 0) {
                    for (Map.Entry<Long, Order> e : reference.entrySet()) {
                        assertSame(e.getValue(), index.get(e.getKey()), "seed " + seed + " step " + step);
                    }
                }
            }
            assertEquals(reference.size(), index.size());
            for (Map.Entry<Long, Order> e : reference.entrySet()) {
                assertSame(e.getValue(), index.get(e.getKey()));
            }
            assertNull(index.get(nextId + 1));
        }
    }

    @Test
    void refusesASecondOrderWithTheSameIdAndForgetsAnUnknownRemoval() {
        OrderIndex index = new OrderIndex(16);
        Order first = new Order();
        first.orderId = 42;
        Order second = new Order();
        second.orderId = 42;
        assertTrue(index.add(first));
        assertFalse(index.add(second));
        index.remove(7);
        assertEquals(1, index.size());
        assertSame(first, index.get(42));
        index.clear();
        assertNull(index.get(42));
        assertEquals(0, index.size());
    }
}
