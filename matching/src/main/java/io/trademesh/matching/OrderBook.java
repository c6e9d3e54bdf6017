package io.trademesh.matching;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.zip.CRC32;

import org.agrona.collections.Long2ObjectHashMap;

/**
 * The order book and matching engine of one market: deterministic, single-threaded, no I/O, no wallets.
 *
 * <p>Commands are method calls; outputs go to the {@link MatchingSink} given at construction, synchronously, before
 * the call returns. A bad command never throws: it produces one {@link MatchingSink#onRejected rejection} and leaves
 * the book exactly as it was. Only one thread may call a book (the shard's thread); nothing here is thread-safe.
 *
 * <h2>Determinism</h2>
 * <ul>
 *   <li><b>Time is an input.</b> Every command carries {@code timestampMs}; the book keeps the largest timestamp seen
 *       as its clock (a smaller timestamp does not move the clock back). It never reads a wall clock.</li>
 *   <li><b>Order ids are the caller's.</b> The service stamps each new order with an id before journaling it; the
 *       book requires ids to increase strictly ({@link RejectReason#ORDER_ID_NOT_INCREASING}), so one counter per
 *       service (e.g. the journal sequence) gives ids that are unique across all its markets and identical on
 *       replay. A rejected new order still uses up its id.</li>
 *   <li><b>Trade ids</b> come from a per-market counter (1, 2, 3, ...), kept in the snapshot.</li>
 *   <li><b>Sequence.</b> Every output event takes the next number of a per-market counter: gap-free over all
 *       events of the market, starting at 1. {@link #lastSequence()} is the last number used.</li>
 *   <li>No iteration over hash order reaches an output: levels are sorted, levels are FIFO, an account's orders are
 *       kept in order-id order, the GTD heap is keyed by (expiry, order id).</li>
 * </ul>
 *
 * <h2>The clock, GTD expiry and auctions</h2>
 * Before a command does anything else, the clock advances to its timestamp and then:
 * <ol>
 *   <li>in auction mode, if an auction is due (its time, a multiple of {@link MarketConfig#auctionIntervalMs()}, is
 *       at or before the new clock), GTD orders expiring at or before the auction time expire, then the auction
 *       runs; the next auction is the first multiple after the clock. The first command a book ever sees only
 *       schedules the first auction.</li>
 *   <li>GTD orders with {@code expireAtMs <= clock} expire ({@link DoneReason#EXPIRED}), earliest first.</li>
 * </ol>
 * {@link #tick(long)} is the command that does only this; a service sends it on a timer so that expiries and auctions
 * happen even when no orders arrive.
 *
 * <h2>Auction</h2>
 * In auction mode orders rest without matching (limit GTC, GTD and IOC only). An auction clears at the one price
 * that maximises the matched quantity; ties go to the smallest imbalance |buy - sell|, then the price closest to the
 * reference price, then the lower price. Prices between two order prices are candidates too. At that price, buys
 * (best price first, then time) are matched against sells (same) one pair at a time; of each pair the order that has
 * waited longer is the maker. If self-trade prevention cancels orders so that the book is still crossed afterwards,
 * the auction clears again (another round, at its own price) until it is not. Then every resting IOC order is
 * cancelled ({@link DoneReason#IOC_REMAINDER}).
 *
 * <h2>Amend</h2>
 * An amend names the new price and the new total quantity (filled part included). A smaller quantity at the same
 * price keeps time priority; a new price or a larger quantity moves the order to the back of its (new) level, and in
 * continuous mode a new price that crosses the book trades at once as a taker (with the order's own self-trade
 * prevention mode) before the rest is queued. A quantity at or below the filled quantity completes the order:
 * {@code onAmended} reports quantity = filled, then {@code onDone(FILLED)}.
 *
 * <h2>Snapshot format</h2>
 * {@link #writeSnapshot} writes, big-endian, through {@link DataOutput}:
 * <pre>
 *   int   magic 0x544D4F42 ("TMOB")      int   version (2)
 *   config:  int marketId, long tickSize, lotSize, minQuantity, maxQuantity, maxPrice, notionalDivisor,
 *            minNotional, int makerFeeBps, takerFeeBps, priceBandBps, maxOpenOrdersPerAccount,
 *            byte matchingMode code, long auctionIntervalMs
 *   state:   long sequence, lastOrderId, lastTradeId, priorityCounter, clockMs, referencePrice,
 *            lastTradePrice, nextAuctionAtMs
 *   bids, then asks:  int levelCount, then per level from the worst price to the best:
 *            long price, int orderCount, then per order in time priority:
 *            long orderId, accountId, clientOrderId, byte type, timeInForce, selfTradePrevention codes,
 *            long quantity, filled, expireAtMs, priority, feeResidual, hold
 *   int   CRC-32 of every byte before it
 * </pre>
 * Version 1 had no hold (it reads as 0).
 * The bytes are a function of the book's logical state only (not of pool or hash-table layout), so two books are in
 * the same state exactly when their snapshots are equal. {@link #readSnapshot} restores everything, config included.
 */
public final class OrderBook {
    /** Price reported for an empty side. */
    public static final long NO_PRICE = 0;

    private static final int SNAPSHOT_MAGIC = 0x544D4F42;
    /** 2: each order's hold. */
    private static final int SNAPSHOT_VERSION = 2;
    private static final long UNSCHEDULED = Long.MIN_VALUE;
    private static final int DEFAULT_EXPECTED_ORDERS = 1024;

    /** Outcomes of {@link #match}: ran out of liquidity/quantity, stopped by STP, stopped by the quote budget. */
    private static final int MATCH_RAN = 0;
    private static final int MATCH_STOPPED_BY_STP = 1;
    private static final int MATCH_STOPPED_BY_BUDGET = 2;

    private final MatchingSink sink;
    private final BookSide bids;
    private final BookSide asks;
    private final OrderIndex ordersById;
    private final Long2ObjectHashMap<Account> accounts;
    private final ClientOrderIndex clientIndex;
    private final ExpiryQueue expiries;
    private final CRC32 crc = new CRC32();
    private final byte[] scratch = new byte[8];
    private Order freeOrders;
    private Account freeAccounts;
    /**
     * The orders a sink callback reports (a fill's maker and taker, a finished order), so that the sink can read and
     * set their holds from inside it: a new order is not in the id map yet, a finished one no longer.
     */
    private Order reportedA;
    private Order reportedB;

    private MarketConfig config;
    private int marketId;
    private long tickSize;
    private long lotSize;
    private long notionalDivisor;
    private boolean auctionMode;

    private long sequence;
    private long lastOrderId;
    private long lastTradeId;
    private long priorityCounter;
    private long clockMs;
    private long referencePrice;
    private long lastTradePrice;
    private long nextAuctionAtMs;
    private int restingIocCount;

    private long clearingPrice;
    private long clearingVolume;
    private long clearingImbalance;
    private long clearingDistance;
    private long clearingBuy;
    private long clearingSell;
    private boolean auctionBidTouched;
    private boolean auctionAskTouched;

    public OrderBook(final MarketConfig config, final MatchingSink sink) {
        this(config, sink, DEFAULT_EXPECTED_ORDERS);
    }

