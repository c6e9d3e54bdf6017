package io.trademesh.platform.trading;

import java.util.Arrays;
import org.agrona.collections.Long2ObjectHashMap;

/** A primitive map's keys in ascending order: snapshots never depend on hash order. */
public final class SortedKeys {

    private SortedKeys() {
    }

    static long[] of(Long2ObjectHashMap<?> map) {
        long[] keys = new long[map.size()];
        int i = 0;
        for (Long2ObjectHashMap<?>.KeyIterator it = map.keySet().iterator(); it.hasNext(); ) {
            keys[i++] = it.nextLong();
        }
        Arrays.sort(keys);
        return keys;
    }
}
