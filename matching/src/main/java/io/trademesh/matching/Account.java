package io.trademesh.matching;

/** An account with open orders in one book: its count and its orders in ascending order id. Pooled. */
final class Account {
    long accountId;
    int openOrders;
    Order head;
    Order tail;
    Account nextFree;

    /** Links {@code order} in ascending order-id position (a new order's id is the largest, so this is O(1)). */
    void add(final Order order) {
        Order after = tail;
        while (after != null && after.orderId > order.orderId) {
            after = after.accountPrev;
        }
        final Order before = after == null ? head : after.accountNext;
        order.accountPrev = after;
        order.accountNext = before;
        if (after == null) {
            head = order;
        } else {
            after.accountNext = order;
        }
        if (before == null) {
            tail = order;
        } else {
            before.accountPrev = order;
        }
        order.account = this;
        openOrders++;
    }

    void remove(final Order order) {
        final Order prev = order.accountPrev;
        final Order next = order.accountNext;
        if (prev == null) {
            head = next;
        } else {
            prev.accountNext = next;
        }
        if (next == null) {
            tail = prev;
        } else {
            next.accountPrev = prev;
        }
        order.accountPrev = null;
        order.accountNext = null;
        order.account = null;
        openOrders--;
    }

    void reset() {
        accountId = 0;
        openOrders = 0;
        head = null;
        tail = null;
        nextFree = null;
    }
}
