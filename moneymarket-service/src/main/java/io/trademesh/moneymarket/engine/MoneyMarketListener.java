package io.trademesh.moneymarket.engine;

import io.trademesh.platform.wallet.WalletLedger;

/** What the engine tells its output about each command, in order; called on the engine's thread. */
public interface MoneyMarketListener {

    void onRefused(MoneyMarketRejectReason reason);

    /** A pool was created or its terms changed. */
    void onPool(Pool pool);

    void onCategory(Category category);

    /** An account action was applied; {@code amount} is what moved (asset units). */
    void onAction(long accountId, long amount);

    void onLiquidation(Liquidation result);

    void onTransfer(WalletLedger.Outcome outcome);

    /** An account's supplies, debts, collateral or category changed. */
    void onAccountChanged(long accountId);

    /** An account's money-market wallet balance in {@code asset} changed. */
    void onBalance(long accountId, int asset);
}
