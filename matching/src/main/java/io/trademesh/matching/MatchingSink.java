package io.trademesh.matching;

/**
 * Receives every output of an {@link OrderBook}, synchronously, on the thread that called the command.
 *
 * <p>All arguments are primitives or enum constants, so producing an event allocates nothing. Each call carries the
 * market's {@code sequence}: it starts at 1 and goes up by exactly one per event, in the order the events are
 * delivered, across all event kinds; a consumer that sees the full stream of a market detects a gap by a jump.
 * A command that is refused produces exactly one event ({@link #onRejected}).
 *
 * <p>Events of one command arrive in this order: first what the clock advance did (GTD expiries, a due auction),
 * then the command's own events. For a new order in continuous mode: {@code onAccepted}, then for each price level it
 * trades through, the fills against that level (each followed by the maker's {@code onDone} if the maker is finished)
 * and one {@code onBookDelta} for the level, then either an {@code onBookDelta} for the level the rest of the order
 * joins, or the order's {@code onDone}.
 *
 * <p>An implementation must not throw and must not call back into the book. If it throws, the book is in an undefined
 * state and the shard that owns it must stop (the exception propagates to the caller of the command).
 */
public interface MatchingSink {

    /**
     * A new order passed validation. For market orders {@code price} is 0; for market orders by quote amount
     * {@code quantity} is 0 and {@code quoteQuantity} is the amount to spend (buy) or receive (sell).
     * {@code expireAtMs} is 0 unless the order is GTD.
     */
    void onAccepted(int marketId, long sequence, long orderId, long accountId, long clientOrderId, Side side,
                    OrderType type, TimeInForce timeInForce, SelfTradePrevention selfTradePrevention, long price,
                    long quantity, long quoteQuantity, long expireAtMs);

    /**
     * A command was refused and changed nothing. {@code orderId} is the new order's id, or the target of a cancel or
     * amend (0 when the target was named by client order id). {@code existingOrderId} is the open order holding the
     * client order id when {@code reason} is {@link RejectReason#DUPLICATE_CLIENT_ORDER_ID}, otherwise 0.
     */
    void onRejected(int marketId, long sequence, CommandType command, long orderId, long accountId,
                    long clientOrderId, RejectReason reason, long existingOrderId);

    /**
     * An amend was applied. {@code quantity} is the order's new total quantity (filled part included) and
     * {@code leavesQuantity} what is left to fill; an amend to a quantity at or below the filled quantity reports
     * {@code quantity == filled}, {@code leavesQuantity == 0} and is followed by {@code onDone(FILLED)}.
     * {@code keptPriority} is false when the order moved to the back of its (new) price level.
     */
    void onAmended(int marketId, long sequence, long orderId, long accountId, long clientOrderId, long price,
                   long quantity, long leavesQuantity, boolean keptPriority);

    /**
     * A trade. {@code price} is the maker's price (the clearing price in an auction); fees are in quote units, signed
     * (negative = rebate), computed per order as described in {@link Fees}. {@code takerSide} is the side of the
     * taker order. In an auction ({@code auction == true}) the order that has waited longer is the maker.
     */
    void onFill(int marketId, long sequence, long tradeId, long price, long quantity, Side takerSide,
                long makerOrderId, long makerAccountId, long makerFee, long takerOrderId, long takerAccountId,
                long takerFee, boolean auction);

    /**
     * An accepted order is finished and gone from the book. {@code remainingQuantity} is the unfilled quantity that was
     * cancelled or expired (0 when filled). For a market order by quote amount, {@code remainingQuantity} is 0 and
     * {@code remainingQuote} is the unspent amount; it is 0 for all other orders.
     */
    void onDone(int marketId, long sequence, long orderId, long accountId, long clientOrderId, DoneReason reason,
                long filledQuantity, long remainingQuantity, long remainingQuote);

    /** A price level changed: its new total resting quantity and order count (both 0 when the level is gone). */
    void onBookDelta(int marketId, long sequence, Side side, long price, long totalQuantity, int orderCount);

    /** An auction round uncrossed the book at {@code price}, trading {@code quantity} in the fills just delivered. */
    void onAuction(int marketId, long sequence, long price, long quantity);
}
