package io.trademesh.risk.engine;

/** An index price set by the operator, stamped with the command's time. */
public record OperatorPrice(String asset, String quote, long price, int priceScale, long timestampMs) {
}
