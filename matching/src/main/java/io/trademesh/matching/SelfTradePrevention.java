package io.trademesh.matching;

/**
 * What happens when an incoming order (the taker) would trade with a resting order of the same account.
 * The taker's mode decides.
 *
 * <ul>
 *   <li>{@link #EXPIRE_TAKER} (the default): the taker's remaining quantity is expired; the resting order stays.</li>
 *   <li>{@link #EXPIRE_MAKER}: the resting order is expired and the taker continues matching.</li>
 *   <li>{@link #EXPIRE_BOTH}: both are expired.</li>
 *   <li>{@link #NONE}: the two orders trade with each other.</li>
 * </ul>
 * Expired orders end with {@link DoneReason#SELF_TRADE_PREVENTION}.
 */
public enum SelfTradePrevention {
    EXPIRE_TAKER(1),
    EXPIRE_MAKER(2),
    EXPIRE_BOTH(3),
    NONE(4);

    private static final SelfTradePrevention[] BY_CODE = {null, EXPIRE_TAKER, EXPIRE_MAKER, EXPIRE_BOTH, NONE};

    private final byte code;

    SelfTradePrevention(final int code) {
        this.code = (byte) code;
    }

    public byte code() {
        return code;
    }

    /** The value with this code, or null if the code is unknown. */
    public static SelfTradePrevention fromCode(final int code) {
        return code > 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
