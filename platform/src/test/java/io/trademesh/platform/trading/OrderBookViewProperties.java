package io.trademesh.platform.trading;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.trademesh.matching.DoneReason;
import io.trademesh.matching.OrderType;
import io.trademesh.matching.SelfTradePrevention;
import io.trademesh.matching.Side;
import io.trademesh.matching.TimeInForce;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The view's listing of an account's open orders, against a plain model of every open order: after any mix of new
 * and finished orders over a few accounts and markets, and again after the view is written and read back (the
 * per-account lists are not in the snapshot; reading rebuilds them).
 */
class OrderBookViewProperties {

    private static final int ACCOUNTS = 5;
    private static final int MARKETS = 3;

    @Property(tries = 200)
    void anAccountsOpenOrdersAreExactlyItsOpenOnesInIdOrder(@ForAll long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        OrderBookView view = new OrderBookView();
        for (int m = 0; m < MARKETS; m++) {
            view.marketCreated(m);
        }
        TreeMap<Long, long[]> model = new TreeMap<>(); // order id -> {account, market}
        long nextId = 1;
        int steps = 1 + random.nextInt(300);
        for (int step = 0; step < steps; step++) {
            if (model.isEmpty() || random.nextInt(100) < 55) {
                long account = 1 + random.nextInt(ACCOUNTS);
                int market = random.nextInt(MARKETS);
                view.accepted(step, market, nextId, account, "", Side.BUY, OrderType.LIMIT, TimeInForce.GTC,
                        SelfTradePrevention.EXPIRE_TAKER, 100, 1, 0, 0);
                model.put(nextId++, new long[] {account, market});
            } else {
                // finish a random open one: oldest, newest or in between, so every unlink case comes up
                List<Long> ids = new ArrayList<>(model.keySet());
                long id = ids.get(random.nextInt(ids.size()));
                view.done(step, id, DoneReason.CANCELLED, 0);
                model.remove(id);
            }
            if (random.nextInt(20) == 0) {
                view = roundTrip(view);
            }
        }
        assertListings(model, view);
        assertListings(model, roundTrip(view));
    }

    private static void assertListings(TreeMap<Long, long[]> model, OrderBookView view) {
        for (long account = 1; account <= ACCOUNTS; account++) {
            for (int market = -1; market < MARKETS; market++) {
                List<Long> expected = new ArrayList<>();
                for (var e : model.entrySet()) {
                    if (e.getValue()[0] == account && (market < 0 || e.getValue()[1] == market)) {
                        expected.add(e.getKey());
                    }
                }
                List<Long> listed = view.openOrders(account, market).stream().map(r -> r.orderId).toList();
                assertEquals(expected, listed, "account " + account + ", market " + market);
            }
        }
    }

    private static OrderBookView roundTrip(OrderBookView view) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        view.write(new DataOutputStream(bytes));
        OrderBookView read = new OrderBookView();
        read.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), 2);
        return read;
    }
}
