package io.trademesh.bench.matching;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.SplittableRandom;

import io.trademesh.matching.MarketConfig;
import io.trademesh.matching.NewOrder;
import io.trademesh.matching.OrderBook;
import io.trademesh.matching.OrderView;
import io.trademesh.matching.Side;
import io.trademesh.matching.TimeInForce;

/**
 * A pre-generated command stream for {@link MatchingEngineBenchmark}, held in primitive arrays.
 *
 * <p>Generation runs every command through a <em>shadow</em> book per market (the same engine), so each cancel and
 * amend names an order that is open at that moment, and a book restored from {@link #snapshots} and fed the same
 * commands goes through exactly the same states. Every book first gets {@code restingPerMarket} passive GTC orders
 * around a mid of 10,000 ticks; the snapshots are taken after that prefill.
 *
 * <ul>
 *   <li>{@link Mix#EXCHANGE_CORE}: 82 % amend of the price of an open order ("move"; about 1 in 25 moves crosses),
 *       9 % new GTC limit (about 1 in 20 crosses), 6 % cancel, 3 % IOC through the best price.</li>
 *   <li>{@link Mix#HEAVY}: 50 % new GTC limit around the mid (15 % crossing), 12.5 % cancel, 12.5 % amend (half
 *       price, half size), 12.5 % IOC limit through the best price, 12.5 % market order.</li>
 * </ul>
 * New versus cancel is nudged (a new order becomes a cancel, or the reverse) when a book drifts more than 10 % (20 %
 * for HEAVY) from its target size, so the benchmark measures a steady state.
 */
final class MatchingWorkload {
    static final byte NEW_LIMIT = 0;
    static final byte NEW_IOC = 1;
    static final byte NEW_MARKET = 2;
    static final byte CANCEL = 3;
    static final byte AMEND = 4;

    static final long MID = 10_000;
    static final long START_MS = 1_700_000_000_000L;

    enum Mix { EXCHANGE_CORE, HEAVY }

    final int markets;
    final int commands;
    final byte[] type;
    final int[] market;
    final long[] orderId;
    final long[] account;
    final long[] price;
    final long[] quantity;
    final byte[] side;
    final MarketConfig[] configs;
    final byte[][] snapshots;

    long tradingCommands;
    long rejectedCommands;
    long restingAtEnd;

    private MatchingWorkload(final int markets, final int commands) {
        this.markets = markets;
        this.commands = commands;
        type = new byte[commands];
        market = new int[commands];
        orderId = new long[commands];
        account = new long[commands];
        price = new long[commands];
        quantity = new long[commands];
        side = new byte[commands];
        configs = new MarketConfig[markets];
        snapshots = new byte[markets][];
    }

    /** Timestamp of command {@code i}: about four commands per millisecond. */
    static long timestampMs(final int i) {
        return START_MS + (i >> 2);
    }

    static MarketConfig config(final int marketId) {
        return MarketConfig.builder().marketId(marketId).tickSize(1).lotSize(1).minQuantity(1)
            .maxQuantity(1_000_000).maxPrice(1_000_000_000).makerFeeBps(-1).takerFeeBps(5)
            .maxOpenOrdersPerAccount(10_000).build();
    }

