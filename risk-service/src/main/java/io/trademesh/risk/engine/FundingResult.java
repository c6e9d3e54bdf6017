package io.trademesh.risk.engine;

/** The answer to a deposit or withdrawal: applied or refused (with why), and the balance after it. */
public record FundingResult(FundingOperation operation, long balance) {

    public boolean applied() {
        return operation.applied();
    }
}
