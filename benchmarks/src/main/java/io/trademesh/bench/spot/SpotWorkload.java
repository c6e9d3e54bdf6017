package io.trademesh.bench.spot;

import io.trademesh.bench.matching.PriceModel;
import io.trademesh.bench.matching.RestingOrders;

import io.trademesh.matching.MatchingMode;
import io.trademesh.matching.OrderBook;
import io.trademesh.matching.OrderType;
import io.trademesh.matching.OrderView;
import io.trademesh.matching.SelfTradePrevention;
import io.trademesh.matching.Side;
import io.trademesh.matching.TimeInForce;
import io.trademesh.platform.trading.MarketSpec;
import io.trademesh.spot.engine.SpotCommandKind;
import io.trademesh.spot.engine.SpotEngine;
import io.trademesh.spot.engine.SpotListener;
import io.trademesh.spot.engine.SpotRejectReason;
import io.trademesh.platform.wallet.WalletLedger;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A pre-generated command stream for {@link SpotStateMachineBenchmark}, held in primitive arrays; the conventions
 * of {@code bench.matching.MatchingWorkload} (mixes, mid of 10,000 ticks, half-normal passive prices, steering toward
 * a steady book size, about four commands per millisecond), with spot's wallets in front of the books.
 *
 * <p>Generation runs every command through a <em>shadow</em> {@link SpotEngine}, so each cancel and amend names an
 * order open at that moment, and an engine restored from {@link #snapshot} and fed the same commands goes through
 * exactly the same states (spot numbers orders itself, in command order). The snapshot is taken after the set-up:
 * markets, credits, and {@code restingPerMarket} passive GTC orders per book.
 *
 * <h2>Markets, assets, accounts</h2>
 * Every market has tick 1, lot 1, notional divisor 1, maker -1 bps, taker 5 bps. One market is B0/Q0. With more
 * markets, market {@code m} is {@code B(m % 50)/Q(m / 50)}: 1,000 markets over 70 assets. (Spot's wallets are one
 * dense array per account indexed by asset id, so 1,000 markets with a base asset each and 100,000 accounts would
 * need about a gigabyte of wallets.) Accounts are split evenly over the markets, each funded once in its market's two
 * assets with far more than it can spend, so no command is refused for funds: 2,000 accounts in one market, 100 per
 * market for 100,000 accounts over 1,000 markets.
 *
 * <ul>
 *   <li>{@link Mix#EXCHANGE_CORE}: 82 % amend of the price of an open order ("move"; about 1 in 30 crosses),
 *       9 % new GTC limit (1 in 20 crosses), 6 % cancel, 3 % IOC through the best price.</li>
 *   <li>{@link Mix#HEAVY}: 50 % new GTC limit around the mid (15 % crossing), 12.5 % cancel, 12.5 % amend (half
 *       price, half size), 12.5 % IOC limit through the best price, 12.5 % market order (sells by base quantity;
 *       buys half by base quantity, which makes spot walk the asks to reserve, half by quote amount).</li>
 * </ul>
 */
final class SpotWorkload {
    static final byte NEW_LIMIT = 0;
    static final byte NEW_IOC = 1;
    static final byte NEW_MARKET = 2;
    static final byte NEW_MARKET_BY_QUOTE = 3;
    static final byte CANCEL = 4;
    static final byte AMEND = 5;

    static final long MID = 10_000;
    static final long START_MS = 1_700_000_000_000L;
    static final int BASES = 50;
    static final long BASE_FUNDS = 1_000_000_000_000L;
    static final long QUOTE_FUNDS = 1_000_000_000_000_000L;

    enum Mix { EXCHANGE_CORE, HEAVY }

    final int markets;
    final int accounts;
    final int commands;
    final byte[] type;
    final int[] market;
    final long[] orderId;
    final long[] account;
    final long[] price;
    /** Base quantity; for {@link #NEW_MARKET_BY_QUOTE} the quote amount. */
    final long[] quantity;
    final byte[] side;
    byte[] snapshot;
    /** The resting orders of the set-up, in the order placed (market, account, side, price, quantity). */
    final int[] restMarket;
    final long[] restAccount;
    final byte[] restSide;
    final long[] restPrice;
    final long[] restQuantity;

    long tradingCommands;
    long rejectedCommands;
    long restingAtEnd;

    private SpotWorkload(final int markets, final int accounts, final int commands, final int resting) {
        this.markets = markets;
        this.accounts = accounts;
        this.commands = commands;
        restMarket = new int[resting];
        restAccount = new long[resting];
        restSide = new byte[resting];
        restPrice = new long[resting];
        restQuantity = new long[resting];
        type = new byte[commands];
        market = new int[commands];
        orderId = new long[commands];
        account = new long[commands];
        price = new long[commands];
        quantity = new long[commands];
        side = new byte[commands];
    }

    /** Timestamp of command {@code i}: about four commands per millisecond. */
    static long timestampMs(final int i) {
        return START_MS + (i >> 2);
    }

    static MarketSpec spec(final int marketId, final int markets) {
        final String base = "B" + (markets == 1 ? 0 : marketId % BASES);
        final String quote = "Q" + (markets == 1 ? 0 : marketId / BASES);
        return new MarketSpec(base + "-" + quote, base, 8, quote, 8, 0, 1, 1, 1, 1_000_000, 1_000_000_000L, 0, -1, 5,
            0, 10_000, MatchingMode.CONTINUOUS, 0);
    }

    /** The accounts of market {@code m}: a contiguous block, so each account holds two assets. */
    private long accountOf(final int m, final SplittableRandom random) {
        final int perMarket = accounts / markets;
        return 1 + (long) m * perMarket + random.nextInt(perMarket);
    }

    static SpotWorkload generate(final Mix mix, final int markets, final int accounts, final int restingPerMarket,
                                 final int commands, final long seed) {
        if (accounts % markets != 0) {
            throw new IllegalArgumentException("accounts must be a multiple of markets");
        }
        final SpotWorkload workload = new SpotWorkload(markets, accounts, commands, markets * restingPerMarket);
        final Shadow shadow = new Shadow(markets, restingPerMarket);
        final SpotEngine engine = new SpotEngine(shadow);
        final SplittableRandom random = new SplittableRandom(seed);

        for (int m = 0; m < markets; m++) {
            if (engine.createMarket(START_MS - 2, spec(m, markets)) != m) {
                throw new IllegalStateException("market " + m + " refused");
            }
        }
        final int perMarket = accounts / markets;
        for (int m = 0; m < markets; m++) {
            final MarketSpec spec = spec(m, markets);
            for (int a = 0; a < perMarket; a++) {
                final long id = 1 + (long) m * perMarket + a;
                engine.credit(START_MS - 2, "b" + id, id, spec.baseAsset(), BASE_FUNDS);
                engine.credit(START_MS - 2, "q" + id, id, spec.quoteAsset(), QUOTE_FUNDS);
            }
        }
        int r = 0;
        for (int m = 0; m < markets; m++) {
            for (int i = 0; i < restingPerMarket; i++, r++) {
                final Side s = (i & 1) == 0 ? Side.BUY : Side.SELL;
                workload.restMarket[r] = m;
                workload.restAccount[r] = workload.accountOf(m, random);
                workload.restSide[r] = (byte) s.ordinal();
                workload.restPrice[r] = PriceModel.passivePrice(s, MID, random, 15);
                workload.restQuantity[r] = 1 + random.nextInt(20);
                engine.placeOrder(START_MS - 1, workload.restAccount[r], m, null, s, OrderType.LIMIT,
                    TimeInForce.GTC, workload.restPrice[r], workload.restQuantity[r], 0, 0,
                    SelfTradePrevention.EXPIRE_TAKER);
            }
        }
        workload.snapshot = snapshot(engine);
        shadow.rejected = 0;

        for (int i = 0; i < commands; i++) {
            final int m = markets == 1 ? 0 : random.nextInt(markets);
            final OrderBook book = engine.market(m).book();
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
                    long q;
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
                        if (s == Side.BUY && random.nextBoolean()) {
                            kind = NEW_MARKET_BY_QUOTE;
                            q *= mid;
                        }
                    }
                    workload.account[i] = workload.accountOf(m, random);
                    workload.price[i] = p;
                    workload.quantity[i] = q;
                    workload.side[i] = (byte) s.ordinal();
                }
            }
            workload.type[i] = kind;
            shadow.traded = false;
            workload.apply(i, engine);
            if (shadow.traded) {
                workload.tradingCommands++;
            }
        }
        workload.rejectedCommands = shadow.rejected;
        for (int m = 0; m < markets; m++) {
            workload.restingAtEnd += engine.market(m).book().orderCount();
        }
        return workload;
    }

    /** Applies command {@code i} to {@code engine}; the measured loop does exactly this. */
    void apply(final int i, final SpotEngine engine) {
        final long ts = timestampMs(i);
        final Side s = side[i] == 0 ? Side.BUY : Side.SELL;
        switch (type[i]) {
            case NEW_LIMIT -> engine.placeOrder(ts, account[i], market[i], null, s, OrderType.LIMIT, TimeInForce.GTC,
                price[i], quantity[i], 0, 0, SelfTradePrevention.EXPIRE_TAKER);
            case NEW_IOC -> engine.placeOrder(ts, account[i], market[i], null, s, OrderType.LIMIT, TimeInForce.IOC,
                price[i], quantity[i], 0, 0, SelfTradePrevention.EXPIRE_TAKER);
            case NEW_MARKET -> engine.placeOrder(ts, account[i], market[i], null, s, OrderType.MARKET,
                TimeInForce.IOC, 0, quantity[i], 0, 0, SelfTradePrevention.EXPIRE_TAKER);
            case NEW_MARKET_BY_QUOTE -> engine.placeOrder(ts, account[i], market[i], null, s, OrderType.MARKET,
                TimeInForce.IOC, 0, 0, quantity[i], 0, SelfTradePrevention.EXPIRE_TAKER);
            case CANCEL -> engine.cancel(ts, account[i], market[i], orderId[i]);
            case AMEND -> engine.amend(ts, account[i], market[i], orderId[i], price[i], quantity[i]);
            default -> throw new IllegalStateException("unknown command type " + type[i]);
        }
    }

    private static byte[] snapshot(final SpotEngine engine) {
        try {
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 20);
            engine.writeSnapshot(new DataOutputStream(bytes));
            return bytes.toByteArray();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What rests in each shadow book, whether the current command traded, and every refusal. */
    private static final class Shadow extends RestingOrders implements SpotListener {

        Shadow(final int markets, final int restingPerMarket) {
            super(markets, restingPerMarket);
        }

        @Override
        public void onMarketCreated(final int marketId, final MarketSpec spec) {
        }

        @Override
        public void onRefused(final SpotCommandKind command, final long accountId, final int marketId,
                              final long orderId, final SpotRejectReason reason) {
            rejected++;
        }

        @Override
        public void onDuplicateClientOrderId(final int marketId, final long accountId, final long existingOrderId) {
            rejected++;
        }

        @Override
        public void onBalance(final long accountId, final int assetId, final long available, final long locked) {
        }

        @Override
        public void onTransfer(final WalletLedger.Outcome outcome) {
            if (!outcome.applied()) {
                throw new IllegalStateException("funding refused: " + outcome);
            }
        }
    }
}
