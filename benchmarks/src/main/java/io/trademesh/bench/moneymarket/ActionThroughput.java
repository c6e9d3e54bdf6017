package io.trademesh.bench.moneymarket;

import static io.trademesh.bench.moneymarket.LendingMarket.ASSETS;
import static io.trademesh.bench.moneymarket.LendingMarket.BTC;
import static io.trademesh.bench.moneymarket.LendingMarket.ETH;
import static io.trademesh.bench.moneymarket.LendingMarket.PRICE;
import static io.trademesh.bench.moneymarket.LendingMarket.T0;
import static io.trademesh.bench.moneymarket.LendingMarket.USDC;

import io.trademesh.moneymarket.engine.MoneyMarketEngine;
import io.trademesh.moneymarket.engine.Pool;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Money-market actions per second on one thread, straight into {@link MoneyMarketEngine} (no
 * journal, no service): 100,000 accounts ({@link LendingMarket}: 85% borrowing, 10% with two
 * collaterals or two debts) and a pre-generated sequence of actions on uniformly random accounts:
 * <ul>
 *   <li>30% supply (0.5-3% of the account's collateral, from its wallet),</li>
 *   <li>20% withdraw (0.5-3% of a collateral; health-checked when the account owes),</li>
 *   <li>20% borrow (0.5-3% more of its debt asset, or a first loan of 20% of its limit; health-checked),</li>
 *   <li>25% repay (1-5% of a debt; 3% of repays are "all"),</li>
 *   <li>5% collateral switch (a second collateral off or on, health-checked when switched off
 *       with debt; or the only collateral of an account without debt).</li>
 * </ul>
 * Where the generator's model of the account makes an action pointless (repay without debt,
 * borrow with collateral switched off) it gives the account the action that makes sense next
 * (borrow, switch on); the mix it ends with is printed. Command time advances 1 ms every
 * {@code --per-ms} actions, so every pool accrues interest many times a second, and the index
 * prices of BTC, ETH and USDC are delivered every 1,000 ms of command time (a small random
 * walk; not counted as actions, but timed).
 *
 * <p>Each run restores the set-up snapshot (untimed) and applies the whole sequence; the first
 * run is the warm-up. Refusals are counted by reason and by kind of action.
 *
 * <pre>  java -Xmx4g -cp benchmarks/target/benchmarks.jar io.trademesh.bench.moneymarket.ActionThroughput</pre>
 */
@Command(name = "mm-action-throughput", mixinStandardHelpOptions = true,
        description = "Money-market actions per second, one thread, 100k accounts, with accrual.")
public final class ActionThroughput implements Callable<Integer> {

    static final byte SUPPLY = 0;
    static final byte WITHDRAW = 1;
    static final byte BORROW = 2;
    static final byte REPAY = 3;
    static final byte REPAY_ALL = 4;
    static final byte COLLATERAL_ON = 5;
    static final byte COLLATERAL_OFF = 6;
    static final byte PRICE_FEED = 7;
    static final String[] KINDS = {"supply", "withdraw", "borrow", "repay", "repay all", "collateral on",
            "collateral off", "index price"};

    @Option(names = "--accounts", description = "Accounts (default ${DEFAULT-VALUE}).")
    int accounts = 100_000;

    @Option(names = "--actions", description = "Actions per run (default ${DEFAULT-VALUE}).")
    int actions = 1_000_000;

    @Option(names = "--runs", description = "Timed runs after the warm-up run (default ${DEFAULT-VALUE}).")
    int runs = 5;

    @Option(names = "--per-ms", description = "Actions per millisecond of command time (default ${DEFAULT-VALUE}).")
    int perMs = 4;

