package io.trademesh.matching;

/** The command a {@link MatchingSink#onRejected rejection} answers. */
public enum CommandType {
    NEW_ORDER,
    CANCEL,
    AMEND,
    SET_REFERENCE_PRICE
}
