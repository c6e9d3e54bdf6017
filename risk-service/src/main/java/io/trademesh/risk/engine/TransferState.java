package io.trademesh.risk.engine;

/**
 * Where a transfer is.
 * <pre>
 *   PENDING --debit source ok--> DEBITED --credit destination ok--> COMPLETED
 *      |                            |
 *      | source refused             | destination refused
 *      v                            v
 *   FAILED                      REFUNDING --refund source ok--> REFUNDED
 * </pre>
 * Money is in flight (out of the source, not in the destination) while DEBITED or REFUNDING.
 */
public enum TransferState {
    PENDING,
    DEBITED,
    COMPLETED,
    REFUNDING,
    REFUNDED,
    FAILED;

    public boolean terminal() {
        return this == COMPLETED || this == REFUNDED || this == FAILED;
    }

    public boolean inFlight() {
        return this == DEBITED || this == REFUNDING;
    }
}
