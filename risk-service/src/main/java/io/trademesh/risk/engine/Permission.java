package io.trademesh.risk.engine;

/** What an API key may do; a key holds a set of them as a bit mask. */
public enum Permission {
    READ(1),
    TRADE(2),
    TRANSFER(4);

    public final int bit;

    Permission(int bit) {
        this.bit = bit;
    }

    /** Every bit a mask may hold. */
    public static final int ALL = READ.bit | TRADE.bit | TRANSFER.bit;
}
