package io.trademesh.spot.engine;

import io.trademesh.proto.common.Market;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;

/**
 * Random command streams for spot's property tests: three markets sharing USDT as quote (BTC-USDT and ETH-USDT
 * continuous, SOL-USDT an auction every second), a few to twenty accounts, credits and debits by a small pool of
 * transfer ids, every order shape (limit, market by base or quote, IOC, FOK, post-only, GTD), amends, cancels,
 * cancel-all, ticks, and risk-service's account limits (open orders, order notional, kill switch).
 *
 * <p>A {@link Step} is abstract: which order an amend or cancel names, and most of an order's details, are drawn
 * when the step is turned into a {@code SpotCommand} against the state at that point ({@link StreamDriver}), from the
 * step's own {@code seed}, so the same list of steps always gives the same commands. Prices sit on a coarse grid a
 * few steps either side of each market's mid (plenty of crossing) with odd step sizes, so that fee rounding is
 * common; some accounts are poor, so refusals for funds are common too.
 */
public final class RandomStreams {

    public enum Kind { ORDER, AMEND, CANCEL, CANCEL_ALL, CREDIT, DEBIT, TICK, LIMITS }

    /**
     * One abstract command. {@code account} 0 is the fee account (rarely drawn); others are folded onto the
     * stream's accounts.
     */
    public record Step(Kind kind, int account, int market, boolean buy, int priceSteps, int lots, int dtMs,
                       long seed) {
    }

    /** A stream: how many trading accounts, and the steps after the set-up (markets and initial funding). */
    public record Stream(int accounts, List<Step> steps) {
    }

    public static final long T0 = 1_700_000_000_000L;
    public static final String QUOTE = "USDT";
    public static final String[] SYMBOLS = {"BTC-USDT", "ETH-USDT", "SOL-USDT"};
    public static final String[] BASES = {"BTC", "ETH", "SOL"};
    /** Per market: the mid price, the grid step, the lot, the max quantity, and the quote value of one lot. */
    static final long[] MID = {3_000_000, 200_000, 15_000};
    static final long[] STEP = {137, 30, 7};
    static final long[] LOT = {10_000, 100_000, 10_000_000};
    static final long[] MAX_QUANTITY = {100 * 100_000_000L, 1_000 * 100_000_000L, 1_000 * 1_000_000_000L};
    static final long[] QUOTE_PER_LOT = {3_000_000, 2_000_000, 1_500_000};

    /**
     * BTC-USDT: the process test's market (8/6 decimals, scale 2, tick 1, lot 10,000), 10/20 bps, 4 open orders per
     * account. ETH-USDT: tick 10, a maker rebate (-2/7 bps), a 3% price band, a 1 USDT minimum notional.
     * SOL-USDT: 9 decimals (divisor 10^5), no maker fee, auction every 1,000 ms.
     */
    public static final List<Market> MARKETS = List.of(
            SpotCommands.market("BTC-USDT", "BTC", 8, 2, 1, 10_000, 10_000, MAX_QUANTITY[0], 100_000_000, 0, 10, 20,
                    0, 4, 0),
            SpotCommands.market("ETH-USDT", "ETH", 8, 2, 10, 100_000, 100_000, MAX_QUANTITY[1], 10_000_000,
                    1_000_000, -2, 7, 300, 6, 0),
            SpotCommands.market("SOL-USDT", "SOL", 9, 2, 1, 10_000_000, 10_000_000, MAX_QUANTITY[2], 1_000_000, 0, 0,
                    10, 0, 5, 1_000));

    private RandomStreams() {
    }

    public static Arbitrary<Stream> streams(int minSteps, int maxSteps) {
        Arbitrary<Kind> kind = Arbitraries.frequency(
                Tuple.of(50, Kind.ORDER), Tuple.of(14, Kind.AMEND), Tuple.of(9, Kind.CANCEL),
                Tuple.of(2, Kind.CANCEL_ALL), Tuple.of(8, Kind.CREDIT), Tuple.of(5, Kind.DEBIT),
                Tuple.of(12, Kind.TICK), Tuple.of(2, Kind.LIMITS));
        Arbitrary<Integer> account = Arbitraries.frequency(
                Tuple.of(2, Arbitraries.just(0)), Tuple.of(98, uniform(1, 20))).flatMap(a -> a);
        Arbitrary<Integer> market = Arbitraries.frequency(Tuple.of(40, 0), Tuple.of(35, 1), Tuple.of(25, 2));
        Arbitrary<Integer> priceSteps = Arbitraries.frequency(
                Tuple.of(90, uniform(-8, 8)), Tuple.of(10, uniform(-300, 300))).flatMap(a -> a);
        Arbitrary<Integer> dt = Arbitraries.frequency(
                Tuple.of(50, uniform(0, 50)), Tuple.of(40, uniform(51, 400)), Tuple.of(10, uniform(401, 3_000)))
                .flatMap(a -> a);
        Arbitrary<Step> step = Combinators.combine(kind, account, market, Arbitraries.of(true, false), priceSteps,
                uniform(1, 20), dt, Arbitraries.longs().withoutEdgeCases()).as(Step::new);
        Arbitrary<List<Step>> steps = step.list().ofMinSize(minSteps).ofMaxSize(maxSteps)
                .withSizeDistribution(RandomDistribution.uniform());
        return Combinators.combine(uniform(5, 20), steps).as(Stream::new);
    }

    private static Arbitrary<Integer> uniform(int min, int max) {
        return Arbitraries.integers().between(min, max).withDistribution(RandomDistribution.uniform());
    }
}
