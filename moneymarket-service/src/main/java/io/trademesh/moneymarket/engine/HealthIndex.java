package io.trademesh.moneymarket.engine;

import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The borrowers, kept so that the ones near liquidation are found without looking at the rest.
 *
 * <p>Most accounts borrow one asset D against one collateral C. Their health factor is
 * {@code level / key} where {@code key = scaledDebt / (scaledCollateral x threshold)} changes
 * only when the account acts, and {@code level = (supply index x price)_C / (borrow index x
 * price)_D} is one number per pair of pools that prices and interest move. So each pair keeps
 * its accounts by key, in buckets of about 1.6% (the top bits of the key's IEEE-754 form,
 * which order positive doubles; wide enough that an action rarely moves its account to
 * another bucket, and the exact key decides inside the boundary one), and the accounts under a health {@code h} are exactly those
 * with {@code key >= level / h}: a range, read from the highest key down. Every other borrower
 * (several debts or collaterals, no collateral, or worth under 1 unit of the value asset on
 * either side, where rounding outweighs the key) is kept in one list and measured on each query.
 *
 * <p>The key is a filter, never a decision: the range is widened by {@link #MARGIN} and every
 * account it yields is measured exactly in fixed point before it is listed. Doubles here are
 * only for ordering; no balance is ever a double.
 */
final class HealthIndex {

    static final int NONE = -2;
    static final int GENERAL = -1;
    /** The candidate range reaches this much (relative) above the requested health. */
    static final double MARGIN = 1e-3;

    private static final class Bucket {
        LendingBook head;
        int size;
    }

    /** Pair id (collateral pool x 64 + debt pool) -> its buckets by key bits. */
    private final Map<Integer, TreeMap<Long, Bucket>> pairs = new HashMap<>();
    private final Bucket general = new Bucket();
    private int size;

    static int pair(int collateralPool, int debtPool) {
        return collateralPool * MoneyMarketEngine.MAX_POOLS + debtPool;
    }

    /** The key's exponent and top 6 mantissa bits: buckets about 1.6% wide, so most actions keep their bucket. */
    private static long bucketOf(double key) {
        return Double.doubleToLongBits(key) >> 46;
    }

    /** Whether {@code b} is listed. */
    static boolean watched(LendingBook b) {
        return b.watchPair != NONE;
    }

    int size() {
        return size;
    }

    /** Lists {@code b} under {@code pair} and {@code key}, or in the general list for {@link #GENERAL}; first unlisting it. */
    void place(LendingBook b, int pair, double key) {
        if (b.watchPair == pair && (pair == GENERAL || bucketOf(key) == b.watchBucket)) {
            b.watchKey = key;
            return;
        }
        remove(b);
        if (pair == NONE) {
            return;
        }
        Bucket bucket;
        if (pair == GENERAL) {
            bucket = general;
        } else {
            long k = bucketOf(key);
            bucket = pairs.computeIfAbsent(pair, p -> new TreeMap<>()).computeIfAbsent(k, x -> new Bucket());
            b.watchBucket = k;
        }
        b.watchPair = pair;
        b.watchKey = key;
        b.watchPrev = null;
        b.watchNext = bucket.head;
        if (bucket.head != null) {
            bucket.head.watchPrev = b;
        }
        bucket.head = b;
        bucket.size++;
        size++;
    }

    void remove(LendingBook b) {
        if (b.watchPair == NONE) {
            return;
        }
        Bucket bucket;
        TreeMap<Long, Bucket> buckets = null;
        if (b.watchPair == GENERAL) {
            bucket = general;
        } else {
            buckets = pairs.get(b.watchPair);
            bucket = buckets.get(b.watchBucket);
        }
        if (b.watchPrev != null) {
            b.watchPrev.watchNext = b.watchNext;
        } else {
            bucket.head = b.watchNext;
        }
        if (b.watchNext != null) {
            b.watchNext.watchPrev = b.watchPrev;
        }
        b.watchPrev = null;
        b.watchNext = null;
        if (--bucket.size == 0 && buckets != null) {
            buckets.remove(b.watchBucket);
            if (buckets.isEmpty()) {
                pairs.remove(b.watchPair);
            }
        }
        b.watchPair = NONE;
        size--;
    }

    /** Forgets every account (their links are left as they were: the caller drops them too). */
    void clear() {
        pairs.clear();
        general.head = null;
        general.size = 0;
        size = 0;
    }

    /** The pairs that have accounts. */
    Iterable<Integer> pairs() {
        return pairs.keySet();
    }

    /** Every account of {@code pair} whose key is at least {@code minKey} (widened by the margin), highest first. */
    void atLeast(int pair, double minKey, Consumer<LendingBook> visitor) {
        TreeMap<Long, Bucket> buckets = pairs.get(pair);
        if (buckets == null) {
            return;
        }
        double from = minKey * (1 - MARGIN);
        NavigableMap<Long, Bucket> reached = from <= 0 ? buckets.descendingMap()
                : buckets.tailMap(bucketOf(from), true).descendingMap();
        for (Bucket bucket : reached.values()) {
            for (LendingBook b = bucket.head; b != null; b = b.watchNext) {
                if (b.watchKey >= from) {
                    visitor.accept(b);
                }
            }
        }
    }

    /** Every account of the general list. */
    void general(Consumer<LendingBook> visitor) {
        for (LendingBook b = general.head; b != null; b = b.watchNext) {
            visitor.accept(b);
        }
    }
}
