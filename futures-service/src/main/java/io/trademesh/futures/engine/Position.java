package io.trademesh.futures.engine;

/**
 * One account's position in one contract (one-way mode), and the quantities of its open
 * orders that margin must cover. Mutated by the engine only.
 *
 * <p>{@code cost} is what opening the position cost in quote units, signed like the size (a
 * long bought for 100 has cost 100, a short sold for 100 has cost -100). The wallet holds
 * realised PnL only; unrealised PnL is {@code value(mark, size) - cost}.
 */
public final class Position {

    final long accountId;
    final Contract contract;
    long size;
    long cost;
    long realisedPnl;
    long fundingPaid;
    /** Isolated margin: this position risks only {@link #isolatedMargin} (held in the wallet's locked part). */
    boolean isolated;
    long isolatedMargin;
    /** Leaves quantity of open orders that may add to the position, by side. */
    long openBuy;
    long openSell;
    /** Leaves quantity of open reduce-only orders, by side. */
    long reduceOnlyBuy;
    long reduceOnlySell;
    /** Where the liquidation index holds it (long: mark at or below; short: at or above); see Contract. */
    long liquidationKey;
    /** The index it is in: 1 longs, -1 shorts, 0 none; its bucket and neighbours there (LiquidationIndex). */
    int indexedSide;
    long bucket;
    Position prev;
    Position next;
    /** Open reduce-only orders, oldest first: cancelled when the position no longer covers them. */
    final org.agrona.collections.LongArrayList reduceOnlyOrders = new org.agrona.collections.LongArrayList();

    Position(long accountId, Contract contract) {
        this.accountId = accountId;
        this.contract = contract;
    }

    public long accountId() {
        return accountId;
    }

    public Contract contract() {
        return contract;
    }

    public long size() {
        return size;
    }

    public long cost() {
        return cost;
    }

    public long realisedPnl() {
        return realisedPnl;
    }

    public long fundingPaid() {
        return fundingPaid;
    }

    public boolean isolated() {
        return isolated;
    }

    public long isolatedMargin() {
        return isolatedMargin;
    }

    /** Nothing left to track: flat and no open orders. */
    boolean empty() {
        return size == 0 && openBuy == 0 && openSell == 0 && reduceOnlyBuy == 0 && reduceOnlySell == 0;
    }

    /** The worst-case size if every open order on one side filled: what initial margin covers. */
    long worstSize() {
        return Math.max(Math.abs(size + openBuy), Math.abs(size - openSell));
    }
}
