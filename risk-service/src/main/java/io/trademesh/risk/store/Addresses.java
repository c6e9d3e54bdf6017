package io.trademesh.risk.store;

/** The event-bus addresses risk-service publishes on and listens to (ARCHITECTURE.md, the event contract). */
public final class Addresses {

    /** Limits and kill switches: serialized {@code trademesh.risk.RiskControl} (defined with the event streams). */
    public static final String RISK_CONTROL = io.trademesh.platform.events.EventStreams.RISK_CONTROL;

    private Addresses() {
    }

    /** An asset's index price: serialized {@code trademesh.risk.IndexPrice}. */
    public static String price(String asset) {
        return "price." + asset;
    }

    /** A spot market's ticker: serialized {@code trademesh.common.Ticker}. */
    public static String ticker(String market) {
        return "md." + market + ".ticker";
    }
}
