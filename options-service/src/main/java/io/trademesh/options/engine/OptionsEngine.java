package io.trademesh.options.engine;

import io.trademesh.matching.CommandType;
import io.trademesh.matching.DoneReason;
import io.trademesh.matching.MarketConfig;
import io.trademesh.matching.MatchingMode;
import io.trademesh.matching.MatchingSink;
import io.trademesh.matching.NewOrder;
import io.trademesh.matching.OrderBook;
import io.trademesh.matching.OrderType;
import io.trademesh.matching.OrderView;
import io.trademesh.matching.RejectReason;
import io.trademesh.matching.SelfTradePrevention;
import io.trademesh.matching.Side;
import io.trademesh.matching.TimeInForce;
import io.trademesh.options.pricing.ChainPricer;
import io.trademesh.options.pricing.ShortMargin;
import io.trademesh.options.pricing.VolSlice;
import io.trademesh.platform.trading.AssetRegistry;
import io.trademesh.platform.trading.BookMarkets;
import io.trademesh.platform.trading.BookWalk;
import io.trademesh.platform.trading.ClientOrderIds;
import io.trademesh.platform.trading.FixedPoint;
import io.trademesh.platform.trading.MarketSpec;
import io.trademesh.platform.trading.OrderChecks;
import io.trademesh.platform.trading.RiskLimits;
import io.trademesh.platform.trading.SortedIds;
import io.trademesh.platform.wallet.WalletLedger;
import io.trademesh.platform.wallet.Wallets;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongHashSet;

/**
 * The options state machine: European calls and puts on an index, in chains by underlying and
 * expiry, with their books; every account's premium wallet and positions; marks from the
 * volatility surface; the seller's margin; liquidation of shorts; settlement at expiry.
 * Deterministic and single-threaded: commands are method calls stamped with the command
 * clock, outputs go to the {@link OptionsListener}, nothing throws for a bad command.
 *
 * <h2>Money</h2>
 * A trade moves its premium from the buyer's wallet to the seller's at once, and each side's
 * fee to the venue. At expiry every in-the-money long receives its intrinsic value, rounded
 * down, and every in-the-money short pays it, rounded up; the difference (never negative)
 * goes to the insurance fund. So for every premium asset, at all times:
 * <pre>
 *   sum(wallets) + fees + insurance fund - deficits = credits - debits
 * </pre>
 *
 * <h2>Margin</h2>
 * Longs are paid for in full and count for nothing. Per underlying, a short needs per whole
 * base unit {@code initial = max(a - OTM / index, b) x index + mark} and
 * {@code maintenance = c x index + mark} ({@link ShortMargin}). An account's initial
 * requirement is the initial margin of the most it could be short if its open sells filled
 * (longs close first), plus what its open buys may pay (premium at their limit and the most
 * fee); its maintenance requirement is the maintenance margin of its shorts. Both are
 * compared with its wallet. An order that raises the initial requirement past the wallet is
 * refused; a buy that only closes a short needs only its premium.
 *
 * <h2>Liquidation</h2>
 * After every command, the accounts it touched and, when an underlying's index moved, the
 * accounts holding shorts on it (and only those) are checked. One below maintenance has its
 * orders cancelled; while still below, its largest short is bought back by IOC orders of at
 * most half of it, limited to the top of the price band, each paying {@code liquidationFeeBps}
 * of the index value bought back to the insurance fund. What the book cannot take waits for
 * the next tick. An account left with no short and a negative wallet is made whole by the fund;
 * what the fund cannot cover is recorded as a deficit.
 */
public final class OptionsEngine implements BookMarkets, MatchingSink {

    public static final long FEE_ACCOUNT = OrderChecks.VENUE_ACCOUNT;
    public static final long DEFAULT_WINDOW_MS = 30 * 60_000L;
    public static final long DEFAULT_SAMPLE_MS = 10_000L;
    public static final int MAX_STRIKES = 200;
    /** How soon a liquidation the book could not finish, or a settlement waiting for an index, is tried again. */
    static final long RETRY_MS = 1_000;
    private static final int MAX_LIQUIDATION_STEPS = 32;
    private static final int SNAPSHOT_MAGIC = 0x4f505453; // "OPTS"
    private static final int SNAPSHOT_VERSION = 1;
    private static final DateTimeFormatter EXPIRY_NAME = DateTimeFormatter.ofPattern("yyyyMMdd")
            .withZone(ZoneOffset.UTC);

    private final OptionsListener listener;
    private final WalletLedger ledger = new WalletLedger(FEE_ACCOUNT);
    private final Wallets wallets = ledger.wallets();
    private final List<Instrument> instruments = new ArrayList<>();
    private final Map<String, Instrument> bySymbol = new HashMap<>();
    private final List<Underlying> underlyings = new ArrayList<>();
    private final AssetRegistry assets = new AssetRegistry();
    private final Long2ObjectHashMap<MarginAccount> accounts = new Long2ObjectHashMap<>();
    private final Long2ObjectHashMap<OpenOrder> openOrders = new Long2ObjectHashMap<>();
    private final ClientOrderIds clientIds = new ClientOrderIds();
    private final RiskLimits limits = new RiskLimits();
    /** Per asset id: the insurance fund and the losses it could not cover. */
    private long[] insurance = new long[0];
    private long[] deficits = new long[0];
    private long lastOrderId;
    /** Accounts below maintenance whose liquidation the book could not finish: looked at again each tick. */
    private final LongHashSet underwater = new LongHashSet();

    // The command being applied.
    private long nowMs;
    private final java.util.function.LongConsumer clientIdForgotten;
    private final NewOrder newOrder = new NewOrder();
    private final LongHashSet touched = new LongHashSet();
    private final LongHashSet ordersDone = new LongHashSet();
    private final LongHashSet reported = new LongHashSet();
    private final LongHashSet liquidated = new LongHashSet();
    private final LongHashSet checking = new LongHashSet();
    /** Underlyings whose marks moved in this command (at most 64 underlyings: a chain on a 65th is refused). */
    private final boolean[] moved = new boolean[64];
    private boolean anyMoved;
    private boolean placingReduceOnly;
    private long placingPrice;
    private OptionsRejectReason refusal;
    private long liquidationOrderId;
    private long liquidationFilled;
    private long liquidationNotional;

    public OptionsEngine(OptionsListener listener) {
        this.listener = listener;
        this.clientIdForgotten = listener::onClientOrderIdForgotten;
    }

    // ================================================================ chains and underlyings

