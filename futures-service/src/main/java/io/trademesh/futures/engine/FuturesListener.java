package io.trademesh.futures.engine;

import io.trademesh.matching.Side;
import io.trademesh.platform.trading.BookListener;

/**
 * Everything the futures engine puts out, synchronously, on the engine's thread: the books'
 * events and what every order-book product reports ({@link BookListener}; wallets and
 * positions are settled when a fill arrives), and futures' own. Must not throw and must not
 * call back into the engine.
 */
public interface FuturesListener extends BookListener {

    void onContractCreated(Contract contract);

    /** Futures refused the command before the book saw it; nothing changed. */
    void onRefused(FuturesRejectReason reason);

    /** The command's own work is done; what follows (liquidations, deleveraging) is the venue's. */
    void onCommandDone();

    void onLeverage(long accountId, Contract contract, int leverage, long maxNotional);

    /** The account's margin mode on a contract, and an isolated position's margin, after a change. */
    void onMargin(long accountId, Contract contract, boolean isolated, long isolatedMargin);

    /** Something of the account's positions or margin changed in this command (once per account, ascending). */
    void onAccountChanged(long accountId);

    /** The venue reduced a position: in the book, or against opposite positions ({@code deleveraged}). */
    void onLiquidation(Contract contract, long accountId, Side side, long price, long quantity, boolean deleveraged);


    /** A conditional order was held, fired ({@code orderId}: the order it placed, 0 when refused) or dropped. */
    void onConditional(ConditionalOrder order, ConditionalOrder.Status status, long orderId);
}
