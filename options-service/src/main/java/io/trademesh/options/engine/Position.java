package io.trademesh.options.engine;

import org.agrona.collections.LongArrayList;

/**
 * An account's position in one instrument: signed size, the premium it cost (positive for a
 * long, negative for a short: what was paid or received, fees apart), and the open orders
 * that may change it. Premium moves between wallets when a trade happens, so the cost is the
 * record of it, for the average price and PnL, not money held.
 */
public final class Position {

    final long accountId;
    final Instrument instrument;
    long size;
    long cost;
    long realisedPnl;
    /** Open quantity of buy and sell orders that may open or grow a position. */
    long openBuy;
    long openSell;
    /** What open buy orders may pay: premium at their limit plus their most fee. */
    long buyReserve;
    long reduceOnlyBuy;
    long reduceOnlySell;
    /** Reduce-only orders, oldest first: the newest go first when the position shrinks below them. */
    final LongArrayList reduceOnlyOrders = new LongArrayList();

    Position(long accountId, Instrument instrument) {
        this.accountId = accountId;
        this.instrument = instrument;
    }

    /** Nothing left: flat, no open orders. */
    boolean empty() {
        return size == 0 && openBuy == 0 && openSell == 0 && reduceOnlyBuy == 0 && reduceOnlySell == 0
                && buyReserve == 0;
    }

    /** The most this position can be short if every open sell fills (a long is closed first). */
    long worstShort() {
        return Math.max(0, openSell - size);
    }

    public long accountId() {
        return accountId;
    }

    public Instrument instrument() {
        return instrument;
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
}
