package io.trademesh.matching;

/** One price of one side: a FIFO of orders (intrusive doubly linked list) and its aggregate. Pooled. */
final class PriceLevel {
    long price;
    long totalQuantity;
    int orderCount;
    Order head;
    Order tail;
    /** Free-list link while pooled. */
    PriceLevel nextFree;

    void append(final Order order) {
        order.level = this;
        order.prev = tail;
        order.next = null;
        if (tail == null) {
            head = order;
        } else {
            tail.next = order;
        }
        tail = order;
        orderCount++;
        totalQuantity += order.leaves();
    }

    void remove(final Order order) {
        final Order prev = order.prev;
        final Order next = order.next;
        if (prev == null) {
            head = next;
        } else {
            prev.next = next;
        }
        if (next == null) {
            tail = prev;
        } else {
            next.prev = prev;
        }
        order.prev = null;
        order.next = null;
        order.level = null;
        orderCount--;
        totalQuantity -= order.leaves();
    }

    void reset() {
        price = 0;
        totalQuantity = 0;
        orderCount = 0;
        head = null;
        tail = null;
        nextFree = null;
    }
}
