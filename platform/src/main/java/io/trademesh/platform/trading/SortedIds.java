package io.trademesh.platform.trading;

import java.util.Arrays;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongHashSet;

/**
 * Ids of a hash set or map in ascending order: an engine visits accounts and orders in this
 * order wherever the order matters (who the insurance fund pays first, what a snapshot writes),
 * never in hash order, so that replay and a restored snapshot do exactly what the live run did.
 */
public final class SortedIds {

    private SortedIds() {
    }

    public static long[] of(LongHashSet set) {
        long[] ids = new long[set.size()];
        int i = 0;
        for (LongHashSet.LongIterator it = set.iterator(); it.hasNext(); ) {
            ids[i++] = it.nextValue();
        }
        Arrays.sort(ids);
        return ids;
    }

    public static long[] of(Long2ObjectHashMap<?> map) {
        long[] ids = new long[map.size()];
        int i = 0;
        for (Long2ObjectHashMap<?>.KeyIterator it = map.keySet().iterator(); it.hasNext(); ) {
            ids[i++] = it.nextLong();
        }
        Arrays.sort(ids);
        return ids;
    }
}