    /**
     * @param expectedOrders how many resting orders to size pools and tables for; the book grows past it (allocating)
     *                       when needed
     */
    public OrderBook(final MarketConfig config, final MatchingSink sink, final int expectedOrders) {
        if (config == null || sink == null) {
            throw new IllegalArgumentException("config and sink are required");
        }
        final int capacity = Math.max(16, expectedOrders);
        this.sink = sink;
        this.bids = new BookSide(Side.BUY, 64);
        this.asks = new BookSide(Side.SELL, 64);
        this.ordersById = new OrderIndex(capacity);
        this.accounts = new Long2ObjectHashMap<>(Math.max(16, capacity / 2), 0.6f);
        this.clientIndex = new ClientOrderIndex(capacity);
        this.expiries = new ExpiryQueue(64);
        for (int i = 0; i < capacity; i++) {
            final Order order = new Order();
            order.next = freeOrders;
            freeOrders = order;
        }
        for (int i = 0; i < Math.max(16, capacity / 4); i++) {
            final Account account = new Account();
            account.nextFree = freeAccounts;
            freeAccounts = account;
        }
        applyConfig(config);
        resetCounters();
    }

    // ------------------------------------------------------------------------------------------------ commands

    /** Places a new order; see {@link NewOrder} for the fields and {@link RejectReason} for what is checked. */
    public void placeOrder(final NewOrder command) {
        advanceClock(command.timestampMs());
        final long orderId = command.orderId();
        final long accountId = command.accountId();
        final long clientOrderId = command.clientOrderId();
        if (command.side() == null || command.type() == null || command.timeInForce() == null
            || command.selfTradePrevention() == null || orderId <= 0) {
            reject(CommandType.NEW_ORDER, orderId, accountId, clientOrderId, RejectReason.MALFORMED_COMMAND, 0);
            return;
        }
        if (orderId <= lastOrderId) {
            reject(CommandType.NEW_ORDER, orderId, accountId, clientOrderId, RejectReason.ORDER_ID_NOT_INCREASING, 0);
            return;
        }
        lastOrderId = orderId;
        if (clientOrderId != 0) {
            final Order existing = clientIndex.get(accountId, clientOrderId);
            if (existing != null) {
                reject(CommandType.NEW_ORDER, orderId, accountId, clientOrderId,
                    RejectReason.DUPLICATE_CLIENT_ORDER_ID, existing.orderId);
                return;
            }
        }
        final RejectReason reason = command.type() == OrderType.MARKET ? validateMarket(command)
            : validateLimit(command);
        if (reason != null) {
            reject(CommandType.NEW_ORDER, orderId, accountId, clientOrderId, reason, 0);
            return;
        }

        final Order order = acquireOrder();
        order.orderId = orderId;
        order.accountId = accountId;
        order.clientOrderId = clientOrderId;
        order.side = command.side();
        order.type = command.type();
        order.timeInForce = command.timeInForce();
        order.selfTradePrevention = command.selfTradePrevention();
        order.price = command.price();
        order.quantity = command.quantity();
        order.quoteRemaining = command.quoteQuantity();
        order.byQuote = command.quoteQuantity() != 0;
        order.expireAtMs = command.expireAtMs();
        order.hold = command.hold();
        sink.onAccepted(marketId, ++sequence, orderId, accountId, clientOrderId, order.side, order.type,
            order.timeInForce, order.selfTradePrevention, order.price, order.quantity, order.quoteRemaining,
            order.expireAtMs);

        if (auctionMode) {
            rest(order);
            return;
        }
        final long limit = order.type == OrderType.LIMIT ? order.price : marketLimit(order.side);
        final int outcome = match(order, limit);
        finishTaker(order, outcome);
    }

    /** Cancels an open order of {@code accountId}; an unknown id or another account's order is UNKNOWN_ORDER. */
    public void cancel(final long timestampMs, final long accountId, final long orderId) {
        advanceClock(timestampMs);
        final Order order = ordersById.get(orderId);
        if (order == null || order.accountId != accountId) {
            reject(CommandType.CANCEL, orderId, accountId, 0, RejectReason.UNKNOWN_ORDER, 0);
            return;
        }
        cancelResting(order, DoneReason.CANCELLED);
    }

    /** Cancels the open order of {@code accountId} that has this (non-zero) client order id. */
    public void cancelByClientOrderId(final long timestampMs, final long accountId, final long clientOrderId) {
        advanceClock(timestampMs);
        final Order order = clientOrderId == 0 ? null : clientIndex.get(accountId, clientOrderId);
        if (order == null) {
            reject(CommandType.CANCEL, 0, accountId, clientOrderId, RejectReason.UNKNOWN_ORDER, 0);
            return;
        }
        cancelResting(order, DoneReason.CANCELLED);
    }

    /**
     * Cancels every open order of {@code accountId} in this book, in ascending order id, each with
     * {@link DoneReason#MASS_CANCELLED}. Never rejected; returns how many orders were cancelled.
     */
    public int massCancel(final long timestampMs, final long accountId) {
        advanceClock(timestampMs);
        final Account account = accounts.get(accountId);
        if (account == null) {
            return 0;
        }
        int cancelled = 0;
        Order order = account.head;
        while (order != null) {
            final Order next = order.accountNext;
            cancelResting(order, DoneReason.MASS_CANCELLED);
            cancelled++;
            order = next;
        }
        return cancelled;
    }

    /** Amends an open order of {@code accountId}: new price and new total quantity (see the class comment). */
    public void amend(final long timestampMs, final long accountId, final long orderId, final long newPrice,
                      final long newQuantity) {
        advanceClock(timestampMs);
        final Order order = ordersById.get(orderId);
        if (order == null || order.accountId != accountId) {
            reject(CommandType.AMEND, orderId, accountId, 0, RejectReason.UNKNOWN_ORDER, 0);
            return;
        }
        applyAmend(order, newPrice, newQuantity);
    }

    /** As {@link #amend}, naming the order by its (non-zero) client order id. */
    public void amendByClientOrderId(final long timestampMs, final long accountId, final long clientOrderId,
                                     final long newPrice, final long newQuantity) {
        advanceClock(timestampMs);
        final Order order = clientOrderId == 0 ? null : clientIndex.get(accountId, clientOrderId);
        if (order == null) {
            reject(CommandType.AMEND, 0, accountId, clientOrderId, RejectReason.UNKNOWN_ORDER, 0);
            return;
        }
        applyAmend(order, newPrice, newQuantity);
    }

    /** Advances the clock only: expires GTD orders and runs a due auction. */
    public void tick(final long timestampMs) {
        advanceClock(timestampMs);
    }

    /**
     * Sets the reference price that the price band is centred on and that breaks auction ties (e.g. an index price
     * or the previous close). Every trade also moves it to the trade price. Rejected (INVALID_PRICE,
     * PRICE_NOT_ON_TICK) unless the price is a valid limit price; produces no event when applied.
     */
    public void setReferencePrice(final long timestampMs, final long price) {
        advanceClock(timestampMs);
        final RejectReason reason = checkPrice(price);
        if (reason != null) {
            reject(CommandType.SET_REFERENCE_PRICE, 0, 0, 0, reason, 0);
            return;
        }
        referencePrice = price;
    }

    // ------------------------------------------------------------------------------------------------ views

    public MarketConfig config() {
        return config;
    }

    public int marketId() {
        return marketId;
    }

    /** The sequence number of the last event produced (0 before the first). */
    public long lastSequence() {
        return sequence;
    }

    public long lastOrderId() {
        return lastOrderId;
    }

