package io.trademesh.futures.engine;

import io.trademesh.matching.Side;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * A contract's held conditional orders: by id (the order they fire in, listing, snapshot), and
 * by trigger price per price source and direction, so a price move looks only at the orders
 * it reached. Orders that fire on a rise (a buy stop, a sell take-profit) are kept ascending,
 * those that fire on a fall descending; trailing stops, whose trigger follows the price, are
 * kept apart and each looked at on every move.
 */
final class ConditionalBook {

    private static final Comparator<ConditionalOrder> ASCENDING = (a, b) -> a.triggerPrice != b.triggerPrice
            ? Long.compare(a.triggerPrice, b.triggerPrice) : Long.compare(a.id, b.id);
    private static final Comparator<ConditionalOrder> DESCENDING = (a, b) -> a.triggerPrice != b.triggerPrice
            ? Long.compare(b.triggerPrice, a.triggerPrice) : Long.compare(a.id, b.id);

    private final Long2ObjectHashMap<ConditionalOrder> byId = new Long2ObjectHashMap<>();
    /**
     * Held orders per account, ascending id: the cap per account, and listing one account's orders without reading
     * every account's (listings run on the engine's thread).
     */
    private final Long2ObjectHashMap<TreeMap<Long, ConditionalOrder>> perAccount = new Long2ObjectHashMap<>();
    /** [0]: on the mark, [1]: on the last trade. */
    private final TreeSet<ConditionalOrder>[] rising = sets(ASCENDING);
    private final TreeSet<ConditionalOrder>[] falling = sets(DESCENDING);
    private final TreeMap<Long, ConditionalOrder> trailing = new TreeMap<>();

    @SuppressWarnings("unchecked")
    private static TreeSet<ConditionalOrder>[] sets(Comparator<ConditionalOrder> order) {
        return new TreeSet[] {new TreeSet<>(order), new TreeSet<>(order)};
    }

    private static boolean firesOnRise(ConditionalOrder o) {
        return (o.kind == ConditionalOrder.Kind.STOP) == (o.side == Side.BUY);
    }

    private TreeSet<ConditionalOrder> set(ConditionalOrder o) {
        int source = o.byLastPrice ? 1 : 0;
        return firesOnRise(o) ? rising[source] : falling[source];
    }

    void add(ConditionalOrder o) {
        byId.put(o.id, o);
        perAccount.computeIfAbsent(o.accountId, account -> new TreeMap<>()).put(o.id, o);
        if (o.kind == ConditionalOrder.Kind.TRAILING_STOP) {
            trailing.put(o.id, o);
        } else {
            set(o).add(o);
        }
    }

    void remove(ConditionalOrder o) {
        byId.remove(o.id);
        TreeMap<Long, ConditionalOrder> mine = perAccount.get(o.accountId);
        if (mine != null && mine.remove(o.id) != null && mine.isEmpty()) {
            perAccount.remove(o.accountId);
        }
        if (o.kind == ConditionalOrder.Kind.TRAILING_STOP) {
            trailing.remove(o.id);
        } else {
            set(o).remove(o);
        }
    }

    ConditionalOrder get(long id) {
        return byId.get(id);
    }

    boolean isEmpty() {
        return byId.isEmpty();
    }

    int size() {
        return byId.size();
    }

    /** How many orders {@code accountId} holds here. */
    int count(long accountId) {
        TreeMap<Long, ConditionalOrder> mine = perAccount.get(accountId);
        return mine == null ? 0 : mine.size();
    }

    /** The orders {@code accountId} holds here, ascending id. */
    List<ConditionalOrder> ofAccount(long accountId) {
        TreeMap<Long, ConditionalOrder> mine = perAccount.get(accountId);
        return mine == null ? List.of() : new ArrayList<>(mine.values());
    }

    /** Every order, ascending id (listing and snapshots: not on the order path). */
    List<ConditionalOrder> all() {
        List<ConditionalOrder> all = new ArrayList<>(byId.values());
        all.sort(Comparator.comparingLong(o -> o.id));
        return all;
    }

    /**
     * Adds to {@code out} the orders that fire at these prices (0: that price is not usable
     * now), updating the trailing stops' best prices on the way.
     */
    void reached(long mark, long last, List<ConditionalOrder> out) {
        long[] prices = {mark, last};
        for (int source = 0; source < 2; source++) {
            long p = prices[source];
            if (p <= 0) {
                continue;
            }
            for (ConditionalOrder o : rising[source]) {
                if (o.triggerPrice > p) {
                    break;
                }
                out.add(o);
            }
            for (ConditionalOrder o : falling[source]) {
                if (o.triggerPrice < p) {
                    break;
                }
                out.add(o);
            }
        }
        for (ConditionalOrder o : trailing.values()) {
            if (o.firesAt(o.byLastPrice ? last : mark)) {
                out.add(o);
            }
        }
    }

    /** Every order of {@code accountId}, ascending id. */
    List<ConditionalOrder> of(long accountId) {
        List<ConditionalOrder> mine = new ArrayList<>();
        if (count(accountId) == 0) {
            return mine;
        }
        for (ConditionalOrder o : all()) {
            if (o.accountId == accountId) {
                mine.add(o);
            }
        }
        return mine;
    }
}
