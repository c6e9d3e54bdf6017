package io.trademesh.moneymarket.engine;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * One account's scaled supplies and debts by pool id, the pools whose supply it uses as
 * collateral, and its efficiency-mode category. Scaled amounts do not change as interest
 * accrues: the pool's index does.
 */
public final class LendingBook {

    final long accountId;
    long[] scaledSupply = new long[4];
    long[] scaledDebt = new long[4];
    /** Bit i: the supply in pool i is collateral. */
    long collateral;
    int category;

    // HealthIndex's links (see there): where this account is listed, under which key.
    int watchPair = HealthIndex.NONE;
    long watchBucket;
    double watchKey;
    LendingBook watchPrev;
    LendingBook watchNext;

    LendingBook(long accountId) {
        this.accountId = accountId;
    }

    public long accountId() {
        return accountId;
    }

    public int category() {
        return category;
    }

    public long scaledSupply(int pool) {
        return pool < scaledSupply.length ? scaledSupply[pool] : 0;
    }

    public long scaledDebt(int pool) {
        return pool < scaledDebt.length ? scaledDebt[pool] : 0;
    }

    public boolean isCollateral(int pool) {
        return (collateral & (1L << pool)) != 0;
    }

    void addSupply(int pool, long scaled) {
        grow(pool);
        scaledSupply[pool] = Math.addExact(scaledSupply[pool], scaled);
    }

    void addDebt(int pool, long scaled) {
        grow(pool);
        scaledDebt[pool] = Math.addExact(scaledDebt[pool], scaled);
    }

    void setCollateral(int pool, boolean on) {
        collateral = on ? collateral | (1L << pool) : collateral & ~(1L << pool);
    }

    /** Whether the account owes anything. */
    public boolean hasDebt() {
        for (long d : scaledDebt) {
            if (d != 0) {
                return true;
            }
        }
        return false;
    }

    /** Whether the account holds nothing in any pool (it can be forgotten). */
    boolean empty() {
        for (int i = 0; i < scaledSupply.length; i++) {
            if (scaledSupply[i] != 0 || scaledDebt[i] != 0) {
                return false;
            }
        }
        return category == 0 && collateral == 0;
    }

    private void grow(int pool) {
        if (pool >= scaledSupply.length) {
            int n = Math.max(pool + 1, scaledSupply.length * 2);
            scaledSupply = Arrays.copyOf(scaledSupply, n);
            scaledDebt = Arrays.copyOf(scaledDebt, n);
        }
    }

    /** {@code long id, long collateral, int category, int n, (long supply, long debt)*n} */
    void write(DataOutput out) throws IOException {
        out.writeLong(accountId);
        out.writeLong(collateral);
        out.writeInt(category);
        int n = scaledSupply.length;
        while (n > 0 && scaledSupply[n - 1] == 0 && scaledDebt[n - 1] == 0) {
            n--;
        }
        out.writeInt(n);
        for (int i = 0; i < n; i++) {
            out.writeLong(scaledSupply[i]);
            out.writeLong(scaledDebt[i]);
        }
    }

    static LendingBook read(DataInput in) throws IOException {
        LendingBook b = new LendingBook(in.readLong());
        b.collateral = in.readLong();
        b.category = in.readInt();
        int n = in.readInt();
        b.grow(Math.max(n - 1, 0));
        for (int i = 0; i < n; i++) {
            b.scaledSupply[i] = in.readLong();
            b.scaledDebt[i] = in.readLong();
        }
        return b;
    }
}
