package io.trademesh.spot.engine;

/** The commands of the spot engine, for refusals and metrics. */
public enum SpotCommandKind {
    CREATE_MARKET,
    PLACE_ORDER,
    AMEND_ORDER,
    CANCEL_ORDER,
    CANCEL_ALL,
    CREDIT,
    DEBIT,
    TICK,
    SET_LIMITS,
    RULES
}
