package io.trademesh.bench.moneymarket;

import io.trademesh.moneymarket.engine.Category;
import io.trademesh.moneymarket.engine.Liquidation;
import io.trademesh.moneymarket.engine.MoneyMarketEngine;
import io.trademesh.moneymarket.engine.MoneyMarketListener;
import io.trademesh.moneymarket.engine.MoneyMarketRejectReason;
import io.trademesh.moneymarket.engine.Pool;
import io.trademesh.moneymarket.engine.PoolTerms;
import io.trademesh.platform.wallet.WalletLedger;
import java.util.Random;

/**
 * The money market the issue-13 benchmarks run on: four pools (USDT, BTC, ETH, USDC, ids 0-3 in
 * that order) and {@code accounts} accounts built from a seeded random profile.
 *
 * <ul>
 *   <li>Collateral: BTC 40%, ETH 35%, USDT 15%, USDC 10% of the accounts, worth $5,000-$200,000
 *       (log-uniform).</li>
 *   <li>Debt (for the {@code borrowShare} that borrow): against BTC or ETH, USDT (65%) or USDC;
 *       against a stablecoin, BTC or ETH. The debt is {@code u} x the borrow limit, {@code u}
 *       uniform in [0.08, {@code maxUse}], so health factors spread from about 1.1 up (health
 *       = (threshold / ltv) / u).</li>
 *   <li>{@code multiShare} of the accounts (half of it each) hold a second collateral (20-60% of the
 *       first's value) or, borrowers, a second debt (20-40% of the debt, in another asset):
 *       these are the health index's general list.</li>
 *   <li>Per pool, a liquidity provider supplies twice what the borrowers take (utilisation about
 *       30-50%, so rates and accrual are not zero).</li>
 * </ul>
 * Every set-up command must be accepted; a refusal throws.
 */
final class LendingMarket {

    static final long T0 = 1_800_000_000_000L;
    static final long PCT = 10_000_000L;   // 1% at 9 decimals
    static final String[] ASSETS = {"USDT", "BTC", "ETH", "USDC"};
    static final int USDT = 0;
    static final int BTC = 1;
    static final int ETH = 2;
    static final int USDC = 3;
    static final int[] DECIMALS = {6, 8, 8, 6};
    /** Dollars per whole coin at the start. */
    static final double[] PRICE = {1, 30_000, 2_000, 1};
    /** ltv of each pool (the health bound is threshold / ltv). */
    static final double[] LTV = {0.75, 0.70, 0.75, 0.75};
    static final long LP_ACCOUNT = 10_000_000L;

    final Counting listener = new Counting();
    final MoneyMarketEngine engine = new MoneyMarketEngine(listener);
    final int accounts;
    // the profile, by account index (account id = index + 1); -1: none
    final int[] coll;
    final long[] collAmount;
    final int[] coll2;
    final long[] coll2Amount;
    final int[] debt;
    final long[] debtAmount;
    final int[] debt2;
    final long[] debt2Amount;
    /** The asset an account without debt would borrow. */
    final int[] wouldBorrow;
    private int transfers;

    static PoolTerms terms(int pool) {
        return switch (pool) {
            case USDT -> new PoolTerms("USDT", 6, 80 * PCT, 0, 4 * PCT, 75 * PCT, 10 * PCT, 75 * PCT, 80 * PCT,
                    5 * PCT, 10 * PCT, 0, 0, true, true, 0);
            case BTC -> new PoolTerms("BTC", 8, 45 * PCT, 0, 4 * PCT, 300 * PCT, 20 * PCT, 70 * PCT, 75 * PCT,
                    10 * PCT, 10 * PCT, 0, 0, true, true, 0);
            case ETH -> new PoolTerms("ETH", 8, 45 * PCT, 0, 4 * PCT, 300 * PCT, 15 * PCT, 75 * PCT, 80 * PCT,
                    7 * PCT, 10 * PCT, 0, 0, true, true, 0);
            case USDC -> new PoolTerms("USDC", 6, 80 * PCT, 0, 4 * PCT, 75 * PCT, 10 * PCT, 75 * PCT, 80 * PCT,
                    5 * PCT, 10 * PCT, 0, 0, true, true, 0);
            default -> throw new IllegalArgumentException();
        };
    }

