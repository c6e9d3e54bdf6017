package io.trademesh.risk.engine;

/**
 * An account's trading limits, enforced by the product services.
 *
 * @param maxOpenOrders    0 = no limit beyond the market's own
 * @param maxOrderNotional in quote units of the order's market; 0 = no limit
 * @param killSwitch       true: no new orders, open ones cancelled, on every product
 */
public record Limits(long accountId, int maxOpenOrders, long maxOrderNotional, boolean killSwitch) {
}
