package io.trademesh.risk.engine;

/** The steps a transfer takes; each one's result is journaled as its own command. */
public enum TransferStep {
    /** Take the amount from the source wallet; expected in {@link TransferState#PENDING}. */
    DEBIT_SOURCE("debit"),
    /** Give the amount to the destination wallet; expected in {@link TransferState#DEBITED}. */
    CREDIT_DESTINATION("credit"),
    /** Give the amount back to the source wallet; expected in {@link TransferState#REFUNDING}. */
    REFUND_SOURCE("refund");

    /** The suffix of the step's wallet transfer id: {@code <transferId>:<suffix>}. */
    public final String suffix;

    TransferStep(String suffix) {
        this.suffix = suffix;
    }

    public TransferState expectedState() {
        return switch (this) {
            case DEBIT_SOURCE -> TransferState.PENDING;
            case CREDIT_DESTINATION -> TransferState.DEBITED;
            case REFUND_SOURCE -> TransferState.REFUNDING;
        };
    }
}
