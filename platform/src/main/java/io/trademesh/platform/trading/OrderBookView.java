package io.trademesh.platform.trading;

import io.trademesh.matching.DoneReason;
import io.trademesh.matching.OrderType;
import io.trademesh.matching.SelfTradePrevention;
import io.trademesh.matching.Side;
import io.trademesh.matching.TimeInForce;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * What traders ask about that the books do not keep: every open order's full record,
 * each account's recent finished orders and fills, and each market's public counters.
 * Built only from the engine's events and the command clock, so replay rebuilds it
 * exactly; snapshotted with the engine. History is bounded per account; finished orders
 * whose client order id the engine still retains are kept apart, so that a retry inside the
 * retention window is answered with the original order however much history came after.
 */
public final class OrderBookView {

    public static final int HISTORY_PER_ACCOUNT = 200;
    public static final int FILLS_PER_ACCOUNT = 500;

    private final Long2ObjectHashMap<OrderRecord> open = new Long2ObjectHashMap<>();
    /**
     * Each account's open orders, newest first, linked through the records: listing them reads that account's
     * orders only, where a scan of {@link #open} read every open order of the service on the engine's thread
     * (milliseconds with a million open orders, for every query). Derived from {@link #open}, never snapshotted.
     */
    private final Long2ObjectHashMap<OrderRecord> newestOpenByAccount = new Long2ObjectHashMap<>();
    private final Long2ObjectHashMap<ArrayDeque<OrderRecord>> history = new Long2ObjectHashMap<>();
    /** Finished orders whose client order id is retained: order id -> record. */
    private final Long2ObjectHashMap<OrderRecord> retained = new Long2ObjectHashMap<>();
    private final Long2ObjectHashMap<ArrayDeque<FillRecord>> fills = new Long2ObjectHashMap<>();
    private final List<MarketStats> stats = new ArrayList<>();

    public void marketCreated(int marketId) {
        while (stats.size() <= marketId) {
            stats.add(new MarketStats());
        }
    }

    public MarketStats stats(int marketId) {
        return stats.get(marketId);
    }

    /** A new order the book accepted. */
    public OrderRecord accepted(long nowMs, int marketId, long orderId, long accountId, String clientOrderId,
                                Side side, OrderType type, TimeInForce tif, SelfTradePrevention stp, long price,
                                long quantity, long quoteQuantity, long expireAtMs) {
        OrderRecord r = new OrderRecord();
        r.orderId = orderId;
        r.accountId = accountId;
        r.marketId = marketId;
        r.clientOrderId = clientOrderId == null ? "" : clientOrderId;
        r.side = side;
        r.type = type;
        r.timeInForce = tif;
        r.stp = stp;
        r.price = price;
        r.quantity = quantity;
        r.quoteQuantity = quoteQuantity;
        r.expireAtMs = expireAtMs;
        r.createdAtMs = nowMs;
        r.updatedAtMs = nowMs;
        open.put(orderId, r);
        linkOpen(r);
        return r;
    }

    private void linkOpen(OrderRecord r) {
        OrderRecord newest = newestOpenByAccount.put(r.accountId, r);
        r.accountNext = newest;
        if (newest != null) {
            newest.accountPrev = r;
        }
    }

    private void unlinkOpen(OrderRecord r) {
        if (r.accountPrev != null) {
            r.accountPrev.accountNext = r.accountNext;
        } else if (r.accountNext != null) {
            newestOpenByAccount.put(r.accountId, r.accountNext);
        } else {
            newestOpenByAccount.remove(r.accountId);
        }
        if (r.accountNext != null) {
            r.accountNext.accountPrev = r.accountPrev;
        }
        r.accountPrev = null;
        r.accountNext = null;
    }

    public OrderRecord amended(long nowMs, long orderId, long price, long quantity) {
        OrderRecord r = open.get(orderId);
        if (r != null) {
            r.price = price;
            r.quantity = quantity;
            r.updatedAtMs = nowMs;
        }
        return r;
    }

    /** One order's side of a fill; returns its record. */
    public OrderRecord filled(long nowMs, int marketId, long tradeId, long marketSequence, long orderId,
                              long accountId, Side side, long price, long quantity, long fee, boolean maker) {
        OrderRecord r = open.get(orderId);
        if (r != null) {
            r.filledQuantity += quantity;
            // The last fill of an order says FILLED already; its done event follows in the same command.
            r.state = r.quantity > 0 && r.filledQuantity >= r.quantity ? OrderState.FILLED : OrderState.PARTIALLY_FILLED;
            r.updatedAtMs = nowMs;
        }
        ArrayDeque<FillRecord> list = fills.get(accountId);
        if (list == null) {
            list = new ArrayDeque<>();
            fills.put(accountId, list);
        }
        list.addLast(new FillRecord(marketId, tradeId, marketSequence, orderId, accountId, side, price, quantity, fee,
                maker, nowMs));
        if (list.size() > FILLS_PER_ACCOUNT) {
            list.removeFirst();
        }
        return r;
    }

    public void trade(int marketId, long nowMs, long tradeId, long marketSequence, long price, long quantity,
                      long notional, Side takerSide) {
        MarketStats s = stats.get(marketId);
        s.trade(nowMs, price, quantity, notional);
        s.recentTrade(new MarketStats.TradeRecord(tradeId, marketSequence, price, quantity, takerSide == Side.BUY,
                nowMs));
    }

    /** Counts one book update of the market and returns its sequence. */
    public long nextBookSequence(int marketId) {
        return ++stats.get(marketId).bookSequence;
    }

