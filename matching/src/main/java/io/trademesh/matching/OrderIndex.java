package io.trademesh.matching;

import java.util.Arrays;

/**
 * The open orders of a book by order id: an open-addressing table of the orders themselves, probed linearly, with
 * the id read from the order. A map with separate key and value arrays costs two cache misses before the order is
 * even reached; here the one slot leads to the order, which the caller reads next anyway. With a thousand markets
 * and a million resting orders that first touch was the largest single cost of an amend or a cancel. Kept at most
 * half full so that a probe rarely reads a second order; deletion shifts the run back, so there are no tombstones.
 */
final class OrderIndex {
    private Order[] slots;
    private int mask;
    private int shift;
    private int size;

    OrderIndex(final int expected) {
        allocate(Math.max(16, Integer.highestOneBit(Math.max(1, expected) * 2 - 1) << 1));
    }

    int size() {
        return size;
    }

    Order get(final long orderId) {
        final Order[] table = slots;
        for (int i = slot(orderId); ; i = (i + 1) & mask) {
            final Order order = table[i];
            if (order == null || order.orderId == orderId) {
                return order;
            }
        }
    }

    /** Adds an order; returns false (and adds nothing) if one with its id is already there. */
    boolean add(final Order order) {
        if ((size + 1) * 2 > slots.length) {
            grow();
        }
        int i = slot(order.orderId);
        for (Order at = slots[i]; at != null; at = slots[i]) {
            if (at.orderId == order.orderId) {
                return false;
            }
            i = (i + 1) & mask;
        }
        slots[i] = order;
        size++;
        return true;
    }

    void remove(final long orderId) {
        int hole = slot(orderId);
        while (slots[hole] != null && slots[hole].orderId != orderId) {
            hole = (hole + 1) & mask;
        }
        if (slots[hole] == null) {
            return;
        }
        size--;
        // Shift back every later order of the run that may sit at the hole (its home is not between hole and it).
        for (int i = (hole + 1) & mask; slots[i] != null; i = (i + 1) & mask) {
            final int home = slot(slots[i].orderId);
            if (((i - home) & mask) >= ((i - hole) & mask)) {
                slots[hole] = slots[i];
                hole = i;
            }
        }
        slots[hole] = null;
    }

    void clear() {
        Arrays.fill(slots, null);
        size = 0;
    }

    private int slot(final long orderId) {
        return (int) ((orderId * 0x9E3779B97F4A7C15L) >>> shift); // Fibonacci hashing: the top bits
    }

    private void allocate(final int capacity) {
        slots = new Order[capacity];
        mask = capacity - 1;
        shift = 64 - Integer.numberOfTrailingZeros(capacity);
    }

    private void grow() {
        final Order[] old = slots;
        allocate(old.length * 2);
        for (final Order order : old) {
            if (order != null) {
                int i = slot(order.orderId);
                while (slots[i] != null) {
                    i = (i + 1) & mask;
                }
                slots[i] = order;
            }
        }
    }
}
