package io.trademesh.options.engine;

import io.trademesh.platform.errors.ReasonCategory;
import io.trademesh.platform.errors.ReasonCode;

/**
 * Why options refused a command before or instead of the order book. Like the book's own
 * refusals, a refusal changes nothing.
 */
public enum OptionsRejectReason implements ReasonCode {
    UNKNOWN_MARKET(ReasonCategory.NOT_FOUND),
    UNKNOWN_UNDERLYING(ReasonCategory.NOT_FOUND),
    MARKET_EXISTS(ReasonCategory.CONFLICT),
    /** The chain's definition is inconsistent (tick, lot, decimals, fees, strikes, expiry, window ...). */
    INVALID_MARKET(ReasonCategory.INVALID),
    /** Margin ratios, fee or band outside what the rule allows. */
    INVALID_PARAMS(ReasonCategory.INVALID),
    /** A volatility slice that is malformed or would allow calendar arbitrage. */
    INVALID_SURFACE(ReasonCategory.INVALID),
    /** Account 0 is the venue's. */
    INVALID_ACCOUNT(ReasonCategory.INVALID),
    /** Options trade by quantity: no market order by quote amount. */
    UNSUPPORTED_ORDER(ReasonCategory.UNSUPPORTED),
    UNKNOWN_ORDER(ReasonCategory.NOT_FOUND),
    /** The wallet does not cover the account's initial margin with this order. */
    INSUFFICIENT_MARGIN(ReasonCategory.REFUSED),
    /** The wallet does not cover the premium of the buy orders (or a withdrawal above what margin leaves free). */
    INSUFFICIENT_FUNDS(ReasonCategory.REFUSED),
    /** A reduce-only order that would not only shrink the position. */
    REDUCE_ONLY(ReasonCategory.REFUSED),
    /** A limit price outside the band around the mark. */
    PRICE_OUT_OF_BAND(ReasonCategory.REFUSED),
    /** No fresh index price or no volatility for the expiry: orders that add risk wait until there is a mark. */
    INDEX_STALE(ReasonCategory.RETRY),
    /** The instrument has expired (or is settling). */
    INSTRUMENT_EXPIRED(ReasonCategory.REFUSED),
    KILL_SWITCH(ReasonCategory.REFUSED),
    OPEN_ORDER_LIMIT(ReasonCategory.REFUSED),
    ORDER_NOTIONAL_LIMIT(ReasonCategory.REFUSED);

    private final ReasonCategory category;

    OptionsRejectReason(ReasonCategory category) {
        this.category = category;
    }

    @Override
    public ReasonCategory category() {
        return category;
    }
}