    public long lastTradeId() {
        return lastTradeId;
    }

    /** Price of the last trade, or {@link #NO_PRICE}. */
    public long lastTradePrice() {
        return lastTradePrice;
    }

    /** Centre of the price band: the last trade price or the last reference price set, or {@link #NO_PRICE}. */
    public long referencePrice() {
        return referencePrice;
    }

    /** The book's clock: the largest command timestamp seen ({@code Long.MIN_VALUE} before the first command). */
    public long clockMs() {
        return clockMs;
    }

    /**
     * When this book next has work of its own to do at a tick: the earliest GTD expiry, or in
     * auction mode the next auction while both sides hold orders; {@code Long.MAX_VALUE} when
     * nothing is due. A service ticks the book then instead of on a fixed beat.
     */
    public long nextDueMs() {
        final Order expiring = expiries.peek();
        long due = expiring == null ? Long.MAX_VALUE : expiring.expireAtMs;
        if (auctionMode && bids.best() != null && asks.best() != null) {
            due = Math.min(due, nextAuctionAtMs);
        }
        return due;
    }

    /** Auction mode: when the next auction is due ({@code Long.MIN_VALUE} until the first command). */
    public long nextAuctionAtMs() {
        return nextAuctionAtMs;
    }

    public long bestBidPrice() {
        final PriceLevel level = bids.best();
        return level == null ? NO_PRICE : level.price;
    }

    public long bestBidQuantity() {
        final PriceLevel level = bids.best();
        return level == null ? 0 : level.totalQuantity;
    }

    public long bestAskPrice() {
        final PriceLevel level = asks.best();
        return level == null ? NO_PRICE : level.price;
    }

    public long bestAskQuantity() {
        final PriceLevel level = asks.best();
        return level == null ? 0 : level.totalQuantity;
    }

    /** L1: writes the best bid and ask into {@code out}. */
    public void topOfBook(final TopOfBook out) {
        final PriceLevel bid = bids.best();
        final PriceLevel ask = asks.best();
        out.bidPrice = bid == null ? NO_PRICE : bid.price;
        out.bidQuantity = bid == null ? 0 : bid.totalQuantity;
        out.bidOrderCount = bid == null ? 0 : bid.orderCount;
        out.askPrice = ask == null ? NO_PRICE : ask.price;
        out.askQuantity = ask == null ? 0 : ask.totalQuantity;
        out.askOrderCount = ask == null ? 0 : ask.orderCount;
    }

    /** L2: visits up to {@code maxDepth} levels of {@code side}, best first; returns how many were visited. */
    public int levels(final Side side, final int maxDepth, final LevelVisitor visitor) {
        final BookSide book = book(side);
        final int depth = Math.min(Math.max(0, maxDepth), book.size());
        for (int i = 0; i < depth; i++) {
            final PriceLevel level = book.atDepth(i);
            visitor.onLevel(side, level.price, level.totalQuantity, level.orderCount);
        }
        return depth;
    }

    /** L3: visits every order of {@code side}, best price first, time priority within a price; returns the count. */
    public int orders(final Side side, final OrderVisitor visitor) {
        final BookSide book = book(side);
        int count = 0;
        for (int i = 0; i < book.size(); i++) {
            for (Order order = book.atDepth(i).head; order != null; order = order.next) {
                visitor.onOrder(order);
                count++;
            }
        }
        return count;
    }

    /** The open order with this id, or null. Do not keep the view (see {@link OrderView}). */
    public OrderView order(final long orderId) {
        return ordersById.get(orderId);
    }

    /**
     * The order with this id that the running sink callback reports (a fill's maker or taker, an order just done),
     * else the open order with this id; null if neither. Do not keep the view.
     */
    public OrderView reported(final long orderId) {
        if (reportedA != null && reportedA.orderId == orderId) {
            return reportedA;
        }
        if (reportedB != null && reportedB.orderId == orderId) {
            return reportedB;
        }
        return ordersById.get(orderId);
    }

    /**
     * Sets the hold (see {@link OrderView#hold}) of an order {@link #reported} finds; returns false (and changes
     * nothing) if it finds none.
     */
    public boolean setHold(final long orderId, final long hold) {
        final Order order = (Order) reported(orderId);
        if (order == null) {
            return false;
        }
        order.hold = hold;
        return true;
    }

    /** The open order of {@code accountId} with this client order id, or null. */
    public OrderView orderByClientOrderId(final long accountId, final long clientOrderId) {
        return clientOrderId == 0 ? null : clientIndex.get(accountId, clientOrderId);
    }

    public int openOrderCount(final long accountId) {
        final Account account = accounts.get(accountId);
        return account == null ? 0 : account.openOrders;
    }

    /** Number of open orders in the book. */
    public int orderCount() {
        return ordersById.size();
    }

    public int levelCount(final Side side) {
        return book(side).size();
    }

    /** Total resting quantity of one side. */
    public long totalQuantity(final Side side) {
        return book(side).totalQuantity;
    }

    /**
     * The auction that would run now on the resting orders (any mode; a continuous book never crosses, so it reports
     * volume 0). Returns true if the book crosses.
     */
    public boolean indicativeAuction(final AuctionIndication out) {
        final boolean crosses = computeClearing();
        out.price = clearingPrice;
        out.volume = clearingVolume;
        out.buyQuantity = clearingBuy;
        out.sellQuantity = clearingSell;
        return crosses;
    }

    // ------------------------------------------------------------------------------------------------ snapshot

    /** Writes the complete state in the format drawn in the class comment. */
    public void writeSnapshot(final DataOutput out) throws IOException {
        crc.reset();
        putInt(out, SNAPSHOT_MAGIC);
        putInt(out, SNAPSHOT_VERSION);
        putInt(out, config.marketId());
        putLong(out, config.tickSize());
        putLong(out, config.lotSize());
        putLong(out, config.minQuantity());
        putLong(out, config.maxQuantity());
        putLong(out, config.maxPrice());
        putLong(out, config.notionalDivisor());
        putLong(out, config.minNotional());
        putInt(out, config.makerFeeBps());
        putInt(out, config.takerFeeBps());
        putInt(out, config.priceBandBps());
        putInt(out, config.maxOpenOrdersPerAccount());
        putByte(out, config.matchingMode().code());
        putLong(out, config.auctionIntervalMs());
        putLong(out, sequence);
        putLong(out, lastOrderId);
        putLong(out, lastTradeId);
        putLong(out, priorityCounter);
        putLong(out, clockMs);
        putLong(out, referencePrice);
        putLong(out, lastTradePrice);
        putLong(out, nextAuctionAtMs);
        writeSide(out, bids);
        writeSide(out, asks);
        out.writeInt((int) crc.getValue());
    }