    /**
     * Builds the market at {@link #T0}. {@code walletExtra}: besides what it supplies, each account
     * keeps this share of its collateral (and of its debt, in the debt asset) in its wallet.
     */
    LendingMarket(int accounts, long seed, double borrowShare, double multiShare, double maxUse, double walletExtra) {
        this.accounts = accounts;
        coll = new int[accounts];
        collAmount = new long[accounts];
        coll2 = new int[accounts];
        coll2Amount = new long[accounts];
        debt = new int[accounts];
        debtAmount = new long[accounts];
        debt2 = new int[accounts];
        debt2Amount = new long[accounts];
        wouldBorrow = new int[accounts];
        Random r = new Random(seed);
        double[] demand = new double[ASSETS.length];
        for (int a = 0; a < accounts; a++) {
            double x = r.nextDouble();
            int c = x < 0.40 ? BTC : x < 0.75 ? ETH : x < 0.90 ? USDT : USDC;
            double value = 5_000 * Math.exp(r.nextDouble() * Math.log(40));
            coll[a] = c;
            collAmount[a] = units(c, value);
            double limit = value * LTV[c];
            boolean borrower = r.nextDouble() < borrowShare;
            double m = r.nextDouble();
            boolean twoCollaterals = m < multiShare / 2;
            boolean twoDebts = !twoCollaterals && m < multiShare && borrower;
            coll2[a] = -1;
            if (twoCollaterals) {
                int c2 = other(c, r);
                double v2 = value * (0.2 + 0.4 * r.nextDouble());
                coll2[a] = c2;
                coll2Amount[a] = units(c2, v2);
                limit += v2 * LTV[c2];
            }
            int d = stable(c) ? (r.nextBoolean() ? BTC : ETH) : (r.nextDouble() < 0.65 ? USDT : USDC);
            if (d == coll2[a]) {
                d = stable(c) ? (d == BTC ? ETH : BTC) : (d == USDT ? USDC : USDT);
            }
            wouldBorrow[a] = d;
            debt[a] = -1;
            debt2[a] = -1;
            if (borrower) {
                double owed = limit * (0.08 + (maxUse - 0.08) * r.nextDouble());
                if (twoDebts) {
                    int d2 = other(d, r);
                    while (d2 == c) {
                        d2 = other(d, r);
                    }
                    double share = 0.2 + 0.2 * r.nextDouble();
                    debt2[a] = d2;
                    debt2Amount[a] = units(d2, owed * share);
                    demand[d2] += owed * share;
                    owed *= 1 - share;
                }
                debt[a] = d;
                debtAmount[a] = units(d, owed);
                demand[d] += owed;
            }
        }

        for (int p = 0; p < ASSETS.length; p++) {
            engine.createPool(T0, terms(p));
        }
        prices(T0, 1.0, 1.0);
        for (int p = 0; p < ASSETS.length; p++) {
            long lp = LP_ACCOUNT + p;
            long amount = units(p, Math.max(2 * demand[p], 1_000_000));
            credit(lp, p, amount);
            engine.supply(T0, lp, ASSETS[p], amount, "");
        }
        for (int a = 0; a < accounts; a++) {
            long id = a + 1;
            long[] wallet = new long[ASSETS.length];
            wallet[coll[a]] += collAmount[a] + (long) (collAmount[a] * walletExtra);
            if (coll2[a] >= 0) {
                wallet[coll2[a]] += coll2Amount[a] + (long) (coll2Amount[a] * walletExtra);
            }
            if (debt[a] >= 0) {
                wallet[debt[a]] += (long) (debtAmount[a] * walletExtra);
            }
            if (debt2[a] >= 0) {
                wallet[debt2[a]] += (long) (debt2Amount[a] * walletExtra);
            }
            if (debt[a] < 0) {   // what a first loan of 20% of the limit would take to repay with interest
                wallet[wouldBorrow[a]] += (long) (units(wouldBorrow[a], limitOf(a) * 0.2) * walletExtra);
            }
            for (int p = 0; p < ASSETS.length; p++) {
                if (wallet[p] > 0) {
                    credit(id, p, wallet[p]);
                }
            }
            engine.supply(T0, id, ASSETS[coll[a]], collAmount[a], "");
            if (coll2[a] >= 0) {
                engine.supply(T0, id, ASSETS[coll2[a]], coll2Amount[a], "");
            }
            if (debt[a] >= 0) {
                engine.borrow(T0, id, ASSETS[debt[a]], debtAmount[a], "");
            }
            if (debt2[a] >= 0) {
                engine.borrow(T0, id, ASSETS[debt2[a]], debt2Amount[a], "");
            }
        }
        if (listener.refused != 0) {
            throw new IllegalStateException("set-up refused " + listener.refused + " commands: " + listener.reasons());
        }
        listener.clear();
    }

