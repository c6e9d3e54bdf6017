package io.trademesh.spot.engine;

import io.trademesh.platform.trading.BookListener;
import io.trademesh.platform.trading.MarketSpec;

/**
 * Everything the spot engine puts out, synchronously, on the engine's thread: the order
 * books' events and what every order-book product reports (see {@link BookListener}; wallets
 * are already settled when a fill arrives), and spot's own. Primitive arguments only, so
 * producing them allocates nothing. Must not throw and must not call back into the engine.
 */
public interface SpotListener extends BookListener {

    /** A market was created with this id. */
    void onMarketCreated(int marketId, MarketSpec spec);

    /** Spot refused a command before the book saw it; nothing changed. */
    void onRefused(SpotCommandKind command, long accountId, int marketId, long orderId, SpotRejectReason reason);
}