    /**
     * Replaces the whole state of this book (config included) with a snapshot written by {@link #writeSnapshot}.
     * Produces no events. On any error (I/O, bad checksum, inconsistent content) the book is left empty, as if new
     * with its previous config, and the exception is thrown: the caller must not carry on as if restored.
     */
    public void readSnapshot(final DataInput in) throws IOException {
        final MarketConfig previousConfig = config;
        clearState();
        try {
            crc.reset();
            if (getInt(in) != SNAPSHOT_MAGIC) {
                throw new IOException("not an order book snapshot (bad magic)");
            }
            final int version = getInt(in);
            if (version < 1 || version > SNAPSHOT_VERSION) {
                throw new IOException("unsupported order book snapshot version " + version);
            }
            applyConfig(readConfig(in));
            sequence = getLong(in);
            lastOrderId = getLong(in);
            lastTradeId = getLong(in);
            priorityCounter = getLong(in);
            clockMs = getLong(in);
            referencePrice = getLong(in);
            lastTradePrice = getLong(in);
            nextAuctionAtMs = getLong(in);
            readSide(in, bids, version);
            readSide(in, asks, version);
            final int expected = (int) crc.getValue();
            final int stored = in.readInt();
            if (stored != expected) {
                throw new IOException("order book snapshot checksum mismatch");
            }
        } catch (final IOException | RuntimeException e) {
            clearState();
            applyConfig(previousConfig);
            throw e instanceof IOException ? (IOException) e : new IOException("corrupt order book snapshot", e);
        }
    }

    // ------------------------------------------------------------------------------------------------ validation

    private RejectReason validateLimit(final NewOrder command) {
        final TimeInForce tif = command.timeInForce();
        if (command.quoteQuantity() != 0) {
            return RejectReason.MALFORMED_COMMAND;
        }
        if (auctionMode && (tif == TimeInForce.FOK || tif == TimeInForce.POST_ONLY)) {
            return RejectReason.NOT_ALLOWED_IN_AUCTION;
        }
        if (tif == TimeInForce.GTD) {
            if (command.expireAtMs() <= clockMs) {
                return RejectReason.EXPIRE_TIME_IN_PAST;
            }
        } else if (command.expireAtMs() != 0) {
            return RejectReason.MALFORMED_COMMAND;
        }
        final long price = command.price();
        final long quantity = command.quantity();
        RejectReason reason = checkPrice(price);
        if (reason == null) {
            reason = checkQuantity(quantity);
        }
        if (reason != null) {
            return reason;
        }
        if (config.notional(price, quantity) < config.minNotional()) {
            return RejectReason.NOTIONAL_BELOW_MIN;
        }
        if (outsideBand(price)) {
            return RejectReason.PRICE_OUTSIDE_BAND;
        }
        final Side side = command.side();
        if (auctionMode || tif.canRest()) {
            final Account account = accounts.get(command.accountId());
            if (account != null && account.openOrders >= config.maxOpenOrdersPerAccount()) {
                return RejectReason.MAX_OPEN_ORDERS;
            }
            if (quantity > Long.MAX_VALUE - book(side).totalQuantity) {
                return RejectReason.QUANTITY_ABOVE_MAX;
            }
        }
        if (!auctionMode) {
            final PriceLevel best = book(side.opposite()).best();
            if (tif == TimeInForce.POST_ONLY && best != null && crosses(side, best.price, price)) {
                return RejectReason.POST_ONLY_WOULD_TAKE;
            }
            if (tif == TimeInForce.FOK && !canFillCompletely(side, command.accountId(),
                command.selfTradePrevention(), price, quantity, 0)) {
                return RejectReason.FOK_CANNOT_FILL;
            }
        }
        return null;
    }

    private RejectReason validateMarket(final NewOrder command) {
        final TimeInForce tif = command.timeInForce();
        if (auctionMode) {
            return RejectReason.NOT_ALLOWED_IN_AUCTION;
        }
        if (tif != TimeInForce.IOC && tif != TimeInForce.FOK) {
            return RejectReason.INVALID_TIME_IN_FORCE;
        }
        if (command.price() != 0) {
            return RejectReason.INVALID_PRICE;
        }
        if (command.expireAtMs() != 0) {
            return RejectReason.MALFORMED_COMMAND;
        }
        final long quantity = command.quantity();
        final long quote = command.quoteQuantity();
        if (quote != 0) {
            if (quantity != 0) {
                return RejectReason.MALFORMED_COMMAND;
            }
            if (quote < 0) {
                return RejectReason.INVALID_QUANTITY;
            }
            if (quote < config.minNotional()) {
                return RejectReason.NOTIONAL_BELOW_MIN;
            }
            if (quote > config.maxNotional()) {
                return RejectReason.NOTIONAL_ABOVE_MAX;
            }
        } else {
            final RejectReason reason = checkQuantity(quantity);
            if (reason != null) {
                return reason;
            }
        }
        final Side side = command.side();
        final long limit = marketLimit(side);
        final PriceLevel best = book(side.opposite()).best();
        if (best == null || !crosses(side, best.price, limit)) {
            return RejectReason.NO_LIQUIDITY;
        }
        if (tif == TimeInForce.FOK
            && !canFillCompletely(side, command.accountId(), command.selfTradePrevention(), limit, quantity, quote)) {
            return RejectReason.FOK_CANNOT_FILL;
        }
        return null;
    }

    private RejectReason validateAmend(final Order order, final long price, final long quantity) {
        RejectReason reason = checkPrice(price);
        if (reason != null) {
            return reason;
        }
        if (quantity <= 0) {
            return RejectReason.INVALID_QUANTITY;
        }
        if (quantity % lotSize != 0) {
            return RejectReason.QUANTITY_NOT_ON_LOT;
        }
        if (quantity <= order.filled) {
            return null;
        }
        reason = checkQuantity(quantity);
        if (reason != null) {
            return reason;
        }
        if (config.notional(price, quantity) < config.minNotional()) {
            return RejectReason.NOTIONAL_BELOW_MIN;
        }
        final boolean priceChanged = price != order.price;
        if (priceChanged && outsideBand(price)) {
            return RejectReason.PRICE_OUTSIDE_BAND;
        }
        final long increase = quantity - order.quantity;
        if (increase > 0 && increase > Long.MAX_VALUE - book(order.side).totalQuantity) {
            return RejectReason.QUANTITY_ABOVE_MAX;
        }
        if (!auctionMode && priceChanged && order.timeInForce == TimeInForce.POST_ONLY) {
            final PriceLevel best = book(order.side.opposite()).best();
            if (best != null && crosses(order.side, best.price, price)) {
                return RejectReason.POST_ONLY_WOULD_TAKE;
            }
        }
        return null;
    }

    private RejectReason checkPrice(final long price) {
        if (price <= 0 || price > config.maxPrice()) {
            return RejectReason.INVALID_PRICE;
        }
        if (price % tickSize != 0) {
            return RejectReason.PRICE_NOT_ON_TICK;
        }
        return null;
    }

    private RejectReason checkQuantity(final long quantity) {
        if (quantity <= 0) {
            return RejectReason.INVALID_QUANTITY;
        }
        if (quantity % lotSize != 0) {
            return RejectReason.QUANTITY_NOT_ON_LOT;
        }
        if (quantity < config.minQuantity()) {
            return RejectReason.QUANTITY_BELOW_MIN;
        }
        if (quantity > config.maxQuantity()) {
            return RejectReason.QUANTITY_ABOVE_MAX;
        }
        return null;
    }

    private boolean bandActive() {
        return config.priceBandBps() > 0 && referencePrice > 0;
    }

    /** floor(referencePrice * priceBandBps / 10_000) without overflow. */
    private long bandDeviation() {
        final long bps = config.priceBandBps();
        return referencePrice / Fees.BPS_PER_UNIT * bps + referencePrice % Fees.BPS_PER_UNIT * bps / Fees.BPS_PER_UNIT;
    }

