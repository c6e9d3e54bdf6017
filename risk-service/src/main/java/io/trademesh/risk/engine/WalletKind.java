package io.trademesh.risk.engine;

/** The wallets transfers move money between so far: risk-service's own funding wallet, and spot's. */
public enum WalletKind {
    FUNDING,
    SPOT
}
