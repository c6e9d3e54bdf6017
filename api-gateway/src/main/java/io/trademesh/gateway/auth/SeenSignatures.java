package io.trademesh.gateway.auth;

import org.agrona.collections.LongHashSet;

/**
 * The signatures this gateway has accepted and that could still be replayed, so that a
 * signed request is good for one request only. A replay carries the same signed timestamp,
 * so signatures are kept in one set per timestamp second and a request looks in its own
 * second's set only; a set is cleared when its second has left every receive window. A
 * signature is remembered by its first 64 bits (a chance collision refuses one request with
 * a clear code; the client signs again).
 *
 * <p>Per replica: a replay sent to another gateway replica inside the receive window is not
 * caught here (the README says so); keep recvWindow short.
 */
public final class SeenSignatures {

    /** More seconds than the widest window (60 s) plus the allowed clock skew, so no two live seconds share a slot. */
    private static final int SLOTS = 64;

    private final long[] slotSecond = new long[SLOTS];
    private final LongHashSet[] slots = new LongHashSet[SLOTS];

    public SeenSignatures() {
        for (int i = 0; i < SLOTS; i++) {
            slotSecond[i] = Long.MIN_VALUE;
            slots[i] = new LongHashSet();
        }
    }

    /**
     * True the first time {@code signatureHex} is presented for a request signed at
     * {@code timestampMs}, false for every later time. The caller has already checked the
     * timestamp is inside the receive window.
     */
    public boolean firstUse(String signatureHex, long timestampMs) {
        long second = Math.floorDiv(timestampMs, 1000);
        int slot = (int) Math.floorMod(second, SLOTS);
        long id = 0;
        for (int i = 0; i < 16; i++) {   // the first 64 bits, read in place (this is on every signed request)
            id = id << 4 | Character.digit(signatureHex.charAt(i), 16);
        }
        LongHashSet set = slots[slot];
        synchronized (set) {
            if (slotSecond[slot] != second) {
                // Anything in the slot is from a second 64 s away: outside every window. The
                // capacity is kept if that second filled it (under steady load this one will
                // too, and regrowing it costs a dozen rehashes a second); it is given back once a
                // second leaves it mostly empty, so a burst's is not kept for ever.
                boolean burst = set.size() < set.capacity() / 8;
                set.clear();
                if (burst) {
                    set.compact();
                }
                slotSecond[slot] = second;
            }
            return set.add(id);
        }
    }
}
