package io.trademesh.matching;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies {@link Cmd}s to a book. Everything the driver decides depends only on the commands so far and on the
 * book's state, so two books in the same state given the same commands receive the same calls.
 */
final class Driver {
    /** tick 5, lot 2, divisor 10, fees -2 / +7 bps, band 20 %, 8 open orders per account. */
    static final MarketConfig CONTINUOUS = base().build();
    /** The same with an auction every 100 ms. */
    static final MarketConfig AUCTION = base().auction(100).build();

    private static MarketConfig.Builder base() {
        return MarketConfig.builder().marketId(Harness.MARKET).tickSize(5).lotSize(2).notionalDivisor(10)
            .minQuantity(2).maxQuantity(60).maxPrice(10_000).minNotional(50).makerFeeBps(-2).takerFeeBps(7)
            .priceBandBps(2_000).maxOpenOrdersPerAccount(8);
    }

    final RecordingSink sink = new RecordingSink(Harness.MARKET);
    final OrderBook book;
    private final NewOrder order = new NewOrder();
    long now = 10_000;
    long nextOrderId = 1;
    final List<Long> placed = new ArrayList<>();
    final Map<Long, Long> owner = new HashMap<>();
    final Map<Long, Long> clientIdOf = new HashMap<>();

    Driver(final MarketConfig config) {
        book = new OrderBook(config, sink, 16);
    }

    /** A driver whose model continues from {@code other}'s, around a book restored from {@code snapshot}. */
    static Driver restoredFrom(final Driver other, final byte[] snapshot) throws java.io.IOException {
        // built with a different config on purpose: the snapshot must bring its own
        final Driver copy = new Driver(Harness.config().build());
        Harness.restore(copy.book, snapshot);
        copy.sink.expectNextAfter(other.book.lastSequence());
        copy.now = other.now;
        copy.nextOrderId = other.nextOrderId;
        copy.placed.addAll(other.placed);
        copy.owner.putAll(other.owner);
        copy.clientIdOf.putAll(other.clientIdOf);
        return copy;
    }

    void apply(final Cmd c) {
        advance(c);
        execute(c);
    }

    /** Moves the driver's clock for this command (the book sees it with the command). */
    void advance(final Cmd c) {
        now += c.kind() == Cmd.Kind.TICK ? c.misc() % 150 : c.misc() % 4 * 7;
    }

    /**
     * The id of the order this command aims at: three times in four an open order (chosen through the L3 view, so the
     * choice depends only on the book's state), otherwise any order ever placed (often done) or one never used.
     */
    long target(final Cmd c) {
        if (c.misc() % 4 != 0 && book.orderCount() > 0) {
            final List<Resting> open = Resting.all(book);
            return open.get(c.misc() / 4 % open.size()).orderId();
        }
        return placed.isEmpty() ? 424_242 : placed.get(c.misc() % placed.size());
    }

    /** The target's owner most of the time, sometimes the command's own (possibly wrong) account. */
    long accountFor(final Cmd c, final long target) {
        return c.misc() % 7 == 0 ? c.account() : owner.getOrDefault(target, (long) c.account());
    }

    /** The order an amend command will change, or -1 if there is none (resolved before the command runs). */
    long amendTarget(final Cmd c) {
        final long target = target(c);
        if (c.kind() == Cmd.Kind.AMEND) {
            return target;
        }
        final OrderView view = book.orderByClientOrderId(accountFor(c, target), clientIdOf.getOrDefault(target, 3L));
        return view == null ? -1 : view.orderId();
    }

    /**
     * Price for an order on {@code side}: buys sit a few ticks below the grid's middle and sells above it, so books
     * build depth and still cross often; about 1 % of prices are off the tick.
     */
    private static long price(final Cmd c, final Side side) {
        final int skew = side == Side.BUY ? -3 : 3;
        return (c.priceTicks() + skew) * 5L + (c.misc() % 97 == 0 ? 1 : 0);
    }

    void execute(final Cmd c) {
        final long price = price(c, c.side());
        final long quantity = c.lots() * 2L + (c.misc() % 89 == 0 ? 1 : 0);
        switch (c.kind()) {
            case NEW -> placeNew(c, price, quantity);
            case CANCEL -> {
                final long target = target(c);
                book.cancel(now, accountFor(c, target), target);
            }
            case CANCEL_BY_CLIENT -> {
                final long target = target(c);
                book.cancelByClientOrderId(now, accountFor(c, target), clientIdOf.getOrDefault(target, 3L));
            }
            case AMEND -> {
                final long target = target(c);
                final long[] change = amendment(c, target, price, quantity);
                book.amend(now, accountFor(c, target), target, change[0], change[1]);
            }
            case AMEND_BY_CLIENT -> {
                final long target = target(c);
                final long[] change = amendment(c, target, price, quantity);
                book.amendByClientOrderId(now, accountFor(c, target), clientIdOf.getOrDefault(target, 3L), change[0],
                    change[1]);
            }
            case MASS_CANCEL -> book.massCancel(now, c.account());
            case TICK -> book.tick(now);
            case REFERENCE -> book.setReferencePrice(now, price);
        }
    }

    /** Mostly the random price and size; a third of the time a size change at the current price. */
    private long[] amendment(final Cmd c, final long target, final long price, final long quantity) {
        final OrderView current = book.order(target);
        if (current == null) {
            return new long[] {price, quantity};
        }
        if (c.misc() % 3 == 0) {
            final long size = c.misc() % 2 == 0 ? current.quantity() - 2 : current.quantity() + 2;
            return new long[] {current.price(), size};
        }
        return new long[] {price(c, current.side()), quantity};
    }

    private void placeNew(final Cmd c, final long price, final long quantity) {
        final long id = nextOrderId++;
        final long clientId = c.misc() % 9;
        placed.add(id);
        owner.put(id, (long) c.account());
        if (clientId != 0) {
            clientIdOf.put(id, clientId);
        }
        order.clear().timestampMs(now).orderId(id).accountId(c.account()).clientOrderId(clientId).side(c.side())
            .selfTradePrevention(c.stp());
        switch (c.flavour()) {
            case 0, 1 -> order.limit(price, quantity);
            case 2 -> order.limit(price, quantity).timeInForce(TimeInForce.GTD).expireAtMs(now + 20 + c.misc() % 200);
            case 3 -> order.limit(price, quantity).timeInForce(TimeInForce.IOC);
            case 4 -> order.limit(price, quantity).timeInForce(TimeInForce.FOK);
            case 5 -> order.limit(price, quantity).timeInForce(TimeInForce.POST_ONLY);
            case 6 -> order.market(quantity);
            case 7 -> order.market(quantity).timeInForce(TimeInForce.FOK);
            case 8 -> order.marketByQuote(quantity * price / 10);
            default -> order.marketByQuote(quantity * price / 10).timeInForce(TimeInForce.FOK);
        }
        book.placeOrder(order);
    }
}
