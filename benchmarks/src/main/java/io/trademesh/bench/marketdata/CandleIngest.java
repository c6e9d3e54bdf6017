package io.trademesh.bench.marketdata;

import io.trademesh.marketdata.candles.CandleInterval;
import io.trademesh.marketdata.candles.MarketCandles;
import java.util.Arrays;
import java.util.Random;

/**
 * Trades into candles on one thread (issue 14's target: at least 5M trades a second, under a
 * microsecond an update): 100 markets, 10M pre-generated trades spread over them at random,
 * about 2,000 a second of market time per market, so candles of every interval roll; each
 * trade updates all 14 intervals of its market. 3% of the trades are delivered a second time
 * (refused as duplicates). Prints trades/s per run and the median.
 *
 * <pre>  java -cp benchmarks/target/benchmarks.jar io.trademesh.bench.marketdata.CandleIngest [runs]</pre>
 */
public final class CandleIngest {

    static final int MARKETS = 100;
    static final int TRADES = 10_000_000;

    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Random random = new Random(5);
        int[] market = new int[TRADES];
        long[] id = new long[TRADES];
        long[] time = new long[TRADES];
        long[] price = new long[TRADES];
        long[] quantity = new long[TRADES];
        long[] nextId = new long[MARKETS];
        long[] clock = new long[MARKETS];
        long t0 = CandleInterval.W1.startOf(1_800_000_000_000L);
        Arrays.fill(clock, t0);
        for (int i = 0; i < TRADES; i++) {
            int m = random.nextInt(MARKETS);
            market[i] = m;
            boolean again = i > 0 && random.nextInt(100) < 3 && market[i - 1] == m;
            if (again) {
                id[i] = id[i - 1];
                time[i] = time[i - 1];
                price[i] = price[i - 1];
                quantity[i] = quantity[i - 1];
                continue;
            }
            clock[m] += random.nextInt(1_000);
            id[i] = ++nextId[m];
            time[i] = clock[m];
            price[i] = 3_000_000 + random.nextInt(10_000);
            quantity[i] = 1 + random.nextInt(1_000);
        }
        double[] rates = new double[runs];
        for (int r = -1; r < runs; r++) {
            MarketCandles[] candles = new MarketCandles[MARKETS];
            for (int m = 0; m < MARKETS; m++) {
                candles[m] = new MarketCandles("M" + m);
            }
            long accepted = 0;
            long start = System.nanoTime();
            for (int i = 0; i < TRADES; i++) {
                if (candles[market[i]].onTrade(id[i], time[i], price[i], quantity[i], price[i] * quantity[i])) {
                    accepted++;
                }
            }
            long nanos = System.nanoTime() - start;
            if (r >= 0) {
                rates[r] = TRADES / (nanos / 1e9);
                System.out.printf("run %d: %,.0f trades/s (%.1f ns a trade, 14 candles each); %,d applied, %,d"
                        + " duplicates%n", r + 1, rates[r], nanos / (double) TRADES, accepted, TRADES - accepted);
            }
        }
        Arrays.sort(rates);
        System.out.printf("median of %d runs: %,.0f trades/s (target >= 5,000,000: %s)%n", runs, rates[runs / 2],
                rates[runs / 2] >= 5_000_000 ? "met" : "not met");
    }
}