    /** Index prices for BTC and ETH at {@code crypto} x their start prices, USDC at {@code usdc}. */
    void prices(long nowMs, double crypto, double usdc) {
        engine.indexPrice(nowMs, "BTC", "USDT", Math.round(PRICE[BTC] * crypto * 100), 2);
        engine.indexPrice(nowMs, "ETH", "USDT", Math.round(PRICE[ETH] * crypto * 100), 2);
        engine.indexPrice(nowMs, "USDC", "USDT", Math.round(PRICE[USDC] * usdc * 10_000), 4);
    }

    private void credit(long account, int pool, long amount) {
        engine.credit(T0, "mm" + (++transfers), account, ASSETS[pool], amount);
    }

    /** The account's borrow limit in dollars at the start prices. */
    double limitOf(int a) {
        double limit = dollars(coll[a], collAmount[a]) * LTV[coll[a]];
        return coll2[a] < 0 ? limit : limit + dollars(coll2[a], coll2Amount[a]) * LTV[coll2[a]];
    }

    static double dollars(int pool, long units) {
        return units / Math.pow(10, DECIMALS[pool]) * PRICE[pool];
    }

    static long units(int pool, double dollars) {
        return (long) (dollars / PRICE[pool] * Math.pow(10, DECIMALS[pool]));
    }

    static boolean stable(int pool) {
        return pool == USDT || pool == USDC;
    }

    private static int other(int pool, Random r) {
        int o = r.nextInt(ASSETS.length - 1);
        return o >= pool ? o + 1 : o;
    }

    static double median(double[] values) {
        double[] s = values.clone();
        java.util.Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** Counts what the engine says; otherwise does nothing. */
    static final class Counting implements MoneyMarketListener {
        final long[] byReason = new long[MoneyMarketRejectReason.values().length];
        long refused;
        long actions;
        long liquidations;

        void clear() {
            java.util.Arrays.fill(byReason, 0);
            refused = 0;
            actions = 0;
            liquidations = 0;
        }

        String reasons() {
            StringBuilder b = new StringBuilder();
            for (MoneyMarketRejectReason r : MoneyMarketRejectReason.values()) {
                if (byReason[r.ordinal()] != 0) {
                    b.append(b.length() == 0 ? "" : ", ").append(r).append(' ').append(byReason[r.ordinal()]);
                }
            }
            return b.length() == 0 ? "none" : b.toString();
        }

        @Override
        public void onRefused(MoneyMarketRejectReason reason) {
            byReason[reason.ordinal()]++;
            refused++;
        }

        @Override
        public void onPool(Pool pool) {
        }

        @Override
        public void onCategory(Category category) {
        }

        @Override
        public void onAction(long accountId, long amount, boolean duplicate) {
            actions++;
        }

        @Override
        public void onLiquidation(Liquidation result, boolean duplicate) {
            liquidations++;
        }

        @Override
        public void onTransfer(WalletLedger.Outcome outcome) {
        }

        @Override
        public void onAccountChanged(long accountId) {
        }

        @Override
        public void onBalance(long accountId, int asset) {
        }
    }
}
