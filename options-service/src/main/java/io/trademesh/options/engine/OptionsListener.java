package io.trademesh.options.engine;

import io.trademesh.platform.trading.BookListener;

/**
 * Everything the options engine puts out, synchronously, on the engine's thread: the books'
 * events and what every order-book product reports ({@link BookListener}), and options' own.
 * Must not throw and must not call back into the engine.
 */
public interface OptionsListener extends BookListener {

    /** A chain was created (its instruments in strike order, calls and puts). */
    void onChainCreated(Expiry expiry, java.util.List<Instrument> created);

    /** An underlying's terms or surface changed. */
    void onUnderlyingChanged(Underlying underlying);

    /** Options refused the command before the book saw it; nothing changed. */
    void onRefused(OptionsRejectReason reason);

    /** The command's own work is done; what follows (liquidations) is the venue's. */
    void onCommandDone();

    /** Something of the account's positions changed in this command (once per account, ascending). */
    void onAccountChanged(long accountId);

    /** The venue bought back part of a short: {@code quantity} at average {@code price}, {@code fee} to the fund. */
    void onLiquidation(Instrument instrument, long accountId, long price, long quantity, long fee);

    /** A chain expired and settled at {@code price}. */
    void onSettled(Expiry expiry, long price);
}
