package io.trademesh.matching;

import static io.trademesh.matching.Side.BUY;
import static io.trademesh.matching.Side.SELL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class ViewsTest {
    private final Harness h = new Harness();

    @Test
    void l1L2AndL3() {
        h.limit(1, BUY, 100, 5);
        h.limit(2, BUY, 100, 3);
        h.limit(3, BUY, 98, 1);
        h.limit(4, SELL, 103, 2);
        h.limit(5, SELL, 101, 7);

        final TopOfBook top = new TopOfBook();
        h.book.topOfBook(top);
        assertEquals(100, top.bidPrice);
        assertEquals(8, top.bidQuantity);
        assertEquals(2, top.bidOrderCount);
        assertEquals(101, top.askPrice);
        assertEquals(7, top.askQuantity);
        assertEquals(1, top.askOrderCount);

        final List<String> levels = new ArrayList<>();
        assertEquals(2, h.book.levels(BUY, 10, (side, price, total, count) -> levels.add(side + " " + price + " "
            + total + " " + count)));
        assertEquals(1, h.book.levels(SELL, 1, (side, price, total, count) -> levels.add(side + " " + price + " "
            + total + " " + count)));
        assertEquals(0, h.book.levels(SELL, -3, (side, price, total, count) -> levels.add("none")));
        assertEquals(List.of("BUY 100 8 2", "BUY 98 1 1", "SELL 101 7 1"), levels);

        final List<Long> ids = new ArrayList<>();
        assertEquals(3, h.book.orders(BUY, order -> ids.add(order.orderId())));
        assertEquals(List.of(1L, 2L, 3L), ids);
        final OrderView order = h.book.order(5);
        assertEquals(SELL, order.side());
        assertEquals(101, order.price());
        assertEquals(7, order.leavesQuantity());
        assertEquals(OrderType.LIMIT, order.orderType());
        assertEquals(SelfTradePrevention.EXPIRE_TAKER, order.selfTradePrevention());
        assertNull(h.book.order(99));
        assertEquals(5, h.book.orderCount());
        assertEquals(2, h.book.levelCount(SELL));
        assertEquals(9, h.book.totalQuantity(SELL));
    }

    @Test
    void emptyBook() {
        final TopOfBook top = new TopOfBook();
        h.book.topOfBook(top);
        assertEquals(OrderBook.NO_PRICE, top.bidPrice);
        assertEquals(OrderBook.NO_PRICE, top.askPrice);
        assertEquals(0, h.book.bestAskQuantity());
        assertEquals(0, h.book.orders(SELL, order -> { }));
        assertEquals(Long.MIN_VALUE, h.book.clockMs());
        assertEquals(Harness.MARKET, h.book.marketId());
    }
}