    @Option(names = "--seed", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed = 13;

    // the sequence
    private byte[] kind;
    private int[] account;
    private byte[] pool;
    private long[] amount;
    private long[] time;
    private int commands;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ActionThroughput()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        long t = System.nanoTime();
        LendingMarket m = new LendingMarket(accounts, seed, 0.85, 0.10, 0.90, 0.30);
        MoneyMarketEngine engine = m.engine;
        System.out.printf("set-up: %d accounts, %d borrowers listed by the health index, in %.1f s%n", accounts,
                engine.watched(), (System.nanoTime() - t) / 1e9);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        engine.writeSnapshot(new DataOutputStream(bytes));
        byte[] snapshot = bytes.toByteArray();
        long[] generated = generate(m);
        StringBuilder mix = new StringBuilder();
        for (int k = 0; k < KINDS.length - 1; k++) {
            mix.append(String.format("%s %.1f%%, ", KINDS[k], 100.0 * generated[k] / actions));
        }
        System.out.printf("sequence: %,d actions (%s), plus %,d index prices; %d actions per ms of command time,"
                + " %.0f s of it%n", actions, mix.substring(0, mix.length() - 2), generated[PRICE_FEED], perMs,
                (time[commands - 1] - time[0]) / 1e3);

        double[] rates = new double[runs];
        LendingMarket.Counting said = m.listener;
        long[] refusedByKind = new long[KINDS.length];
        for (int r = -1; r < runs; r++) {
            engine.readSnapshot(new DataInputStream(new ByteArrayInputStream(snapshot)));
            said.clear();
            java.util.Arrays.fill(refusedByKind, 0);
            long[] borrowIndex = new long[ASSETS.length];
            for (int p = 0; p < ASSETS.length; p++) {
                borrowIndex[p] = engine.pool(p).borrowIndex();
            }
            System.gc();
            long start = System.nanoTime();
            apply(engine, said, refusedByKind);
            long elapsed = System.nanoTime() - start;
            double perSecond = actions / (elapsed / 1e9);
            long accepted = said.actions;
            System.out.printf("%s: %,.0f actions/s (%.3f s); accepted %,d (%.1f%%), refused %,d: %s%n",
                    r < 0 ? "warm-up" : "run " + (r + 1), perSecond, elapsed / 1e9, accepted,
                    100.0 * accepted / actions, said.refused, said.reasons());
            if (accepted + said.refused != actions) {
                throw new IllegalStateException("accepted + refused != actions");
            }
            if (r < 0) {
                StringBuilder b = new StringBuilder("  refused by kind:");
                for (int k = 0; k < KINDS.length; k++) {
                    if (generated[k] > 0) {
                        b.append(String.format(" %s %d/%d;", KINDS[k], refusedByKind[k], generated[k]));
                    }
                }
                System.out.println(b);
                b = new StringBuilder("  accrual over the run, borrow index growth:");
                for (int p = 0; p < ASSETS.length; p++) {
                    Pool pool = engine.pool(p);
                    b.append(String.format(" %s %.3g (utilisation %.1f%%, borrow rate %.2f%%);", ASSETS[p],
                            (double) pool.borrowIndex() / borrowIndex[p] - 1, pool.utilization() / 1e7,
                            pool.borrowRate() / 1e7));
                }
                System.out.println(b);
            } else {
                rates[r] = perSecond;
            }
            if (said.refused * 10 > actions) {
                System.out.println("INVALID: more than 10% of the actions were refused");
                return 1;
            }
        }
        System.out.printf("median of %d runs: %,.0f actions/s (target >= 1,000,000: %s)%n", runs,
                LendingMarket.median(rates), LendingMarket.median(rates) >= 1_000_000 ? "met" : "NOT met");
        return 0;
    }

    private void apply(MoneyMarketEngine engine, LendingMarket.Counting said, long[] refusedByKind) {
        for (int i = 0; i < commands; i++) {
            long now = time[i];
            long id = account[i];
            String asset = ASSETS[pool[i]];
            long before = said.refused;
            byte k = kind[i];
            switch (k) {
                case SUPPLY -> engine.supply(now, id, asset, amount[i], "");
                case WITHDRAW -> engine.withdraw(now, id, asset, amount[i], false, "");
                case BORROW -> engine.borrow(now, id, asset, amount[i], "");
                case REPAY -> engine.repay(now, id, asset, amount[i], false, "");
                case REPAY_ALL -> engine.repay(now, id, asset, 0, true, "");
                case COLLATERAL_ON -> engine.setCollateral(now, id, asset, true, "");
                case COLLATERAL_OFF -> engine.setCollateral(now, id, asset, false, "");
                default -> engine.indexPrice(now, asset, "USDT", amount[i], pool[i] == USDC ? 4 : 2);
            }
            refusedByKind[k] += said.refused - before;
        }
    }

