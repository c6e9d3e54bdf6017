package io.trademesh.spot.engine;

/**
 * Why spot refused a command before or instead of the order book. Like the book's own
 * {@link io.trademesh.matching.RejectReason}s, a refusal changes nothing.
 */
public enum SpotRejectReason {
    /** The market does not exist. */
    UNKNOWN_MARKET,
    /** The asset is not traded in any market. */
    UNKNOWN_ASSET,
    /** A market with this symbol exists already. */
    MARKET_EXISTS,
    /** The market's definition is inconsistent (tick, lot, decimals, fees ...). */
    INVALID_MARKET,
    /** Account id 0 is the venue's fee account and cannot trade or transfer. */
    INVALID_ACCOUNT,
    /** Zero or negative amount. */
    INVALID_AMOUNT,
    /** The available balance does not cover what the order must reserve or the debit takes. */
    INSUFFICIENT_FUNDS,
    /** An order shape spot does not offer (a market sell by quote amount). */
    UNSUPPORTED_ORDER,
    /** The balance would overflow. */
    BALANCE_OVERFLOW,
    /** Cancel or amend of an order that is not open. */
    UNKNOWN_ORDER,
    /** risk-service's kill switch is on for the account: no new orders. */
    KILL_SWITCH,
    /** The account has as many open spot orders as risk-service allows. */
    OPEN_ORDER_LIMIT,
    /** The order's value is above what risk-service allows the account per order. */
    ORDER_NOTIONAL_LIMIT
}
