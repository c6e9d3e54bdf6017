package io.trademesh.futures.engine;

import io.trademesh.platform.wallet.Wallets;

/**
 * Cross margin of one account in one collateral asset, from its wallet and positions:
 * <pre>
 *   unrealised  = sum over positions of value(mark, size) - cost
 *   equity      = wallet + unrealised                       (the margin balance)
 *   maintenance = sum of brackets.maintenance(notional at mark)
 *   initial     = sum of notional(mark, worst size) / leverage
 *   available   = equity - initial                           (new orders, withdrawals)
 * </pre>
 * The worst size counts open orders on the side that grows the position. An account is
 * liquidated when equity falls below maintenance. Reads only; on the engine's thread.
 *
 * <p>These sums are the cross pool: the wallet's available part and the positions in cross
 * margin. An isolated position stands alone: its equity is its isolated margin (the wallet's
 * locked part set aside for it) plus its unrealised PnL, against its own maintenance; only
 * its open orders' extra exposure draws on the cross pool's initial margin.
 */
public final class Margin {

    private final Wallets wallets;

    Margin(Wallets wallets) {
        this.wallets = wallets;
    }

    public long wallet(MarginAccount a, int asset) {
        return wallets.available(a.accountId, asset);
    }

    public long unrealised(MarginAccount a, int asset) {
        long u = 0;
        for (Position p : a.positions) {
            if (p.contract.asset == asset && p.size != 0 && !p.isolated) {
                u += unrealised(p);
            }
        }
        return u;
    }

    public static long unrealised(Position p) {
        return p.contract.value(p.contract.markPrice, p.size) - p.cost;
    }

    public long equity(MarginAccount a, int asset) {
        return wallet(a, asset) + unrealised(a, asset);
    }

    public long maintenance(MarginAccount a, int asset) {
        long mm = 0;
        for (Position p : a.positions) {
            if (p.contract.asset == asset && p.size != 0 && !p.isolated) {
                mm += maintenance(p);
            }
        }
        return mm;
    }

    public static long maintenance(Position p) {
        return p.contract.terms.brackets().maintenance(p.contract.notionalAtMark(p.size));
    }

    public long initial(MarginAccount a, int asset) {
        long im = 0;
        for (Position p : a.positions) {
            if (p.contract.asset == asset) {
                int leverage = a.leverage(p.contract);
                im += initial(p, p.worstSize(), leverage)
                        - (p.isolated ? initial(p, Math.abs(p.size), leverage) : 0); // isolated: its orders' share
            }
        }
        return im;
    }

    static long initial(Position p, long worstSize, int leverage) {
        return MarginBrackets.initial(p.contract.notionalAtMark(worstSize), leverage);
    }

    /** The position's own initial margin (its size, not its orders), for display. */
    public static long positionInitial(Position p, int leverage) {
        return MarginBrackets.initial(p.contract.notionalAtMark(p.size), leverage);
    }

    /** An isolated position's equity: its margin and its unrealised PnL. */
    public static long isolatedEquity(Position p) {
        return p.isolatedMargin + unrealised(p);
    }

    /** An isolated position below its own maintenance. */
    public static boolean isolatedBelowMaintenance(Position p) {
        return p.isolated && p.size != 0 && isolatedEquity(p) < maintenance(p);
    }

    /** Equity at or below maintenance with a position open: the account is to be liquidated. */
    public boolean belowMaintenance(MarginAccount a, int asset) {
        long mm = maintenance(a, asset);
        return mm > 0 && equity(a, asset) < mm;
    }

    /**
     * The mark of {@code p}'s contract at which the account may reach maintenance: where the
     * position's loss (with its maintenance growing) uses up its share of the account's slack
     * {@code equity - maintenance}, shared by notional. As long as no position of an account
     * crossed its key, the losses are below the whole slack and the account is above
     * maintenance, whatever the other contracts' marks did; so a mark move needs to look only
     * at the positions it crossed. With one position this is its liquidation price. Solved
     * with doubles (it only picks candidates: the exact check decides) and widened a little
     * toward triggering early. Longs trigger at or below it, shorts at or above; 0 for a long
     * that cannot reach it.
     */
    long liquidationKey(Position p, double slack, double totalNotional) {
        if (p.isolated) {
            return key(p, solve(p, p.isolatedMargin - p.cost));
        }
        return key(p, solve(p, budget(p, slack, totalNotional)));
    }

