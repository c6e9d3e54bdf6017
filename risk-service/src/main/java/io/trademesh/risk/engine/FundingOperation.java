package io.trademesh.risk.engine;

/**
 * A deposit or withdrawal as first answered, kept under its operation id so that every
 * retry gets the same answer. {@code reason} is null when applied.
 */
public record FundingOperation(boolean deposit, long accountId, String asset, long amount, boolean applied,
                               RiskRejectReason reason) {

    boolean sameRequest(boolean isDeposit, long account, String assetSymbol, long units) {
        return deposit == isDeposit && accountId == account && asset.equals(assetSymbol) && amount == units;
    }
}
