package io.trademesh.risk.engine;

/**
 * An account's trading limits, enforced by the product services.
 *
 * @param maxOpenOrders    0 = no limit beyond the market's own
 * @param maxOrderNotional in units of {@code notionalAsset}; 0 = no limit
 * @param killSwitch       true: no new orders, open ones cancelled, on every product
 * @param notionalAsset    the asset the notional cap counts in: it caps orders of markets quoted
 *                         in it ("" only for limits set before the asset was recorded: every market)
 */
public record Limits(long accountId, int maxOpenOrders, long maxOrderNotional, boolean killSwitch,
                     String notionalAsset) {
}