    static MatchingWorkload generate(final Mix mix, final int markets, final int accounts, final int restingPerMarket,
                                     final int commands, final long seed) {
        final MatchingWorkload workload = new MatchingWorkload(markets, commands);
        final Shadow shadow = new Shadow(markets, restingPerMarket);
        final SplittableRandom random = new SplittableRandom(seed);
        final NewOrder order = new NewOrder();
        long nextOrderId = 1;

        for (int m = 0; m < markets; m++) {
            workload.configs[m] = config(m);
            shadow.books[m] = new OrderBook(workload.configs[m], shadow, restingPerMarket * 2);
            for (int i = 0; i < restingPerMarket; i++) {
                final Side s = (i & 1) == 0 ? Side.BUY : Side.SELL;
                order.clear().timestampMs(START_MS - 1).orderId(nextOrderId++)
                    .accountId(1 + random.nextInt(accounts)).side(s)
                    .limit(PriceModel.passivePrice(s, MID, random, 15), 1 + random.nextInt(20));
                shadow.books[m].placeOrder(order);
            }
            workload.snapshots[m] = snapshot(shadow.books[m]);
        }
        shadow.rejected = 0;

        for (int i = 0; i < commands; i++) {
            final int m = markets == 1 ? 0 : random.nextInt(markets);
            final OrderBook book = shadow.books[m];
            final List<Long> open = shadow.open.get(m);
            final double x = random.nextDouble();
            byte kind;
            if (mix == Mix.EXCHANGE_CORE) {
                kind = x < 0.82 ? AMEND : x < 0.91 ? NEW_LIMIT : x < 0.97 ? CANCEL : NEW_IOC;
                kind = PriceModel.steer(kind, NEW_LIMIT, CANCEL, open.size(), restingPerMarket, 0.10);
            } else {
                kind = x < 0.50 ? NEW_LIMIT : x < 0.625 ? CANCEL : x < 0.75 ? AMEND : x < 0.875 ? NEW_IOC : NEW_MARKET;
                kind = PriceModel.steer(kind, NEW_LIMIT, CANCEL, open.size(), restingPerMarket, 0.20);
            }
            if ((kind == AMEND || kind == CANCEL) && open.isEmpty()) {
                kind = NEW_LIMIT;
            }
            final long mid = PriceModel.mid(book, MID);
            workload.type[i] = kind;
            workload.market[i] = m;
            switch (kind) {
                case AMEND -> {
                    final long id = open.get(random.nextInt(open.size()));
                    final OrderView view = book.order(id);
                    long newPrice = view.price();
                    long newQuantity = view.quantity();
                    if (mix == Mix.HEAVY && random.nextBoolean()) {
                        newQuantity = Math.max(view.filledQuantity() + 1, newQuantity + random.nextInt(11) - 5);
                    } else {
                        final boolean cross = random.nextDouble() < (mix == Mix.EXCHANGE_CORE ? 0.03 : 0.10);
                        newPrice = cross ? PriceModel.aggressivePrice(view.side(), book, mid, random, 4)
                            : PriceModel.passivePrice(view.side(), mid, random, mix == Mix.EXCHANGE_CORE ? 15 : 10);
                    }
                    workload.orderId[i] = id;
                    workload.account[i] = view.accountId();
                    workload.price[i] = newPrice;
                    workload.quantity[i] = newQuantity;
                    workload.side[i] = (byte) view.side().ordinal();
                }
                case CANCEL -> {
                    final long id = open.get(random.nextInt(open.size()));
                    workload.orderId[i] = id;
                    workload.account[i] = book.order(id).accountId();
                }
                default -> {
                    final Side s = random.nextBoolean() ? Side.BUY : Side.SELL;
                    final long p;
                    final long q;
                    if (kind == NEW_LIMIT) {
                        final boolean cross = random.nextDouble() < (mix == Mix.EXCHANGE_CORE ? 0.05 : 0.15);
                        p = cross ? PriceModel.aggressivePrice(s, book, mid, random, 4)
                            : PriceModel.passivePrice(s, mid, random, mix == Mix.EXCHANGE_CORE ? 15 : 10);
                        q = 1 + random.nextInt(20);
                    } else if (kind == NEW_IOC) {
                        p = PriceModel.aggressivePrice(s, book, mid, random, mix == Mix.EXCHANGE_CORE ? 4 : 6);
                        q = 1 + random.nextInt(30);
                    } else {
                        p = 0;
                        q = 1 + random.nextInt(30);
                    }
                    workload.orderId[i] = nextOrderId++;
                    workload.account[i] = 1 + random.nextInt(accounts);
                    workload.price[i] = p;
                    workload.quantity[i] = q;
                    workload.side[i] = (byte) s.ordinal();
                }
            }
            shadow.traded = false;
            workload.apply(i, book, order);
            if (shadow.traded) {
                workload.tradingCommands++;
            }
        }
        workload.rejectedCommands = shadow.rejected;
        for (int m = 0; m < markets; m++) {
            workload.restingAtEnd += shadow.books[m].orderCount();
        }
        return workload;
    }

    /** Applies command {@code i} to {@code book}; the measured loop does exactly this. */
    void apply(final int i, final OrderBook book, final NewOrder order) {
        final long ts = timestampMs(i);
        switch (type[i]) {
            case NEW_LIMIT -> book.placeOrder(order.clear().timestampMs(ts).orderId(orderId[i]).accountId(account[i])
                .side(side[i] == 0 ? Side.BUY : Side.SELL).limit(price[i], quantity[i]));
            case NEW_IOC -> book.placeOrder(order.clear().timestampMs(ts).orderId(orderId[i]).accountId(account[i])
                .side(side[i] == 0 ? Side.BUY : Side.SELL).limit(price[i], quantity[i])
                .timeInForce(TimeInForce.IOC));
            case NEW_MARKET -> book.placeOrder(order.clear().timestampMs(ts).orderId(orderId[i])
                .accountId(account[i]).side(side[i] == 0 ? Side.BUY : Side.SELL).market(quantity[i]));
            case CANCEL -> book.cancel(ts, account[i], orderId[i]);
            case AMEND -> book.amend(ts, account[i], orderId[i], price[i], quantity[i]);
            default -> throw new IllegalStateException("unknown command type " + type[i]);
        }
    }

    private static byte[] snapshot(final OrderBook book) {
        try {
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            book.writeSnapshot(new DataOutputStream(bytes));
            return bytes.toByteArray();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The shadow books used to generate commands, and what rests in them. */
    private static final class Shadow extends RestingOrders {
        final OrderBook[] books;

        Shadow(final int markets, final int restingPerMarket) {
            super(markets, restingPerMarket);
            books = new OrderBook[markets];
        }
    }
}
