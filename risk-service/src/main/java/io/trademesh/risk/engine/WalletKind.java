package io.trademesh.risk.engine;

/**
 * The wallets transfers move money between: risk-service's own funding wallet, and each
 * product service's wallets, reached through the wallet contract (wallet.proto). With one
 * shard per product a product wallet is addressed by its kind alone.
 */
public enum WalletKind {
    FUNDING(null, true),
    SPOT("spot-service", true),
    FUTURES("futures-service", true),
    // Options serves the wallet contract once its service is built; until then a transfer to or
    // from it is refused at creation. (Snapshots store the ordinal: keep the order.)
    OPTIONS("options-service", false),
    MONEY_MARKET("moneymarket-service", true);

    private final String service;
    private final boolean served;

    WalletKind(String service, boolean served) {
        this.service = service;
        this.served = served;
    }

    /** The service owning this wallet, or null for FUNDING (risk-service's own). */
    public String service() {
        return service;
    }

    /** Whether transfers reach this wallet today: its owner serves the wallet contract. */
    public boolean served() {
        return served;
    }
}
