package io.trademesh.risk.engine;

import io.trademesh.platform.errors.ReasonCategory;
import io.trademesh.platform.errors.ReasonCode;

/** Why the engine refused a command. A refusal changes nothing (except where a method says it records it). */
public enum RiskRejectReason implements ReasonCode {
    /** No account with this id. */
    UNKNOWN_ACCOUNT(ReasonCategory.NOT_FOUND),
    /** The account is suspended: no new keys, deposits, withdrawals or transfers. */
    ACCOUNT_SUSPENDED(ReasonCategory.REFUSED),
    /** No API key with this id. */
    UNKNOWN_API_KEY(ReasonCategory.NOT_FOUND),
    /** An API key with this id exists already (ids are random: a collision, try again). */
    API_KEY_EXISTS(ReasonCategory.RETRY),
    /** The account holds the most active keys it may. */
    API_KEY_LIMIT(ReasonCategory.REFUSED),
    /** The operation id was used before for a different deposit or withdrawal. */
    OPERATION_ID_CONFLICT(ReasonCategory.CONFLICT),
    /** The transfer id is taken by another account's transfer. */
    TRANSFER_ID_CONFLICT(ReasonCategory.CONFLICT),
    /** No transfer with this id. */
    UNKNOWN_TRANSFER(ReasonCategory.NOT_FOUND),
    /** The funding wallet holds less than the withdrawal or transfer takes. */
    INSUFFICIENT_FUNDS(ReasonCategory.REFUSED),
    /** The balance or a total would overflow. */
    BALANCE_OVERFLOW(ReasonCategory.REFUSED);

    private final ReasonCategory category;

    RiskRejectReason(ReasonCategory category) {
        this.category = category;
    }

    @Override
    public ReasonCategory category() {
        return category;
    }
}
