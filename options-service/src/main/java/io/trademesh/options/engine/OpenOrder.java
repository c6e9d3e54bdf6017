package io.trademesh.options.engine;

import io.trademesh.matching.Side;

/** What the engine keeps of a resting order: its position, side, limit and what is left. */
final class OpenOrder {
    final long orderId;
    final Position position;
    final Side side;
    final boolean reduceOnly;
    /** Limit price; 0 for a market order (which never rests). */
    final long price;
    long leaves;
    /** Buy orders: the premium and fee still set aside in the position's buy reserve. */
    long reserve;

    OpenOrder(long orderId, Position position, Side side, boolean reduceOnly, long price, long leaves) {
        this.orderId = orderId;
        this.position = position;
        this.side = side;
        this.reduceOnly = reduceOnly;
        this.price = price;
        this.leaves = leaves;
    }
}
