package io.trademesh.spot.engine;

import io.trademesh.platform.trading.MarketSpec;
import io.trademesh.matching.OrderBook;

/** One spot market inside the engine: its definition, asset ids and order book. */
public final class SpotMarket {

    final int id;
    final MarketSpec spec;
    final int baseAsset;
    final int quoteAsset;
    final OrderBook book;

    SpotMarket(int id, MarketSpec spec, int baseAsset, int quoteAsset, OrderBook book) {
        this.id = id;
        this.spec = spec;
        this.baseAsset = baseAsset;
        this.quoteAsset = quoteAsset;
        this.book = book;
    }

    public int id() {
        return id;
    }

    public MarketSpec spec() {
        return spec;
    }

    public int baseAsset() {
        return baseAsset;
    }

    public int quoteAsset() {
        return quoteAsset;
    }

    /** Read-only use: views and queries. Commands go through {@link SpotEngine}. */
    public OrderBook book() {
        return book;
    }
}
