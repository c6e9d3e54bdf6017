package io.trademesh.platform.trading;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongConsumer;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * Client order ids, unique per account, for every order-book product: the ids of open
 * orders, and of finished ones for a retention window, so that a client retrying an
 * order it never got an answer for (same client order id) gets the original order back
 * and nothing executes twice.
 *
 * <h2>Retention</h2>
 * An open order's id is kept while it is open. Once the order is done its id is kept for
 * {@code retentionMs} of the command clock, and at most {@code donePerAccount} finished
 * ids per account (the oldest forgotten first). A rejected order never held its id.
 * Forgetting happens only inside commands ({@link #done}, {@link #expire}), never in a
 * query, so a replay forgets exactly what the live run forgot.
 *
 * <p>Deterministic: no iteration over hash order reaches an output; the snapshot lists
 * open ids by order id and finished ones in the order they finished.
 */
public final class ClientOrderIds {

    /** 24 hours of the command clock. */
    public static final long DEFAULT_RETENTION_MS = 24L * 60 * 60 * 1000;
    public static final int DEFAULT_DONE_PER_ACCOUNT = 1_000;

    private final long retentionMs;
    private final int donePerAccount;
    /** account -> client id -> order id (open and retained). */
    private final Long2ObjectHashMap<Map<String, Long>> byAccount = new Long2ObjectHashMap<>();
    /** order id -> its entry (open and retained). */
    private final Long2ObjectHashMap<Entry> byOrder = new Long2ObjectHashMap<>();
    /** Finished entries, oldest first, across accounts; entries forgotten by count stay here marked gone. */
    private final ArrayDeque<Entry> finished = new ArrayDeque<>();
    /** Finished entries per account, oldest first. */
    private final Long2ObjectHashMap<ArrayDeque<Entry>> finishedByAccount = new Long2ObjectHashMap<>();

    public ClientOrderIds() {
        this(DEFAULT_RETENTION_MS, DEFAULT_DONE_PER_ACCOUNT);
    }

    public ClientOrderIds(long retentionMs, int donePerAccount) {
        if (retentionMs <= 0 || donePerAccount <= 0) {
            throw new IllegalArgumentException("retention and count must be positive");
        }
        this.retentionMs = retentionMs;
        this.donePerAccount = donePerAccount;
    }

    private static final class Entry {
        final long accountId;
        final String clientOrderId;
        final long orderId;
        long doneAtMs = -1;
        boolean gone;

        Entry(long accountId, String clientOrderId, long orderId) {
            this.accountId = accountId;
            this.clientOrderId = clientOrderId;
            this.orderId = orderId;
        }
    }

    /** The order (open or finished and retained) holding this client id, or 0. */
    public long orderId(long accountId, String clientOrderId) {
        Map<String, Long> ids = byAccount.get(accountId);
        Long id = ids == null ? null : ids.get(clientOrderId);
        return id == null ? 0 : id;
    }

    /** The client id of an open or retained order, or null. */
    public String clientOrderId(long orderId) {
        Entry e = byOrder.get(orderId);
        return e == null ? null : e.clientOrderId;
    }

    /** A new order takes the id; the caller has checked {@link #orderId} is 0. */
    public void open(long accountId, String clientOrderId, long orderId) {
        Entry e = new Entry(accountId, clientOrderId, orderId);
        byAccount.computeIfAbsent(accountId, a -> new HashMap<>()).put(clientOrderId, orderId);
        byOrder.put(orderId, e);
    }

    /**
     * The id is free again at once: the order was refused (it never held it), or finished
     * under rules that keep no finished ids.
     */
    public void release(long orderId) {
        Entry e = byOrder.get(orderId);
        if (e != null && e.doneAtMs < 0) {
            remove(e);
        }
    }

    /**
     * The order finished at {@code nowMs}: its id is retained. Ids past the account's count
     * are forgotten, each reported to {@code forgotten}.
     */
    public void done(long orderId, long nowMs, LongConsumer forgotten) {
        Entry e = byOrder.get(orderId);
        if (e == null || e.doneAtMs >= 0) {
            return;
        }
        e.doneAtMs = nowMs;
        finished.addLast(e);
        ArrayDeque<Entry> mine = finishedByAccount.get(e.accountId);
        if (mine == null) {
            mine = new ArrayDeque<>();
            finishedByAccount.put(e.accountId, mine);
        }
        mine.addLast(e);
        if (mine.size() > donePerAccount) {
            Entry oldest = mine.removeFirst();
            oldest.gone = true; // leaves `finished` when it reaches the head
            remove(oldest);
            forgotten.accept(oldest.orderId);
        }
    }

    /** Forgets every finished id older than the retention window at {@code nowMs}. */
    public void expire(long nowMs, LongConsumer forgotten) {
        Entry head;
        while ((head = finished.peekFirst()) != null && (head.gone || nowMs - head.doneAtMs >= retentionMs)) {
            finished.removeFirst();
            if (head.gone) {
                continue;
            }
            ArrayDeque<Entry> mine = finishedByAccount.get(head.accountId);
            mine.removeFirst(); // the account's oldest: both queues are in finishing order
            if (mine.isEmpty()) {
                finishedByAccount.remove(head.accountId);
            }
            remove(head);
            forgotten.accept(head.orderId);
        }
    }

    private void remove(Entry e) {
        byOrder.remove(e.orderId);
        Map<String, Long> ids = byAccount.get(e.accountId);
        if (ids != null) {
            ids.remove(e.clientOrderId);
            if (ids.isEmpty()) {
                byAccount.remove(e.accountId);
            }
        }
    }

    /**
     * <pre>
     *   int n: (long orderId, long account, UTF clientOrderId)*   open, ascending by order id
     *   int n: (long orderId, long account, UTF clientOrderId, long doneAtMs)*   retained, oldest first
     * </pre>
     */
    public void write(DataOutput out) throws IOException {
        int openCount = byOrder.size() - retainedCount();
        long[] open = new long[openCount];
        int i = 0;
        for (Long2ObjectHashMap<Entry>.ValueIterator it = byOrder.values().iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (e.doneAtMs < 0) {
                open[i++] = e.orderId;
            }
        }
        java.util.Arrays.sort(open);
        out.writeInt(open.length);
        for (long id : open) {
            Entry e = byOrder.get(id);
            out.writeLong(e.orderId);
            out.writeLong(e.accountId);
            out.writeUTF(e.clientOrderId);
        }
        out.writeInt(retainedCount());
        for (Entry e : finished) {
            if (!e.gone) {
                out.writeLong(e.orderId);
                out.writeLong(e.accountId);
                out.writeUTF(e.clientOrderId);
                out.writeLong(e.doneAtMs);
            }
        }
    }

    private int retainedCount() {
        int n = 0;
        for (Entry e : finished) {
            if (!e.gone) {
                n++;
            }
        }
        return n;
    }

    /** Replaces everything with what {@link #write} wrote. */
    public void read(DataInput in) throws IOException {
        readOpenOnly(in);
        readRetained(in);
    }

    /** Reads only the open part (a layout that had no retained ids); nothing is retained. */
    public void readOpenOnly(DataInput in) throws IOException {
        clear();
        int open = in.readInt();
        for (int i = 0; i < open; i++) {
            long orderId = in.readLong();
            long account = in.readLong();
            open(account, in.readUTF(), orderId);
        }
    }

    private void readRetained(DataInput in) throws IOException {
        int retained = in.readInt();
        for (int i = 0; i < retained; i++) {
            long orderId = in.readLong();
            long account = in.readLong();
            String cid = in.readUTF();
            long doneAt = in.readLong();
            open(account, cid, orderId);
            done(orderId, doneAt, id -> {
                throw new IllegalStateException("a snapshot holds more retained ids than the count allows");
            });
        }
    }

    private void clear() {
        byAccount.clear();
        byOrder.clear();
        finished.clear();
        finishedByAccount.clear();
    }
}
