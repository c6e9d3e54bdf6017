package io.trademesh.matching;

/**
 * Open orders by (account id, client order id): an open-addressing table of order references with linear probing
 * and backward-shift deletion (no tombstones). The key lives in the order itself, so the table holds nothing else.
 * Never iterated, so its layout cannot influence any output.
 */
final class ClientOrderIndex {
    private Order[] table;
    private int mask;
    private int size;

    ClientOrderIndex(final int expectedOrders) {
        int capacity = 16;
        while (capacity < expectedOrders * 2) {
            capacity <<= 1;
        }
        table = new Order[capacity];
        mask = capacity - 1;
    }

    int size() {
        return size;
    }

    Order get(final long accountId, final long clientOrderId) {
        int index = slot(accountId, clientOrderId);
        Order candidate;
        while ((candidate = table[index]) != null) {
            if (candidate.accountId == accountId && candidate.clientOrderId == clientOrderId) {
                return candidate;
            }
            index = (index + 1) & mask;
        }
        return null;
    }

    /** Adds an order whose key is not present. */
    void put(final Order order) {
        if ((size + 1) * 2 > table.length) {
            resize(table.length * 2);
        }
        int index = slot(order.accountId, order.clientOrderId);
        while (table[index] != null) {
            index = (index + 1) & mask;
        }
        table[index] = order;
        size++;
    }

    void remove(final Order order) {
        int index = slot(order.accountId, order.clientOrderId);
        while (table[index] != order) {
            if (table[index] == null) {
                return;
            }
            index = (index + 1) & mask;
        }
        table[index] = null;
        size--;
        int hole = index;
        int probe = index;
        while (true) {
            probe = (probe + 1) & mask;
            final Order moved = table[probe];
            if (moved == null) {
                return;
            }
            final int home = slot(moved.accountId, moved.clientOrderId);
            // Move the entry into the hole unless its home lies cyclically in (hole, probe].
            final boolean homeBetween = hole <= probe ? home > hole && home <= probe : home > hole || home <= probe;
            if (!homeBetween) {
                table[hole] = moved;
                table[probe] = null;
                hole = probe;
            }
        }
    }

    void clear() {
        java.util.Arrays.fill(table, null);
        size = 0;
    }

    private int slot(final long accountId, final long clientOrderId) {
        long h = accountId * 0x9E3779B97F4A7C15L + clientOrderId * 0xC2B2AE3D27D4EB4FL;
        h ^= h >>> 29;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 32;
        return (int) h & mask;
    }

    private void resize(final int capacity) {
        final Order[] old = table;
        table = new Order[capacity];
        mask = capacity - 1;
        for (final Order order : old) {
            if (order != null) {
                int index = slot(order.accountId, order.clientOrderId);
                while (table[index] != null) {
                    index = (index + 1) & mask;
                }
                table[index] = order;
            }
        }
    }
}
