package io.trademesh.matching;

/** Limit orders carry a price; market orders take whatever the book offers (inside the price band). */
public enum OrderType {
    LIMIT(1),
    MARKET(2);

    private static final OrderType[] BY_CODE = {null, LIMIT, MARKET};

    private final byte code;

    OrderType(final int code) {
        this.code = (byte) code;
    }

    public byte code() {
        return code;
    }

    /** The type with this code, or null if the code is unknown. */
    public static OrderType fromCode(final int code) {
        return code > 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
