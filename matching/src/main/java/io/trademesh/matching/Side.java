package io.trademesh.matching;

/** Side of an order. {@link #code()} is the stable byte used in snapshots. */
public enum Side {
    BUY(1),
    SELL(2);

    private static final Side[] BY_CODE = {null, BUY, SELL};

    private final byte code;

    Side(final int code) {
        this.code = (byte) code;
    }

    public byte code() {
        return code;
    }

    public Side opposite() {
        return this == BUY ? SELL : BUY;
    }

    /** The side with this code, or null if the code is unknown. */
    public static Side fromCode(final int code) {
        return code > 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
