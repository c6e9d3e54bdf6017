package io.trademesh.matching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The book's own data structures against JDK collections, over random operation sequences. */
class InternalStructuresProperties {

    /** Small key ranges so that probes collide and deletions have to shift entries back. */
    @Provide
    Arbitrary<List<int[]>> operations() {
        return Arbitraries.integers().between(0, 2).flatMap(op -> Arbitraries.integers().between(0, 7)
                .flatMap(a -> Arbitraries.integers().between(0, 40).map(k -> new int[] {op, a, k})))
            .list().ofMinSize(1).ofMaxSize(400);
    }

    @Property(tries = 150)
    void clientOrderIndexBehavesLikeAMap(@ForAll("operations") final List<int[]> operations) {
        final ClientOrderIndex index = new ClientOrderIndex(4);
        final Map<String, Order> reference = new HashMap<>();
        long nextId = 1;
        for (final int[] op : operations) {
            final long account = op[1];
            final long clientId = op[2] + 1;
            final String key = account + "/" + clientId;
            if (op[0] == 0 && !reference.containsKey(key)) {
                final Order order = new Order();
                order.orderId = nextId++;
                order.accountId = account;
                order.clientOrderId = clientId;
                index.put(order);
                reference.put(key, order);
            } else if (op[0] == 1 && reference.containsKey(key)) {
                index.remove(reference.remove(key));
            }
            assertEquals(reference.size(), index.size());
            for (int a = 0; a < 8; a++) {
                for (int c = 1; c <= 41; c++) {
                    assertSame(reference.get(a + "/" + c), index.get(a, c));
                }
            }
        }
    }

    @Property(tries = 150)
    void expiryQueueHandsOutOrdersByExpiryThenId(@ForAll("operations") final List<int[]> operations) {
        final ExpiryQueue queue = new ExpiryQueue(2);
        final Comparator<Order> byKey = Comparator.<Order>comparingLong(o -> o.expireAtMs)
            .thenComparingLong(o -> o.orderId);
        final TreeSet<Order> reference = new TreeSet<>(byKey);
        final List<Order> live = new ArrayList<>();
        long nextId = 1;
        for (final int[] op : operations) {
            if (op[0] == 0) {
                final Order order = new Order();
                order.orderId = nextId++;
                order.expireAtMs = op[2];
                queue.add(order);
                reference.add(order);
                live.add(order);
            } else if (op[0] == 1 && !live.isEmpty()) {
                final Order order = live.remove((op[1] * 41 + op[2]) % live.size());
                queue.remove(order);
                reference.remove(order);
                assertEquals(Order.NOT_IN_HEAP, order.heapIndex);
            } else if (op[0] == 2 && !reference.isEmpty()) {
                final Order first = reference.pollFirst();
                assertSame(first, queue.peek());
                queue.remove(first);
                live.remove(first);
            }
            assertEquals(reference.size(), queue.size());
            assertSame(reference.isEmpty() ? null : reference.first(), queue.peek());
        }
    }

    @Property(tries = 150)
    void bookSideKeepsLevelsSortedBestLast(@ForAll("operations") final List<int[]> operations,
                                           @ForAll final Side side) {
        final BookSide book = new BookSide(side, 1);
        final TreeMap<Long, PriceLevel> reference = side == Side.BUY ? new TreeMap<>(Comparator.reverseOrder())
            : new TreeMap<>();
        for (final int[] op : operations) {
            final long price = 100 + op[2];
            if (op[0] != 1) {
                final PriceLevel level = book.getOrCreate(price);
                assertEquals(price, level.price);
                final PriceLevel known = reference.putIfAbsent(price, level);
                if (known != null) {
                    assertSame(known, level);
                }
            } else if (reference.containsKey(price)) {
                book.removeLevel(reference.remove(price));
            }
            assertEquals(reference.size(), book.size());
            int depth = 0;
            for (final Map.Entry<Long, PriceLevel> entry : reference.entrySet()) {
                assertSame(entry.getValue(), book.atDepth(depth++));
                assertSame(entry.getValue(), book.find(entry.getKey()));
            }
            assertSame(reference.isEmpty() ? null : reference.firstEntry().getValue(), book.best());
            assertNull(book.find(99));
        }
    }
}
