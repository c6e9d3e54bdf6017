package io.trademesh.matching;

/**
 * A pooled order. Intrusive links put it in three places at once: the FIFO of its price level ({@link #prev},
 * {@link #next}), the list of its account's open orders ({@link #accountPrev}, {@link #accountNext}; kept in
 * ascending order id) and the expiry heap ({@link #heapIndex}, GTD only).
 */
final class Order implements OrderView {
    static final int NOT_IN_HEAP = -1;

    long orderId;
    long accountId;
    long clientOrderId;
    Side side;
    OrderType type;
    TimeInForce timeInForce;
    SelfTradePrevention selfTradePrevention;
    long price;
    long quantity;
    long filled;
    /** Market order by quote amount: the amount still to spend/receive. */
    long quoteRemaining;
    boolean byQuote;
    long expireAtMs;
    long priority;
    /**
     * Fee rounding state: (sum of notional * bps over this order's fills) - 10,000 * (fees charged so far); always in
     * (-10_000, 0]. See {@link Fees}.
     */
    long feeResidual;
    /** The owner's amount kept against this order (spot: the funds it reserved); carried, never read, by the book. */
    long hold;

    PriceLevel level;
    Order prev;
    Order next;
    Account account;
    Order accountPrev;
    Order accountNext;
    int heapIndex = NOT_IN_HEAP;

    long leaves() {
        return quantity - filled;
    }

    /**
     * Charges the fee for one more fill of {@code notional} at {@code bps}, keeping the order's total fee equal to
     * {@code ceil(sum(notional_i * bps_i) / 10_000)}; returns the fee for this fill.
     */
    long chargeFee(final long notional, final int bps) {
        final long whole = notional / Fees.BPS_PER_UNIT;
        final long scaledRest = feeResidual + (notional % Fees.BPS_PER_UNIT) * bps;
        final long roundedUp = Fees.ceilDiv(scaledRest, Fees.BPS_PER_UNIT);
        feeResidual = scaledRest - roundedUp * Fees.BPS_PER_UNIT;
        return whole * bps + roundedUp;
    }

    /** Clears every field before the object goes back to the pool. */
    void reset() {
        orderId = 0;
        accountId = 0;
        clientOrderId = 0;
        side = null;
        type = null;
        timeInForce = null;
        selfTradePrevention = null;
        price = 0;
        quantity = 0;
        filled = 0;
        quoteRemaining = 0;
        byQuote = false;
        expireAtMs = 0;
        priority = 0;
        feeResidual = 0;
        hold = 0;
        level = null;
        prev = null;
        next = null;
        account = null;
        accountPrev = null;
        accountNext = null;
        heapIndex = NOT_IN_HEAP;
    }

    @Override
    public long orderId() {
        return orderId;
    }

    @Override
    public long accountId() {
        return accountId;
    }

    @Override
    public long clientOrderId() {
        return clientOrderId;
    }

    @Override
    public Side side() {
        return side;
    }

    @Override
    public OrderType orderType() {
        return type;
    }

    @Override
    public TimeInForce timeInForce() {
        return timeInForce;
    }

    @Override
    public SelfTradePrevention selfTradePrevention() {
        return selfTradePrevention;
    }

    @Override
    public long price() {
        return price;
    }

    @Override
    public long quantity() {
        return quantity;
    }

    @Override
    public long filledQuantity() {
        return filled;
    }

    @Override
    public long leavesQuantity() {
        return quantity - filled;
    }

    @Override
    public long expireAtMs() {
        return expireAtMs;
    }

    @Override
    public long hold() {
        return hold;
    }

    @Override
    public long priority() {
        return priority;
    }

    @Override
    public String toString() {
        return "Order{id=" + orderId + ", account=" + accountId + ", clientId=" + clientOrderId + ", " + side + ' '
            + type + ' ' + timeInForce + ", price=" + price + ", qty=" + quantity + ", filled=" + filled
            + ", priority=" + priority + '}';
    }
}
