package io.trademesh.matching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Checks, through the public views only, everything that must hold for any book between commands. */
final class BookInvariants {
    private BookInvariants() {
    }

    static void check(final OrderBook book) {
        final Map<Long, Integer> perAccount = new HashMap<>();
        final Set<String> clientIds = new HashSet<>();
        int orders = 0;
        for (final Side side : Side.values()) {
            final List<long[]> levels = new ArrayList<>();
            book.levels(side, Integer.MAX_VALUE, (s, price, total, count) -> levels.add(new long[] {price, total,
                count}));
            assertEquals(book.levelCount(side), levels.size());
            final List<Resting> resting = Resting.side(book, side);
            int index = 0;
            long sideTotal = 0;
            for (int l = 0; l < levels.size(); l++) {
                final long[] level = levels.get(l);
                if (l > 0) {
                    final long previous = levels.get(l - 1)[0];
                    assertTrue(side == Side.BUY ? level[0] < previous : level[0] > previous,
                        "levels out of order on " + side);
                }
                long total = 0;
                int count = 0;
                long lastPriority = 0;
                while (index < resting.size() && resting.get(index).price() == level[0]) {
                    final Resting order = resting.get(index++);
                    assertEquals(side, order.side());
                    assertTrue(order.leaves() > 0, "resting order without leaves " + order);
                    assertTrue(order.priority() > lastPriority, "FIFO out of time order at " + level[0]);
                    lastPriority = order.priority();
                    total += order.leaves();
                    count++;
                    perAccount.merge(order.accountId(), 1, Integer::sum);
                    final OrderView byId = book.order(order.orderId());
                    assertNotNull(byId, "order not found by id " + order.orderId());
                    assertEquals(order.orderId(), byId.orderId());
                    if (order.clientOrderId() != 0) {
                        assertTrue(clientIds.add(order.accountId() + "/" + order.clientOrderId()),
                            "client order id not unique " + order);
                        final OrderView byClientId = book.orderByClientOrderId(order.accountId(),
                            order.clientOrderId());
                        assertNotNull(byClientId);
                        assertSame(byId, byClientId);
                    }
                }
                assertEquals(level[1], total, "level total at " + level[0]);
                assertEquals(level[2], count, "level count at " + level[0]);
                assertTrue(count > 0, "empty level at " + level[0]);
                sideTotal += total;
            }
            assertEquals(resting.size(), index, "orders outside any level on " + side);
            assertEquals(sideTotal, book.totalQuantity(side));
            orders += resting.size();
        }
        assertEquals(orders, book.orderCount());
        for (final Map.Entry<Long, Integer> entry : perAccount.entrySet()) {
            assertEquals(entry.getValue().intValue(), book.openOrderCount(entry.getKey()),
                "open orders of account " + entry.getKey());
            assertTrue(entry.getValue() <= book.config().maxOpenOrdersPerAccount());
        }
        final TopOfBook top = new TopOfBook();
        book.topOfBook(top);
        assertEquals(book.bestBidPrice(), top.bidPrice);
        assertEquals(book.bestAskPrice(), top.askPrice);
        if (book.config().matchingMode() == MatchingMode.CONTINUOUS && top.bidPrice != 0 && top.askPrice != 0) {
            assertTrue(top.bidPrice < top.askPrice, "crossed book " + top);
        }
    }
}
