package io.trademesh.risk.engine;

/**
 * The wallets transfers move money between: risk-service's own funding wallet, and each
 * product service's wallets, reached through the wallet contract (wallet.proto). With one
 * shard per product a product wallet is addressed by its kind alone.
 */
public enum WalletKind {
    FUNDING(null),
    SPOT("spot-service"),
    FUTURES("futures-service"),
    // Snapshots store the ordinal: keep the order.
    OPTIONS("options-service"),
    MONEY_MARKET("moneymarket-service");

    private final String service;

    WalletKind(String service) {
        this.service = service;
    }

    /** The service owning this wallet, or null for FUNDING (risk-service's own). */
    public String service() {
        return service;
    }
}
