package io.trademesh.futures.engine;

import io.trademesh.matching.Side;

/** An open order as margin sees it: whose, which side, how much is left, and whether it may only reduce. */
final class OpenOrder {
    final long orderId;
    final long accountId;
    final Contract contract;
    /** Its position, which stays while the order is open (a position with open orders is never dropped). */
    final Position position;
    final Side side;
    final boolean reduceOnly;
    long leaves;

    OpenOrder(long orderId, Position position, Side side, boolean reduceOnly, long leaves) {
        this.orderId = orderId;
        this.accountId = position.accountId;
        this.contract = position.contract;
        this.position = position;
        this.side = side;
        this.reduceOnly = reduceOnly;
        this.leaves = leaves;
    }
}
