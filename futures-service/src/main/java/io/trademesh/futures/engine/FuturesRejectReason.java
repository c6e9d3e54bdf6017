package io.trademesh.futures.engine;

import io.trademesh.platform.errors.ReasonCategory;
import io.trademesh.platform.errors.ReasonCode;

/**
 * Why futures refused a command before or instead of the order book. Like the book's own
 * refusals, a refusal changes nothing.
 */
public enum FuturesRejectReason implements ReasonCode {
    UNKNOWN_MARKET(ReasonCategory.NOT_FOUND),
    UNKNOWN_ASSET(ReasonCategory.NOT_FOUND),
    MARKET_EXISTS(ReasonCategory.CONFLICT),
    /** The contract's definition is inconsistent (tick, lot, decimals, fees, brackets, funding ...). */
    INVALID_MARKET(ReasonCategory.INVALID),
    /** Account 0 is the venue's. */
    INVALID_ACCOUNT(ReasonCategory.INVALID),
    /** Futures trade by quantity: no market order by quote amount. */
    UNSUPPORTED_ORDER(ReasonCategory.UNSUPPORTED),
    UNKNOWN_ORDER(ReasonCategory.NOT_FOUND),
    /** The margin balance does not cover the order's initial margin, its loss against mark and its fee. */
    INSUFFICIENT_MARGIN(ReasonCategory.REFUSED),
    /** A withdrawal above what the margin leaves free. */
    INSUFFICIENT_FUNDS(ReasonCategory.REFUSED),
    /** A reduce-only order that would not only shrink the position. */
    REDUCE_ONLY(ReasonCategory.REFUSED),
    /** No fresh index price: orders that add risk wait until one arrives. */
    INDEX_STALE(ReasonCategory.RETRY),
    /** The dated contract has expired (or is settling). */
    CONTRACT_EXPIRED(ReasonCategory.REFUSED),
    /** Leverage outside 1 .. the contract's first bracket. */
    LEVERAGE_TOO_HIGH(ReasonCategory.INVALID),
    /** The position would exceed what its leverage's bracket, or the last bracket, allows. */
    POSITION_LIMIT(ReasonCategory.REFUSED),
    /** A margin mode change while the account has a position or orders on the contract. */
    POSITION_EXISTS(ReasonCategory.REFUSED),
    /** A zero or negative amount where a positive one is needed. */
    INVALID_AMOUNT(ReasonCategory.INVALID),
    /** Close-position without a position (or a margin adjustment without an isolated one). */
    NO_POSITION(ReasonCategory.REFUSED),
    /** A conditional order without a usable trigger (kind, price, callback) or order. */
    INVALID_CONDITIONAL(ReasonCategory.INVALID),
    KILL_SWITCH(ReasonCategory.REFUSED),
    OPEN_ORDER_LIMIT(ReasonCategory.REFUSED),
    ORDER_NOTIONAL_LIMIT(ReasonCategory.REFUSED);

    private final ReasonCategory category;

    FuturesRejectReason(ReasonCategory category) {
        this.category = category;
    }

    @Override
    public ReasonCategory category() {
        return category;
    }
}
