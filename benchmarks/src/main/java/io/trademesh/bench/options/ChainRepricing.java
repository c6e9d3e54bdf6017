package io.trademesh.bench.options;

import io.trademesh.options.pricing.ChainPricer;
import io.trademesh.options.pricing.VolSlice;
import io.trademesh.options.pricing.VolSurface;
import java.util.Arrays;

/**
 * Marks, mark, bid and ask implied volatilities and greeks of a whole chain recomputed on one
 * thread per index tick (issue 12's target: 1,000 instruments in at most 2 ms). The chain:
 * 10 expiries from a day to a year, 50 strikes each from 50% to 150% of the index, calls and
 * puts; a surface with a smile at five expiries; every instrument with a bid and an ask 2 and
 * 4 volatility points around the mark, so that both implied volatilities are solved. Each tick
 * moves the index by up to 0.5%. Prints the median, 90th percentile and maximum of
 * {@code ticks} ticks after a warm-up, for each of {@code runs} runs.
 *
 * <pre>  java -cp benchmarks/target/benchmarks.jar io.trademesh.bench.options.ChainRepricing [runs] [ticks]</pre>
 */
public final class ChainRepricing {

    static final long NOW = 1_800_000_000_000L;
    static final long DAY = 86_400_000L;
    static final double INDEX = 30_000;

    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int ticks = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        VolSurface surface = new VolSurface();
        long[] days = {1, 7, 30, 90, 365};
        for (long d : days) {
            long[] strikes = new long[9];
            long[] vols = new long[9];
            for (int i = 0; i < 9; i++) {
                strikes[i] = (long) (INDEX * (0.5 + i * 0.125));
                double m = Math.log(strikes[i] / INDEX);
                vols[i] = Math.round((0.55 + 0.4 * m * m + 0.02 * Math.sqrt(d / 365.0)) * 1e9);
            }
            VolSlice slice = new VolSlice(NOW + d * DAY, strikes, vols);
            String bad = surface.invalid(slice, NOW);
            if (bad != null) {
                throw new IllegalStateException(bad);
            }
            surface.put(slice);
        }
        int n = 1_000;
        ChainPricer chain = new ChainPricer(n);
        long[] expiries = {1, 3, 7, 14, 30, 60, 90, 180, 270, 365};
        for (int i = 0; i < n; i++) {
            int e = i / 100;
            int k = (i % 100) / 2;
            chain.call[i] = i % 2 == 0;
            chain.strike[i] = INDEX * (0.5 + k * 0.02);
            chain.expiryMs[i] = NOW + expiries[e] * DAY;
        }
        chain.reprice(INDEX, surface, NOW);
        for (int i = 0; i < n; i++) {
            double years = (chain.expiryMs[i] - NOW) / VolSurface.YEAR_MS;
            double vol = chain.markIv[i];
            chain.bid[i] = io.trademesh.options.pricing.BlackScholes.price(chain.call[i], INDEX, chain.strike[i], years,
                    vol - 0.02, 0);
            chain.ask[i] = io.trademesh.options.pricing.BlackScholes.price(chain.call[i], INDEX, chain.strike[i], years,
                    vol + 0.04, 0);
        }
        java.util.Random random = new java.util.Random(3);
        for (int r = 0; r < runs; r++) {
            long[] nanos = new long[ticks];
            int solved = 0;
            for (int w = 0; w < ticks / 2; w++) {
                chain.reprice(INDEX * (1 + (random.nextDouble() - 0.5) * 0.01), surface, NOW + w);
            }
            for (int t = 0; t < ticks; t++) {
                double index = INDEX * (1 + (random.nextDouble() - 0.5) * 0.01);
                long start = System.nanoTime();
                chain.reprice(index, surface, NOW + 1_000L * t);
                nanos[t] = System.nanoTime() - start;
            }
            for (int i = 0; i < n; i++) {
                solved += Double.isNaN(chain.bidIv[i]) ? 0 : 1;
                solved += Double.isNaN(chain.askIv[i]) ? 0 : 1;
            }
            Arrays.sort(nanos);
            System.out.printf("run %d: %d instruments, %d of %d bid/ask IVs solved; per tick median %.3f ms,"
                            + " p90 %.3f ms, max %.3f ms%n", r + 1, n, solved, 2 * n, nanos[ticks / 2] / 1e6,
                    nanos[ticks * 9 / 10] / 1e6, nanos[ticks - 1] / 1e6);
        }
    }
}
