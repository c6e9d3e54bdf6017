package io.trademesh.matching;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

/**
 * Invariants over random command streams: a small price grid (a few ticks either side of 500), five accounts and
 * low order limits make crosses, partial fills, self trades, duplicates and refusals common.
 */
class OrderBookProperties {

    @Provide
    Arbitrary<List<Cmd>> commands() {
        // uniform sizes: jqwik's default favours short lists, and books only get interesting after a few dozen orders
        return command().list().ofMinSize(10).ofMaxSize(200).withSizeDistribution(RandomDistribution.uniform());
    }

    @Provide
    Arbitrary<List<Cmd>> longCommands() {
        return command().list().ofMinSize(1_000).ofMaxSize(3_000);
    }

    private static Arbitrary<Cmd> command() {
        final Arbitrary<Cmd.Kind> kind = Arbitraries.frequency(
            Tuple.of(55, Cmd.Kind.NEW),
            Tuple.of(8, Cmd.Kind.CANCEL),
            Tuple.of(4, Cmd.Kind.CANCEL_BY_CLIENT),
            Tuple.of(12, Cmd.Kind.AMEND),
            Tuple.of(4, Cmd.Kind.AMEND_BY_CLIENT),
            Tuple.of(2, Cmd.Kind.MASS_CANCEL),
            Tuple.of(10, Cmd.Kind.TICK),
            Tuple.of(2, Cmd.Kind.REFERENCE));
        final Arbitrary<Integer> flavour = Arbitraries.frequency(
            Tuple.of(30, 0), Tuple.of(10, 1), Tuple.of(10, 2), Tuple.of(10, 3), Tuple.of(10, 4), Tuple.of(8, 5),
            Tuple.of(8, 6), Tuple.of(4, 7), Tuple.of(6, 8), Tuple.of(4, 9));
        final Arbitrary<Integer> priceTicks = Arbitraries.frequency(
            Tuple.of(90, uniform(96, 104)),
            Tuple.of(10, uniform(70, 130))).flatMap(a -> a);
        final Arbitrary<SelfTradePrevention> stp = Arbitraries.frequency(
            Tuple.of(40, SelfTradePrevention.EXPIRE_TAKER), Tuple.of(20, SelfTradePrevention.EXPIRE_MAKER),
            Tuple.of(20, SelfTradePrevention.EXPIRE_BOTH), Tuple.of(20, SelfTradePrevention.NONE));
        return Combinators.combine(kind, Arbitraries.integers().between(1, 5), Arbitraries.of(Side.class), priceTicks,
            uniform(1, 12), flavour, stp, uniform(0, 100_000).withoutEdgeCases()).as(Cmd::new);
    }

    /** Uniform rather than jqwik's default bias toward small values and edges, which would make misc mostly 0. */
    private static Arbitrary<Integer> uniform(final int min, final int max) {
        return Arbitraries.integers().between(min, max).withDistribution(RandomDistribution.uniform());
    }

    private static MarketConfig config(final boolean auction) {
        return auction ? Driver.AUCTION : Driver.CONTINUOUS;
    }

    @Property(tries = 500)
    void continuousBookIsNeverCrossedAndItsViewsAgree(@ForAll("commands") final List<Cmd> commands) {
        final Driver driver = new Driver(Driver.CONTINUOUS);
        for (final Cmd command : commands) {
            driver.apply(command);
            BookInvariants.check(driver.book);
        }
    }

    /**
     * Before each command (after its clock advance), list the other side in priority order. The makers the command
     * touches (trades with, or expires by self-trade prevention) must be a prefix of that list, in order, all but the
     * last completely taken, each trading at its own price.
     */
    @Property(tries = 500)
    void makersAreTakenInPriceTimePriority(@ForAll("commands") final List<Cmd> commands) {
        final Driver driver = new Driver(Driver.CONTINUOUS);
        for (final Cmd command : commands) {
            driver.advance(command);
            driver.book.tick(driver.now);
            final Map<Side, List<Resting>> before = Map.of(Side.BUY, Resting.side(driver.book, Side.BUY),
                Side.SELL, Resting.side(driver.book, Side.SELL));
            final Map<Long, Resting> byId = new HashMap<>();
            before.values().forEach(list -> list.forEach(r -> byId.put(r.orderId(), r)));
            final long takerId = switch (command.kind()) {
                case NEW -> driver.nextOrderId;
                case AMEND, AMEND_BY_CLIENT -> driver.amendTarget(command);
                default -> -1;
            };
            final int from = driver.sink.events.size();
            driver.execute(command);
            final List<Event> events = driver.sink.events.subList(from, driver.sink.events.size());

            final List<Long> touched = new ArrayList<>();
            final Set<Long> finished = new HashSet<>();
            for (final Event event : events) {
                if (event instanceof Event.Fill fill) {
                    final Resting maker = byId.get(fill.makerOrderId());
                    assertEquals(maker.price(), fill.price(), "maker traded away from its price");
                    addOnce(touched, fill.makerOrderId());
                } else if (event instanceof Event.Done done && done.orderId() != takerId
                    && byId.containsKey(done.orderId()) && (done.reason() == DoneReason.FILLED
                    || done.reason() == DoneReason.SELF_TRADE_PREVENTION)) {
                    addOnce(touched, done.orderId());
                    finished.add(done.orderId());
                }
            }
            if (touched.isEmpty()) {
                continue;
            }
            final Side makerSide = byId.get(touched.get(0)).side();
            final List<Long> queue = before.get(makerSide).stream().map(Resting::orderId).toList();
            assertTrue(queue.size() >= touched.size());
            assertEquals(queue.subList(0, touched.size()), touched, "makers out of priority order");
            for (int i = 0; i < touched.size() - 1; i++) {
                assertTrue(finished.contains(touched.get(i)), "skipped part of maker " + touched.get(i));
            }
        }
    }

