package io.trademesh.matching;

/**
 * Why a command was refused. A refused command changes nothing in the book; it only produces the
 * {@link MatchingSink#onRejected rejection event} (which takes a sequence number).
 */
public enum RejectReason {
    /** A required field is null, a field that must be zero is not, or the fields contradict each other. */
    MALFORMED_COMMAND,
    /** The order id is not greater than every order id this book has seen. */
    ORDER_ID_NOT_INCREASING,
    /** Price is zero or negative, above {@link MarketConfig#maxPrice()}, or given for a market order. */
    INVALID_PRICE,
    /** Price is not a multiple of the tick size. */
    PRICE_NOT_ON_TICK,
    /** Quantity (or quote quantity) is zero or negative. */
    INVALID_QUANTITY,
    /** Quantity is not a multiple of the lot size. */
    QUANTITY_NOT_ON_LOT,
    QUANTITY_BELOW_MIN,
    /** Quantity is above the maximum, or resting it would overflow the side's total quantity. */
    QUANTITY_ABOVE_MAX,
    /** price * quantity / notionalDivisor (or the quote amount of a market order by quote) is below the minimum. */
    NOTIONAL_BELOW_MIN,
    /** The quote amount of a market order by quote is above {@link MarketConfig#maxNotional()}. */
    NOTIONAL_ABOVE_MAX,
    /** The limit price is outside the band around the reference (last trade) price. */
    PRICE_OUTSIDE_BAND,
    /** The time in force is not allowed for this order type (a market order must be IOC or FOK). */
    INVALID_TIME_IN_FORCE,
    /** A GTD order whose expiry time is not after the command clock. */
    EXPIRE_TIME_IN_PAST,
    /** Market, FOK and post-only orders are refused by a book in auction mode. */
    NOT_ALLOWED_IN_AUCTION,
    /** The account already has {@link MarketConfig#maxOpenOrdersPerAccount()} open orders in this book. */
    MAX_OPEN_ORDERS,
    /** The account already has an open order with this client order id; the rejection names that order. */
    DUPLICATE_CLIENT_ORDER_ID,
    /** A post-only order (or the amend of one) would trade on arrival. */
    POST_ONLY_WOULD_TAKE,
    /** A fill-or-kill order cannot be filled completely right now. */
    FOK_CANNOT_FILL,
    /** A market order finds no matching liquidity (inside the price band) on the other side. */
    NO_LIQUIDITY,
    /** Cancel or amend of an order that is not open in this book for this account. */
    UNKNOWN_ORDER
}
