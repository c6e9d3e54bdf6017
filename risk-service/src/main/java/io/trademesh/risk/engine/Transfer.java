package io.trademesh.risk.engine;

/**
 * A transfer between two wallets of one account. Immutable: every step replaces it.
 *
 * @param reason  why it FAILED or was refunded (the refusing wallet's reason), else empty
 * @param blocked true when the source refused its refund: the driver stops retrying (the
 *                other wallet gives the same answer to every retry) and an operator must look
 */
public record Transfer(String id, long accountId, String asset, long amount, WalletKind from, WalletKind to,
                       TransferState state, String reason, boolean blocked, long createdAtMs, long updatedAtMs) {

    /** The step to take next, or null when there is none (finished, or blocked). */
    public TransferStep nextStep() {
        if (blocked) {
            return null;
        }
        return switch (state) {
            case PENDING -> TransferStep.DEBIT_SOURCE;
            case DEBITED -> TransferStep.CREDIT_DESTINATION;
            case REFUNDING -> TransferStep.REFUND_SOURCE;
            default -> null;
        };
    }

    /** The wallet a step moves money in. */
    public WalletKind walletOf(TransferStep step) {
        return step == TransferStep.CREDIT_DESTINATION ? to : from;
    }

    /** The id the step uses in the other wallet's own idempotency: distinct and fixed per step. */
    public String walletTransferId(TransferStep step) {
        return id + ":" + step.suffix;
    }

    Transfer next(TransferState nextState, String nextReason, boolean nowBlocked, long nowMs) {
        return new Transfer(id, accountId, asset, amount, from, to, nextState, nextReason, nowBlocked, createdAtMs,
                nowMs);
    }
}