    /** Fills the sequence; returns the number of commands of each kind. */
    private long[] generate(LendingMarket m) {
        int n = m.accounts;
        int feeds = (int) ((long) actions / perMs / 1000 + 1) * 3;
        kind = new byte[actions + feeds];
        account = new int[actions + feeds];
        pool = new byte[actions + feeds];
        amount = new long[actions + feeds];
        time = new long[actions + feeds];
        long[] count = new long[KINDS.length];
        // the generator's model of each account (amounts as they were asked; interest ignored)
        long[] coll = m.collAmount.clone();
        long[] coll2 = m.coll2Amount.clone();
        long[] debt = m.debtAmount.clone();
        long[] debt2 = m.debt2Amount.clone();
        boolean[] primaryOff = new boolean[n];
        boolean[] secondOff = new boolean[n];
        Random r = new Random(seed * 31 + 1);
        double crypto = 1;
        double usdc = 1;
        long t1 = T0 + 1_000;
        int c = 0;
        for (int i = 0; i < actions; i++) {
            long now = t1 + i / perMs;
            if (i % (perMs * 1000) == 0) {   // the index prices, each second of command time
                crypto *= 1 + r.nextGaussian() * 0.0005;
                usdc = 1 + (usdc - 1) * 0.9 + r.nextGaussian() * 0.0001;
                long[] feed = {Math.round(PRICE[BTC] * crypto * 100), Math.round(PRICE[ETH] * crypto * 100),
                        Math.round(usdc * 10_000)};
                int[] assets = {BTC, ETH, USDC};
                for (int f = 0; f < 3; f++) {
                    kind[c] = PRICE_FEED;
                    pool[c] = (byte) assets[f];
                    amount[c] = feed[f];
                    time[c++] = now;
                    count[PRICE_FEED]++;
                }
            }
            int a = r.nextInt(n);
            int x = r.nextInt(100);
            byte k;
            int p;
            long amt = 0;
            if (x < 30) {
                k = SUPPLY;
                p = m.coll[a];
                amt = frac(m.collAmount[a], r, 0.005, 0.03);
                coll[a] += amt;
            } else if (x < 50) {
                k = WITHDRAW;
                if (m.coll2[a] >= 0 && coll2[a] > 0 && r.nextDouble() < 0.3) {
                    p = m.coll2[a];
                    amt = frac(coll2[a], r, 0.005, 0.03);
                    coll2[a] -= amt;
                } else {
                    p = m.coll[a];
                    amt = frac(coll[a], r, 0.005, 0.03);
                    coll[a] -= amt;
                }
            } else if (x < 95 && (x < 70 || debt[a] + debt2[a] == 0)) {
                if (primaryOff[a]) {
                    k = COLLATERAL_ON;
                    p = m.coll[a];
                    primaryOff[a] = false;
                } else {
                    k = BORROW;
                    if (m.debt2[a] >= 0 && debt2[a] > 0 && r.nextDouble() < 0.3) {
                        p = m.debt2[a];
                        amt = frac(debt2[a], r, 0.005, 0.03);
                        debt2[a] += amt;
                    } else if (debt[a] > 0) {
                        p = m.debt[a] >= 0 ? m.debt[a] : m.wouldBorrow[a];
                        amt = frac(debt[a], r, 0.005, 0.03);
                        debt[a] += amt;
                    } else {   // a first loan (or a new one after repaying all): 20% of the limit
                        p = m.debt[a] >= 0 ? m.debt[a] : m.wouldBorrow[a];
                        amt = LendingMarket.units(p, m.limitOf(a) * 0.2);
                        debt[a] = amt;
                    }
                }
            } else if (x < 95) {
                if (r.nextDouble() < 0.03) {
                    k = REPAY_ALL;
                    if (debt2[a] > 0 && (debt[a] == 0 || r.nextBoolean())) {
                        p = m.debt2[a];
                        debt2[a] = 0;
                    } else {
                        p = m.debt[a] >= 0 ? m.debt[a] : m.wouldBorrow[a];
                        debt[a] = 0;
                    }
                } else {
                    k = REPAY;
                    if (debt2[a] > 0 && (debt[a] == 0 || r.nextDouble() < 0.3)) {
                        p = m.debt2[a];
                        amt = frac(debt2[a], r, 0.01, 0.05);
                        debt2[a] -= amt;
                    } else {
                        p = m.debt[a] >= 0 ? m.debt[a] : m.wouldBorrow[a];
                        amt = frac(debt[a], r, 0.01, 0.05);
                        debt[a] -= amt;
                    }
                }
            } else {
                // a second collateral switched, or the only one of an account without debt
                while (m.coll2[a] < 0 && debt[a] + debt2[a] != 0) {
                    a = r.nextInt(n);
                }
                if (m.coll2[a] >= 0) {
                    p = m.coll2[a];
                    k = secondOff[a] ? COLLATERAL_ON : COLLATERAL_OFF;
                    secondOff[a] = !secondOff[a];
                } else {
                    p = m.coll[a];
                    k = primaryOff[a] ? COLLATERAL_ON : COLLATERAL_OFF;
                    primaryOff[a] = !primaryOff[a];
                }
            }
            kind[c] = k;
            account[c] = a + 1;
            pool[c] = (byte) p;
            amount[c] = amt;
            time[c++] = now;
            count[k]++;
        }
        commands = c;
        return count;
    }

    private static long frac(long of, Random r, double lo, double hi) {
        return Math.max(1, (long) (of * (lo + (hi - lo) * r.nextDouble())));
    }
}
