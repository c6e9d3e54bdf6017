package io.trademesh.moneymarket.engine;

import io.trademesh.platform.errors.ReasonCategory;
import io.trademesh.platform.errors.ReasonCode;

/** Why the money market refused a command; the names are the codes clients see. */
public enum MoneyMarketRejectReason implements ReasonCode {
    /** The pool's or category's terms are inconsistent (see PoolTerms.invalid). */
    INVALID_TERMS(ReasonCategory.INVALID),
    POOL_EXISTS(ReasonCategory.CONFLICT),
    /** No pool for the asset (or an update that changes its decimals). */
    UNKNOWN_POOL(ReasonCategory.NOT_FOUND),
    /** At most 64 pools. */
    TOO_MANY_POOLS(ReasonCategory.REFUSED),
    UNKNOWN_CATEGORY(ReasonCategory.NOT_FOUND),
    /** A zero or negative amount, or an action without the fields it needs. */
    INVALID_AMOUNT(ReasonCategory.INVALID),
    /** So small that it is worth less than one unit of the pool's scaled balance. */
    AMOUNT_TOO_SMALL(ReasonCategory.INVALID),
    /** So large that a value or balance would not fit. */
    AMOUNT_TOO_LARGE(ReasonCategory.INVALID),
    /** The money-market wallet holds less than the action takes. */
    INSUFFICIENT_FUNDS(ReasonCategory.REFUSED),
    /** The account has less supplied than it asked to withdraw (or nothing to use as collateral). */
    INSUFFICIENT_SUPPLY(ReasonCategory.REFUSED),
    /** The pool's cash is lent out: it cannot pay this much now. */
    INSUFFICIENT_LIQUIDITY(ReasonCategory.REFUSED),
    SUPPLY_CAP(ReasonCategory.REFUSED),
    BORROW_CAP(ReasonCategory.REFUSED),
    BORROW_DISABLED(ReasonCategory.REFUSED),
    COLLATERAL_DISABLED(ReasonCategory.REFUSED),
    /** The account's debt would exceed what its collateral's loan-to-value allows. */
    LTV_EXCEEDED(ReasonCategory.REFUSED),
    /** The account's health factor would fall below 1. */
    HEALTH_TOO_LOW(ReasonCategory.REFUSED),
    /** An index price the action depends on is missing or older than 30 s; retry when it arrives. */
    INDEX_STALE(ReasonCategory.RETRY),
    /** Nothing to repay (or to liquidate) in that asset. */
    NO_DEBT(ReasonCategory.REFUSED),
    /** The account's category allows borrowing only the category's assets. */
    CATEGORY_MISMATCH(ReasonCategory.REFUSED),
    /** The account is not liquidatable: its health factor is at least 1. */
    HEALTHY(ReasonCategory.REFUSED),
    /** A liquidator may not liquidate itself. */
    SELF_LIQUIDATION(ReasonCategory.INVALID),
    /** A client action id this account gave a liquidation is reused for an action, or the other way round. */
    ACTION_ID_REUSED(ReasonCategory.CONFLICT),
    /** An action of no known kind. */
    INVALID_ACTION(ReasonCategory.INVALID),
    /** The account id is missing or the venue's own. */
    INVALID_ACCOUNT(ReasonCategory.INVALID);

    private final ReasonCategory category;

    MoneyMarketRejectReason(ReasonCategory category) {
        this.category = category;
    }

    @Override
    public ReasonCategory category() {
        return category;
    }
}
