package io.trademesh.moneymarket.engine;

import io.trademesh.platform.wallet.WalletLedger;

/** A listener that keeps what the engine said about the last command. */
final class Recorder implements MoneyMarketListener {

    MoneyMarketRejectReason refusal;
    Liquidation liquidation;
    long moved;
    boolean accepted;
    boolean duplicate;

    /** Forgets the last command's answer. */
    void reset() {
        duplicate = false;
        refusal = null;
        liquidation = null;
        moved = 0;
        accepted = false;
    }

    @Override
    public void onRefused(MoneyMarketRejectReason reason) {
        refusal = reason;
    }

    @Override
    public void onPool(Pool pool) {
        accepted = true;
    }

    @Override
    public void onCategory(Category category) {
        accepted = true;
    }

    @Override
    public void onAction(long accountId, long amount, boolean duplicate) {
        accepted = true;
        moved = amount;
        this.duplicate = duplicate;
    }

    @Override
    public void onLiquidation(Liquidation result, boolean duplicate) {
        accepted = true;
        liquidation = result;
        this.duplicate = duplicate;
    }

    @Override
    public void onTransfer(WalletLedger.Outcome outcome) {
        accepted = outcome.applied();
    }

    @Override
    public void onAccountChanged(long accountId) {
    }

    @Override
    public void onBalance(long accountId, int asset) {
    }
}
