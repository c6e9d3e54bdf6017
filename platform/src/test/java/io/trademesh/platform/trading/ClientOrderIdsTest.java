package io.trademesh.platform.trading;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientOrderIdsTest {

    private final List<Long> forgotten = new ArrayList<>();

    @Test
    void anOpenOrderHoldsItsIdAndAFinishedOneKeepsItForTheWindow() {
        ClientOrderIds ids = new ClientOrderIds(1_000, 10);
        ids.open(7, "a", 1);
        assertEquals(1, ids.orderId(7, "a"));
        assertEquals(0, ids.orderId(8, "a"), "ids are per account");
        ids.done(1, 5_000, forgotten::add);
        assertEquals(1, ids.orderId(7, "a"), "retained after the order finished");
        assertEquals("a", ids.clientOrderId(1));

        ids.expire(5_999, forgotten::add);
        assertEquals(1, ids.orderId(7, "a"), "still inside the window");
        ids.expire(6_000, forgotten::add);
        assertEquals(0, ids.orderId(7, "a"));
        assertNull(ids.clientOrderId(1));
        assertEquals(List.of(1L), forgotten);
    }

    @Test
    void aRejectedOrderFreesItsIdAtOnce() {
        ClientOrderIds ids = new ClientOrderIds();
        ids.open(7, "a", 1);
        ids.release(1);
        assertEquals(0, ids.orderId(7, "a"));
        assertTrue(forgotten.isEmpty());
    }

    @Test
    void eachAccountKeepsAtMostItsCountOfFinishedIdsOldestForgottenFirst() {
        ClientOrderIds ids = new ClientOrderIds(1_000_000, 3);
        for (int i = 1; i <= 5; i++) {
            ids.open(7, "c" + i, i);
            ids.done(i, i, forgotten::add);
        }
        ids.open(8, "other", 100);
        ids.done(100, 10, forgotten::add);
        assertEquals(List.of(1L, 2L), forgotten);
        assertEquals(0, ids.orderId(7, "c2"));
        assertEquals(3, ids.orderId(7, "c3"));
        assertEquals(100, ids.orderId(8, "other"));
        // Ids forgotten by count are not reported again when their time comes.
        ids.expire(2_000_000, forgotten::add);
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 100L), forgotten);
        for (String cid : List.of("c3", "c4", "c5")) {
            assertEquals(0, ids.orderId(7, cid), cid + " is forgotten");
        }
        assertEquals(0, ids.orderId(8, "other"));
    }

    @Test
    void aSnapshotRestoresTheSameIdsAndWritesTheSameBytes() throws IOException {
        ClientOrderIds ids = new ClientOrderIds(1_000, 2);
        ids.open(1, "open-b", 20);
        ids.open(1, "open-a", 10);
        for (int i = 1; i <= 3; i++) {
            ids.open(2, "d" + i, 100 + i);
            ids.done(100 + i, 50 + i, forgotten::add);
        }
        byte[] bytes = write(ids);
        ClientOrderIds restored = new ClientOrderIds(1_000, 2);
        restored.read(new DataInputStream(new ByteArrayInputStream(bytes)));
        assertArrayEquals(bytes, write(restored));
        assertEquals(10, restored.orderId(1, "open-a"));
        assertEquals("open-a", restored.clientOrderId(10));
        assertEquals(0, restored.orderId(2, "d1"));
        assertEquals(103, restored.orderId(2, "d3"));
        assertEquals("d3", restored.clientOrderId(103));
        List<Long> later = new ArrayList<>();
        restored.expire(1_052, later::add);
        assertEquals(List.of(102L), later, "the restored window runs from the original finishing time");
    }

    private static byte[] write(ClientOrderIds ids) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ids.write(new DataOutputStream(bytes));
        return bytes.toByteArray();
    }
}