    private static void addOnce(final List<Long> list, final long id) {
        if (list.isEmpty() || list.get(list.size() - 1) != id) {
            assertTrue(!list.contains(id), "maker touched twice with others between: " + id);
            list.add(id);
        }
    }

    /**
     * Quantity and money add up after every command: per order, quantity = filled + resting + cancelled/expired (and
     * spent + unspent = the amount for orders by quote), fees are one rounding of the order's traded value, refusals
     * change nothing, fill-or-kill is all or nothing, and nothing but GTC/GTD/post-only (and, in auction mode, IOC)
     * outlives its command.
     */
    @Property(tries = 500)
    void quantityAndFeesAreConserved(@ForAll("commands") final List<Cmd> commands, @ForAll final boolean auction) {
        final Driver driver = new Driver(config(auction));
        final Ledger ledger = new Ledger(config(auction));
        for (final Cmd command : commands) {
            driver.advance(command);
            driver.book.tick(driver.now);
            ledger.consume(driver.sink.events);
            driver.sink.events.clear();
            final List<Resting> before = Resting.all(driver.book);
            driver.execute(command);
            final List<Event> events = List.copyOf(driver.sink.events);
            ledger.consume(events);
            driver.sink.events.clear();
            ledger.checkAgainst(driver.book);

            if (events.size() == 1 && events.get(0) instanceof Event.Rejected) {
                assertEquals(before, Resting.all(driver.book), "a refusal changed the book");
            }
            for (final Event event : events) {
                if (event instanceof Event.Accepted accepted) {
                    final Ledger.Track track = ledger.orders.get(accepted.orderId());
                    if (accepted.timeInForce() == TimeInForce.FOK) {
                        assertEquals(DoneReason.FILLED, track.done.reason(), "accepted FOK not filled");
                    }
                    final boolean mayRest = accepted.type() == OrderType.LIMIT
                        && (accepted.timeInForce().canRest() || auction);
                    if (!mayRest) {
                        assertTrue(track.done != null, "order outlived its command: " + accepted);
                    }
                }
            }
        }
    }

    @Property(tries = 100)
    void replayingTheSameCommandsGivesTheSameBytes(@ForAll("commands") final List<Cmd> commands,
                                                   @ForAll final boolean auction) {
        final Driver first = new Driver(config(auction));
        final Driver second = new Driver(config(auction));
        commands.forEach(first::apply);
        commands.forEach(second::apply);
        assertArrayEquals(first.sink.bytes(), second.sink.bytes());
        assertArrayEquals(Harness.snapshot(first.book), Harness.snapshot(second.book));
    }

    /** Snapshot at any point, restore into another book, replay the rest: the same events and the same state. */
    @Property(tries = 300)
    void snapshotAndReplayEqualsTheUninterruptedRun(@ForAll("commands") final List<Cmd> commands,
                                                    @ForAll @IntRange(min = 0, max = 10_000) final int splitSeed,
                                                    @ForAll final boolean auction) throws IOException {
        final int split = splitSeed % (commands.size() + 1);
        final Driver uninterrupted = new Driver(config(auction));
        final Driver prefix = new Driver(config(auction));
        for (int i = 0; i < split; i++) {
            uninterrupted.apply(commands.get(i));
            prefix.apply(commands.get(i));
        }
        final byte[] snapshot = Harness.snapshot(prefix.book);
        assertArrayEquals(Harness.snapshot(uninterrupted.book), snapshot);
        final Driver restored = Driver.restoredFrom(prefix, snapshot);
        assertArrayEquals(snapshot, Harness.snapshot(restored.book));
        uninterrupted.sink.clear();
        for (int i = split; i < commands.size(); i++) {
            uninterrupted.apply(commands.get(i));
            restored.apply(commands.get(i));
        }
        assertEquals(uninterrupted.sink.events, restored.sink.events);
        assertArrayEquals(uninterrupted.sink.bytes(), restored.sink.bytes());
        assertArrayEquals(Harness.snapshot(uninterrupted.book), Harness.snapshot(restored.book));
    }

