package io.trademesh.matching;

import java.util.ArrayList;
import java.util.List;

/** An immutable copy of one resting order, taken through the L3 view. */
record Resting(Side side, long price, long orderId, long accountId, long clientOrderId, TimeInForce timeInForce,
               long quantity, long filled, long expireAtMs, long priority) {

    static Resting of(final OrderView order) {
        return new Resting(order.side(), order.price(), order.orderId(), order.accountId(), order.clientOrderId(),
            order.timeInForce(), order.quantity(), order.filledQuantity(), order.expireAtMs(), order.priority());
    }

    long leaves() {
        return quantity - filled;
    }

    /** Every resting order of one side in priority order. */
    static List<Resting> side(final OrderBook book, final Side side) {
        final List<Resting> out = new ArrayList<>();
        book.orders(side, order -> out.add(of(order)));
        return out;
    }

    /** Bids then asks, each in priority order. */
    static List<Resting> all(final OrderBook book) {
        final List<Resting> out = side(book, Side.BUY);
        out.addAll(side(book, Side.SELL));
        return out;
    }
}
