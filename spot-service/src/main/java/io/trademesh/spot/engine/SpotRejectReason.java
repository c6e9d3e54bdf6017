package io.trademesh.spot.engine;

import io.trademesh.platform.errors.ReasonCategory;
import io.trademesh.platform.errors.ReasonCode;

/**
 * Why spot refused a command before or instead of the order book. Like the book's own
 * {@link io.trademesh.matching.RejectReason}s, a refusal changes nothing.
 */
public enum SpotRejectReason implements ReasonCode {
    /** The market does not exist. */
    UNKNOWN_MARKET(ReasonCategory.NOT_FOUND),
    /** The asset is not traded in any market. */
    UNKNOWN_ASSET(ReasonCategory.NOT_FOUND),
    /** A market with this symbol exists already. */
    MARKET_EXISTS(ReasonCategory.CONFLICT),
    /** The market's definition is inconsistent (tick, lot, decimals, fees ...). */
    INVALID_MARKET(ReasonCategory.INVALID),
    /** Account id 0 is the venue's fee account and cannot trade or transfer. */
    INVALID_ACCOUNT(ReasonCategory.INVALID),
    /** Zero or negative amount. */
    INVALID_AMOUNT(ReasonCategory.INVALID),
    /** The available balance does not cover what the order must reserve or the debit takes. */
    INSUFFICIENT_FUNDS(ReasonCategory.REFUSED),
    /** An order shape spot does not offer (a market sell by quote amount). */
    UNSUPPORTED_ORDER(ReasonCategory.INVALID),
    /** The balance would overflow. */
    BALANCE_OVERFLOW(ReasonCategory.REFUSED),
    /** Cancel or amend of an order that is not open. */
    UNKNOWN_ORDER(ReasonCategory.NOT_FOUND),
    /** risk-service's kill switch is on for the account: no new orders. */
    KILL_SWITCH(ReasonCategory.REFUSED),
    /** The account has as many open spot orders as risk-service allows. */
    OPEN_ORDER_LIMIT(ReasonCategory.REFUSED),
    /** The order's value is above what risk-service allows the account per order. */
    ORDER_NOTIONAL_LIMIT(ReasonCategory.REFUSED);

    private final ReasonCategory category;

    SpotRejectReason(ReasonCategory category) {
        this.category = category;
    }

    @Override
    public ReasonCategory category() {
        return category;
    }
}
