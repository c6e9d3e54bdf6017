package io.trademesh.bench.moneymarket;

import static io.trademesh.bench.moneymarket.LendingMarket.T0;

import io.trademesh.moneymarket.engine.LendingBook;
import io.trademesh.moneymarket.engine.MoneyMarketEngine;
import io.trademesh.moneymarket.engine.RateModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The liquidatable list after a crash: 100,000 borrowers ({@link LendingMarket}, everyone
 * borrowing up to 95% of the limit, health factors from about 1.1 up; 10% with two collaterals or
 * two debts, which the health index keeps in its general list and measures on every query),
 * then BTC and ETH fall 20% (one index price each). Timed: {@code engine.atRisk(now, 0, limit)}
 * with a limit that returns every liquidatable account, {@code --runs} times after {@code --warmup}
 * untimed calls, before the fall and after it; the medians are printed. Once, untimed, the list
 * is checked against a brute-force scan of every account's health factor.
 *
 * <pre>  java -Xmx4g -cp benchmarks/target/benchmarks.jar io.trademesh.bench.moneymarket.AtRiskScale</pre>
 */
@Command(name = "mm-at-risk-scale", mixinStandardHelpOptions = true,
        description = "Time to list the liquidatable accounts among 100k borrowers after a 20% price drop.")
public final class AtRiskScale implements Callable<Integer> {

    @Option(names = "--accounts", description = "Borrowers (default ${DEFAULT-VALUE}).")
    int accounts = 100_000;

    @Option(names = "--multi", description = "Share with two collaterals or two debts (default ${DEFAULT-VALUE}).")
    double multi = 0.10;

    @Option(names = "--drop", description = "Fall of BTC and ETH (default ${DEFAULT-VALUE}).")
    double drop = 0.20;

    @Option(names = "--runs", description = "Timed calls (default ${DEFAULT-VALUE}).")
    int runs = 21;

    @Option(names = "--warmup", description = "Untimed calls before them (default ${DEFAULT-VALUE}).")
    int warmup = 100;

    @Option(names = "--seed", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed = 13;

    public static void main(String[] args) {
        System.exit(new CommandLine(new AtRiskScale()).execute(args));
    }

    @Override
    public Integer call() {
        long t = System.nanoTime();
        LendingMarket m = new LendingMarket(accounts, seed, 1.0, multi, 0.95, 0.0);
        MoneyMarketEngine engine = m.engine;
        int general = 0;
        for (int a = 0; a < accounts; a++) {
            general += m.coll2[a] >= 0 || m.debt2[a] >= 0 ? 1 : 0;
        }
        System.out.printf("set-up: %d borrowers (%d with two collaterals or two debts), %d listed by the health index,"
                + " in %.1f s%n", accounts, general, engine.watched(), (System.nanoTime() - t) / 1e9);
        long now = T0 + 60_000;
        m.prices(now, 1.0, 1.0);
        report("before the fall", engine, now, warmup, runs, accounts);
        now += 1_000;
        m.prices(now, 1 - drop, 1.0);
        String fall = String.format("after a %.0f%% fall of BTC and ETH", drop * 100);
        double median = report(fall, engine, now, warmup, runs, accounts);
        System.out.printf("target <= 10 ms: %s%n", median <= 10 ? "met" : "NOT met");
        return 0;
    }

    /** Times atRisk, checks it once against a scan of every account; returns the median in ms. */
    private static double report(String what, MoneyMarketEngine engine, long now, int warmup, int runs,
                                 int borrowers) {
        List<MoneyMarketEngine.AtRisk> found = null;
        double[] ms = new double[runs];
        for (int r = -warmup; r < runs; r++) {
            long start = System.nanoTime();
            found = engine.atRisk(now, 0, 1_000_000);
            long elapsed = System.nanoTime() - start;
            if (r >= 0) {
                ms[r] = elapsed / 1e6;
            }
        }
        // the brute-force scan: every account's exact health factor
        long start = System.nanoTime();
        List<long[]> scan = new ArrayList<>();
        for (long id : engine.accountIds()) {
            LendingBook b = engine.book(id);
            long f = engine.health(b, now).factor();
            if (f < RateModel.ONE) {
                scan.add(new long[] {f, id});
            }
        }
        double scanMs = (System.nanoTime() - start) / 1e6;
        scan.sort((x, y) -> x[0] != y[0] ? Long.compare(x[0], y[0]) : Long.compare(x[1], y[1]));
        boolean same = scan.size() == found.size();
        for (int i = 0; same && i < scan.size(); i++) {
            same = scan.get(i)[1] == found.get(i).accountId() && scan.get(i)[0] == found.get(i).healthFactor();
        }
        if (!same) {
            throw new IllegalStateException(what + ": atRisk listed " + found.size() + " accounts, the scan finds "
                    + scan.size());
        }
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        System.out.printf("%s: %d liquidatable (%.1f%% of the %d borrowers), listed in median %.2f ms"
                        + " (runs %.2f-%.2f ms); same list as the brute-force scan of every account (%.1f ms)%n",
                what, found.size(), 100.0 * found.size() / borrowers, borrowers, LendingMarket.median(ms), sorted[0],
                sorted[sorted.length - 1], scanMs);
        return LendingMarket.median(ms);
    }
}
