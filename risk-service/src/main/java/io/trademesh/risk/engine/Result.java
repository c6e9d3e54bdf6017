package io.trademesh.risk.engine;

/**
 * What a command gave: a value, or the reason it was refused. {@code duplicate} is true when
 * the command repeated an earlier one (same operation or transfer id) and nothing changed now.
 */
public record Result<T>(T value, RiskRejectReason refusal, boolean duplicate) {

    public static <T> Result<T> ok(T value) {
        return new Result<>(value, null, false);
    }

    public static <T> Result<T> again(T value) {
        return new Result<>(value, null, true);
    }

    public static <T> Result<T> refused(RiskRejectReason reason) {
        return new Result<>(null, reason, false);
    }

    public boolean refusedBecause(RiskRejectReason reason) {
        return refusal == reason;
    }

    public boolean ok() {
        return refusal == null;
    }
}
