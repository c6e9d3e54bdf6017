package io.trademesh.matching;

import static io.trademesh.matching.Side.BUY;
import static io.trademesh.matching.Side.SELL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An order's hold: the book's owner sets it with the new order, reads and changes it from inside the callbacks that
 * report the order (a new taker is not in the id map yet, a finished order no longer), and it survives a snapshot.
 * The sink here does what spot does: each fill takes the traded quantity off both orders' holds, and a finished order
 * gives back what its hold still has.
 */
class HoldTest {
    private final List<String> released = new ArrayList<>();
    private OrderBook book;
    private final MatchingSink sink = new MatchingSink() {
        @Override
        public void onAccepted(int marketId, long sequence, long orderId, long accountId, long clientOrderId,
                               Side side, OrderType type, TimeInForce timeInForce, SelfTradePrevention stp,
                               long price, long quantity, long quoteQuantity, long expireAtMs) {
        }

        @Override
        public void onRejected(int marketId, long sequence, CommandType command, long orderId, long accountId,
                               long clientOrderId, RejectReason reason, long existingOrderId) {
        }

        @Override
        public void onAmended(int marketId, long sequence, long orderId, long accountId, long clientOrderId,
                              long price, long quantity, long leavesQuantity, boolean keptPriority) {
        }

        @Override
        public void onFill(int marketId, long sequence, long tradeId, long price, long quantity, Side takerSide,
                           long makerOrderId, long makerAccountId, long makerFee, long takerOrderId,
                           long takerAccountId, long takerFee, boolean auction) {
            for (long id : new long[] {makerOrderId, takerOrderId}) {
                assertEquals(true, book.setHold(id, book.reported(id).hold() - quantity));
            }
        }

        @Override
        public void onDone(int marketId, long sequence, long orderId, long accountId, long clientOrderId,
                           DoneReason reason, long filledQuantity, long remainingQuantity, long remainingQuote) {
            released.add(orderId + ":" + book.reported(orderId).hold());
        }

        @Override
        public void onBookDelta(int marketId, long sequence, Side side, long price, long totalQuantity,
                                int orderCount) {
        }

        @Override
        public void onAuction(int marketId, long sequence, long price, long quantity) {
        }
    };
    private final NewOrder command = new NewOrder();
    private long nextId = 1;

    private long place(long account, Side side, long price, long quantity, long hold) {
        long id = nextId++;
        book.placeOrder(command.clear().timestampMs(1_000).orderId(id).accountId(account).side(side)
            .limit(price, quantity).hold(hold));
        return id;
    }

    @Test
    void aHoldTravelsWithItsOrderThroughFillsDoneAndASnapshot() throws IOException {
        book = new OrderBook(Harness.config().build(), sink, 16);
        long ask = place(1, SELL, 100, 10, 10);
        long otherAsk = place(2, SELL, 101, 5, 7);
        assertEquals(10, book.order(ask).hold());

        long bid = place(3, BUY, 101, 12, 50); // takes all of ask and 2 of otherAsk, from inside matching
        assertEquals(List.of(ask + ":0", bid + ":38"), released);
        assertEquals(5, book.order(otherAsk).hold());
        assertNull(book.order(bid));
        assertNull(book.reported(bid), "outside a callback only open orders are reported");
        assertFalse(book.setHold(bid, 1));

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        book.writeSnapshot(new DataOutputStream(bytes));
        OrderBook copy = new OrderBook(Harness.config().build(), sink, 16);
        copy.readSnapshot(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        assertEquals(5, copy.order(otherAsk).hold());

        book.amend(1_000, 2, otherAsk, 101, 4); // a smaller order: the hold is the owner's to change, not the book's
        assertEquals(5, book.order(otherAsk).hold());
        book.cancel(1_000, 2, otherAsk);
        assertEquals(otherAsk + ":5", released.get(released.size() - 1));
    }
}
