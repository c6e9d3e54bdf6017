package io.trademesh.futures.engine;

/** A perpetual funds every interval and never expires; a dated contract settles at its expiry. */
public enum ContractKind {
    PERPETUAL,
    DATED
}
