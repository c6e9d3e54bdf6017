package io.trademesh.platform.trading;

import io.trademesh.proto.common.Market;

/**
 * An order-book product's state machine as the shared order entry and queries read it: the
 * engine's markets and books, the read model built from their events, and each market's
 * definition as the API shows it. On the engine's thread only.
 */
public interface BookState {

    BookMarkets markets();

    OrderBookView view();

    /** An existing market's definition, with the product's own terms. */
    Market market(int marketId);
}
