package io.trademesh.platform.wallet;

import io.trademesh.platform.errors.ReasonCategory;
import io.trademesh.platform.errors.ReasonCode;

/** Why a wallet credit or debit was refused; the name is the reason code callers see. */
public enum WalletRefusal implements ReasonCode {
    /** No transfer id: without one there is no idempotency, so nothing is done or remembered. */
    INVALID_TRANSFER(ReasonCategory.INVALID),
    /** The account may not take part (e.g. the venue's own fee account). */
    INVALID_ACCOUNT(ReasonCategory.INVALID),
    /** No market of this service settles in the asset. */
    UNKNOWN_ASSET(ReasonCategory.NOT_FOUND),
    INVALID_AMOUNT(ReasonCategory.INVALID),
    /** The credit would overflow the wallet. */
    BALANCE_OVERFLOW(ReasonCategory.REFUSED),
    INSUFFICIENT_FUNDS(ReasonCategory.REFUSED),
    /** The transfer id was used before with another account, asset, amount or direction. */
    TRANSFER_ID_MISMATCH(ReasonCategory.CONFLICT);

    private final ReasonCategory category;

    WalletRefusal(ReasonCategory category) {
        this.category = category;
    }

    @Override
    public ReasonCategory category() {
        return category;
    }
}
