package io.trademesh.risk.engine;

/** An account trades and moves money while ACTIVE; a SUSPENDED one is refused new money movements. */
public enum AccountStatus {
    ACTIVE,
    SUSPENDED
}
