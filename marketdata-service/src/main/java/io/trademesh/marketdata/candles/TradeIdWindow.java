package io.trademesh.marketdata.candles;

/**
 * Which of a market's recent trade ids were applied, so that a trade delivered twice (a
 * redelivered batch, a gap filled from the owner, a replay after a restart) counts once and a
 * trade delivered late still counts. A bitset over the last {@link #WINDOW} ids; an id below
 * the window is too late to tell and is refused (the caller counts it).
 */
final class TradeIdWindow {

    static final int WINDOW = 1 << 16;
    private static final int WORDS = WINDOW / 64;

    private final long[] bits = new long[WORDS];
    /** The lowest id the window covers; it moves up as newer ids arrive. */
    private long base;

    /** Marks {@code id} applied; false when it was already, or is below the window. */
    boolean firstTime(long id) {
        if (id < base) {
            return false;
        }
        if (id >= base + WINDOW) {
            slideTo(id - WINDOW + 1);
        }
        int word = (int) ((id >>> 6) & (WORDS - 1));
        long mask = 1L << (id & 63);
        if ((bits[word] & mask) != 0) {
            return false;
        }
        bits[word] |= mask;
        return true;
    }

    /**
     * Moves the window's bottom to {@code newBase} rounded up to a word, forgetting the ids
     * below it. Up, not down: the window then holds the id that moved it (rounded down, that id
     * would share a word with the oldest ids still kept and read as one of them).
     */
    private void slideTo(long newBase) {
        long target = (newBase + 63) & ~63L;
        if (target - base >= WINDOW) {
            java.util.Arrays.fill(bits, 0);
        } else {
            for (long w = base; w < target; w += 64) {
                bits[(int) ((w >>> 6) & (WORDS - 1))] = 0;
            }
        }
        base = target;
    }

    void write(java.io.DataOutput out) throws java.io.IOException {
        out.writeLong(base);
        for (long w : bits) {
            out.writeLong(w);
        }
    }

    void read(java.io.DataInput in) throws java.io.IOException {
        base = in.readLong();
        for (int i = 0; i < WORDS; i++) {
            bits[i] = in.readLong();
        }
    }
}