    /** A solved price as an index key, widened toward triggering early. */
    private static long key(Position p, double m) {
        if (p.size > 0) {
            return m <= 0 ? 0 : (long) Math.min(Long.MAX_VALUE / 4, Math.ceil(m * (1 + 1e-9)) + 1);
        }
        return m <= 0 ? 0 : (long) Math.min(Long.MAX_VALUE / 4, Math.max(0, Math.floor(m * (1 - 1e-9)) - 1));
    }

    /** The liquidation price of {@code p}, the other positions held at their marks; <= 0 when there is none. */
    public double liquidationPrice(MarginAccount a, Position p) {
        if (p.size == 0) {
            return 0;
        }
        if (p.isolated) {
            return solve(p, p.isolatedMargin - p.cost);
        }
        int asset = p.contract.asset;
        double slack = equity(a, asset) - maintenance(a, asset);
        return solve(p, maintenance(p) + slack - p.contract.value(p.contract.markPrice, p.size));
    }

    /** The notional at mark of the account's positions in one collateral asset. */
    double totalNotional(MarginAccount a, int asset) {
        double total = 0;
        for (Position q : a.positions) {
            if (q.contract.asset == asset && q.size != 0 && !q.isolated) {
                total += q.contract.notionalAtMark(q.size);
            }
        }
        return total;
    }

    /** {@code maintenance(p) + p's share of the slack - value(p)}: what {@link #solve} holds against. */
    private static double budget(Position p, double slack, double total) {
        double notional = p.contract.notionalAtMark(p.size);
        // a share of the slack in proportion to notional; all of a deficit (negative slack) to each
        double share = slack <= 0 || total <= 0 ? slack : slack * notional / total;
        return maintenance(p) + share - p.contract.value(p.contract.markPrice, p.size);
    }

    /**
     * The mark m where {@code rest + value(m, size) = maintenance(notional(m))}, per bracket:
     * long {@code m = div (-ded - rest) / (s (1 - mmr))}, short {@code m = div (rest + ded) / (s (1 + mmr))}.
     */
    private static double solve(Position p, double rest) {
        if (p.size == 0) {
            return 0;
        }
        Contract c = p.contract;
        double div = c.config.notionalDivisor();
        double s = Math.abs((double) p.size);
        MarginBrackets b = c.terms.brackets();
        double fallback = 0;
        for (int k = 0; k < b.size(); k++) {
            double mmr = b.mmrBps(k) / (double) MarginBrackets.BPS;
            double ded = b.deduction(k);
            double m = p.size > 0 ? div * (-ded - rest) / (s * (1 - mmr)) : div * (rest + ded) / (s * (1 + mmr));
            double notional = s * m / div;
            double low = k == 0 ? 0 : b.cap(k - 1);
            if (k == 0) {
                fallback = m;
            }
            if (notional > low && (notional <= b.cap(k) || k == b.size() - 1)) {
                return m;
            }
        }
        return fallback;
    }

    /**
     * The mark at which closing the whole position leaves the account with nothing: equity 0.
     * For a long {@code mark - equity / size} per unit, for a short {@code mark + equity / |size|}.
     */
    public long bankruptcyPrice(MarginAccount a, Position p) {
        return priceAtLoss(p, p.isolated ? isolatedEquity(p) : equity(a, p.contract.asset));
    }

    /** The price at which closing all of {@code p} loses {@code budget} against the mark. */
    static long priceAtLoss(Position p, long budget) {
        Contract c = p.contract;
        if (p.size == 0) {
            return 0;
        }
        long perUnit = io.trademesh.platform.trading.FixedPoint.mulDivFloor(budget, c.config.notionalDivisor(),
                Math.abs(p.size));
        long price = p.size > 0 ? c.markPrice - perUnit : c.markPrice + perUnit;
        return Math.max(0, price);
    }
}
