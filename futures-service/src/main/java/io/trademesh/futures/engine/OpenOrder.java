package io.trademesh.futures.engine;

import io.trademesh.matching.Side;

/** An open order as margin sees it: whose, which side, how much is left, and whether it may only reduce. */
final class OpenOrder {
    final long orderId;
    final long accountId;
    final Contract contract;
    final Side side;
    final boolean reduceOnly;
    long leaves;

    OpenOrder(long orderId, long accountId, Contract contract, Side side, boolean reduceOnly, long leaves) {
        this.orderId = orderId;
        this.accountId = accountId;
        this.contract = contract;
        this.side = side;
        this.reduceOnly = reduceOnly;
        this.leaves = leaves;
    }
}
