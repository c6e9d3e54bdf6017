package io.trademesh.matching;

/**
 * {@link #CONTINUOUS}: an incoming order matches at once against the resting book.
 * {@link #AUCTION}: orders collect without matching and the book is uncrossed at one price at every
 * multiple of {@link MarketConfig#auctionIntervalMs()} (see {@link OrderBook}).
 */
public enum MatchingMode {
    CONTINUOUS(1),
    AUCTION(2);

    private static final MatchingMode[] BY_CODE = {null, CONTINUOUS, AUCTION};

    private final byte code;

    MatchingMode(final int code) {
        this.code = (byte) code;
    }

    public byte code() {
        return code;
    }

    /** The value with this code, or null if the code is unknown. */
    public static MatchingMode fromCode(final int code) {
        return code > 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
