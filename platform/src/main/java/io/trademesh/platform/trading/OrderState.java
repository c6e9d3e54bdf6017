package io.trademesh.platform.trading;

/** Where an order stands, as traders see it. */
public enum OrderState {
    NEW,
    PARTIALLY_FILLED,
    FILLED,
    CANCELLED,
    EXPIRED,
    REJECTED
}