    private boolean outsideBand(final long price) {
        if (!bandActive()) {
            return false;
        }
        final long deviation = bandDeviation();
        return price > referencePrice + deviation || price < referencePrice - deviation;
    }

    /** The worst price a market order of {@code side} may trade at: the band edge, or unlimited. */
    private long marketLimit(final Side side) {
        if (!bandActive()) {
            return side == Side.BUY ? Long.MAX_VALUE : Long.MIN_VALUE;
        }
        return side == Side.BUY ? referencePrice + bandDeviation() : referencePrice - bandDeviation();
    }

    /** True if a taker on {@code takerSide} with this limit may trade with a resting order at {@code makerPrice}. */
    private static boolean crosses(final Side takerSide, final long makerPrice, final long limit) {
        return takerSide == Side.BUY ? makerPrice <= limit : makerPrice >= limit;
    }

    private long lotFloor(final long quantity) {
        return quantity - quantity % lotSize;
    }

    /**
     * Dry run of {@link #match} for a fill-or-kill order: true exactly when matching now would finish the order as
     * FILLED. Must follow the same rules as {@link #match} and {@link #finishTaker}.
     */
    private boolean canFillCompletely(final Side side, final long accountId, final SelfTradePrevention stp,
                                      final long limit, final long quantity, final long quote) {
        final BookSide book = book(side.opposite());
        long remaining = quantity;
        long budget = quote;
        boolean filledAny = false;
        for (int depth = 0; depth < book.size(); depth++) {
            final PriceLevel level = book.atDepth(depth);
            final long price = level.price;
            if (!crosses(side, price, limit)) {
                return false;
            }
            for (Order maker = level.head; maker != null; maker = maker.next) {
                final long affordable = quote != 0 ? lotFloor(budget * notionalDivisor / price) : 0;
                if (quote != 0 && affordable == 0) {
                    return filledAny;
                }
                if (maker.accountId == accountId && stp != SelfTradePrevention.NONE) {
                    if (stp == SelfTradePrevention.EXPIRE_MAKER) {
                        continue;
                    }
                    return false;
                }
                if (quote != 0) {
                    final long fill = Math.min(maker.leaves(), affordable);
                    budget -= price * fill / notionalDivisor;
                    filledAny = true;
                    if (budget == 0) {
                        return true;
                    }
                } else {
                    remaining -= Math.min(maker.leaves(), remaining);
                    if (remaining == 0) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    // ------------------------------------------------------------------------------------------------ matching

    private static boolean takerDone(final Order taker) {
        return taker.byQuote ? taker.quoteRemaining == 0 : taker.quantity == taker.filled;
    }

    /**
     * Continuous matching of {@code taker} (not in the book) against the other side, up to {@code limit}. Emits
     * fills, makers' done events and one delta per level traded through.
     */
    private int match(final Order taker, final long limit) {
        final Side side = taker.side;
        final BookSide book = book(side.opposite());
        final long takerAccount = taker.accountId;
        final SelfTradePrevention stp = taker.selfTradePrevention;
        while (!takerDone(taker)) {
            final PriceLevel level = book.best();
            if (level == null) {
                return MATCH_RAN;
            }
            final long price = level.price;
            if (!crosses(side, price, limit)) {
                return MATCH_RAN;
            }
            int outcome = MATCH_RAN;
            boolean touched = false;
            Order maker = level.head;
            while (maker != null) {
                final Order next = maker.next;
                // The budget comes first: a taker that cannot afford another lot here is finished, and must not go
                // on to expire (or be expired by) an order of its own account that it could never have traded with.
                final long wanted;
                if (taker.byQuote) {
                    wanted = lotFloor(taker.quoteRemaining * notionalDivisor / price);
                    if (wanted == 0) {
                        outcome = MATCH_STOPPED_BY_BUDGET;
                        break;
                    }
                } else {
                    wanted = taker.leaves();
                }
                if (maker.accountId == takerAccount && stp != SelfTradePrevention.NONE) {
                    if (stp == SelfTradePrevention.EXPIRE_TAKER) {
                        outcome = MATCH_STOPPED_BY_STP;
                        break;
                    }
                    touched = true;
                    removeResting(maker, DoneReason.SELF_TRADE_PREVENTION);
                    if (stp == SelfTradePrevention.EXPIRE_BOTH) {
                        outcome = MATCH_STOPPED_BY_STP;
                        break;
                    }
                    maker = next;
                    continue;
                }
                final long quantity = Math.min(maker.leaves(), wanted);
                touched = true;
                tradeContinuous(maker, taker, price, quantity, book);
                if (maker.leaves() == 0) {
                    removeResting(maker, DoneReason.FILLED);
                }
                if (takerDone(taker)) {
                    break;
                }
                maker = next;
            }
            if (touched) {
                emitDelta(book.side, price, level);
            }
            if (outcome != MATCH_RAN) {
                return outcome;
            }
        }
        return MATCH_RAN;
    }

    private void tradeContinuous(final Order maker, final Order taker, final long price, final long quantity,
                                 final BookSide makerBook) {
        final long notional = price * quantity / notionalDivisor;
        final long makerFee = maker.chargeFee(notional, config.makerFeeBps());
        final long takerFee = taker.chargeFee(notional, config.takerFeeBps());
        maker.filled += quantity;
        maker.level.totalQuantity -= quantity;
        makerBook.totalQuantity -= quantity;
        taker.filled += quantity;
        if (taker.byQuote) {
            taker.quoteRemaining -= notional;
        }
        lastTradePrice = price;
        referencePrice = price;
        emitFill(maker, taker, price, quantity, makerFee, takerFee, false);
    }

    /** After continuous matching of a new order: rest it, or finish it with the right reason. */
    private void finishTaker(final Order taker, final int outcome) {
        final DoneReason reason;
        if (outcome == MATCH_STOPPED_BY_STP) {
            reason = DoneReason.SELF_TRADE_PREVENTION;
        } else if (taker.byQuote) {
            final boolean budgetUsed = taker.quoteRemaining == 0 || outcome == MATCH_STOPPED_BY_BUDGET;
            reason = budgetUsed && taker.filled > 0 ? DoneReason.FILLED : DoneReason.IOC_REMAINDER;
        } else if (taker.leaves() == 0) {
            reason = DoneReason.FILLED;
        } else if (taker.type == OrderType.LIMIT && taker.timeInForce.canRest()) {
            rest(taker);
            return;
        } else {
            reason = DoneReason.IOC_REMAINDER;
        }
        emitDone(taker, reason);
        releaseOrder(taker);
    }

    private void applyAmend(final Order order, final long newPrice, final long newQuantity) {
        final RejectReason reason = validateAmend(order, newPrice, newQuantity);
        if (reason != null) {
            reject(CommandType.AMEND, order.orderId, order.accountId, order.clientOrderId, reason, 0);
            return;
        }
        final BookSide book = book(order.side);
        final PriceLevel level = order.level;
        final long oldPrice = order.price;

        if (newQuantity <= order.filled) {
            detachFromLevel(order, book);
            order.quantity = order.filled;
            sink.onAmended(marketId, ++sequence, order.orderId, order.accountId, order.clientOrderId, oldPrice,
                order.quantity, 0, true);
            unregister(order);
            emitDone(order, DoneReason.FILLED);
            releaseOrder(order);
            emitDelta(book.side, oldPrice, level);
            return;
        }

        final boolean priceChanged = newPrice != oldPrice;
        if (!priceChanged && newQuantity <= order.quantity) {
            final long reduction = order.quantity - newQuantity;
            order.quantity = newQuantity;
            level.totalQuantity -= reduction;
            book.totalQuantity -= reduction;
            sink.onAmended(marketId, ++sequence, order.orderId, order.accountId, order.clientOrderId, oldPrice,
                newQuantity, order.leaves(), true);
            if (reduction != 0) {
                emitDelta(book.side, oldPrice, level);
            }
            return;
        }

        detachFromLevel(order, book);
        order.price = newPrice;
        order.quantity = newQuantity;
        sink.onAmended(marketId, ++sequence, order.orderId, order.accountId, order.clientOrderId, newPrice,
            newQuantity, order.leaves(), false);
        if (priceChanged) {
            emitDelta(book.side, oldPrice, level);
            if (!auctionMode) {
                final PriceLevel best = book(order.side.opposite()).best();
                if (best != null && crosses(order.side, best.price, newPrice)) {
                    final int outcome = match(order, newPrice);
                    if (outcome == MATCH_STOPPED_BY_STP || order.leaves() == 0) {
                        unregister(order);
                        emitDone(order, outcome == MATCH_STOPPED_BY_STP ? DoneReason.SELF_TRADE_PREVENTION
                            : DoneReason.FILLED);
                        releaseOrder(order);
                        return;
                    }
                }
            }
        }
        queue(order, book);
    }

    // ------------------------------------------------------------------------------------------------ book upkeep

    /** A new order joins the book: level, id map, client index, expiry heap, account. */
    private void rest(final Order order) {
        ordersById.add(order);
        if (order.clientOrderId != 0) {
            clientIndex.put(order);
        }
        if (order.timeInForce == TimeInForce.GTD) {
            expiries.add(order);
        }
        if (order.timeInForce == TimeInForce.IOC) {
            restingIocCount++;
        }
        attachAccount(order);
        queue(order, book(order.side));
    }

    /** Puts a registered order at the back of its price level, with a new time priority, and reports the level. */
    private void queue(final Order order, final BookSide book) {
        order.priority = ++priorityCounter;
        final PriceLevel level = book.getOrCreate(order.price);
        level.append(order);
        book.totalQuantity += order.leaves();
        emitDelta(book.side, order.price, level);
    }

    private void detachFromLevel(final Order order, final BookSide book) {
        final PriceLevel level = order.level;
        book.totalQuantity -= order.leaves();
        level.remove(order);
        if (level.orderCount == 0) {
            book.removeLevel(level);
        }
    }

    private void unregister(final Order order) {
        ordersById.remove(order.orderId);
        if (order.clientOrderId != 0) {
            clientIndex.remove(order);
        }
        if (order.heapIndex != Order.NOT_IN_HEAP) {
            expiries.remove(order);
        }
        if (order.timeInForce == TimeInForce.IOC) {
            restingIocCount--;
        }
        final Account account = order.account;
        account.remove(order);
        if (account.openOrders == 0) {
            accounts.remove(account.accountId);
            account.reset();
            account.nextFree = freeAccounts;
            freeAccounts = account;
        }
    }

    /** Takes a resting order out of the book and reports it done; the caller reports the level. */
    private void removeResting(final Order order, final DoneReason reason) {
        detachFromLevel(order, book(order.side));
        unregister(order);
        emitDone(order, reason);
        releaseOrder(order);
    }

    private void cancelResting(final Order order, final DoneReason reason) {
        final Side side = order.side;
        final long price = order.price;
        final PriceLevel level = order.level;
        removeResting(order, reason);
        emitDelta(side, price, level);
    }

    private void attachAccount(final Order order) {
        Account account = accounts.get(order.accountId);
        if (account == null) {
            account = freeAccounts;
            if (account == null) {
                account = new Account();
            } else {
                freeAccounts = account.nextFree;
                account.nextFree = null;
            }
            account.accountId = order.accountId;
            accounts.put(order.accountId, account);
        }
        account.add(order);
    }

    // ------------------------------------------------------------------------------------------------ clock

    private void advanceClock(final long timestampMs) {
        if (timestampMs > clockMs) {
            clockMs = timestampMs;
        }
        if (auctionMode) {
            if (nextAuctionAtMs == UNSCHEDULED) {
                nextAuctionAtMs = firstBoundaryAfter(clockMs);
            } else if (nextAuctionAtMs <= clockMs) {
                expireUpTo(nextAuctionAtMs);
                runAuction();
                nextAuctionAtMs = firstBoundaryAfter(clockMs);
            }
        }
        expireUpTo(clockMs);
    }

    private long firstBoundaryAfter(final long timeMs) {
        final long interval = config.auctionIntervalMs();
        return Math.floorDiv(timeMs, interval) * interval + interval;
    }

    private void expireUpTo(final long timeMs) {
        Order order;
        while ((order = expiries.peek()) != null && order.expireAtMs <= timeMs) {
            cancelResting(order, DoneReason.EXPIRED);
        }
    }

    // ------------------------------------------------------------------------------------------------ auction

    private void runAuction() {
        while (computeClearing()) {
            final long price = clearingPrice;
            final long matched = allocateAuction(price);
            if (matched > 0) {
                lastTradePrice = price;
                referencePrice = price;
                sink.onAuction(marketId, ++sequence, price, matched);
            }
        }
        if (restingIocCount > 0) {
            cancelRestingIoc(bids);
            cancelRestingIoc(asks);
        }
    }

    /**
     * Finds the clearing price of the resting orders (see the class comment) into the clearing fields; returns true
     * if some quantity would trade. Walks all distinct prices in ascending order, with D(p) = buy quantity priced
     * &gt;= p and S(p) = sell quantity priced &lt;= p; between two adjacent order prices D and S are constant, so a
     * gap is one more candidate, priced as close to the reference price as the gap allows.
     */
    private boolean computeClearing() {
        clearingPrice = 0;
        clearingVolume = 0;
        clearingImbalance = Long.MAX_VALUE;
        clearingDistance = Long.MAX_VALUE;
        clearingBuy = 0;
        clearingSell = 0;
        final PriceLevel bestBid = bids.best();
        final PriceLevel bestAsk = asks.best();
        if (bestBid == null || bestAsk == null || bestBid.price < bestAsk.price) {
            return false;
        }
        long demand = bids.totalQuantity;
        long supply = 0;
        int bidIndex = 0;
        int askIndex = asks.size() - 1;
        while (bidIndex < bids.size() || askIndex >= 0) {
            final long bidPrice = bidIndex < bids.size() ? bids.levelAt(bidIndex).price : Long.MAX_VALUE;
            final long askPrice = askIndex >= 0 ? asks.levelAt(askIndex).price : Long.MAX_VALUE;
            final long price = Math.min(bidPrice, askPrice);
            long bidsAtPrice = 0;
            if (bidPrice == price) {
                bidsAtPrice = bids.levelAt(bidIndex).totalQuantity;
                bidIndex++;
            }
            if (askPrice == price) {
                supply += asks.levelAt(askIndex).totalQuantity;
                askIndex--;
            }
            considerClearing(price, demand, supply);
            demand -= bidsAtPrice;
            if (demand == 0) {
                break;
            }
            final long nextBid = bidIndex < bids.size() ? bids.levelAt(bidIndex).price : Long.MAX_VALUE;
            final long nextAsk = askIndex >= 0 ? asks.levelAt(askIndex).price : Long.MAX_VALUE;
            final long next = Math.min(nextBid, nextAsk);
            if (next != Long.MAX_VALUE && next - price > tickSize) {
                final long lowest = price + tickSize;
                final long highest = next - tickSize;
                final long gapPrice = referencePrice > 0 ? Math.max(lowest, Math.min(referencePrice, highest)) : lowest;
                considerClearing(gapPrice, demand, supply);
            }
        }
        return clearingVolume > 0;
    }

    private void considerClearing(final long price, final long demand, final long supply) {
        final long volume = Math.min(demand, supply);
        if (volume == 0) {
            return;
        }
        final long imbalance = Math.abs(demand - supply);
        final long distance = referencePrice > 0 ? Math.abs(price - referencePrice) : 0;
        final boolean better = volume > clearingVolume
            || volume == clearingVolume && (imbalance < clearingImbalance
            || imbalance == clearingImbalance && distance < clearingDistance);
        if (better) {
            clearingPrice = price;
            clearingVolume = volume;
            clearingImbalance = imbalance;
            clearingDistance = distance;
            clearingBuy = demand;
            clearingSell = supply;
        }
    }

    /** Matches the crossing orders at {@code price} in price-time priority; returns the quantity traded. */
    private long allocateAuction(final long price) {
        long matched = 0;
        auctionBidTouched = false;
        auctionAskTouched = false;
        while (true) {
            final PriceLevel bidLevel = bids.best();
            final PriceLevel askLevel = asks.best();
            if (bidLevel == null || askLevel == null || bidLevel.price < price || askLevel.price > price) {
                break;
            }
            final Order buy = bidLevel.head;
            final Order sell = askLevel.head;
            final boolean buyIsMaker = buy.priority < sell.priority;
            final Order maker = buyIsMaker ? buy : sell;
            final Order taker = buyIsMaker ? sell : buy;
            final SelfTradePrevention stp = taker.selfTradePrevention;
            if (buy.accountId == sell.accountId && stp != SelfTradePrevention.NONE) {
                if (stp != SelfTradePrevention.EXPIRE_MAKER) {
                    removeInAuction(taker, DoneReason.SELF_TRADE_PREVENTION);
                }
                if (stp != SelfTradePrevention.EXPIRE_TAKER) {
                    removeInAuction(maker, DoneReason.SELF_TRADE_PREVENTION);
                }
                continue;
            }
            final long quantity = Math.min(buy.leaves(), sell.leaves());
            final long notional = price * quantity / notionalDivisor;
            final long makerFee = maker.chargeFee(notional, config.makerFeeBps());
            final long takerFee = taker.chargeFee(notional, config.takerFeeBps());
            buy.filled += quantity;
            sell.filled += quantity;
            bidLevel.totalQuantity -= quantity;
            askLevel.totalQuantity -= quantity;
            bids.totalQuantity -= quantity;
            asks.totalQuantity -= quantity;
            matched += quantity;
            auctionBidTouched = true;
            auctionAskTouched = true;
            emitFill(maker, taker, price, quantity, makerFee, takerFee, true);
            if (buy.leaves() == 0) {
                removeInAuction(buy, DoneReason.FILLED);
            }
            if (sell.leaves() == 0) {
                removeInAuction(sell, DoneReason.FILLED);
            }
        }
        if (auctionBidTouched) {
            final PriceLevel level = bids.best();
            emitDelta(Side.BUY, level.price, level);
        }
        if (auctionAskTouched) {
            final PriceLevel level = asks.best();
            emitDelta(Side.SELL, level.price, level);
        }
        return matched;
    }

    /** Removes an order at the head of its side's best level; reports the level at once if it is gone. */
    private void removeInAuction(final Order order, final DoneReason reason) {
        final Side side = order.side;
        final PriceLevel level = order.level;
        final long price = level.price;
        removeResting(order, reason);
        final boolean gone = level.orderCount == 0;
        if (gone) {
            emitDelta(side, price, level);
        }
        if (side == Side.BUY) {
            auctionBidTouched = !gone;
        } else {
            auctionAskTouched = !gone;
        }
    }

    private void cancelRestingIoc(final BookSide book) {
        for (int index = book.size() - 1; index >= 0 && restingIocCount > 0; index--) {
            final PriceLevel level = book.levelAt(index);
            final long price = level.price;
            boolean touched = false;
            Order order = level.head;
            while (order != null) {
                final Order next = order.next;
                if (order.timeInForce == TimeInForce.IOC) {
                    removeResting(order, DoneReason.IOC_REMAINDER);
                    touched = true;
                }
                order = next;
            }
            if (touched) {
                emitDelta(book.side, price, level);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ events

    private void reject(final CommandType command, final long orderId, final long accountId, final long clientOrderId,
                        final RejectReason reason, final long existingOrderId) {
        sink.onRejected(marketId, ++sequence, command, orderId, accountId, clientOrderId, reason, existingOrderId);
    }

    private void emitDone(final Order order, final DoneReason reason) {
        reportedA = order;
        sink.onDone(marketId, ++sequence, order.orderId, order.accountId, order.clientOrderId, reason, order.filled,
            order.byQuote ? 0 : order.leaves(), order.byQuote ? order.quoteRemaining : 0);
        reportedA = null;
    }

    private void emitFill(final Order maker, final Order taker, final long price, final long quantity,
                          final long makerFee, final long takerFee, final boolean auction) {
        reportedA = taker;
        reportedB = maker;
        sink.onFill(marketId, ++sequence, ++lastTradeId, price, quantity, taker.side, maker.orderId,
            maker.accountId, makerFee, taker.orderId, taker.accountId, takerFee, auction);
        reportedA = null;
        reportedB = null;
    }

    /** Reports a level; a level that was removed reads total 0 and count 0. */
    private void emitDelta(final Side side, final long price, final PriceLevel level) {
        sink.onBookDelta(marketId, ++sequence, side, price, level.totalQuantity, level.orderCount);
    }

    // ------------------------------------------------------------------------------------------------ pools, state

    private BookSide book(final Side side) {
        return side == Side.BUY ? bids : asks;
    }

    private Order acquireOrder() {
        final Order order = freeOrders;
        if (order == null) {
            return new Order();
        }
        freeOrders = order.next;
        order.next = null;
        return order;
    }

    private void releaseOrder(final Order order) {
        order.reset();
        order.next = freeOrders;
        freeOrders = order;
    }

    private void applyConfig(final MarketConfig newConfig) {
        config = newConfig;
        marketId = newConfig.marketId();
        tickSize = newConfig.tickSize();
        lotSize = newConfig.lotSize();
        notionalDivisor = newConfig.notionalDivisor();
        auctionMode = newConfig.matchingMode() == MatchingMode.AUCTION;
    }

    private void resetCounters() {
        sequence = 0;
        lastOrderId = 0;
        lastTradeId = 0;
        priorityCounter = 0;
        clockMs = Long.MIN_VALUE;
        referencePrice = 0;
        lastTradePrice = 0;
        nextAuctionAtMs = UNSCHEDULED;
        restingIocCount = 0;
    }

    /** Returns every order, level and account to the pools and resets the counters: an empty, new book. */
    private void clearState() {
        expiries.clear();
        clientIndex.clear();
        ordersById.clear();
        releaseAll(bids);
        releaseAll(asks);
        accounts.clear();
        resetCounters();
    }

    private void releaseAll(final BookSide book) {
        for (int index = 0; index < book.size(); index++) {
            Order order = book.levelAt(index).head;
            while (order != null) {
                final Order next = order.next;
                final Account account = order.account;
                if (account != null) {
                    account.remove(order);
                    if (account.openOrders == 0) {
                        account.reset();
                        account.nextFree = freeAccounts;
                        freeAccounts = account;
                    }
                }
                releaseOrder(order);
                order = next;
            }
        }
        book.clear();
    }

    /** Reads the snapshot's config; returns the current config object when they are equal (no allocation). */
    private MarketConfig readConfig(final DataInput in) throws IOException {
        final int id = getInt(in);
        final long tick = getLong(in);
        final long lot = getLong(in);
        final long minQuantity = getLong(in);
        final long maxQuantity = getLong(in);
        final long maxPrice = getLong(in);
        final long divisor = getLong(in);
        final long minNotional = getLong(in);
        final int makerBps = getInt(in);
        final int takerBps = getInt(in);
        final int bandBps = getInt(in);
        final int maxOpenOrders = getInt(in);
        final MatchingMode mode = MatchingMode.fromCode(getByte(in));
        final long intervalMs = getLong(in);
        final MarketConfig current = config;
        if (current.marketId() == id && current.tickSize() == tick && current.lotSize() == lot
            && current.minQuantity() == minQuantity && current.maxQuantity() == maxQuantity
            && current.maxPrice() == maxPrice && current.notionalDivisor() == divisor
            && current.minNotional() == minNotional && current.makerFeeBps() == makerBps
            && current.takerFeeBps() == takerBps && current.priceBandBps() == bandBps
            && current.maxOpenOrdersPerAccount() == maxOpenOrders && current.matchingMode() == mode
            && current.auctionIntervalMs() == intervalMs) {
            return current;
        }
        try {
            return new MarketConfig(id, tick, lot, minQuantity, maxQuantity, maxPrice, divisor, minNotional, makerBps,
                takerBps, bandBps, maxOpenOrders, mode, intervalMs);
        } catch (final IllegalArgumentException | NullPointerException e) {
            throw new IOException("snapshot holds an invalid market config", e);
        }
    }

    private void writeSide(final DataOutput out, final BookSide book) throws IOException {
        putInt(out, book.size());
        for (int index = 0; index < book.size(); index++) {
            final PriceLevel level = book.levelAt(index);
            putLong(out, level.price);
            putInt(out, level.orderCount);
            for (Order order = level.head; order != null; order = order.next) {
                putLong(out, order.orderId);
                putLong(out, order.accountId);
                putLong(out, order.clientOrderId);
                putByte(out, order.type.code());
                putByte(out, order.timeInForce.code());
                putByte(out, order.selfTradePrevention.code());
                putLong(out, order.quantity);
                putLong(out, order.filled);
                putLong(out, order.expireAtMs);
                putLong(out, order.priority);
                putLong(out, order.feeResidual);
                putLong(out, order.hold);
            }
        }
    }

    private void readSide(final DataInput in, final BookSide book, final int version) throws IOException {
        final int levelCount = getInt(in);
        if (levelCount < 0) {
            throw new IOException("negative level count");
        }
        long previousPrice = 0;
        for (int index = 0; index < levelCount; index++) {
            final long price = getLong(in);
            final int orderCount = getInt(in);
            if (checkPrice(price) != null || orderCount <= 0
                || index > 0 && !book.isBetter(price, previousPrice)) {
                throw new IOException("bad level " + price + " on " + book.side);
            }
            previousPrice = price;
            final PriceLevel level = book.getOrCreate(price);
            for (int i = 0; i < orderCount; i++) {
                final Order order = acquireOrder();
                order.orderId = getLong(in);
                order.accountId = getLong(in);
                order.clientOrderId = getLong(in);
                order.type = OrderType.fromCode(getByte(in));
                order.timeInForce = TimeInForce.fromCode(getByte(in));
                order.selfTradePrevention = SelfTradePrevention.fromCode(getByte(in));
                order.quantity = getLong(in);
                order.filled = getLong(in);
                order.expireAtMs = getLong(in);
                order.priority = getLong(in);
                order.feeResidual = getLong(in);
                order.hold = version >= 2 ? getLong(in) : 0;
                order.side = book.side;
                order.price = price;
                if (!restoredOrderValid(order)) {
                    releaseOrder(order);
                    throw new IOException("bad order in snapshot: " + order);
                }
                if (!ordersById.add(order)) {
                    releaseOrder(order);
                    throw new IOException("duplicate order id in snapshot: " + order.orderId);
                }
                if (order.clientOrderId != 0) {
                    if (clientIndex.get(order.accountId, order.clientOrderId) != null) {
                        throw new IOException("duplicate client order id in snapshot: " + order);
                    }
                    clientIndex.put(order);
                }
                if (order.timeInForce == TimeInForce.GTD) {
                    expiries.add(order);
                }
                if (order.timeInForce == TimeInForce.IOC) {
                    restingIocCount++;
                }
                attachAccount(order);
                level.append(order);
                book.totalQuantity += order.leaves();
            }
        }
    }

    private boolean restoredOrderValid(final Order order) {
        final TimeInForce tif = order.timeInForce;
        return order.orderId > 0 && order.orderId <= lastOrderId
            && order.type == OrderType.LIMIT
            && tif != null && (tif.canRest() || auctionMode && tif == TimeInForce.IOC)
            && order.selfTradePrevention != null
            && order.filled >= 0 && order.quantity > order.filled
            && (tif == TimeInForce.GTD) == (order.expireAtMs != 0)
            && order.priority > 0 && order.priority <= priorityCounter
            && order.feeResidual <= 0 && order.feeResidual > -Fees.BPS_PER_UNIT;
    }

    private void putLong(final DataOutput out, final long value) throws IOException {
        putBigEndian(out, value, 8);
    }

    private void putInt(final DataOutput out, final int value) throws IOException {
        putBigEndian(out, value, 4);
    }

    /** The low {@code bytes} bytes of {@code value}, big-endian, checksummed. */
    private void putBigEndian(final DataOutput out, final long value, final int bytes) throws IOException {
        for (int i = 0; i < bytes; i++) {
            scratch[i] = (byte) (value >>> (8 * (bytes - 1 - i)));
        }
        crc.update(scratch, 0, bytes);
        out.write(scratch, 0, bytes);
    }

    private void putByte(final DataOutput out, final byte value) throws IOException {
        crc.update(value);
        out.write(value);
    }

    private long getLong(final DataInput in) throws IOException {
        return getBigEndian(in, 8);
    }

    private int getInt(final DataInput in) throws IOException {
        return (int) getBigEndian(in, 4);
    }

    /** {@code bytes} big-endian bytes, checksummed. */
    private long getBigEndian(final DataInput in, final int bytes) throws IOException {
        in.readFully(scratch, 0, bytes);
        crc.update(scratch, 0, bytes);
        long value = 0;
        for (int i = 0; i < bytes; i++) {
            value = (value << 8) | (scratch[i] & 0xFF);
        }
        return value;
    }

    private byte getByte(final DataInput in) throws IOException {
        final byte value = in.readByte();
        crc.update(value);
        return value;
    }
}
