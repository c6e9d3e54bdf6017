package io.trademesh.moneymarket.engine;

import io.trademesh.platform.wallet.WalletLedger;

/** What the engine tells its output about each command, in order; called on the engine's thread. */
public interface MoneyMarketListener {

    void onRefused(MoneyMarketRejectReason reason);

    /** A pool was created or its terms changed. */
    void onPool(Pool pool);

    void onCategory(Category category);

    /**
     * An account action was applied; {@code amount} is what moved (asset units). {@code duplicate}:
     * it repeated an accepted action's client id, and this is that action's answer (nothing moved now).
     */
    void onAction(long accountId, long amount, boolean duplicate);

    /** A liquidation was applied, or ({@code duplicate}) its client id's first answer is given again. */
    void onLiquidation(Liquidation result, boolean duplicate);

    void onTransfer(WalletLedger.Outcome outcome);

    /** An account's supplies, debts, collateral or category changed. */
    void onAccountChanged(long accountId);

    /** An account's money-market wallet balance in {@code asset} changed. */
    void onBalance(long accountId, int asset);
}
