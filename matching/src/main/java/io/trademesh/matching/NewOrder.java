package io.trademesh.matching;

/**
 * The new-order command: a mutable, reusable holder the caller fills and passes to {@link OrderBook#placeOrder}.
 * The book copies what it needs; the holder may be reused at once.
 *
 * <pre>{@code
 * cmd.clear().timestampMs(now).orderId(id).accountId(acct).clientOrderId(cid)
 *    .side(Side.BUY).limit(price, qty).timeInForce(TimeInForce.GTC);
 * book.placeOrder(cmd);
 * }</pre>
 *
 * <p>{@link #clear()} sets: LIMIT, GTC, EXPIRE_TAKER, and 0 for every number (side stays null until set).
 * {@code clientOrderId} 0 means "none": such orders are not indexed by client id and never duplicates. The caller
 * maps external (string) client order ids to non-zero longs, injectively per account, before the command is
 * journaled, so that replay sees the same longs.
 */
public final class NewOrder {
    private long timestampMs;
    private long orderId;
    private long accountId;
    private long clientOrderId;
    private Side side;
    private OrderType type = OrderType.LIMIT;
    private TimeInForce timeInForce = TimeInForce.GTC;
    private SelfTradePrevention selfTradePrevention = SelfTradePrevention.EXPIRE_TAKER;
    private long price;
    private long quantity;
    private long quoteQuantity;
    private long expireAtMs;
    private long hold;

    public NewOrder clear() {
        timestampMs = 0;
        orderId = 0;
        accountId = 0;
        clientOrderId = 0;
        side = null;
        type = OrderType.LIMIT;
        timeInForce = TimeInForce.GTC;
        selfTradePrevention = SelfTradePrevention.EXPIRE_TAKER;
        price = 0;
        quantity = 0;
        quoteQuantity = 0;
        expireAtMs = 0;
        hold = 0;
        return this;
    }

    /** Type LIMIT with this price and quantity (quote quantity 0). Time in force is left as set. */
    public NewOrder limit(final long price, final long quantity) {
        this.type = OrderType.LIMIT;
        this.price = price;
        this.quantity = quantity;
        this.quoteQuantity = 0;
        return this;
    }

    /** Type MARKET for a base quantity, time in force IOC (set FOK afterwards for all-or-nothing). */
    public NewOrder market(final long quantity) {
        this.type = OrderType.MARKET;
        this.price = 0;
        this.quantity = quantity;
        this.quoteQuantity = 0;
        this.timeInForce = TimeInForce.IOC;
        return this;
    }

    /**
     * Type MARKET for a quote amount: a buy spends at most {@code quoteQuantity}, a sell receives at most that much.
     * Time in force IOC (FOK: only if the amount can be used up to less than one lot's worth).
     */
    public NewOrder marketByQuote(final long quoteQuantity) {
        this.type = OrderType.MARKET;
        this.price = 0;
        this.quantity = 0;
        this.quoteQuantity = quoteQuantity;
        this.timeInForce = TimeInForce.IOC;
        return this;
    }

    public NewOrder timestampMs(final long value) {
        timestampMs = value;
        return this;
    }

    public NewOrder orderId(final long value) {
        orderId = value;
        return this;
    }

    public NewOrder accountId(final long value) {
        accountId = value;
        return this;
    }

    public NewOrder clientOrderId(final long value) {
        clientOrderId = value;
        return this;
    }

    public NewOrder side(final Side value) {
        side = value;
        return this;
    }

    public NewOrder type(final OrderType value) {
        type = value;
        return this;
    }

    public NewOrder timeInForce(final TimeInForce value) {
        timeInForce = value;
        return this;
    }

    public NewOrder selfTradePrevention(final SelfTradePrevention value) {
        selfTradePrevention = value;
        return this;
    }

    public NewOrder price(final long value) {
        price = value;
        return this;
    }

    public NewOrder quantity(final long value) {
        quantity = value;
        return this;
    }

    public NewOrder quoteQuantity(final long value) {
        quoteQuantity = value;
        return this;
    }

    /** Only for GTD: the order expires when a command's timestamp is >= this. */
    public NewOrder expireAtMs(final long value) {
        expireAtMs = value;
        return this;
    }

    public long timestampMs() {
        return timestampMs;
    }

    public long orderId() {
        return orderId;
    }

    public long accountId() {
        return accountId;
    }

    public long clientOrderId() {
        return clientOrderId;
    }

    public Side side() {
        return side;
    }

    public OrderType type() {
        return type;
    }

    public TimeInForce timeInForce() {
        return timeInForce;
    }

    public SelfTradePrevention selfTradePrevention() {
        return selfTradePrevention;
    }

    public long price() {
        return price;
    }

    public long quantity() {
        return quantity;
    }

    public long quoteQuantity() {
        return quoteQuantity;
    }

    public long expireAtMs() {
        return expireAtMs;
    }

    /** The owner's amount to keep on the order (see {@link OrderView#hold}); 0 after {@link #clear()}. */
    public NewOrder hold(final long value) {
        hold = value;
        return this;
    }

    public long hold() {
        return hold;
    }

    @Override
    public String toString() {
        return "NewOrder{ts=" + timestampMs + ", id=" + orderId + ", account=" + accountId + ", clientId="
            + clientOrderId + ", " + side + ' ' + type + ' ' + timeInForce + ' ' + selfTradePrevention + ", price="
            + price + ", qty=" + quantity + ", quoteQty=" + quoteQuantity + ", expireAt=" + expireAtMs + '}';
    }
}
