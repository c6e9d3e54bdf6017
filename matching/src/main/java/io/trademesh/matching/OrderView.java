package io.trademesh.matching;

/**
 * Read-only view of an open order, handed out by {@link OrderBook#order}, {@link OrderBook#orderByClientOrderId}
 * and {@link OrderVisitor}. It is a live view of a pooled object: read it at once and do not keep it, because it
 * changes with the next command and is reused for another order once this one is done.
 */
public interface OrderView {
    long orderId();

    long accountId();

    /** 0 when the order has no client order id. */
    long clientOrderId();

    Side side();

    OrderType orderType();

    TimeInForce timeInForce();

    SelfTradePrevention selfTradePrevention();

    long price();

    /** Total quantity, filled part included (changed by amends). */
    long quantity();

    long filledQuantity();

    /** {@code quantity() - filledQuantity()}: what rests in the book. */
    long leavesQuantity();

    /** 0 unless GTD. */
    long expireAtMs();

    /**
     * The order's place in time priority: assigned from a per-book counter when the order joins the back of a level
     * (on arrival, or when an amend loses priority). Lower is earlier.
     */
    long priority();

    /**
     * What the book's owner keeps against this order, as set by {@link NewOrder#hold} and
     * {@link OrderBook#setHold}; the book carries it (snapshots included) and never reads it. Spot keeps the funds an
     * order reserved here, so that the reservation is on the order it belongs to and not one more random access.
     */
    long hold();
}
