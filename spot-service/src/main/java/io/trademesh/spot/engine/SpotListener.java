package io.trademesh.spot.engine;

import io.trademesh.matching.MatchingSink;

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
     * A new order repeated the client order id of the account's open order {@code existingOrderId}:
     * nothing new was placed.
     */
    void onDuplicateClientOrderId(int marketId, long accountId, long existingOrderId);

    /** A wallet changed; its new amounts. */
    void onBalance(long accountId, int assetId, long available, long locked);

    /**
     * A credit or debit by transfer id. {@code applied} false: refused with {@code reason}.
     * {@code duplicate}: the transfer id was seen before and this is its first answer again.
     */
    void onTransfer(String transferId, long accountId, int assetId, long amount, boolean credit, boolean applied,
                    SpotRejectReason reason, boolean duplicate);
}
