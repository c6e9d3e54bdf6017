package io.trademesh.platform.wallet;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * Every account's wallets in one product service: per asset, an available and a locked
 * amount. One {@code long[]} per account, {@code [accountId, 0, available0, locked0, available1,
 * locked1, ...]} (asset {@code a} at {@link #availableSlot}), indexed by the service's asset id
 * and grown when a new asset appears. The accounts are an open-addressing table of those
 * arrays, found by the id in their first slot: the slot leads straight to the array the caller
 * reads next, where a map with separate key and value arrays costs two more cache misses (with
 * 100,000 accounts the wallet lookups were a quarter of the engine's time). No boxing on the hot
 * path. Only the owning engine calls the mutators, on its single writer thread.
 */
public final class Wallets {
    /** Where an account's balances start in its array: after the id and a pad that keeps pairs aligned. */
    private static final int FIRST = 2;

    private long[][] table = new long[64][];
    private int size;

    /** Index of asset {@code asset}'s available amount in a wallet array; its locked amount is the next one. */
    public static int availableSlot(int asset) {
        return FIRST + 2 * asset;
    }

    /** How many assets a wallet array has room for. */
    public static int assets(long[] wallet) {
        return (wallet.length - FIRST) / 2;
    }

    private int home(long accountId) {
        return (int) ((accountId * 0x9E3779B97F4A7C15L) >>> (64 - Integer.numberOfTrailingZeros(table.length)));
    }

    /** The account's array, or null. */
    private long[] find(long accountId) {
        long[][] t = table;
        int mask = t.length - 1;
        for (int i = home(accountId); ; i = (i + 1) & mask) {
            long[] w = t[i];
            if (w == null || w[0] == accountId) {
                return w;
            }
        }
    }

    /** Puts an account's (new or grown) array in its place. */
    private void store(long[] wallet) {
        int mask = table.length - 1;
        int i = home(wallet[0]);
        while (table[i] != null && table[i][0] != wallet[0]) {
            i = (i + 1) & mask;
        }
        if (table[i] == null) {
            size++;
        }
        table[i] = wallet;
        if (size * 2 > table.length) {
            long[][] old = table;
            table = new long[old.length * 2][];
            size = 0;
            for (long[] w : old) {
                if (w != null) {
                    store(w);
                }
            }
        }
    }

    private long[] wallet(long accountId, int asset) {
        long[] w = find(accountId);
        int need = availableSlot(asset) + 2;
        if (w == null) {
            w = new long[Math.max(need, 8)];
            w[0] = accountId;
            store(w);
        } else if (w.length < need) {
            w = Arrays.copyOf(w, Math.max(need, w.length * 2));
            store(w);
        }
        return w;
    }

    public long available(long accountId, int asset) {
        long[] w = find(accountId);
        int at = availableSlot(asset);
        return w == null || w.length <= at ? 0 : w[at];
    }

    public long locked(long accountId, int asset) {
        long[] w = find(accountId);
        int at = availableSlot(asset) + 1;
        return w == null || w.length <= at ? 0 : w[at];
    }

    /** Adds to available; false (nothing changed) if it would overflow. */
    public boolean credit(long accountId, int asset, long amount) {
        long[] w = wallet(accountId, asset);
        int at = availableSlot(asset);
        long next = w[at] + amount;
        if (((w[at] ^ next) & (amount ^ next)) < 0) {
            return false;
        }
        w[at] = next;
        return true;
    }

    /** Takes from available; false (nothing changed) if not enough is available. */
    public boolean debit(long accountId, int asset, long amount) {
        long[] w = find(accountId);
        int at = availableSlot(asset);
        if (w == null || w.length <= at || w[at] < amount) {
            return false;
        }
        w[at] -= amount;
        return true;
    }

    /** Moves available to locked; false (nothing changed) if not enough is available. */
    public boolean lock(long accountId, int asset, long amount) {
        long[] w = find(accountId);
        int at = availableSlot(asset);
        if (w == null || w.length <= at || w[at] < amount) {
            return false;
        }
        w[at] -= amount;
        w[at + 1] += amount;
        return true;
    }

    /** Moves locked back to available. */
    public void unlock(long accountId, int asset, long amount) {
        long[] w = wallet(accountId, asset);
        int at = availableSlot(asset);
        w[at + 1] -= amount;
        w[at] += amount;
    }

    /**
     * Moves {@code amount} from available to locked (negative: back), without a check: for a
     * product that sets money aside by its own rules (futures' isolated margin), which may
     * leave either side below zero for the moment.
     */
    public void shift(long accountId, int asset, long amount) {
        long[] w = wallet(accountId, asset);
        int at = availableSlot(asset);
        w[at] -= amount;
        w[at + 1] += amount;
    }

    /** Adds to locked without a check (negative: takes from it): a locked amount's own gains and losses. */
    public void receiveLocked(long accountId, int asset, long amount) {
        wallet(accountId, asset)[availableSlot(asset) + 1] += amount;
    }

    /** Removes from locked (spent by a fill). */
    public void spendLocked(long accountId, int asset, long amount) {
        wallet(accountId, asset)[availableSlot(asset) + 1] -= amount;
    }

    /** Adds to available without an overflow check: the amount came out of another wallet. */
    public void receive(long accountId, int asset, long amount) {
        wallet(accountId, asset)[availableSlot(asset)] += amount;
    }

    /**
     * Calls {@code visitor} for each account, ascending, with its wallet array (read only; asset {@code a} at
     * {@link #availableSlot}).
     */
    public void forEachAccount(AccountVisitor visitor) {
        for (long[] w : sortedWallets()) {
            visitor.visit(w[0], w);
        }
    }

    /** Sees one account's wallet array. */
    @FunctionalInterface
    public interface AccountVisitor {
        void visit(long accountId, long[] wallet);
    }

    private long[][] sortedWallets() {
        long[][] wallets = new long[size][];
        int i = 0;
        for (long[] w : table) {
            if (w != null) {
                wallets[i++] = w;
            }
        }
        Arrays.sort(wallets, (a, b) -> Long.compare(a[0], b[0]));
        return wallets;
    }

    /**
     * Accounts ascending, each with its balances trimmed of trailing zero wallets: the same bytes for the same state.
     * Per account: long id, int n, n longs {@code available0, locked0, available1, ...}.
     */
    public void write(DataOutput out) throws IOException {
        long[][] wallets = sortedWallets();
        out.writeInt(wallets.length);
        for (long[] w : wallets) {
            int len = w.length;
            while (len > FIRST && w[len - 1] == 0) {
                len--;
            }
            out.writeLong(w[0]);
            out.writeInt(len - FIRST);
            for (int k = FIRST; k < len; k++) {
                out.writeLong(w[k]);
            }
        }
    }

    public void read(DataInput in) throws IOException {
        table = new long[64][];
        size = 0;
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            long id = in.readLong();
            int len = in.readInt();
            long[] w = new long[Math.max(8, FIRST + len + (len & 1))];
            w[0] = id;
            for (int k = 0; k < len; k++) {
                w[FIRST + k] = in.readLong();
            }
            store(w);
        }
    }
}
