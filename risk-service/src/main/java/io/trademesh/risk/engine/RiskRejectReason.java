package io.trademesh.risk.engine;

/** Why the engine refused a command. A refusal changes nothing (except where a method says it records it). */
public enum RiskRejectReason {
    /** No account with this id. */
    UNKNOWN_ACCOUNT,
    /** The account is suspended: no new keys, deposits, withdrawals or transfers. */
    ACCOUNT_SUSPENDED,
    /** No API key with this id. */
    UNKNOWN_API_KEY,
    /** An API key with this id exists already (ids are random: a collision, try again). */
    API_KEY_EXISTS,
    /** The account holds the most active keys it may. */
    API_KEY_LIMIT,
    /** The operation id was used before for a different deposit or withdrawal. */
    OPERATION_ID_CONFLICT,
    /** The transfer id is taken by another account's transfer. */
    TRANSFER_ID_CONFLICT,
    /** No transfer with this id. */
    UNKNOWN_TRANSFER,
    /** The funding wallet holds less than the withdrawal or transfer takes. */
    INSUFFICIENT_FUNDS,
    /** The balance or a total would overflow. */
    BALANCE_OVERFLOW
}
