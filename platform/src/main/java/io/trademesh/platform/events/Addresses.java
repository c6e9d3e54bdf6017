package io.trademesh.platform.events;

/**
 * Every event-bus address of the mesh, written once (ARCHITECTURE.md, the event contract).
 * Per-command events travel inside a service's event batches ({@link EventStreams});
 * the rest are published on their own address.
 */
public final class Addresses {

    /** Limits and kill switches, risk-service to every product: a serialized {@code trademesh.risk.RiskControl}. */
    public static final String RISK_CONTROL = "risk.control";

    /**
     * Revoked keys and suspended or reinstated accounts, risk-service to every gateway
     * replica: a serialized {@code trademesh.risk.AuthChange}, so they take effect at once.
     */
    public static final String AUTH_CHANGES = "auth.changes";

    private Addresses() {
    }

    /** A market's L2 diffs with its gap-free book sequence (batched). */
    public static String book(String market) {
        return "md." + market + ".book";
    }

    /** A market's public trades (batched). */
    public static String trades(String market) {
        return "md." + market + ".trades";
    }

    /** A market's ticker, published periodically on its own address. */
    public static String ticker(String market) {
        return "md." + market + ".ticker";
    }

    /** An account's private stream: orders, fills, balances (batched). */
    public static String account(long accountId) {
        return "acct." + accountId;
    }

    /** An asset's index price, from risk-service: a serialized {@code trademesh.risk.IndexPrice}. */
    public static String price(String asset) {
        return "price." + asset;
    }

    /** Where a service publishes its event batches. */
    public static String events(String service) {
        return "events." + service;
    }
}
