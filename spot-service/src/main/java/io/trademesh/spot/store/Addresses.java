package io.trademesh.spot.store;

/** spot's event-bus addresses (ARCHITECTURE.md, the event contract). */
public final class Addresses {

    private Addresses() {
    }

    /** L2 diffs with the market's gap-free book sequence. */
    public static String book(String market) {
        return "md." + market + ".book";
    }

    public static String trades(String market) {
        return "md." + market + ".trades";
    }

    public static String ticker(String market) {
        return "md." + market + ".ticker";
    }

    /** An account's private stream: orders, fills, balances. */
    public static String account(long accountId) {
        return "acct." + accountId;
    }
}
