package io.trademesh.marketdata.candles;

/**
 * The candle intervals the venue serves, each with how many of its candles are kept in memory
 * (about a day's worth; older ones are history). Candles start on multiples of their length
 * from the epoch (UTC), except weeks, which start on Mondays 00:00 UTC as the big venues' do.
 */
public enum CandleInterval {
    S1("1s", 1_000L, 300),
    M1("1m", 60_000L, 1_440),
    M3("3m", 180_000L, 480),
    M5("5m", 300_000L, 288),
    M15("15m", 900_000L, 96),
    M30("30m", 1_800_000L, 48),
    H1("1h", 3_600_000L, 48),
    H2("2h", 7_200_000L, 24),
    H4("4h", 14_400_000L, 12),
    H6("6h", 21_600_000L, 8),
    H8("8h", 28_800_000L, 6),
    H12("12h", 43_200_000L, 4),
    D1("1d", 86_400_000L, 7),
    W1("1w", 604_800_000L, 4);

    /** The epoch was a Thursday: weeks start 4 days later, on Monday 1970-01-05. */
    private static final long WEEK_OFFSET_MS = 4 * 86_400_000L;
    private static final CandleInterval[] ALL = values();

    private final String label;
    private final long lengthMs;
    private final int kept;

    CandleInterval(String label, long lengthMs, int kept) {
        this.label = label;
        this.lengthMs = lengthMs;
        this.kept = kept;
    }

    public String label() {
        return label;
    }

    public long lengthMs() {
        return lengthMs;
    }

    /** How many candles of this interval a market keeps in memory. */
    public int kept() {
        return kept;
    }

    /** The start of the candle holding {@code timeMs}. */
    public long startOf(long timeMs) {
        long offset = this == W1 ? WEEK_OFFSET_MS : 0;
        return Math.floorDiv(timeMs - offset, lengthMs) * lengthMs + offset;
    }

    /** The interval with this label ("1m", "1w"), or null. */
    public static CandleInterval of(String label) {
        for (CandleInterval i : ALL) {
            if (i.label.equals(label)) {
                return i;
            }
        }
        return null;
    }
}