    /** The order is finished: it moves to its account's history. */
    public OrderRecord done(long nowMs, long orderId, DoneReason reason, long filledQuantity) {
        OrderRecord r = open.remove(orderId);
        if (r == null) {
            return null;
        }
        unlinkOpen(r);
        r.filledQuantity = filledQuantity;
        r.doneReason = reason;
        r.updatedAtMs = nowMs;
        switch (reason) {
            case FILLED -> r.state = OrderState.FILLED;
            case CANCELLED, MASS_CANCELLED -> r.state = OrderState.CANCELLED;
            default -> r.state = OrderState.EXPIRED;
        }
        ArrayDeque<OrderRecord> list = history.get(r.accountId);
        if (list == null) {
            list = new ArrayDeque<>();
            history.put(r.accountId, list);
        }
        list.addLast(r);
        if (list.size() > HISTORY_PER_ACCOUNT) {
            list.removeFirst();
        }
        if (!r.clientOrderId.isEmpty()) {
            retained.put(r.orderId, r);
        }
        return r;
    }

    /** The engine no longer retains the order's client id. */
    public void forgetRetained(long orderId) {
        retained.remove(orderId);
    }

    public OrderRecord openOrder(long orderId) {
        return open.get(orderId);
    }

    /** An open or recently finished order of the account, or null. */
    public OrderRecord order(long accountId, long orderId) {
        OrderRecord r = open.get(orderId);
        if (r == null) {
            r = retained.get(orderId);
        }
        if (r != null) {
            return r.accountId == accountId ? r : null;
        }
        ArrayDeque<OrderRecord> list = history.get(accountId);
        if (list != null) {
            for (OrderRecord h : list) {
                if (h.orderId == orderId) {
                    return h;
                }
            }
        }
        return null;
    }

    /** The account's open orders (in one market, or all when marketId < 0), by order id. */
    public List<OrderRecord> openOrders(long accountId, int marketId) {
        List<OrderRecord> out = new ArrayList<>();
        for (OrderRecord r = newestOpenByAccount.get(accountId); r != null; r = r.accountNext) {
            if (marketId < 0 || r.marketId == marketId) {
                out.add(r);
            }
        }
        out.sort((a, b) -> Long.compare(a.orderId, b.orderId));
        return out;
    }

    /** The account's finished orders, newest first. */
    public List<OrderRecord> history(long accountId, int marketId, int limit) {
        List<OrderRecord> out = new ArrayList<>();
        ArrayDeque<OrderRecord> list = history.get(accountId);
        if (list != null) {
            for (Iterator<OrderRecord> it = list.descendingIterator(); it.hasNext() && out.size() < limit; ) {
                OrderRecord r = it.next();
                if (marketId < 0 || r.marketId == marketId) {
                    out.add(r);
                }
            }
        }
        return out;
    }

    /** The account's fills, newest first. */
    public List<FillRecord> fills(long accountId, int marketId, int limit) {
        List<FillRecord> out = new ArrayList<>();
        ArrayDeque<FillRecord> list = fills.get(accountId);
        if (list != null) {
            for (Iterator<FillRecord> it = list.descendingIterator(); it.hasNext() && out.size() < limit; ) {
                FillRecord f = it.next();
                if (marketId < 0 || f.marketId() == marketId) {
                    out.add(f);
                }
            }
        }
        return out;
    }

    /**
     * Open orders by id, then per account (ascending) its history and fills, then each
     * market's stats, then the retained finished orders by id.
     */
    public void write(DataOutput out) throws IOException {
        long[] ids = SortedIds.of(open);
        out.writeInt(ids.length);
        for (long id : ids) {
            open.get(id).write(out);
        }
        long[] accounts = SortedIds.of(history);
        out.writeInt(accounts.length);
        for (long a : accounts) {
            ArrayDeque<OrderRecord> list = history.get(a);
            out.writeLong(a);
            out.writeInt(list.size());
            for (OrderRecord r : list) {
                r.write(out);
            }
        }
        accounts = SortedIds.of(fills);
        out.writeInt(accounts.length);
        for (long a : accounts) {
            ArrayDeque<FillRecord> list = fills.get(a);
            out.writeLong(a);
            out.writeInt(list.size());
            for (FillRecord f : list) {
                f.write(out);
            }
        }
        out.writeInt(stats.size());
        for (MarketStats s : stats) {
            s.write(out);
        }
        ids = SortedIds.of(retained);
        out.writeInt(ids.length);
        for (long id : ids) {
            retained.get(id).write(out);
        }
    }

    /** {@code engineVersion} 1 wrote no retained orders. */
    public void read(DataInput in, int engineVersion) throws IOException {
        open.clear();
        newestOpenByAccount.clear();
        retained.clear();
        history.clear();
        fills.clear();
        stats.clear();
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            OrderRecord r = OrderRecord.read(in);
            open.put(r.orderId, r);
            linkOpen(r);
        }
        n = in.readInt();
        for (int i = 0; i < n; i++) {
            long a = in.readLong();
            int size = in.readInt();
            ArrayDeque<OrderRecord> list = new ArrayDeque<>(size);
            for (int k = 0; k < size; k++) {
                list.addLast(OrderRecord.read(in));
            }
            history.put(a, list);
        }
        n = in.readInt();
        for (int i = 0; i < n; i++) {
            long a = in.readLong();
            int size = in.readInt();
            ArrayDeque<FillRecord> list = new ArrayDeque<>(size);
            for (int k = 0; k < size; k++) {
                list.addLast(FillRecord.read(in));
            }
            fills.put(a, list);
        }
        n = in.readInt();
        for (int i = 0; i < n; i++) {
            stats.add(MarketStats.read(in));
        }
        if (engineVersion >= 2) {
            n = in.readInt();
            for (int i = 0; i < n; i++) {
                OrderRecord r = OrderRecord.read(in);
                retained.put(r.orderId, r);
            }
        }
    }
}
