package io.trademesh.platform.wallet;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * Every account's wallets in one product service: per asset, an available and a locked
 * amount. One {@code long[]} per account, {@code [available0, locked0, available1, locked1, ...]}
 * indexed by the service's asset id, grown when a new asset appears. No boxing on the hot
 * path. Only the owning engine calls the mutators, on its single writer thread.
 */
public final class Wallets {

    private final Long2ObjectHashMap<long[]> accounts = new Long2ObjectHashMap<>();

    private long[] wallet(long accountId, int asset) {
        long[] w = accounts.get(accountId);
        int need = 2 * (asset + 1);
        if (w == null) {
            w = new long[Math.max(need, 8)];
            accounts.put(accountId, w);
        } else if (w.length < need) {
            w = Arrays.copyOf(w, Math.max(need, w.length * 2));
            accounts.put(accountId, w);
        }
        return w;
    }

    public long available(long accountId, int asset) {
        long[] w = accounts.get(accountId);
        return w == null || w.length <= 2 * asset ? 0 : w[2 * asset];
    }

    public long locked(long accountId, int asset) {
        long[] w = accounts.get(accountId);
        return w == null || w.length <= 2 * asset + 1 ? 0 : w[2 * asset + 1];
    }

    /** Adds to available; false (nothing changed) if it would overflow. */
    public boolean credit(long accountId, int asset, long amount) {
        long[] w = wallet(accountId, asset);
        long next = w[2 * asset] + amount;
        if (((w[2 * asset] ^ next) & (amount ^ next)) < 0) {
            return false;
        }
        w[2 * asset] = next;
        return true;
    }

    /** Takes from available; false (nothing changed) if not enough is available. */
    public boolean debit(long accountId, int asset, long amount) {
        long[] w = accounts.get(accountId);
        if (w == null || w.length <= 2 * asset || w[2 * asset] < amount) {
            return false;
        }
        w[2 * asset] -= amount;
        return true;
    }

    /** Moves available to locked; false (nothing changed) if not enough is available. */
    public boolean lock(long accountId, int asset, long amount) {
        long[] w = accounts.get(accountId);
        if (w == null || w.length <= 2 * asset || w[2 * asset] < amount) {
            return false;
        }
        w[2 * asset] -= amount;
        w[2 * asset + 1] += amount;
        return true;
    }

    /** Moves locked back to available. */
    public void unlock(long accountId, int asset, long amount) {
        long[] w = wallet(accountId, asset);
        w[2 * asset + 1] -= amount;
        w[2 * asset] += amount;
    }

    /**
     * Moves {@code amount} from available to locked (negative: back), without a check: for a
     * product that sets money aside by its own rules (futures' isolated margin), which may
     * leave either side below zero for the moment.
     */
    public void shift(long accountId, int asset, long amount) {
        long[] w = wallet(accountId, asset);
        w[2 * asset] -= amount;
        w[2 * asset + 1] += amount;
    }

    /** Adds to locked without a check (negative: takes from it): a locked amount's own gains and losses. */
    public void receiveLocked(long accountId, int asset, long amount) {
        wallet(accountId, asset)[2 * asset + 1] += amount;
    }

    /** Removes from locked (spent by a fill). */
    public void spendLocked(long accountId, int asset, long amount) {
        wallet(accountId, asset)[2 * asset + 1] -= amount;
    }

    /** Adds to available without an overflow check: the amount came out of another wallet. */
    public void receive(long accountId, int asset, long amount) {
        wallet(accountId, asset)[2 * asset] += amount;
    }

    /** Calls {@code visitor} for each account, ascending, with its wallet array (read only). */
    public void forEachAccount(AccountVisitor visitor) {
        long[] ids = sortedAccountIds();
        for (long id : ids) {
            visitor.visit(id, accounts.get(id));
        }
    }

    /** Sees one account's wallet array: [available0, locked0, available1, locked1, ...]. */
    @FunctionalInterface
    public interface AccountVisitor {
        void visit(long accountId, long[] wallet);
    }

    private long[] sortedAccountIds() {
        long[] ids = new long[accounts.size()];
        int i = 0;
        for (Long2ObjectHashMap<long[]>.KeyIterator it = accounts.keySet().iterator(); it.hasNext(); ) {
            ids[i++] = it.nextLong();
        }
        Arrays.sort(ids);
        return ids;
    }

    /** Accounts ascending, each with its array trimmed of trailing zero wallets: the same bytes for the same state. */
    public void write(DataOutput out) throws IOException {
        long[] ids = sortedAccountIds();
        out.writeInt(ids.length);
        for (long id : ids) {
            long[] w = accounts.get(id);
            int len = w.length;
            while (len > 0 && w[len - 1] == 0) {
                len--;
            }
            out.writeLong(id);
            out.writeInt(len);
            for (int k = 0; k < len; k++) {
                out.writeLong(w[k]);
            }
        }
    }

    public void read(DataInput in) throws IOException {
        accounts.clear();
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            long id = in.readLong();
            int len = in.readInt();
            long[] w = new long[Math.max(8, len + (len & 1))];
            for (int k = 0; k < len; k++) {
                w[k] = in.readLong();
            }
            accounts.put(id, w);
        }
    }
}
