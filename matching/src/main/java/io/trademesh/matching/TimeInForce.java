package io.trademesh.matching;

/**
 * How long an order may live.
 *
 * <ul>
 *   <li>{@link #GTC} rests until filled or cancelled.</li>
 *   <li>{@link #GTD} rests until filled, cancelled or its {@code expireAtMs} is reached by the command clock.</li>
 *   <li>{@link #IOC} matches what it can now; the remainder is cancelled (in auction mode: at the next auction).</li>
 *   <li>{@link #FOK} fills completely now, or is rejected and changes nothing.</li>
 *   <li>{@link #POST_ONLY} rests like GTC but is rejected if any part of it would take liquidity.</li>
 * </ul>
 */
public enum TimeInForce {
    GTC(1),
    GTD(2),
    IOC(3),
    FOK(4),
    POST_ONLY(5);

    private static final TimeInForce[] BY_CODE = {null, GTC, GTD, IOC, FOK, POST_ONLY};

    private final byte code;

    TimeInForce(final int code) {
        this.code = (byte) code;
    }

    public byte code() {
        return code;
    }

    /** True for the kinds that may rest in a continuous book. */
    public boolean canRest() {
        return this == GTC || this == GTD || this == POST_ONLY;
    }

    /** The value with this code, or null if the code is unknown. */
    public static TimeInForce fromCode(final int code) {
        return code > 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
