package io.trademesh.matching;

/**
 * GTD orders in a binary min-heap keyed by (expireAtMs, orderId). The key is a total order, so orders leave in the
 * same sequence whatever the heap's internal layout (which differs after a snapshot restore). Each order remembers
 * its slot, so a cancel or fill removes it in O(log n).
 */
final class ExpiryQueue {
    private Order[] heap;
    private int size;

    ExpiryQueue(final int initialCapacity) {
        heap = new Order[Math.max(16, initialCapacity)];
    }

    int size() {
        return size;
    }

    /** The order that expires first, or null. */
    Order peek() {
        return size == 0 ? null : heap[0];
    }

    void add(final Order order) {
        if (size == heap.length) {
            heap = java.util.Arrays.copyOf(heap, size * 2);
        }
        heap[size] = order;
        order.heapIndex = size;
        size++;
        siftUp(size - 1);
    }

    void remove(final Order order) {
        final int index = order.heapIndex;
        order.heapIndex = Order.NOT_IN_HEAP;
        size--;
        if (index == size) {
            heap[size] = null;
            return;
        }
        final Order last = heap[size];
        heap[size] = null;
        heap[index] = last;
        last.heapIndex = index;
        siftDown(index);
        siftUp(last.heapIndex);
    }

    void clear() {
        for (int i = 0; i < size; i++) {
            heap[i].heapIndex = Order.NOT_IN_HEAP;
            heap[i] = null;
        }
        size = 0;
    }

    private static boolean before(final Order a, final Order b) {
        return a.expireAtMs < b.expireAtMs || (a.expireAtMs == b.expireAtMs && a.orderId < b.orderId);
    }

    private void siftUp(int index) {
        final Order order = heap[index];
        while (index > 0) {
            final int parent = (index - 1) >>> 1;
            final Order parentOrder = heap[parent];
            if (!before(order, parentOrder)) {
                break;
            }
            heap[index] = parentOrder;
            parentOrder.heapIndex = index;
            index = parent;
        }
        heap[index] = order;
        order.heapIndex = index;
    }

    private void siftDown(int index) {
        final Order order = heap[index];
        final int half = size >>> 1;
        while (index < half) {
            int child = 2 * index + 1;
            final int right = child + 1;
            if (right < size && before(heap[right], heap[child])) {
                child = right;
            }
            if (!before(heap[child], order)) {
                break;
            }
            heap[index] = heap[child];
            heap[index].heapIndex = index;
            index = child;
        }
        heap[index] = order;
        order.heapIndex = index;
    }
}
