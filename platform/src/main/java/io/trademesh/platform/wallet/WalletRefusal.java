package io.trademesh.platform.wallet;

/** Why a wallet credit or debit was refused; the name is the reason code callers see. */
public enum WalletRefusal {
    /** No transfer id: without one there is no idempotency, so nothing is done or remembered. */
    INVALID_TRANSFER,
    /** The account may not take part (e.g. the venue's own fee account). */
    INVALID_ACCOUNT,
    /** No market of this service settles in the asset. */
    UNKNOWN_ASSET,
    INVALID_AMOUNT,
    /** The credit would overflow the wallet. */
    BALANCE_OVERFLOW,
    INSUFFICIENT_FUNDS,
    /** The transfer id was used before with another account, asset, amount or direction. */
    TRANSFER_ID_MISMATCH
}
