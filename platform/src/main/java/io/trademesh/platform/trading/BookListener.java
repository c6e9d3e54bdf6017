package io.trademesh.platform.trading;

import io.trademesh.matching.MatchingSink;
import io.trademesh.platform.wallet.WalletLedger;

/**
 * What an order-book product's engine puts out besides its books' events, in every such
 * product: duplicates of client order ids, their retention, wallet changes and transfers.
 * Synchronous, on the engine's thread; must not throw and must not call back into the engine.
 */
public interface BookListener extends MatchingSink {

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
