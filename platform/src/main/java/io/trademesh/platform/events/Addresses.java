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

    private static final String ACCOUNT = "acct.";
    private static final String MARKET = "md.";
    private static final String BOOK = ".book";
    private static final String TRADES = ".trades";
    private static final String LIQUIDATIONS = ".liquidations";

    private Addresses() {
    }

    /** A market's L2 diffs with its gap-free book sequence (batched). */
    public static String book(String market) {
        return MARKET + market + BOOK;
    }

    /** A market's public trades (batched). */
    public static String trades(String market) {
        return MARKET + market + TRADES;
    }

    /** A market's ticker, published periodically on its own address. */
    public static String ticker(String market) {
        return MARKET + market + ".ticker";
    }

    /** A futures contract's mark price, index and funding, published every second on its own address. */
    public static String mark(String market) {
        return MARKET + market + ".mark";
    }

    /** A money-market pool's rates, indices and totals, published every second on its own address. */
    public static String pool(String asset) {
        return MARKET + "pool." + asset;
    }

    /** An option instrument's mark, volatilities and greeks, published every second on its own address. */
    public static String option(String market) {
        return MARKET + market + ".option";
    }

    /** An underlying's option chains (one message per expiry), published every second on its own address. */
    public static String chain(String underlying) {
        return MARKET + "chain." + underlying;
    }

    /** A market's current candles of every interval, from marketdata-service, every second it changed. */
    public static String candles(String market) {
        return MARKET + market + ".candles";
    }

    /** A market's 24-hour rolling ticker, from marketdata-service, every second it changed. */
    public static String ticker24h(String market) {
        return MARKET + market + ".ticker24h";
    }

    /** A futures contract's or option's public liquidations (batched). */
    public static String liquidations(String market) {
        return MARKET + market + LIQUIDATIONS;
    }

    /** An account's private stream: orders, fills, balances, positions (batched). */
    public static String account(long accountId) {
        return ACCOUNT + accountId;
    }

    /** Whether {@code address} is an account's private stream. */
    public static boolean isAccount(String address) {
        return address.startsWith(ACCOUNT);
    }

    /** The account of a private stream's address. */
    public static long accountOf(String address) {
        return Long.parseLong(address.substring(ACCOUNT.length()));
    }

    /** Whether {@code address} carries per-command market data (book diffs, trades). */
    public static boolean isMarketEvents(String address) {
        return address.startsWith(MARKET) && (address.endsWith(BOOK) || address.endsWith(TRADES)
                || address.endsWith(LIQUIDATIONS));
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