    /**
     * Creates a chain: a call and a put at every strike, from {@code template} (base = the
     * underlying, quote = the premium asset, tick, lot = contract size, fees, limits).
     * Returns the instruments created, or null when refused.
     */
    public List<Instrument> createChain(long timestampMs, MarketSpec template, long expiryMs, long[] strikes,
                                       long windowMs, long sampleMs) {
        begin(timestampMs);
        long window = windowMs == 0 ? DEFAULT_WINDOW_MS : windowMs;
        long sample = sampleMs == 0 ? DEFAULT_SAMPLE_MS : sampleMs;
        if (template == null || template.matchingMode() != MatchingMode.CONTINUOUS || expiryMs <= timestampMs
                || window < 1_000 || window > 86_400_000L || sample < 100 || sample > window
                || strikes == null || strikes.length == 0 || strikes.length > MAX_STRIKES
                || !assets.agrees(template.quoteAsset(), template.quoteDecimals())) {
            return refuse(OptionsRejectReason.INVALID_MARKET, null);
        }
        long whole = pow10(template.priceScale());
        long[] sorted = strikes.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            if (whole <= 0 || sorted[i] <= 0 || sorted[i] > template.maxPrice() || sorted[i] % whole != 0
                    || (i > 0 && sorted[i] == sorted[i - 1])) {
                return refuse(OptionsRejectReason.INVALID_MARKET, null);
            }
        }
        Underlying u = underlying(template.baseAsset());
        if (u != null && (!u.quote.equals(template.quoteAsset()) || u.priceScale != template.priceScale())) {
            return refuse(OptionsRejectReason.INVALID_MARKET, null); // one premium asset and scale per underlying
        }
        Expiry existing = u == null ? null : u.expiry(expiryMs);
        if (existing != null && (existing.settled || existing.windowMs != window || existing.sampleMs != sample)) {
            return refuse(OptionsRejectReason.INVALID_MARKET, null);
        }
        List<MarketSpec> specs = new ArrayList<>();
        List<MarketConfig> configs = new ArrayList<>();
        for (long strike : sorted) {
            for (boolean call : new boolean[] {true, false}) {
                String symbol = symbol(template.baseAsset(), expiryMs, strike / whole, call);
                if (bySymbol.containsKey(symbol)) {
                    return refuse(OptionsRejectReason.MARKET_EXISTS, null);
                }
                MarketSpec spec = new MarketSpec(symbol, template.baseAsset(), template.baseDecimals(),
                        template.quoteAsset(), template.quoteDecimals(), template.priceScale(), template.tickSize(),
                        template.lotSize(), template.minQuantity(), template.maxQuantity(), template.maxPrice(),
                        template.minNotional(), template.makerFeeBps(), template.takerFeeBps(), 0,
                        template.maxOpenOrdersPerAccount(), MatchingMode.CONTINUOUS, 0);
                try {
                    configs.add(spec.toConfig(instruments.size() + specs.size()));
                } catch (IllegalArgumentException e) {
                    return refuse(OptionsRejectReason.INVALID_MARKET, null);
                }
                specs.add(spec);
            }
        }
        int asset = registerAsset(template.quoteAsset(), template.quoteDecimals());
        if (u == null) {
            if (underlyings.size() == moved.length) {
                return refuse(OptionsRejectReason.INVALID_MARKET, null);
            }
            u = new Underlying(underlyings.size(), template.baseAsset(), template.quoteAsset(), asset,
                    template.priceScale());
            underlyings.add(u);
        }
        Expiry e = existing != null ? existing : addExpiry(u, expiryMs, window, sample);
        List<Instrument> created = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            MarketSpec spec = specs.get(i);
            Instrument x = new Instrument(instruments.size(), spec, new OrderBook(configs.get(i), this), e,
                    i % 2 == 0, sorted[i / 2]);
            instruments.add(x);
            bySymbol.put(spec.symbol(), x);
            e.instruments.add(x);
            x.book.tick(timestampMs);
            created.add(x);
        }
        e.rebuildPricer();
        reprice(u);
        listener.onChainCreated(e, created);
        end();
        return created;
    }

    private static Expiry addExpiry(Underlying u, long expiryMs, long window, long sample) {
        Expiry e = new Expiry(u, expiryMs, window, sample);
        int at = 0;
        while (at < u.expiries.size() && u.expiries.get(at).expiryMs < expiryMs) {
            at++;
        }
        u.expiries.add(at, e);
        return e;
    }

    /** {@code BTC-20261225-60000-C}: underlying, expiry day (UTC), strike in whole quote, C or P. */
    public static String symbol(String underlying, long expiryMs, long wholeStrike, boolean call) {
        return underlying + "-" + EXPIRY_NAME.format(Instant.ofEpochMilli(expiryMs)) + "-" + wholeStrike
                + (call ? "-C" : "-P");
    }

    private static long pow10(int n) {
        if (n < 0 || n > 18) {
            return -1;
        }
        long p = 1;
        for (int i = 0; i < n; i++) {
            p *= 10;
        }
        return p;
    }

    private int registerAsset(String symbol, int decimals) {
        int id = assets.register(symbol, decimals);
        if (id >= insurance.length) {
            insurance = Arrays.copyOf(insurance, id + 1);
            deficits = Arrays.copyOf(deficits, id + 1);
        }
        return id;
    }

    /** Sets an underlying's margin ratios, liquidation fee and band; marks and margins follow at once. */
    public void setUnderlying(long timestampMs, String name, String quote, UnderlyingTerms terms) {
        begin(timestampMs);
        Underlying u = underlying(name);
        if (u == null || (quote != null && !quote.isEmpty() && !quote.equals(u.quote))) {
            refuse(OptionsRejectReason.UNKNOWN_UNDERLYING, 0);
            return;
        }
        if (terms == null || terms.invalid() != null) {
            refuse(OptionsRejectReason.INVALID_PARAMS, 0);
            return;
        }
        u.terms = terms;
        reprice(u);
        listener.onUnderlyingChanged(u);
        end();
    }

    /** Sets one expiry of an underlying's volatility surface (see {@link io.trademesh.options.pricing.VolSurface}). */
    public void setVolSlice(long timestampMs, String name, String quote, VolSlice slice) {
        begin(timestampMs);
        Underlying u = underlying(name);
        if (u == null || (quote != null && !quote.isEmpty() && !quote.equals(u.quote))) {
            refuse(OptionsRejectReason.UNKNOWN_UNDERLYING, 0);
            return;
        }
        expireSurface(u);
        if (slice == null || u.surface.invalid(slice, timestampMs) != null) {
            refuse(OptionsRejectReason.INVALID_SURFACE, 0);
            return;
        }
        u.surface.put(slice);
        reprice(u);
        listener.onUnderlyingChanged(u);
        end();
    }

    // ================================================================ prices and marks

    /** An index price for {@code asset} in {@code quote} at {@code scale} decimals: its underlying reprices. */
    public void indexPrice(long timestampMs, String asset, String quote, long price, int scale) {
        begin(timestampMs);
        Underlying u = underlying(asset);
        if (u != null && u.quote.equals(quote) && price > 0 && scale >= 0 && scale <= 18) {
            long rescaled = FixedPoint.rescale(price, scale, u.priceScale);
            if (rescaled > 0) {
                u.indexPrice = rescaled;
                u.indexAtMs = timestampMs;
                reprice(u);
            }
        }
        end();
    }

    /**
     * Recomputes the underlying's live chains at the current index and surface: marks (rounded
     * to the tick), volatilities, greeks, and the seller's margin per unit. A pure function of
     * the index, the surface, the books and the time, so a restore recomputes the same.
     */
    private void reprice(Underlying u) {
        u.pricedAtMs = nowMs;
        if (u.indexPrice <= 0) {
            return;
        }
        UnderlyingTerms t = u.terms;
        for (Expiry e : u.expiries) {
            if (e.settled) {
                continue;
            }
            ChainPricer pricer = e.pricer;
            for (Instrument x : e.instruments) {
                long bid = x.book.bestBidPrice();
                long ask = x.book.bestAskPrice();
                pricer.bid[x.slot] = bid == OrderBook.NO_PRICE ? Double.NaN : bid;
                pricer.ask[x.slot] = ask == OrderBook.NO_PRICE ? Double.NaN : ask;
            }
            pricer.reprice(u.indexPrice, u.surface, nowMs);
            for (Instrument x : e.instruments) {
                double mark = pricer.mark[x.slot];
                if (Double.isNaN(mark)) {
                    continue; // no volatility for it yet: the last mark (if any) holds, unpriced ones stay so
                }
                long tick = x.config.tickSize();
                x.markPrice = Math.min(x.config.maxPrice() / tick * tick, Math.round(mark / tick) * tick);
                x.priced = true;
                x.initialPerUnit = ShortMargin.initial(x.call, x.strike, u.indexPrice, x.markPrice, t.initialBase(),
                        t.initialFloor());
                x.maintenancePerUnit = ShortMargin.maintenance(u.indexPrice, x.markPrice, t.maintenance());
            }
        }
        moved[u.id] = true;
        anyMoved = true;
    }

    /** Forgets the surface's expired slices; marks follow, so that they always match the surface kept. */
    private void expireSurface(Underlying u) {
        int before = u.surface.slices().size();
        u.surface.expire(nowMs);
        if (u.surface.slices().size() != before) {
            reprice(u);
        }
    }

    /**
     * When something is next due: a GTD expiry, a settlement sample, an expiry, or another try
     * at a liquidation or a settlement that waits for an index.
     */
    public long nextDueMs() {
        long due = Long.MAX_VALUE;
        for (Instrument x : instruments) {
            if (!x.expiry.settled) {
                due = Math.min(due, x.book.nextDueMs());
            }
        }
        for (Underlying u : underlyings) {
            for (Expiry e : u.expiries) {
                if (e.settled) {
                    continue;
                }
                long next = Math.min(e.expiryMs, Math.max(e.nextSampleMs, e.expiryMs - e.windowMs));
                // due and not done (a sample or a settlement waiting for an index): try again soon, never spin
                due = Math.min(due, next <= nowMs ? nowMs + RETRY_MS : next);
            }
        }
        if (!underwater.isEmpty()) {
            due = Math.min(due, nowMs + RETRY_MS);
        }
        return due;
    }

    /** Advances the clock: GTD expiries, settlement samples, expiries, then liquidations left over. */
    public void tick(long timestampMs) {
        begin(timestampMs);
        ledger.expire(timestampMs);
        for (Instrument x : instruments) {
            if (!x.expiry.settled) {
                x.book.tick(timestampMs);
            }
        }
        for (Underlying u : underlyings) {
            for (Expiry e : u.expiries) {
                if (e.settled) {
                    continue;
                }
                if (timestampMs < e.expiryMs && e.inWindow(timestampMs) && timestampMs >= e.nextSampleMs
                        && u.indexFresh(timestampMs)) {
                    e.sampleSum += u.indexPrice;
                    e.samples++;
                    e.nextSampleMs = timestampMs + e.sampleMs;
                }
                if (timestampMs >= e.expiryMs && (e.samples > 0 || u.indexPrice > 0)) {
                    settle(e);
                }
            }
            expireSurface(u);
        }
        for (LongHashSet.LongIterator it = underwater.iterator(); it.hasNext(); ) {
            touched.add(it.nextValue());
        }
        end();
    }

    /**
     * Settles an expired chain at the average of its samples (the last index when none was
     * taken): orders cancelled, every position paid or charged its intrinsic value, in account
     * order, the rounding to the fund.
     */
    private void settle(Expiry e) {
        Underlying u = e.underlying;
        long price = e.samples > 0 ? e.estimatedSettlement() : u.indexPrice;
        long residue = 0;
        for (Instrument x : e.instruments) {
            LongHashSet owners = new LongHashSet();
            x.book.orders(Side.BUY, o -> owners.add(o.accountId()));
            x.book.orders(Side.SELL, o -> owners.add(o.accountId()));
            for (long accountId : SortedIds.of(owners)) {
                x.book.massCancel(nowMs, accountId);
            }
            long intrinsic = x.intrinsic(price);
            for (long accountId : SortedIds.of(x.positions)) {
                Position p = x.positions.get(accountId);
                long paid = p.size > 0 ? x.valueDown(intrinsic, p.size) : -x.valueUp(intrinsic, -p.size);
                wallets.receive(accountId, u.asset, paid);
                residue -= paid;
                p.realisedPnl += paid - p.cost;
                p.size = 0;
                p.cost = 0;
                touch(accountId, u.asset);
            }
            x.positions.clear();
            x.markPrice = intrinsic;
        }
        insurance[u.asset] += residue;
        e.settled = true;
        e.settlementPrice = price;
        listener.onSettled(e, price);
    }

    // ================================================================ orders

    /**
     * Places an order ({@code quoteQuantity} must be 0: options trade by quantity). Returns the
     * new order's id, the existing order's id for a repeated client order id, or 0 when refused.
     */
    public long placeOrder(long timestampMs, long accountId, int instrumentId, String clientOrderId, Side side,
                           OrderType type, TimeInForce timeInForce, long price, long quantity, long quoteQuantity,
                           long expireAtMs, SelfTradePrevention stp, boolean reduceOnly) {
        begin(timestampMs);
        Instrument x = instrument(instrumentId);
        if (x == null) {
            return refuse(OptionsRejectReason.UNKNOWN_MARKET, 0L);
        }
        x.book.tick(timestampMs);
        if (accountId == FEE_ACCOUNT) {
            return refuse(OptionsRejectReason.INVALID_ACCOUNT, 0L);
        }
        if (clientOrderId != null && !clientOrderId.isEmpty()) {
            long existing = clientIds.orderId(accountId, clientOrderId);
            if (existing != 0) {
                listener.onDuplicateClientOrderId(instrumentId, accountId, existing);
                end();
                return existing;
            }
        }
        if (x.expired(timestampMs)) {
            return refuse(OptionsRejectReason.INSTRUMENT_EXPIRED, 0L);
        }
        if (quoteQuantity != 0) {
            return refuse(OptionsRejectReason.UNSUPPORTED_ORDER, 0L);
        }
        long orderId = submit(accountId, x, clientOrderId, side, type, timeInForce, price, quantity, expireAtMs, stp,
                reduceOnly);
        if (orderId == 0) {
            return refuse(refusal, 0L);
        }
        end();
        return orderId;
    }

    /** An order through options' checks into the book. Returns its id, or 0 with {@link #refusal} set. */
    private long submit(long accountId, Instrument x, String clientOrderId, Side side, OrderType type,
                        TimeInForce timeInForce, long price, long quantity, long expireAtMs, SelfTradePrevention stp,
                        boolean reduceOnly) {
        MarginAccount a = accounts.get(accountId);
        Position p = a == null ? null : a.position(x.id);
        boolean shaped = side != null && quantity > 0 && quantity <= x.config.maxQuantity()
                && (type == OrderType.MARKET || (price > 0 && price <= x.config.maxPrice()));
        if (reduceOnly && shaped) {
            long size = p == null ? 0 : p.size;
            long covered = side == Side.SELL ? size - (p == null ? 0 : p.reduceOnlySell)
                    : -size - (p == null ? 0 : p.reduceOnlyBuy);
            if (quantity > covered) {
                refusal = OptionsRejectReason.REDUCE_ONLY;
                return 0;
            }
        }
        OptionsRejectReason limited = checkLimits(accountId, x, type, price, quantity);
        if (limited != null) {
            refusal = limited;
            return 0;
        }
        if (type == OrderType.LIMIT && shaped && outOfBand(x, price)) {
            refusal = OptionsRejectReason.PRICE_OUT_OF_BAND;
            return 0;
        }
        if (shaped) {
            long premium = 0;
            if (side == Side.BUY) {
                premium = price > 0 ? x.config.notional(price, quantity)
                        : BookWalk.of(x.book, x.config, side, quantity).notional();
            }
            OptionsRejectReason short_ = marginCheck(accountId, a, x, p, side, quantity, premium, reduceOnly);
            if (short_ != null) {
                refusal = short_;
                return 0;
            }
        }
        long orderId = ++lastOrderId;
        newOrder.clear().timestampMs(nowMs).orderId(orderId).accountId(accountId).side(side).type(type)
                .selfTradePrevention(stp == null ? SelfTradePrevention.EXPIRE_TAKER : stp)
                .price(price).quantity(quantity).quoteQuantity(0).expireAtMs(expireAtMs)
                .timeInForce(timeInForce != null ? timeInForce
                        : type == OrderType.MARKET ? TimeInForce.IOC : TimeInForce.GTC);
        if (clientOrderId != null && !clientOrderId.isEmpty()) {
            clientIds.open(accountId, clientOrderId, orderId);
        }
        placingReduceOnly = reduceOnly;
        placingPrice = type == OrderType.MARKET ? 0 : price;
        x.book.placeOrder(newOrder);
        placingReduceOnly = false;
        return orderId;
    }

    /** Whether a limit price lies outside {@code mark +- max(mark x band, index x floor)}; no band without a mark. */
    private boolean outOfBand(Instrument x, long price) {
        Underlying u = x.expiry.underlying;
        if (!x.priced || !u.indexFresh(nowMs)) {
            return false;
        }
        long band = band(x);
        return price > x.markPrice + band || price < x.markPrice - band;
    }

    private static long band(Instrument x) {
        UnderlyingTerms t = x.expiry.underlying.terms;
        return Math.max(FixedPoint.mulDivFloor(x.markPrice, t.priceBandBps(), UnderlyingTerms.BPS),
                FixedPoint.mulDivFloor(x.expiry.underlying.indexPrice, t.bandFloorBps(), UnderlyingTerms.BPS));
    }

    /**
     * The pre-trade check (see the class comment): null when the wallet covers the account's
     * initial requirement with the order. {@code premium}: what a buy may pay, before fees.
     */
    private OptionsRejectReason marginCheck(long accountId, MarginAccount a, Instrument x, Position p, Side side,
                                            long quantity, long premium, boolean reduceOnly) {
        int asset = x.expiry.underlying.asset;
        long wallet = wallets.available(accountId, asset);
        long size = p == null ? 0 : p.size;
        if (side == Side.BUY) {
            long need = premium + x.config.maxFee(premium);
            long reserves = a == null ? 0 : buyReserves(a, asset);
            boolean closing = reduceOnly || quantity + (p == null ? 0 : p.openBuy + p.reduceOnlyBuy) <= -size;
            if (wallet < reserves + need) {
                return OptionsRejectReason.INSUFFICIENT_FUNDS;
            }
            return closing || wallet >= initial(a, asset) + need ? null : OptionsRejectReason.INSUFFICIENT_MARGIN;
        }
        if (reduceOnly) {
            return null;
        }
        long openSell = p == null ? 0 : p.openSell;
        long extra = Math.max(0, openSell + quantity - size) - Math.max(0, openSell - size);
        if (extra == 0) {
            return null; // it only sells what the account holds
        }
        if (!x.priced || !x.expiry.underlying.indexFresh(nowMs)) {
            return OptionsRejectReason.INDEX_STALE;
        }
        long need = initial(a, asset) + x.valueUp(x.initialPerUnit, extra);
        return wallet >= need ? null : OptionsRejectReason.INSUFFICIENT_MARGIN;
    }

    /** What risk-service's limits say about a new order: null when allowed. */
    private OptionsRejectReason checkLimits(long accountId, Instrument x, OrderType type, long price, long quantity) {
        if (limits.get(accountId) == null) {
            return null;
        }
        int open = 0;
        if (limits.capsOpenOrders(accountId)) {
            for (Instrument y : instruments) {
                open += y.book.openOrderCount(accountId);
            }
        }
        long notional = price > 0 && price <= x.config.maxPrice() && quantity > 0 && quantity <= x.config.maxQuantity()
                ? x.config.notional(price, quantity)
                : type == OrderType.MARKET && x.priced && quantity > 0 && quantity <= x.config.maxQuantity()
                ? x.valueUp(x.markPrice, quantity) : 0;
        RiskLimits.Breach breach = limits.check(accountId, open, notional, x.spec.quoteAsset());
        return breach == null ? null : OptionsRejectReason.valueOf(breach.name());
    }

    /**
     * Amends an open order ({@code newPrice} 0 keeps the price, {@code newQuantity} 0 the
     * quantity): a new price keeps to the band, and what the order may add passes the same
     * checks as a new order of that much.
     */
    public void amend(long timestampMs, long accountId, int instrumentId, long orderId, long newPrice,
                      long newQuantity) {
        Instrument x = begin(timestampMs, instrumentId);
        if (x == null) {
            return;
        }
        x.book.tick(timestampMs);
        OrderView view = x.book.order(orderId);
        OpenOrder o = openOrders.get(orderId);
        if (view != null && o != null && o.position.accountId == accountId) {
            long quantity = newQuantity == 0 ? view.quantity() : newQuantity;
            long price = newPrice == 0 ? view.price() : newPrice;
            long leaves = Math.max(0, quantity - view.filledQuantity());
            Position p = o.position;
            MarginAccount a = accounts.get(accountId);
            int asset = x.expiry.underlying.asset;
            if (newPrice != 0 && price > 0 && price <= x.config.maxPrice() && outOfBand(x, price)) {
                refuse(OptionsRejectReason.PRICE_OUT_OF_BAND, 0);
                return;
            }
            if (price > 0 && price <= x.config.maxPrice() && quantity <= x.config.maxQuantity()) {
                long extra = leaves - o.leaves;
                if (o.side == Side.BUY) {
                    long more = reserve(x, price, leaves) - o.reserve;
                    long wallet = wallets.available(accountId, asset);
                    if (more > 0 && wallet < buyReserves(a, asset) + more) {
                        refuse(OptionsRejectReason.INSUFFICIENT_FUNDS, 0);
                        return;
                    }
                    if (more > 0 && !o.reduceOnly && extra > 0 && wallet < initial(a, asset) + more) {
                        refuse(OptionsRejectReason.INSUFFICIENT_MARGIN, 0);
                        return;
                    }
                } else if (extra > 0) {
                    if (o.reduceOnly) {
                        if (extra > p.size - p.reduceOnlySell) {
                            refuse(OptionsRejectReason.REDUCE_ONLY, 0);
                            return;
                        }
                    } else {
                        OptionsRejectReason short_ = marginCheck(accountId, a, x, p, Side.SELL, extra, 0, false);
                        if (short_ != null) {
                            refuse(short_, 0);
                            return;
                        }
                    }
                }
            }
        }
        x.book.amend(timestampMs, accountId, orderId, newPrice, newQuantity);
        end();
    }

    public void cancel(long timestampMs, long accountId, int instrumentId, long orderId) {
        Instrument x = begin(timestampMs, instrumentId);
        if (x == null) {
            return;
        }
        x.book.cancel(timestampMs, accountId, orderId);
        end();
    }

    /** Cancels every open order of the account in one instrument, or in every one when {@code instrumentId} < 0. */
    public void cancelAll(long timestampMs, long accountId, int instrumentId) {
        begin(timestampMs);
        if (instrumentId >= 0) {
            Instrument x = instrument(instrumentId);
            if (x == null) {
                refuse(OptionsRejectReason.UNKNOWN_MARKET, 0);
                return;
            }
            x.book.massCancel(timestampMs, accountId);
        } else {
            for (Instrument x : instruments) {
                x.book.massCancel(timestampMs, accountId);
            }
        }
        end();
    }

    public void setLimits(long timestampMs, long accountId, int maxOpenOrders, long maxOrderNotional,
                          String notionalAsset, boolean killSwitch) {
        begin(timestampMs);
        limits.set(accountId, maxOpenOrders, maxOrderNotional, notionalAsset, killSwitch);
        if (killSwitch) {
            for (Instrument x : instruments) {
                x.book.massCancel(timestampMs, accountId);
            }
        }
        end();
    }

    public RiskLimits limits() {
        return limits;
    }

    // ================================================================ wallets

    public void credit(long timestampMs, String transferId, long accountId, String asset, long amount) {
        begin(timestampMs);
        ledger.expire(timestampMs);
        transferred(ledger.credit(timestampMs, transferId, accountId, asset == null ? -1 : assets.id(asset), amount));
    }

    /** Takes from the wallet at most what margin leaves free: {@code wallet - initial requirement}. */
    public void debit(long timestampMs, String transferId, long accountId, String asset, long amount) {
        begin(timestampMs);
        ledger.expire(timestampMs);
        int assetId = asset == null ? -1 : assets.id(asset);
        long free = Long.MAX_VALUE;
        MarginAccount a = accounts.get(accountId);
        if (a != null && assetId >= 0) {
            free = Math.max(0, wallets.available(accountId, assetId) - initial(a, assetId));
        }
        transferred(ledger.debit(timestampMs, transferId, accountId, assetId, amount, free));
    }

    private void transferred(WalletLedger.Outcome o) {
        if (o.applied() && !o.duplicate()) {
            touched.add(o.accountId());
            balance(o.accountId(), o.assetId());
        }
        listener.onTransfer(o);
        end();
    }

    // ================================================================ margin

    /** The account's initial requirement in {@code asset}: its worst shorts' initial margin and its buys' reserves. */
    public long initial(MarginAccount a, int asset) {
        if (a == null) {
            return 0;
        }
        long sum = 0;
        for (Position p : a.positions) {
            Instrument x = p.instrument;
            if (x.expiry.underlying.asset == asset) {
                sum += p.buyReserve + x.valueUp(x.initialPerUnit, p.worstShort());
            }
        }
        return sum;
    }

    /** The account's maintenance requirement in {@code asset}: its shorts' maintenance margin. */
    public long maintenance(MarginAccount a, int asset) {
        long sum = 0;
        for (Position p : a.positions) {
            Instrument x = p.instrument;
            if (p.size < 0 && x.expiry.underlying.asset == asset) {
                sum += x.valueUp(x.maintenancePerUnit, -p.size);
            }
        }
        return sum;
    }

    /** The initial margin of one position's shorts (as they stand, and the most its open sells could add). */
    public long initial(Position p) {
        return p.instrument.valueUp(p.instrument.initialPerUnit, p.worstShort());
    }

    public long maintenance(Position p) {
        return p.size < 0 ? p.instrument.valueUp(p.instrument.maintenancePerUnit, -p.size) : 0;
    }

    private static long buyReserves(MarginAccount a, int asset) {
        if (a == null) {
            return 0;
        }
        long sum = 0;
        for (Position p : a.positions) {
            if (p.instrument.expiry.underlying.asset == asset) {
                sum += p.buyReserve;
            }
        }
        return sum;
    }

    private static long reserve(Instrument x, long price, long leaves) {
        if (price <= 0 || leaves <= 0) {
            return 0;
        }
        long premium = x.config.notional(price, leaves);
        return premium + x.config.maxFee(premium);
    }

    // ================================================================ a command's frame

    private void begin(long timestampMs) {
        nowMs = timestampMs;
        clientIds.expire(timestampMs, clientIdForgotten);
        touched.clear();
        ordersDone.clear();
        if (anyMoved) {
            Arrays.fill(moved, false);
            anyMoved = false;
        }
    }

    private Instrument begin(long timestampMs, int instrumentId) {
        begin(timestampMs);
        Instrument x = instrument(instrumentId);
        if (x == null) {
            refuse(OptionsRejectReason.UNKNOWN_MARKET, 0);
        }
        return x;
    }

    private <T> T refuse(OptionsRejectReason reason, T result) {
        listener.onRefused(reason);
        end();
        return result;
    }

    private int refuse(OptionsRejectReason reason, int result) {
        listener.onRefused(reason);
        end();
        return result;
    }

    /**
     * The venue's part of every command: reduce-only orders trimmed, accounts checked for
     * liquidation (those touched, and the short holders of underlyings whose marks moved),
     * losses no short is left to cover settled, and each changed account reported once.
     */
    private void end() {
        listener.onCommandDone();
        reported.clear();
        liquidated.clear();
        if (anyMoved) {
            checkShortHolders();
        }
        if (touched.isEmpty() && ordersDone.isEmpty()) {
            return;
        }
        while (!touched.isEmpty()) {
            long[] round = SortedIds.of(touched);
            touched.clear();
            for (long id : round) {
                reported.add(id);
                MarginAccount a = accounts.get(id);
                if (a == null) {
                    continue;
                }
                trimReduceOnly(a);
                int asset = belowMaintenance(a);
                if (asset >= 0 && !liquidated.contains(id)) {
                    liquidated.add(id);
                    liquidate(a, asset);
                } else if (asset < 0) {
                    underwater.remove(id);
                }
                for (int k = 0; k < assets.count(); k++) {
                    settleDeficit(a, k);
                }
                indexShorts(a);
            }
        }
        for (long id : SortedIds.of(reported)) {
            listener.onAccountChanged(id); // before flat positions go, so their closing is reported
            MarginAccount a = accounts.get(id);
            if (a != null) {
                dropFlat(a);
            }
        }
        for (LongHashSet.LongIterator it = ordersDone.iterator(); it.hasNext(); ) {
            MarginAccount a = accounts.get(it.nextValue());
            if (a != null) {
                dropFlat(a);
            }
        }
        ordersDone.clear();
    }

    /**
     * Marks moved: the short holders of those underlyings (only they can fall below
     * maintenance) are checked, in account order; one that is liquidated becomes touched and
     * is reported, the others are only looked at.
     */
    private void checkShortHolders() {
        checking.clear();
        for (Underlying u : underlyings) {
            if (moved[u.id] && u.indexFresh(nowMs)) {
                for (LongHashSet.LongIterator it = u.shortHolders.iterator(); it.hasNext(); ) {
                    long id = it.nextValue();
                    if (!touched.contains(id)) {
                        checking.add(id);
                    }
                }
            }
        }
        if (checking.isEmpty()) {
            return;
        }
        for (long id : SortedIds.of(checking)) {
            MarginAccount a = accounts.get(id);
            int asset = a == null ? -1 : belowMaintenance(a);
            if (asset >= 0) {
                liquidated.add(id);
                liquidate(a, asset);
            }
        }
    }

    /** The premium asset in which the account's wallet is below its maintenance requirement, or -1; waits for fresh marks. */
    private int belowMaintenance(MarginAccount a) {
        for (Position p : a.positions) {
            if (p.size >= 0) {
                continue;
            }
            int asset = p.instrument.expiry.underlying.asset;
            long maintenance = maintenance(a, asset);
            if (maintenance > 0 && wallets.available(a.accountId, asset) < maintenance && allFresh(a, asset)) {
                return asset;
            }
        }
        return -1;
    }

    private boolean allFresh(MarginAccount a, int asset) {
        for (Position p : a.positions) {
            Underlying u = p.instrument.expiry.underlying;
            if (p.size < 0 && u.asset == asset && (!u.indexFresh(nowMs) || !p.instrument.priced)) {
                return false;
            }
        }
        return true;
    }

    /** Keeps each underlying's set of short holders: the accounts an index move must look at. */
    private void indexShorts(MarginAccount a) {
        for (Underlying u : underlyings) {
            boolean holds = false;
            for (Position p : a.positions) {
                holds |= p.size < 0 && p.instrument.expiry.underlying == u;
            }
            if (holds) {
                u.shortHolders.add(a.accountId);
            } else {
                u.shortHolders.remove(a.accountId);
            }
        }
    }

    private void liquidate(MarginAccount a, int asset) {
        for (Position p : new ArrayList<>(a.positions)) {
            if (p.instrument.expiry.underlying.asset == asset) {
                p.instrument.book.massCancel(nowMs, a.accountId);
            }
        }
        for (int step = 0; step < MAX_LIQUIDATION_STEPS
                && wallets.available(a.accountId, asset) < maintenance(a, asset); step++) {
            Position p = largestShort(a, asset);
            if (p == null || buyBack(a, p) == 0) {
                break; // nothing to buy back, or the book cannot take it now: the next tick tries again
            }
        }
        if (maintenance(a, asset) > 0 && wallets.available(a.accountId, asset) < maintenance(a, asset)) {
            underwater.add(a.accountId);
        } else {
            underwater.remove(a.accountId);
        }
        touch(a.accountId, asset);
    }

    private Position largestShort(MarginAccount a, int asset) {
        Position best = null;
        long most = -1;
        for (Position p : a.positions) {
            if (p.size < 0 && p.instrument.expiry.underlying.asset == asset && !p.instrument.expired(nowMs)) {
                long m = maintenance(p);
                if (m > most) {
                    best = p;
                    most = m;
                }
            }
        }
        return best;
    }

    /**
     * One step of buying back a short: an IOC for at most half of it (at least a lot), no
     * higher than the top of the band. Returns the quantity bought.
     */
    private long buyBack(MarginAccount a, Position p) {
        Instrument x = p.instrument;
        Underlying u = x.expiry.underlying;
        long tick = x.config.tickSize();
        long lot = x.config.lotSize();
        long limit = Math.min(x.config.maxPrice() / tick * tick, Math.floorDiv(x.markPrice + band(x), tick) * tick);
        if (limit <= 0) {
            return 0;
        }
        long half = (-p.size + 1) / 2;
        long quantity = Math.min(-p.size, Math.max(lot, (half + lot - 1) / lot * lot));
        quantity = Math.min(quantity, x.config.maxQuantity() / lot * lot);
        long orderId = ++lastOrderId;
        liquidationOrderId = orderId;
        liquidationFilled = 0;
        liquidationNotional = 0;
        newOrder.clear().timestampMs(nowMs).orderId(orderId).accountId(a.accountId).side(Side.BUY)
                .type(OrderType.LIMIT).timeInForce(TimeInForce.IOC).selfTradePrevention(SelfTradePrevention.NONE)
                .price(limit).quantity(quantity);
        placingReduceOnly = true;
        placingPrice = limit;
        x.book.placeOrder(newOrder);
        placingReduceOnly = false;
        liquidationOrderId = 0;
        long filled = liquidationFilled;
        if (filled > 0) {
            long indexValue = x.valueUp(u.indexPrice, filled);
            long fee = FixedPoint.mulDivCeil(indexValue, u.terms.liquidationFeeBps(), UnderlyingTerms.BPS);
            fee = Math.min(fee, Math.max(0, wallets.available(a.accountId, u.asset)));
            wallets.receive(a.accountId, u.asset, -fee);
            insurance[u.asset] += fee;
            listener.onLiquidation(x, a.accountId,
                    FixedPoint.mulDivFloor(liquidationNotional, x.config.notionalDivisor(), filled), filled, fee);
        }
        return filled;
    }

    /** An account with no short left in the asset and a negative wallet: the fund pays, the rest is a deficit. */
    private void settleDeficit(MarginAccount a, int asset) {
        long wallet = wallets.available(a.accountId, asset);
        if (wallet >= 0) {
            return;
        }
        for (Position p : a.positions) {
            if (p.size < 0 && p.instrument.expiry.underlying.asset == asset) {
                return;
            }
        }
        long cover = Math.min(insurance[asset], -wallet);
        insurance[asset] -= cover;
        deficits[asset] += -wallet - cover;
        wallets.receive(a.accountId, asset, -wallet);
        balance(a.accountId, asset);
        underwater.remove(a.accountId);
    }

    /** Cancels reduce-only orders, newest first, while they exceed what the position can still be reduced by. */
    private void trimReduceOnly(MarginAccount a) {
        for (Position p : a.positions) {
            while (!p.reduceOnlyOrders.isEmpty() && (p.reduceOnlySell > Math.max(0, p.size)
                    || p.reduceOnlyBuy > Math.max(0, -p.size))) {
                long orderId = p.reduceOnlyOrders.getLong(p.reduceOnlyOrders.size() - 1);
                if (openOrders.get(orderId) == null) {
                    p.reduceOnlyOrders.removeAt(p.reduceOnlyOrders.size() - 1);
                } else {
                    p.instrument.book.cancel(nowMs, a.accountId, orderId);
                }
            }
        }
    }

    /** Drops positions with nothing left: flat, no open orders. */
    private static void dropFlat(MarginAccount a) {
        a.positions.removeIf(Position::empty);
    }

    private void touch(long accountId, int asset) {
        touched.add(accountId);
        balance(accountId, asset);
    }

    private void balance(long accountId, int asset) {
        listener.onBalance(accountId, asset, wallets.available(accountId, asset), wallets.locked(accountId, asset));
    }

    private MarginAccount account(long accountId) {
        MarginAccount a = accounts.get(accountId);
        if (a == null) {
            a = new MarginAccount(accountId);
            accounts.put(accountId, a);
        }
        return a;
    }

    private Position position(long accountId, Instrument x) {
        return account(accountId).positionOrNew(x);
    }

    // ================================================================ positions

    /** Applies a trade of {@code signedQuantity} (buy > 0) for {@code premium} to a position's size and cost. */
    private static void trade(Position p, long signedQuantity, long premium) {
        boolean wasFlat = p.size == 0;
        long cash = signedQuantity > 0 ? -premium : premium;
        if (p.size == 0 || (p.size > 0) == (signedQuantity > 0)) {
            p.size += signedQuantity;
            p.cost -= cash;
        } else {
            long moving = Math.abs(signedQuantity);
            long held = Math.abs(p.size);
            long closing = Math.min(moving, held);
            long cashClose = closing == moving ? cash : FixedPoint.mulDivTrunc(cash, closing, moving);
            long released = closing == held ? p.cost : FixedPoint.mulDivTrunc(p.cost, closing, held);
            p.realisedPnl += cashClose - released;
            p.cost -= released;
            p.size += signedQuantity > 0 ? closing : -closing;
            if (closing < moving) {
                p.size += signedQuantity > 0 ? moving - closing : -(moving - closing);
                p.cost -= cash - cashClose;
            }
        }
        if (wasFlat != (p.size == 0)) { // the instrument lists open positions only
            if (wasFlat) {
                p.instrument.positions.put(p.accountId, p);
            } else {
                p.instrument.positions.remove(p.accountId);
            }
        }
    }

    // ================================================================ the books' events

    @Override
    public void onAccepted(int marketId, long sequence, long orderId, long accountId, long clientOrderId, Side side,
                           OrderType type, TimeInForce timeInForce, SelfTradePrevention selfTradePrevention,
                           long price, long quantity, long quoteQuantity, long expireAtMs) {
        Instrument x = instruments.get(marketId);
        Position p = position(accountId, x);
        OpenOrder o = new OpenOrder(orderId, p, side, placingReduceOnly, placingPrice, quantity);
        openOrders.put(orderId, o);
        adjustOpen(o, quantity);
        if (side == Side.BUY) {
            o.reserve = reserve(x, o.price, quantity);
            p.buyReserve += o.reserve;
        }
        if (placingReduceOnly) {
            p.reduceOnlyOrders.addLong(orderId);
        }
        listener.onAccepted(marketId, sequence, orderId, accountId, clientOrderId, side, type, timeInForce,
                selfTradePrevention, price, quantity, quoteQuantity, expireAtMs);
    }

    private static void adjustOpen(OpenOrder o, long delta) {
        Position p = o.position;
        if (o.reduceOnly) {
            if (o.side == Side.BUY) {
                p.reduceOnlyBuy += delta;
            } else {
                p.reduceOnlySell += delta;
            }
        } else if (o.side == Side.BUY) {
            p.openBuy += delta;
        } else {
            p.openSell += delta;
        }
    }

    /** An order's leaves changed: open quantities and a buy's reserve follow. */
    private static void leaves(OpenOrder o, long leaves) {
        adjustOpen(o, leaves - o.leaves);
        o.leaves = leaves;
        if (o.side == Side.BUY) {
            long r = reserve(o.position.instrument, o.price, leaves);
            o.position.buyReserve += r - o.reserve;
            o.reserve = r;
        }
    }

    @Override
    public void onRejected(int marketId, long sequence, CommandType command, long orderId, long accountId,
                           long clientOrderId, RejectReason reason, long existingOrderId) {
        if (command == CommandType.NEW_ORDER) {
            clientIds.release(orderId);
        }
        listener.onRejected(marketId, sequence, command, orderId, accountId, clientOrderId, reason, existingOrderId);
    }

    @Override
    public void onAmended(int marketId, long sequence, long orderId, long accountId, long clientOrderId, long price,
                          long quantity, long leavesQuantity, boolean keptPriority) {
        OpenOrder o = openOrders.get(orderId);
        if (o != null) {
            if (o.price != price) {
                o.position.buyReserve -= o.reserve;
                o.reserve = 0;
                OpenOrder moved = new OpenOrder(orderId, o.position, o.side, o.reduceOnly, price, o.leaves);
                openOrders.put(orderId, moved);
                o = moved;
            }
            leaves(o, leavesQuantity);
        }
        listener.onAmended(marketId, sequence, orderId, accountId, clientOrderId, price, quantity, leavesQuantity,
                keptPriority);
    }

    @Override
    public void onFill(int marketId, long sequence, long tradeId, long price, long quantity, Side takerSide,
                       long makerOrderId, long makerAccountId, long makerFee, long takerOrderId, long takerAccountId,
                       long takerFee, boolean auction) {
        Instrument x = instruments.get(marketId);
        int asset = x.expiry.underlying.asset;
        long premium = x.config.notional(price, quantity);
        filled(makerOrderId, quantity);
        filled(takerOrderId, quantity);
        long buyer = takerSide == Side.BUY ? takerAccountId : makerAccountId;
        long seller = takerSide == Side.BUY ? makerAccountId : takerAccountId;
        wallets.receive(buyer, asset, -premium);
        wallets.receive(seller, asset, premium);
        wallets.receive(makerAccountId, asset, -makerFee);
        wallets.receive(takerAccountId, asset, -takerFee);
        wallets.receive(FEE_ACCOUNT, asset, makerFee + takerFee);
        trade(position(buyer, x), quantity, premium);
        trade(position(seller, x), -quantity, premium);
        if (takerOrderId == liquidationOrderId) {
            liquidationFilled += quantity;
            liquidationNotional += premium;
        }
        listener.onFill(marketId, sequence, tradeId, price, quantity, takerSide, makerOrderId, makerAccountId,
                makerFee, takerOrderId, takerAccountId, takerFee, auction);
        touch(makerAccountId, asset);
        if (takerAccountId != makerAccountId) {
            touch(takerAccountId, asset);
        }
        balance(FEE_ACCOUNT, asset);
    }

    private void filled(long orderId, long quantity) {
        OpenOrder o = openOrders.get(orderId);
        if (o != null) {
            leaves(o, o.leaves - quantity);
        }
    }

    @Override
    public void onDone(int marketId, long sequence, long orderId, long accountId, long clientOrderId,
                       DoneReason reason, long filledQuantity, long remainingQuantity, long remainingQuote) {
        OpenOrder o = openOrders.remove(orderId);
        if (o != null) {
            leaves(o, 0);
            if (o.reduceOnly) {
                o.position.reduceOnlyOrders.removeLong(orderId);
            }
            ordersDone.add(accountId);
        }
        clientIds.done(orderId, nowMs, clientIdForgotten);
        listener.onDone(marketId, sequence, orderId, accountId, clientOrderId, reason, filledQuantity,
                remainingQuantity, remainingQuote);
    }

    @Override
    public void onBookDelta(int marketId, long sequence, Side side, long price, long totalQuantity, int orderCount) {
        listener.onBookDelta(marketId, sequence, side, price, totalQuantity, orderCount);
    }

    @Override
    public void onAuction(int marketId, long sequence, long price, long quantity) {
        listener.onAuction(marketId, sequence, price, quantity);
    }

    // ================================================================ queries

    public Instrument instrument(int id) {
        return id >= 0 && id < instruments.size() ? instruments.get(id) : null;
    }

    public Instrument instrument(String symbol) {
        return bySymbol.get(symbol);
    }

    public List<Instrument> instruments() {
        return Collections.unmodifiableList(instruments);
    }

    public List<Underlying> underlyings() {
        return Collections.unmodifiableList(underlyings);
    }

    public Underlying underlying(String name) {
        for (Underlying u : underlyings) {
            if (u.name.equals(name)) {
                return u;
            }
        }
        return null;
    }

    public MarginAccount marginAccount(long accountId) {
        return accounts.get(accountId);
    }

    /** Every account with options state, in no particular order (for tests and audits). */
    public Iterable<MarginAccount> marginAccounts() {
        return accounts.values();
    }

    public WalletLedger ledger() {
        return ledger;
    }

    public AssetRegistry assets() {
        return assets;
    }

    public long insurance(int asset) {
        return asset >= 0 && asset < insurance.length ? insurance[asset] : 0;
    }

    public long deficit(int asset) {
        return asset >= 0 && asset < deficits.length ? deficits[asset] : 0;
    }

    public long lastOrderId() {
        return lastOrderId;
    }

    /** Whether the account is waiting for the book to take the rest of its liquidation. */
    public boolean underwater(long accountId) {
        return underwater.contains(accountId);
    }

    @Override
    public int marketId(String symbol) {
        Instrument x = bySymbol.get(symbol);
        return x == null ? -1 : x.id;
    }

    @Override
    public String symbol(int marketId) {
        return instruments.get(marketId).spec.symbol();
    }

    @Override
    public String feeAsset(int marketId) {
        return instruments.get(marketId).spec.quoteAsset();
    }

    @Override
    public OrderBook book(int marketId) {
        return instruments.get(marketId).book;
    }

    @Override
    public int marketCount() {
        return instruments.size();
    }

    @Override
    public String clientOrderId(long orderId) {
        return clientIds.clientOrderId(orderId);
    }

    @Override
    public long orderIdForClientId(long accountId, String clientOrderId) {
        return clientIds.orderId(accountId, clientOrderId);
    }

    @Override
    public String assetSymbol(int assetId) {
        return assets.symbol(assetId);
    }

    @Override
    public Wallets wallets() {
        return wallets;
    }

    // ================================================================ snapshot

    /**
     * Writes the whole state, deterministically (sorted, no hash order):
     * <pre>
     *   int magic "OPTS", int version, long lastOrderId
     *   assets (AssetRegistry.write); per asset: long insurance, long deficit
     *   int underlyings: (name, quote, int priceScale, terms, long index, indexAt, pricedAt,
     *                     int slices: (long expiry, int n: (long strike, long vol)*)*,
     *                     int expiries: (long expiry, window, sample, sampleSum, int samples,
     *                                    long nextSample, bool settled, long settlementPrice)*)*
     *   int instruments: (int underlying, long expiry, bool call, long strike, spec, book snapshot)*
     *   wallets and their transfer ids (WalletLedger.write)
     *   int accounts: (long id, int positions: (int instrument, long size, cost, realised)*)* ascending
     *   int open orders: (long id, long account, int instrument, bool buy, bool reduceOnly, long price, leaves)*
     *   client order ids (ClientOrderIds.write), limits (RiskLimits.write), int n: (long underwater)*
     * </pre>
     * Marks, margins per unit and greeks are recomputed from the index, the surface and the
     * books at the time they were last computed; open quantities and reserves from the orders.
     */
    public void writeSnapshot(DataOutput out) throws IOException {
        out.writeInt(SNAPSHOT_MAGIC);
        out.writeInt(SNAPSHOT_VERSION);
        out.writeLong(lastOrderId);
        assets.write(out);
        for (int i = 0; i < assets.count(); i++) {
            out.writeLong(insurance(i));
            out.writeLong(deficit(i));
        }
        out.writeInt(underlyings.size());
        for (Underlying u : underlyings) {
            out.writeUTF(u.name);
            out.writeUTF(u.quote);
            out.writeInt(u.priceScale);
            u.terms.write(out);
            out.writeLong(u.indexPrice);
            out.writeLong(u.indexAtMs);
            out.writeLong(u.pricedAtMs);
            List<VolSlice> slices = u.surface.slices();
            out.writeInt(slices.size());
            for (VolSlice s : slices) {
                out.writeLong(s.expiryMs());
                out.writeInt(s.strikes().length);
                for (int k = 0; k < s.strikes().length; k++) {
                    out.writeLong(s.strikes()[k]);
                    out.writeLong(s.volsE9()[k]);
                }
            }
            out.writeInt(u.expiries.size());
            for (Expiry e : u.expiries) {
                out.writeLong(e.expiryMs);
                out.writeLong(e.windowMs);
                out.writeLong(e.sampleMs);
                out.writeLong(e.sampleSum);
                out.writeInt(e.samples);
                out.writeLong(e.nextSampleMs);
                out.writeBoolean(e.settled);
                out.writeLong(e.settlementPrice);
            }
        }
        out.writeInt(instruments.size());
        for (Instrument x : instruments) {
            out.writeInt(x.expiry.underlying.id);
            out.writeLong(x.expiry.expiryMs);
            out.writeBoolean(x.call);
            out.writeLong(x.strike);
            x.spec.write(out);
            x.book.writeSnapshot(out);
        }
        ledger.write(out);
        long[] ids = SortedIds.of(accounts);
        out.writeInt(ids.length);
        for (long id : ids) {
            MarginAccount a = accounts.get(id);
            out.writeLong(id);
            out.writeInt(a.positions.size());
            for (Position p : a.positions) {
                out.writeInt(p.instrument.id);
                out.writeLong(p.size);
                out.writeLong(p.cost);
                out.writeLong(p.realisedPnl);
            }
        }
        long[] orders = SortedIds.of(openOrders);
        out.writeInt(orders.length);
        for (long id : orders) {
            OpenOrder o = openOrders.get(id);
            out.writeLong(id);
            out.writeLong(o.position.accountId);
            out.writeInt(o.position.instrument.id);
            out.writeBoolean(o.side == Side.BUY);
            out.writeBoolean(o.reduceOnly);
            out.writeLong(o.price);
            out.writeLong(o.leaves);
        }
        clientIds.write(out);
        limits.write(out);
        long[] under = SortedIds.of(underwater);
        out.writeInt(under.length);
        for (long id : under) {
            out.writeLong(id);
        }
    }

    /** Restores the state written by {@link #writeSnapshot}; books are rebuilt with this engine as their sink. */
    public void readSnapshot(DataInput in) throws IOException {
        if (in.readInt() != SNAPSHOT_MAGIC || in.readInt() != SNAPSHOT_VERSION) {
            throw new IOException("not an options engine snapshot of version " + SNAPSHOT_VERSION);
        }
        instruments.clear();
        bySymbol.clear();
        underlyings.clear();
        accounts.clear();
        openOrders.clear();
        underwater.clear();
        lastOrderId = in.readLong();
        assets.read(in);
        insurance = new long[assets.count()];
        deficits = new long[assets.count()];
        for (int i = 0; i < assets.count(); i++) {
            insurance[i] = in.readLong();
            deficits[i] = in.readLong();
        }
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            String name = in.readUTF();
            String quote = in.readUTF();
            Underlying u = new Underlying(i, name, quote, assets.id(quote), in.readInt());
            u.terms = UnderlyingTerms.read(in);
            u.indexPrice = in.readLong();
            u.indexAtMs = in.readLong();
            u.pricedAtMs = in.readLong();
            int slices = in.readInt();
            for (int s = 0; s < slices; s++) {
                long expiry = in.readLong();
                long[] strikes = new long[in.readInt()];
                long[] vols = new long[strikes.length];
                for (int k = 0; k < strikes.length; k++) {
                    strikes[k] = in.readLong();
                    vols[k] = in.readLong();
                }
                u.surface.put(new VolSlice(expiry, strikes, vols));
            }
            int expiries = in.readInt();
            for (int k = 0; k < expiries; k++) {
                Expiry e = new Expiry(u, in.readLong(), in.readLong(), in.readLong());
                e.sampleSum = in.readLong();
                e.samples = in.readInt();
                e.nextSampleMs = in.readLong();
                e.settled = in.readBoolean();
                e.settlementPrice = in.readLong();
                u.expiries.add(e);
            }
            underlyings.add(u);
        }
        int count = in.readInt();
        for (int i = 0; i < count; i++) {
            Underlying u = underlyings.get(in.readInt());
            Expiry e = u.expiry(in.readLong());
            boolean call = in.readBoolean();
            long strike = in.readLong();
            MarketSpec spec = MarketSpec.read(in);
            OrderBook book = new OrderBook(spec.toConfig(i), this);
            book.readSnapshot(in);
            Instrument x = new Instrument(i, spec, book, e, call, strike);
            instruments.add(x);
            bySymbol.put(spec.symbol(), x);
            e.instruments.add(x);
            if (e.settled) {
                x.markPrice = x.intrinsic(e.settlementPrice);
            }
        }
        ledger.read(in);
        int accountCount = in.readInt();
        for (int i = 0; i < accountCount; i++) {
            MarginAccount a = new MarginAccount(in.readLong());
            int positions = in.readInt();
            for (int k = 0; k < positions; k++) {
                Instrument x = instruments.get(in.readInt());
                Position p = a.positionOrNew(x);
                p.size = in.readLong();
                p.cost = in.readLong();
                p.realisedPnl = in.readLong();
                if (p.size != 0) {
                    x.positions.put(a.accountId, p);
                }
            }
            accounts.put(a.accountId, a);
        }
        int orders = in.readInt();
        for (int i = 0; i < orders; i++) {
            long id = in.readLong();
            long account = in.readLong();
            Instrument x = instruments.get(in.readInt());
            Side side = in.readBoolean() ? Side.BUY : Side.SELL;
            boolean reduceOnly = in.readBoolean();
            long price = in.readLong();
            long leaves = in.readLong();
            Position p = position(account, x);
            OpenOrder o = new OpenOrder(id, p, side, reduceOnly, price, 0);
            openOrders.put(id, o);
            leaves(o, leaves);
            if (reduceOnly) {
                p.reduceOnlyOrders.addLong(id);
            }
        }
        clientIds.read(in);
        limits.read(in, true);
        int under = in.readInt();
        for (int i = 0; i < under; i++) {
            underwater.add(in.readLong());
        }
        for (Underlying u : underlyings) {
            for (Expiry e : u.expiries) {
                e.rebuildPricer();
            }
            long saved = nowMs;
            nowMs = u.pricedAtMs;
            reprice(u);
            nowMs = saved;
        }
        Arrays.fill(moved, false);
        anyMoved = false;
        for (long id : SortedIds.of(accounts)) {
            indexShorts(accounts.get(id));
        }
    }
}
