package io.trademesh.matching;

/**
 * The price levels of one side, sorted in a plain array with the best level last, so that the levels that change most
 * (at and near the best price) are the cheapest to add and remove. Lookups are a binary search over a parallel
 * {@code long[]} of keys: the price for bids, minus the price for asks, so that keys ascend towards the best level on
 * both sides. Owns the pool of level objects.
 */
final class BookSide {
    final Side side;
    private final boolean bid;
    private long[] keys;
    private PriceLevel[] levels;
    private int size;
    /** Sum of the leaves quantity of every order on this side. */
    long totalQuantity;
    private PriceLevel freeLevels;

    BookSide(final Side side, final int initialLevels) {
        this.side = side;
        this.bid = side == Side.BUY;
        final int capacity = Math.max(16, initialLevels);
        keys = new long[capacity];
        levels = new PriceLevel[capacity];
        for (int i = 0; i < capacity; i++) {
            final PriceLevel level = new PriceLevel();
            level.nextFree = freeLevels;
            freeLevels = level;
        }
    }

    int size() {
        return size;
    }

    /** The best level, or null when the side is empty. */
    PriceLevel best() {
        return size == 0 ? null : levels[size - 1];
    }

    /** Level at {@code depth} from the best (0 = best); depth must be < size. */
    PriceLevel atDepth(final int depth) {
        return levels[size - 1 - depth];
    }

    /**
     * Level by storage index, 0 &lt;= index &lt; size: index size-1 is the best level, index 0 the worst. So bids
     * ascend in price with the index and asks descend.
     */
    PriceLevel levelAt(final int index) {
        return levels[index];
    }

    /** True if {@code price} is better than {@code other} for this side (higher bid, lower ask). */
    boolean isBetter(final long price, final long other) {
        return bid ? price > other : price < other;
    }

    /** The level at {@code price}, or null. */
    PriceLevel find(final long price) {
        final int index = search(key(price));
        return index >= 0 ? levels[index] : null;
    }

    /** The level at {@code price}, created (from the pool) if absent. */
    PriceLevel getOrCreate(final long price) {
        final long key = key(price);
        if (size > 0 && keys[size - 1] == key) {
            return levels[size - 1];
        }
        int index = search(key);
        if (index >= 0) {
            return levels[index];
        }
        index = -index - 1;
        if (size == levels.length) {
            grow();
        }
        System.arraycopy(keys, index, keys, index + 1, size - index);
        System.arraycopy(levels, index, levels, index + 1, size - index);
        final PriceLevel level = acquire();
        level.price = price;
        keys[index] = key;
        levels[index] = level;
        size++;
        return level;
    }

    /** Removes an (empty) level and returns it to the pool; its price, total 0 and count 0 stay readable. */
    void removeLevel(final PriceLevel level) {
        final int index;
        if (size > 0 && levels[size - 1] == level) {
            index = size - 1;
        } else {
            index = search(key(level.price));
        }
        System.arraycopy(keys, index + 1, keys, index, size - index - 1);
        System.arraycopy(levels, index + 1, levels, index, size - index - 1);
        size--;
        levels[size] = null;
        final long price = level.price;
        level.reset();
        level.price = price;
        level.nextFree = freeLevels;
        freeLevels = level;
    }

    /** Removes every level (returning them to the pool); orders are the caller's business. */
    void clear() {
        for (int i = 0; i < size; i++) {
            final PriceLevel level = levels[i];
            level.reset();
            level.nextFree = freeLevels;
            freeLevels = level;
            levels[i] = null;
        }
        size = 0;
        totalQuantity = 0;
    }

    private long key(final long price) {
        return bid ? price : -price;
    }

    private int search(final long key) {
        int low = 0;
        int high = size - 1;
        while (low <= high) {
            final int mid = (low + high) >>> 1;
            final long midKey = keys[mid];
            if (midKey < key) {
                low = mid + 1;
            } else if (midKey > key) {
                high = mid - 1;
            } else {
                return mid;
            }
        }
        return -(low + 1);
    }

    private PriceLevel acquire() {
        PriceLevel level = freeLevels;
        if (level == null) {
            return new PriceLevel();
        }
        freeLevels = level.nextFree;
        level.nextFree = null;
        return level;
    }

    private void grow() {
        final int capacity = levels.length * 2;
        keys = java.util.Arrays.copyOf(keys, capacity);
        levels = java.util.Arrays.copyOf(levels, capacity);
    }
}
