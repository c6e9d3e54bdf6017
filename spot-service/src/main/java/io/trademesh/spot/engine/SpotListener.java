package io.trademesh.spot.engine;

import io.trademesh.matching.MatchingSink;
import io.trademesh.platform.wallet.WalletLedger;

/**
 * Everything the spot engine puts out, synchronously, on the engine's thread: the order
 * books' events (see {@link MatchingSink}; wallets are already settled when a fill
 * arrives) and spot's own. Primitive arguments only, so producing them allocates nothing.
 * Must not throw and must not call back into the engine.
 */
public interface SpotListener extends MatchingSink {

    /** A market was created with this id. */
    void onMarketCreated(int marketId, MarketSpec spec);

    /** Spot refused a command before the book saw it; nothing changed. */
    void onRefused(SpotCommandKind command, long accountId, int marketId, long orderId, SpotRejectReason reason);

    /**
     * A new order repeated the client order id of the account's order {@code existingOrderId}
     * (open, or finished within the retention window): nothing new was placed.
     */
    void onDuplicateClientOrderId(int marketId, long accountId, long existingOrderId);

    /**
     * A finished order's client order id left the retention window (by age or count): a new
     * order may use it again. Nothing to do for a listener that keeps no order records.
     */
    default void onClientOrderIdForgotten(long orderId) {
    }

    /** A wallet changed; its new amounts. */
    void onBalance(long accountId, int assetId, long available, long locked);

    /** A credit or debit by transfer id and its answer (a repeated id: the first answer, as a duplicate). */
    void onTransfer(WalletLedger.Outcome outcome);
}
