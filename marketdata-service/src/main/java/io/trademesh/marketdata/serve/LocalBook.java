package io.trademesh.marketdata.serve;

import io.trademesh.proto.common.BookDelta;
import io.trademesh.proto.common.BookLevel;
import io.trademesh.proto.common.BookLevelDelta;
import io.trademesh.proto.common.BookSnapshot;
import io.trademesh.proto.common.Side;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * A market's L2 book as the streams serve it: seeded once from the owner's snapshot, then kept
 * by the diffs of the event batches, so that a subscriber that needs a snapshot (a new one, or
 * a slow one conflated) gets it here instead of from the owner. A diff that does not follow
 * unseeds it until the owner is asked again. The snapshot's bytes are kept until the next diff,
 * so many subscribers needing one share them.
 */
public final class LocalBook {

    final String market;
    private final TreeMap<Long, Long> bids = new TreeMap<>(Comparator.reverseOrder());
    private final TreeMap<Long, Long> asks = new TreeMap<>();
    long bookSequence;
    boolean seeded;
    boolean seeding;
    /** Diffs that arrived while the owner's snapshot was on its way. */
    final List<BookDelta> pending = new ArrayList<>();
    private BookSnapshot cached;

    public LocalBook(String market) {
        this.market = market;
    }

    public void seed(BookSnapshot snapshot) {
        bids.clear();
        asks.clear();
        snapshot.getBidsList().forEach(l -> bids.put(l.getPrice(), l.getQuantity()));
        snapshot.getAsksList().forEach(l -> asks.put(l.getPrice(), l.getQuantity()));
        bookSequence = snapshot.getBookSequence();
        cached = null;
        seeded = true;
        for (BookDelta d : pending) {
            if (!apply(d)) {
                break;
            }
        }
        pending.clear();
    }

    /** Applies a diff that follows; false (and unseeded) when it does not: a gap. */
    public boolean apply(BookDelta delta) {
        if (delta.getBookSequence() <= bookSequence) {
            return true;   // already in the snapshot
        }
        if (delta.getBookSequence() != bookSequence + 1) {
            seeded = false;
            return false;
        }
        for (BookLevelDelta l : delta.getLevelsList()) {
            TreeMap<Long, Long> side = l.getSide() == Side.SIDE_BUY ? bids : asks;
            if (l.getTotalQuantity() == 0) {
                side.remove(l.getPrice());
            } else {
                side.put(l.getPrice(), l.getTotalQuantity());
            }
        }
        bookSequence = delta.getBookSequence();
        cached = null;
        return true;
    }

    /** The book as it stands, best levels first (order counts are not kept: 0). */
    public BookSnapshot snapshot() {
        if (cached == null) {
            BookSnapshot.Builder b = BookSnapshot.newBuilder().setMarket(market).setBookSequence(bookSequence);
            bids.forEach((price, quantity) -> b.addBids(BookLevel.newBuilder().setPrice(price).setQuantity(quantity)));
            asks.forEach((price, quantity) -> b.addAsks(BookLevel.newBuilder().setPrice(price).setQuantity(quantity)));
            cached = b.build();
        }
        return cached;
    }
}