    /** Whenever an auction runs, the book is not crossed afterwards, whatever the self-trade prevention modes. */
    @Property(tries = 200)
    void anAuctionLeavesTheBookUncrossed(@ForAll("commands") final List<Cmd> commands) {
        final Driver driver = new Driver(Driver.AUCTION);
        for (final Cmd command : commands) {
            driver.advance(command);
            final boolean due = driver.book.nextAuctionAtMs() <= driver.now;
            driver.book.tick(driver.now);
            if (due) {
                assertUncrossed(driver.book);
            }
            driver.execute(command);
            BookInvariants.check(driver.book);
        }
    }

    /**
     * With no self-trade prevention an auction is one round, at the price a brute-force search over every tick finds
     * best (volume, then imbalance, then distance to the reference, then the lower price), trading exactly that
     * volume.
     */
    @Property(tries = 300)
    void theAuctionClearsAtTheBestPrice(@ForAll("commands") final List<Cmd> commands) {
        final Driver driver = new Driver(Driver.AUCTION);
        for (final Cmd raw : commands) {
            final Cmd command = raw.withStp(SelfTradePrevention.NONE);
            driver.advance(command);
            final long auctionAt = driver.book.nextAuctionAtMs();
            if (auctionAt <= driver.now) {
                final long[] best = bruteForceClearing(driver.book, auctionAt);
                final int from = driver.sink.events.size();
                driver.book.tick(driver.now);
                final List<Event.Auction> auctions = driver.sink.events.subList(from, driver.sink.events.size())
                    .stream().filter(Event.Auction.class::isInstance).map(Event.Auction.class::cast).toList();
                if (best[1] == 0) {
                    assertTrue(auctions.isEmpty());
                } else {
                    assertEquals(1, auctions.size());
                    assertEquals(best[0], auctions.get(0).price(), "clearing price");
                    assertEquals(best[1], auctions.get(0).quantity(), "clearing volume");
                }
                assertUncrossed(driver.book);
            }
            driver.execute(command);
        }
    }

    /**
     * Long streams (books of dozens of orders on many levels, pools and tables growing past their initial sizes):
     * every invariant after every command, the ledger every 50 commands, and a snapshot taken halfway that replays
     * the second half byte for byte.
     */
    @Property(tries = 12)
    void longStreamsKeepEveryInvariant(@ForAll("longCommands") final List<Cmd> commands,
                                       @ForAll final boolean auction) throws IOException {
        final Driver driver = new Driver(config(auction));
        final Ledger ledger = new Ledger(config(auction));
        final int half = commands.size() / 2;
        Driver restored = null;
        for (int i = 0; i < commands.size(); i++) {
            if (i == half) {
                restored = Driver.restoredFrom(driver, Harness.snapshot(driver.book));
                ledger.consume(driver.sink.events);
                driver.sink.clear();
            }
            driver.apply(commands.get(i));
            if (restored != null) {
                restored.apply(commands.get(i));
            }
            BookInvariants.check(driver.book);
            if (i % 50 == 49 && restored == null) {
                ledger.consume(driver.sink.events);
                driver.sink.events.clear();
                ledger.checkAgainst(driver.book);
            }
        }
        assertArrayEquals(driver.sink.bytes(), restored.sink.bytes());
        assertArrayEquals(Harness.snapshot(driver.book), Harness.snapshot(restored.book));
        ledger.consume(driver.sink.events);
        ledger.checkAgainst(driver.book);
    }

    /** {price, volume} of the best clearing over every tick, for the orders still live at {@code auctionAt}. */
    private static long[] bruteForceClearing(final OrderBook book, final long auctionAt) {
        final List<Resting> live = Resting.all(book).stream()
            .filter(r -> r.expireAtMs() == 0 || r.expireAtMs() > auctionAt).toList();
        final long tick = book.config().tickSize();
        final long reference = book.referencePrice();
        long bestPrice = 0;
        long bestVolume = 0;
        long bestImbalance = Long.MAX_VALUE;
        long bestDistance = Long.MAX_VALUE;
        final long low = live.stream().mapToLong(Resting::price).min().orElse(0);
        final long high = live.stream().mapToLong(Resting::price).max().orElse(-1);
        for (long price = low; price <= high; price += tick) {
            long demand = 0;
            long supply = 0;
            for (final Resting r : live) {
                if (r.side() == Side.BUY && r.price() >= price) {
                    demand += r.leaves();
                } else if (r.side() == Side.SELL && r.price() <= price) {
                    supply += r.leaves();
                }
            }
            final long volume = Math.min(demand, supply);
            final long imbalance = Math.abs(demand - supply);
            final long distance = reference > 0 ? Math.abs(price - reference) : 0;
            if (volume > 0 && (volume > bestVolume || volume == bestVolume && (imbalance < bestImbalance
                || imbalance == bestImbalance && distance < bestDistance))) {
                bestPrice = price;
                bestVolume = volume;
                bestImbalance = imbalance;
                bestDistance = distance;
            }
        }
        return new long[] {bestPrice, bestVolume};
    }

    private static void assertUncrossed(final OrderBook book) {
        final long bid = book.bestBidPrice();
        final long ask = book.bestAskPrice();
        assertTrue(bid == 0 || ask == 0 || bid < ask, "crossed: " + bid + " / " + ask);
    }
}
