package io.trademesh.futures.engine;

/** One funding settlement of a perpetual: the rate, the mark it was paid at, and what one side paid the other. */
public record FundingRecord(long timestampMs, long rateE8, long markPrice, long paid) {
}
