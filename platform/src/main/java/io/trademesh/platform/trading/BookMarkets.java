package io.trademesh.platform.trading;

import io.trademesh.matching.OrderBook;
import io.trademesh.platform.wallet.Wallets;

/**
 * An order-book product's engine as the shared order entry, output and queries read it:
 * markets by id and symbol, their books, client order ids, assets and wallets. Read on the
 * engine's thread only.
 */
public interface BookMarkets {

    /** The market's id, or -1 when there is none. */
    int marketId(String symbol);

    /** The symbol of an existing market. */
    String symbol(int marketId);

    /** The asset an existing market's fees are paid in. */
    String feeAsset(int marketId);

    /** An existing market's book: read only; commands go through the engine. */
    OrderBook book(int marketId);

    /** The number of markets; their ids are 0 .. count - 1. */
    int marketCount();

    /** The client order id of an open or retained order, or null. */
    String clientOrderId(long orderId);

    /** The account's order with this client order id (open, or finished within the retention window), or 0. */
    long orderIdForClientId(long accountId, String clientOrderId);

    /** The symbol of a wallet asset id. */
    String assetSymbol(int assetId);

    Wallets wallets();
}
