package io.trademesh.matching;

/**
 * Why an order left the book (or never entered it after being accepted).
 *
 * <p>Order statuses map it coarsely: {@link #FILLED} is FILLED; {@link #CANCELLED} and {@link #MASS_CANCELLED} are
 * CANCELLED; {@link #EXPIRED}, {@link #IOC_REMAINDER} and {@link #SELF_TRADE_PREVENTION} are EXPIRED.
 */
public enum DoneReason {
    /** Fully filled; also an order amended down to (or below) its filled quantity. */
    FILLED,
    /** Cancelled by a cancel command. */
    CANCELLED,
    /** Cancelled by a mass cancel of its account. */
    MASS_CANCELLED,
    /** A GTD order whose expiry time was reached by the command clock. */
    EXPIRED,
    /**
     * The unfilled rest of an IOC or market order: the book had no more matching liquidity (or none inside the
     * price band). In auction mode, an IOC order left over after the auction.
     */
    IOC_REMAINDER,
    /** Expired by self-trade prevention, as taker or as maker. */
    SELF_TRADE_PREVENTION
}
