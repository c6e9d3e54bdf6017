package io.trademesh.spot.engine;

import io.trademesh.matching.CommandType;
import io.trademesh.matching.DoneReason;
import io.trademesh.matching.LevelVisitor;
import io.trademesh.matching.MarketConfig;
import io.trademesh.matching.NewOrder;
import io.trademesh.matching.OrderBook;
import io.trademesh.matching.OrderType;
import io.trademesh.matching.OrderView;
import io.trademesh.matching.RejectReason;
import io.trademesh.matching.SelfTradePrevention;
import io.trademesh.matching.Side;
import io.trademesh.matching.TimeInForce;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import io.trademesh.platform.trading.AssetRegistry;
import io.trademesh.platform.trading.BookMarkets;
import io.trademesh.platform.trading.ClientOrderIds;
import io.trademesh.platform.trading.MarketSpec;
import io.trademesh.platform.trading.OrderChecks;
import io.trademesh.platform.trading.RiskLimits;
import io.trademesh.platform.wallet.WalletLedger;
import io.trademesh.platform.wallet.WalletRefusal;
import io.trademesh.platform.wallet.Wallets;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * The spot state machine: markets, their order books, every account's spot wallets with
 * the reservations of open orders, fees, and credits/debits by transfer id. Deterministic
 * and single-threaded: commands are method calls stamped with the command clock, outputs
 * go to the {@link SpotListener}, nothing throws for a bad command.
 *
 * <h2>Reservations</h2>
 * Before an order reaches its book, spot locks what it can spend: a buy locks
 * {@code notional(price, quantity) + maxFee(notional)} of the quote asset (a market buy by
 * quote amount: that amount plus its max fee; a market buy by base quantity: the cost of
 * walking the asks for that quantity plus its max fee), a sell locks its base quantity.
 * Fills spend from the reservation, cancel and expiry release the rest, an amend locks
 * more or releases the excess. Not enough available is a refusal, never a partial order.
 *
 * <h2>Fees</h2>
 * Fees (quote units) go to account {@link #FEE_ACCOUNT}. A maker rebate is paid from it;
 * since maker + taker bps >= 0 and fees round toward the venue per order, the fee account
 * never goes below zero (the property tests check it).
 *
 * <h2>Invariant</h2>
 * For every asset, the sum over all wallets (available + locked, fee account included)
 * equals credits minus debits.
 */
public final class SpotEngine implements io.trademesh.matching.MatchingSink, BookMarkets {

    /** The venue's fee account. */
    public static final long FEE_ACCOUNT = OrderChecks.VENUE_ACCOUNT;
    private static final int SNAPSHOT_MAGIC = 0x53504F54; // "SPOT"
    /**
     * 2: client order ids of finished orders are retained (1 kept only open orders'). 3: an order's reservation is
     * its hold in the book's snapshot (2 wrote them as two maps by order id).
     */
    private static final int SNAPSHOT_VERSION = 3;
    /** An order's hold when it reserved nothing (a market buy into an empty book, an order the book refuses). */
    private static final long NONE = Long.MIN_VALUE;
    /**
     * The rules this build applies. 1: finished orders' client ids are free at once and
     * transfer ids are kept forever (how spot ran before); 2: both are retained for a window
     * (ClientOrderIds, WalletLedger). A journal starts under rules 1 and moves on by a
     * journaled {@code Rules} command, so records written under older rules replay under them.
     */
    public static final int RULES = 2;

    private final SpotListener listener;
    /** The spot wallets and their border: credits and debits by transfer id. */
    private final WalletLedger ledger = new WalletLedger(FEE_ACCOUNT);
    private final Wallets wallets = ledger.wallets();
    private final List<SpotMarket> markets = new ArrayList<>();
    private final Map<String, SpotMarket> marketsBySymbol = new HashMap<>();
    private final AssetRegistry assets = new AssetRegistry();

    // What an open order still has reserved (quote for a buy, base for a sell) is its hold in its book
    // (OrderView.hold): kept on the order, it costs no lookup of its own.
    /** Client order ids of open orders and, for the retention window, of finished ones. */
    private final ClientOrderIds clientIds = new ClientOrderIds();
    /** Limits set by risk-service, per account. */
    private final RiskLimits limits = new RiskLimits();

    private long lastOrderId;
    private int rules;
    /** The current command's stamped time: when an order finishes inside it. */
    private long nowMs;
    private final java.util.function.LongConsumer clientIdForgotten;
    private final NewOrder newOrder = new NewOrder();
    private final CostWalk costWalk = new CostWalk();
    // Set by the book's synchronous rejection during the current command.
    private boolean rejected;

    /** An engine under the current {@link #RULES}. */
    public SpotEngine(SpotListener listener) {
        this(listener, RULES);
    }

    /** An engine under {@code rules} (1 for one that replays a journal from its start). */
    public SpotEngine(SpotListener listener, int rules) {
        this.rules = rules;
        this.listener = listener;
        this.clientIdForgotten = listener::onClientOrderIdForgotten;
    }

    // ================================================================ commands

    /** Creates a market (and its assets on first use). Returns its id, or -1 when refused. */
    public int createMarket(long timestampMs, MarketSpec spec) {
        nowMs = timestampMs;
        if (spec.symbol() != null && marketsBySymbol.containsKey(spec.symbol())) {
            listener.onRefused(SpotCommandKind.CREATE_MARKET, 0, -1, 0, SpotRejectReason.MARKET_EXISTS);
            return -1;
        }
        if (spec.baseAsset() == null || spec.quoteAsset() == null || !decimalsAgree(spec.baseAsset(), spec.baseDecimals())
                || !decimalsAgree(spec.quoteAsset(), spec.quoteDecimals())) {
            listener.onRefused(SpotCommandKind.CREATE_MARKET, 0, -1, 0, SpotRejectReason.INVALID_MARKET);
            return -1;
        }
        int id = markets.size();
        MarketConfig config;
        try {
            config = spec.toConfig(id);
        } catch (IllegalArgumentException e) {
            listener.onRefused(SpotCommandKind.CREATE_MARKET, 0, -1, 0, SpotRejectReason.INVALID_MARKET);
            return -1;
        }
        int base = assetId(spec.baseAsset(), spec.baseDecimals());
        int quote = assetId(spec.quoteAsset(), spec.quoteDecimals());
        SpotMarket market = new SpotMarket(id, spec, base, quote, new OrderBook(config, this));
        markets.add(market);
        marketsBySymbol.put(spec.symbol(), market);
        market.book.tick(timestampMs);
        listener.onMarketCreated(id, spec);
        return id;
    }

    private boolean decimalsAgree(String asset, int decimals) {
        return assets.agrees(asset, decimals);
    }

    private int assetId(String symbol, int decimals) {
        return assets.register(symbol, decimals);
    }

    /**
     * Places an order. {@code clientOrderId} may be null or empty. Returns the new order's id,
     * the existing order's id for a repeated client order id, or 0 when refused.
     */
    public long placeOrder(long timestampMs, long accountId, int marketId, String clientOrderId, Side side,
                           OrderType type, TimeInForce timeInForce, long price, long quantity, long quoteQuantity,
                           long expireAtMs, SelfTradePrevention stp) {
        nowMs = timestampMs;
        clientIds.expire(timestampMs, clientIdForgotten);
        SpotMarket m = market(marketId);
        if (m == null) {
            listener.onRefused(SpotCommandKind.PLACE_ORDER, accountId, marketId, 0, SpotRejectReason.UNKNOWN_MARKET);
            return 0;
        }
        m.book.tick(timestampMs); // expiries and a due auction first, as in the book; the checks see their result
        if (accountId == FEE_ACCOUNT) {
            listener.onRefused(SpotCommandKind.PLACE_ORDER, accountId, marketId, 0, SpotRejectReason.INVALID_ACCOUNT);
            return 0;
        }
        boolean hasClientId = clientOrderId != null && !clientOrderId.isEmpty();
        if (hasClientId) {
            long existing = clientIds.orderId(accountId, clientOrderId);
            if (existing != 0) {
                listener.onDuplicateClientOrderId(marketId, accountId, existing);
                return existing;
            }
        }
        MarketConfig cfg = m.book.config();
        long reserve;
        int asset;
        if (side == Side.SELL) {
            if (type == OrderType.MARKET && quantity == 0 && quoteQuantity > 0) {
                listener.onRefused(SpotCommandKind.PLACE_ORDER, accountId, marketId, 0,
                        SpotRejectReason.UNSUPPORTED_ORDER);
                return 0;
            }
            asset = m.baseAsset;
            reserve = quantity > 0 && quantity <= cfg.maxQuantity() ? quantity : 0;
        } else if (side == Side.BUY) {
            asset = m.quoteAsset;
            if (type == OrderType.MARKET && quantity == 0) {
                reserve = quoteQuantity > 0 && quoteQuantity <= cfg.maxNotional()
                        ? quoteQuantity + cfg.maxFee(quoteQuantity) : 0;
            } else if (type == OrderType.MARKET) {
                reserve = quantity > 0 && quantity <= cfg.maxQuantity() ? marketBuyCost(m, timestampMs, accountId,
                        quantity, stp) : 0;
            } else {
                reserve = validPriceAndQuantity(cfg, price, quantity)
                        ? withMaxFee(cfg, cfg.notional(price, quantity)) : 0;
            }
        } else {
            asset = m.quoteAsset;
            reserve = 0; // no side: the book refuses it as malformed
        }
        SpotRejectReason limited = checkLimits(accountId, side, type, m, price, quantity, quoteQuantity, reserve);
        if (limited != null) {
            listener.onRefused(SpotCommandKind.PLACE_ORDER, accountId, marketId, 0, limited);
            return 0;
        }
        if (reserve > 0 && !wallets.lock(accountId, asset, reserve)) {
            listener.onRefused(SpotCommandKind.PLACE_ORDER, accountId, marketId, 0,
                    SpotRejectReason.INSUFFICIENT_FUNDS);
            return 0;
        }
        long orderId = ++lastOrderId;
        if (reserve > 0) {
            balance(accountId, asset);
        }
        newOrder.clear().hold(reserve > 0 ? reserve : NONE)
                .timestampMs(timestampMs).orderId(orderId).accountId(accountId).side(side).type(type)
                .selfTradePrevention(stp == null ? SelfTradePrevention.EXPIRE_TAKER : stp)
                .price(price).quantity(quantity).quoteQuantity(quoteQuantity).expireAtMs(expireAtMs)
                .timeInForce(timeInForce != null ? timeInForce
                        : type == OrderType.MARKET ? TimeInForce.IOC : TimeInForce.GTC);
        if (hasClientId) {
            // Known before the book's events go out; dropped again when the order is rejected or done.
            clientIds.open(accountId, clientOrderId, orderId);
        }
        m.book.placeOrder(newOrder);
        return orderId;
    }

    /** What risk-service's limits say about a new order: null when allowed. */
    private SpotRejectReason checkLimits(long accountId, Side side, OrderType type, SpotMarket market, long price,
                                         long quantity, long quoteQuantity, long reserve) {
        if (limits.get(accountId) == null) {
            return null;
        }
        MarketConfig cfg = market.book.config();
        int open = 0;
        if (limits.capsOpenOrders(accountId)) {
            for (SpotMarket m : markets) {
                open += m.book.openOrderCount(accountId);
            }
        }
        long notional;
        if (type == OrderType.MARKET && quantity == 0) {
            notional = quoteQuantity;
        } else if (type == OrderType.MARKET) {
            notional = side == Side.BUY ? reserve - cfg.maxFee(reserve) : 0; // walked cost; sells: by quantity only
        } else {
            notional = validPriceAndQuantity(cfg, price, quantity) ? cfg.notional(price, quantity) : 0;
        }
        RiskLimits.Breach breach = limits.check(accountId, open, notional, assets.symbol(market.quoteAsset));
        return breach == null ? null : SpotRejectReason.valueOf(breach.name());
    }

    /**
     * Sets an account's limits from risk-service; 0 means none. Turning the kill switch on
     * cancels every open order of the account in every market.
     */
    public void setLimits(long timestampMs, long accountId, int maxOpenOrders, long maxOrderNotional,
                          String notionalAsset, boolean killSwitch) {
        nowMs = timestampMs;
        limits.set(accountId, maxOpenOrders, maxOrderNotional, notionalAsset, killSwitch);
        if (killSwitch) {
            cancelAll(timestampMs, accountId, -1);
        }
    }

    /** risk-service's limits on accounts, as journaled. */
    public RiskLimits limits() {
        return limits;
    }

    private static boolean validPriceAndQuantity(MarketConfig cfg, long price, long quantity) {
        return price > 0 && price <= cfg.maxPrice() && quantity > 0 && quantity <= cfg.maxQuantity();
    }

    private static long withMaxFee(MarketConfig cfg, long notional) {
        return notional + cfg.maxFee(notional);
    }

    /**
     * What a market buy of {@code quantity} can cost at most: the asks walked best first for
     * that quantity, plus the max fee. With expire-maker self-trade prevention the account's
     * own asks are skipped (they would be cancelled, not bought). Expiries due at this time
     * happen first, as they would inside the book.
     */
    private long marketBuyCost(SpotMarket m, long timestampMs, long accountId, long quantity,
                               SelfTradePrevention stp) {
        m.book.tick(timestampMs);
        CostWalk walk = costWalk.reset(m.book.config(), quantity);
        if (stp == SelfTradePrevention.EXPIRE_MAKER) {
            m.book.orders(Side.SELL, o -> {
                if (o.accountId() != accountId) {
                    walk.onLevel(Side.SELL, o.price(), o.leavesQuantity(), 1);
                }
            });
        } else {
            m.book.levels(Side.SELL, Integer.MAX_VALUE, walk);
        }
        return walk.cost == 0 ? 0 : withMaxFee(m.book.config(), walk.cost);
    }

    /** Accumulates the notional of buying a quantity through levels, best first. */
    private static final class CostWalk implements LevelVisitor {
        MarketConfig cfg;
        long left;
        long cost;

        CostWalk reset(MarketConfig cfg, long quantity) {
            this.cfg = cfg;
            this.left = quantity;
            this.cost = 0;
            return this;
        }

        @Override
        public void onLevel(Side side, long price, long totalQuantity, int orderCount) {
            if (left <= 0) {
                return;
            }
            long take = Math.min(left, totalQuantity);
            cost += cfg.notional(price, take);
            left -= take;
        }
    }

    /**
     * Amends an open order: {@code newPrice} 0 keeps the price, {@code newQuantity} 0 keeps
     * the quantity (a new total, filled part included). A buy that needs more reserve locks
     * it first; what a smaller order no longer needs is released after.
     */
    public void amend(long timestampMs, long accountId, int marketId, long orderId, long newPrice, long newQuantity) {
        nowMs = timestampMs;
        SpotMarket m = market(marketId);
        if (m == null) {
            listener.onRefused(SpotCommandKind.AMEND_ORDER, accountId, marketId, orderId,
                    SpotRejectReason.UNKNOWN_MARKET);
            return;
        }
        m.book.tick(timestampMs); // expiries and a due auction first: reserve for the order after them
        OrderView o = m.book.order(orderId);
        if (o == null || o.accountId() != accountId) {
            m.book.amend(timestampMs, accountId, orderId, newPrice, newQuantity); // the book refuses it, with its sequence
            return;
        }
        long price = newPrice == 0 ? o.price() : newPrice;
        long quantity = newQuantity == 0 ? o.quantity() : newQuantity;
        boolean buy = o.side() == Side.BUY;
        MarketConfig cfg = m.book.config();
        long extra = 0;
        int asset = buy ? m.quoteAsset : m.baseAsset;
        if (validPriceAndQuantity(cfg, price, quantity)) {
            long leaves = Math.max(0, quantity - o.filledQuantity());
            long target = buy ? withMaxFee(cfg, cfg.notional(price, leaves)) : leaves;
            long current = o.hold();
            if (target > current) {
                extra = target - current;
                if (!wallets.lock(accountId, asset, extra)) {
                    listener.onRefused(SpotCommandKind.AMEND_ORDER, accountId, marketId, orderId,
                            SpotRejectReason.INSUFFICIENT_FUNDS);
                    return;
                }
                m.book.setHold(orderId, target);
            }
        }
        rejected = false;
        m.book.amend(timestampMs, accountId, orderId, price, quantity);
        OrderView after = m.book.order(orderId);
        if (rejected && extra > 0 && after != null) { // gone: onDone released it all
            m.book.setHold(orderId, after.hold() - extra);
            wallets.unlock(accountId, asset, extra);
            extra = 0;
        }
        if (!rejected && after != null) { // a refused amend changes nothing, not even the order's surplus
            // Release what the order no longer needs (smaller size, better price, fills on the way).
            long need = buy ? withMaxFee(cfg, cfg.notional(after.price(), after.leavesQuantity()))
                    : after.leavesQuantity();
            long have = after.hold();
            if (have > need) {
                m.book.setHold(orderId, need);
                wallets.unlock(accountId, asset, have - need);
                extra = -1; // balance changed
            }
        }
        if (extra != 0) {
            balance(accountId, asset);
        }
    }

    /** Cancels an open order. */
    public void cancel(long timestampMs, long accountId, int marketId, long orderId) {
        nowMs = timestampMs;
        SpotMarket m = market(marketId);
        if (m == null) {
            listener.onRefused(SpotCommandKind.CANCEL_ORDER, accountId, marketId, orderId,
                    SpotRejectReason.UNKNOWN_MARKET);
            return;
        }
        m.book.cancel(timestampMs, accountId, orderId);
    }

    /** Cancels every open order of the account in one market, or in every market when {@code marketId} < 0. */
    public int cancelAll(long timestampMs, long accountId, int marketId) {
        nowMs = timestampMs;
        if (marketId >= 0) {
            SpotMarket m = market(marketId);
            if (m == null) {
                listener.onRefused(SpotCommandKind.CANCEL_ALL, accountId, marketId, 0,
                        SpotRejectReason.UNKNOWN_MARKET);
                return 0;
            }
            return m.book.massCancel(timestampMs, accountId);
        }
        int n = 0;
        for (SpotMarket m : markets) {
            n += m.book.massCancel(timestampMs, accountId);
        }
        return n;
    }

    /** The rules the engine applies (see {@link #RULES}). */
    public int rules() {
        return rules;
    }

    /**
     * Moves to newer rules (never back). From rules 2 on, ids kept under rules 1 start their
     * retention window now.
     */
    public void adoptRules(long timestampMs, int version) {
        nowMs = timestampMs;
        if (version <= rules || version > RULES) {
            return;
        }
        if (rules < 2) {
            ledger.restartWindows(timestampMs);
        }
        rules = version;
    }

    /** When some book next has a GTD expiry or an auction due; {@code Long.MAX_VALUE} when none. */
    public long nextDueMs() {
        long due = Long.MAX_VALUE;
        for (SpotMarket m : markets) {
            due = Math.min(due, m.book.nextDueMs());
        }
        return due;
    }

    /** Advances every book's clock: GTD expiries and due auctions. */
    public void tick(long timestampMs) {
        nowMs = timestampMs;
        clientIds.expire(timestampMs, clientIdForgotten);
        if (rules >= 2) {
            ledger.expire(timestampMs);
        }
        for (SpotMarket m : markets) {
            m.book.tick(timestampMs);
        }
    }

    /** Adds {@code amount} to the account's available {@code asset}, once per transfer id (see WalletLedger). */
    public void credit(long timestampMs, String transferId, long accountId, String asset, long amount) {
        transfer(timestampMs, transferId, accountId, asset, amount, true);
    }

    /** Takes {@code amount} from the account's available {@code asset}, once per transfer id (see WalletLedger). */
    public void debit(long timestampMs, String transferId, long accountId, String asset, long amount) {
        transfer(timestampMs, transferId, accountId, asset, amount, false);
    }

    private void transfer(long timestampMs, String transferId, long accountId, String asset, long amount,
                          boolean credit) {
        nowMs = timestampMs;
        if (rules >= 2) {
            ledger.expire(timestampMs);
        }
        int assetId = asset == null ? -1 : assetId(asset);
        WalletLedger.Outcome outcome = credit ? ledger.credit(timestampMs, transferId, accountId, assetId, amount)
                : ledger.debit(timestampMs, transferId, accountId, assetId, amount);
        if (outcome.applied() && !outcome.duplicate()) {
            balance(accountId, assetId);
        }
        listener.onTransfer(outcome);
    }

    // ================================================================ the books' events

    @Override
    public void onAccepted(int marketId, long sequence, long orderId, long accountId, long clientOrderId, Side side,
                           OrderType type, TimeInForce timeInForce, SelfTradePrevention selfTradePrevention,
                           long price, long quantity, long quoteQuantity, long expireAtMs) {
        listener.onAccepted(marketId, sequence, orderId, accountId, clientOrderId, side, type, timeInForce,
                selfTradePrevention, price, quantity, quoteQuantity, expireAtMs);
    }

    @Override
    public void onRejected(int marketId, long sequence, CommandType command, long orderId, long accountId,
                           long clientOrderId, RejectReason reason, long existingOrderId) {
        rejected = true;
        if (command == CommandType.NEW_ORDER) {
            // Only place() sends new orders, and the book refuses them at once: the command is still at hand.
            release(marketId, accountId, newOrder.side(), newOrder.hold());
            clientIds.release(orderId);
        }
        listener.onRejected(marketId, sequence, command, orderId, accountId, clientOrderId, reason, existingOrderId);
    }

    @Override
    public void onAmended(int marketId, long sequence, long orderId, long accountId, long clientOrderId, long price,
                          long quantity, long leavesQuantity, boolean keptPriority) {
        listener.onAmended(marketId, sequence, orderId, accountId, clientOrderId, price, quantity, leavesQuantity,
                keptPriority);
    }

    @Override
    public void onFill(int marketId, long sequence, long tradeId, long price, long quantity, Side takerSide,
                       long makerOrderId, long makerAccountId, long makerFee, long takerOrderId, long takerAccountId,
                       long takerFee, boolean auction) {
        SpotMarket m = markets.get(marketId);
        long notional = m.book.config().notional(price, quantity);
        boolean takerBuys = takerSide == Side.BUY;
        long buyOrder = takerBuys ? takerOrderId : makerOrderId;
        long buyer = takerBuys ? takerAccountId : makerAccountId;
        long buyFee = takerBuys ? takerFee : makerFee;
        long sellOrder = takerBuys ? makerOrderId : takerOrderId;
        long seller = takerBuys ? makerAccountId : takerAccountId;
        long sellFee = takerBuys ? makerFee : takerFee;

        long cost = notional + buyFee;
        OrderView buying = m.book.reported(buyOrder);
        OrderView selling = m.book.reported(sellOrder);
        long buyReserve = buying == null ? NONE : buying.hold();
        long sellReserve = selling == null ? NONE : selling.hold();
        if (buyReserve == NONE || sellReserve == NONE || buyReserve < cost || sellReserve < quantity) {
            // Fatal: the book traded an order spot did not reserve enough for. Stop the shard, say why.
            throw new IllegalStateException("fill " + tradeId + " in market " + marketId + " exceeds the reservation"
                    + " of order " + (buyReserve == NONE || buyReserve < cost ? buyOrder : sellOrder));
        }
        m.book.setHold(buyOrder, buyReserve - cost);
        wallets.spendLocked(buyer, m.quoteAsset, cost);
        wallets.receive(buyer, m.baseAsset, quantity);

        m.book.setHold(sellOrder, sellReserve - quantity);
        wallets.spendLocked(seller, m.baseAsset, quantity);
        wallets.receive(seller, m.quoteAsset, notional - sellFee);

        wallets.receive(FEE_ACCOUNT, m.quoteAsset, makerFee + takerFee);

        listener.onFill(marketId, sequence, tradeId, price, quantity, takerSide, makerOrderId, makerAccountId,
                makerFee, takerOrderId, takerAccountId, takerFee, auction);
        balance(buyer, m.baseAsset);
        balance(buyer, m.quoteAsset);
        if (seller != buyer) {
            balance(seller, m.baseAsset);
            balance(seller, m.quoteAsset);
        }
        balance(FEE_ACCOUNT, m.quoteAsset);
    }

    @Override
    public void onDone(int marketId, long sequence, long orderId, long accountId, long clientOrderId,
                       DoneReason reason, long filledQuantity, long remainingQuantity, long remainingQuote) {
        OrderView done = markets.get(marketId).book.reported(orderId);
        release(marketId, accountId, done.side(), done.hold());
        if (rules >= 2) {
            clientIds.done(orderId, nowMs, clientIdForgotten);
            listener.onDone(marketId, sequence, orderId, accountId, clientOrderId, reason, filledQuantity,
                    remainingQuantity, remainingQuote);
            return;
        }
        boolean hadClientId = clientIds.clientOrderId(orderId) != null;
        clientIds.release(orderId);
        listener.onDone(marketId, sequence, orderId, accountId, clientOrderId, reason, filledQuantity,
                remainingQuantity, remainingQuote);
        if (hadClientId) {
            listener.onClientOrderIdForgotten(orderId);
        }
    }

    /** Gives back whatever an order that is done still has reserved: its hold, quote for a buy, base for a sell. */
    private void release(int marketId, long accountId, Side side, long hold) {
        if (hold == NONE || side == null) {
            return;
        }
        SpotMarket m = markets.get(marketId);
        int asset = side == Side.BUY ? m.quoteAsset : m.baseAsset;
        if (hold > 0) {
            wallets.unlock(accountId, asset, hold);
        }
        balance(accountId, asset);
    }

    @Override
    public void onBookDelta(int marketId, long sequence, Side side, long price, long totalQuantity, int orderCount) {
        listener.onBookDelta(marketId, sequence, side, price, totalQuantity, orderCount);
    }

    @Override
    public void onAuction(int marketId, long sequence, long price, long quantity) {
        listener.onAuction(marketId, sequence, price, quantity);
    }

    private void balance(long accountId, int asset) {
        listener.onBalance(accountId, asset, wallets.available(accountId, asset), wallets.locked(accountId, asset));
    }

    // ================================================================ queries

    public SpotMarket market(int marketId) {
        return marketId >= 0 && marketId < markets.size() ? markets.get(marketId) : null;
    }

    public SpotMarket market(String symbol) {
        return marketsBySymbol.get(symbol);
    }

    public List<SpotMarket> markets() {
        return java.util.Collections.unmodifiableList(markets);
    }

    @Override
    public Wallets wallets() {
        return wallets;
    }

    @Override
    public int marketId(String symbol) {
        SpotMarket m = marketsBySymbol.get(symbol);
        return m == null ? -1 : m.id;
    }

    @Override
    public String symbol(int marketId) {
        return markets.get(marketId).spec.symbol();
    }

    @Override
    public String feeAsset(int marketId) {
        return markets.get(marketId).spec.quoteAsset();
    }

    @Override
    public OrderBook book(int marketId) {
        return markets.get(marketId).book;
    }

    @Override
    public int marketCount() {
        return markets.size();
    }

    /** The wallets with their idempotency ledger: totals and applied transfer ids for the audit. */
    public WalletLedger ledger() {
        return ledger;
    }

    /** The assets the markets use; wallets are indexed by their ids. */
    public AssetRegistry assets() {
        return assets;
    }

    public int assetCount() {
        return assets.count();
    }

    @Override
    public String assetSymbol(int assetId) {
        return assets.symbol(assetId);
    }

    /** The asset's id, or -1 if no market uses it. */
    public int assetId(String symbol) {
        return assets.id(symbol);
    }

    /**
     * The order of {@code accountId} with this client order id, or 0: an open order, or a
     * finished one within the retention window of {@link ClientOrderIds}.
     */
    @Override
    public long orderIdForClientId(long accountId, String clientOrderId) {
        return clientIds.orderId(accountId, clientOrderId);
    }

    /** The client order id of an open or retained order, or null. */
    @Override
    public String clientOrderId(long orderId) {
        return clientIds.clientOrderId(orderId);
    }

    public long lastOrderId() {
        return lastOrderId;
    }

    /**
     * Quote still reserved by an open buy order, base by an open sell order; 0 if none. For tests and tools: it looks
     * in every market.
     */
    public long reserved(long orderId) {
        for (SpotMarket m : markets) {
            OrderView o = m.book.order(orderId);
            if (o != null) {
                return o.hold() == NONE ? 0 : o.hold();
            }
        }
        return 0;
    }

    // ================================================================ snapshot

    /**
     * Writes the whole state, deterministically (sorted, no hash order):
     * <pre>
     *   int magic "SPOT", int version, long lastOrderId, int rules (version 2)
     *   assets (see AssetRegistry.write)
     *   int markets: (spec fields, book snapshot with each order's reservation as its hold)*
     *   wallets and their transfer ids (see WalletLedger.write)
     *   client order ids (see ClientOrderIds.write)
     *   int n: (long account, int maxOpenOrders, long maxOrderNotional, bool killSwitch)* ascending
     * </pre>
     * Versions 1 and 2 wrote the reservations after the ledger, as two sorted lists of (long orderId, long amount),
     * quote then base. Version 1 wrote the wallets alone in place of the ledger, and the transfer ids last.
     */
    public void writeSnapshot(DataOutput out) throws IOException {
        out.writeInt(SNAPSHOT_MAGIC);
        out.writeInt(SNAPSHOT_VERSION);
        out.writeLong(lastOrderId);
        out.writeInt(rules);
        assets.write(out);
        out.writeInt(markets.size());
        for (SpotMarket m : markets) {
            m.spec.write(out);
            m.book.writeSnapshot(out);
        }
        ledger.write(out);
        clientIds.write(out);
        limits.write(out);
    }

    /**
     * Restores the state written by {@link #writeSnapshot} (or by version 1); books are rebuilt
     * with this engine as their sink. Returns the snapshot's version.
     */
    public int readSnapshot(DataInput in) throws IOException {
        int version;
        if (in.readInt() != SNAPSHOT_MAGIC || (version = in.readInt()) < 1 || version > SNAPSHOT_VERSION) {
            throw new IOException("not a spot engine snapshot of version 1.." + SNAPSHOT_VERSION);
        }
        markets.clear();
        marketsBySymbol.clear();
        lastOrderId = in.readLong();
        rules = version == 1 ? 1 : in.readInt();
        assets.read(in);
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            MarketSpec spec = MarketSpec.read(in);
            OrderBook book = new OrderBook(spec.toConfig(i), this);
            book.readSnapshot(in);
            SpotMarket m = new SpotMarket(i, spec, assets.id(spec.baseAsset()), assets.id(spec.quoteAsset()), book);
            markets.add(m);
            marketsBySymbol.put(spec.symbol(), m);
        }
        if (version == 1) {
            ledger.readWalletsOnly(in);
        } else {
            ledger.read(in);
        }
        if (version < 3) {
            readReservations(in);
        }
        if (version == 1) {
            clientIds.readOpenOnly(in);
        } else {
            clientIds.read(in);
        }
        limits.read(in, version >= 2);
        if (version == 1) {
            readVersion1TransferIds(in);
        }
        return version;
    }

    /**
     * Version 1's transfer ids, sorted by id and without their time: remembered as answered at
     * time 0, under rules 1, which forget none; adopting rules 2 starts their window then.
     */
    private void readVersion1TransferIds(DataInput in) throws IOException {
        int t = in.readInt();
        for (int i = 0; i < t; i++) {
            String id = in.readUTF();
            long account = in.readLong();
            int asset = in.readInt();
            long amount = in.readLong();
            boolean credit = in.readBoolean();
            boolean applied = in.readBoolean();
            int reason = in.readInt();
            ledger.remember(new WalletLedger.Outcome(id, account, asset, amount, credit,
                    applied ? null : WalletRefusal.valueOf(VERSION_1_REASONS[reason]), 0, false));
        }
    }

    /** SpotRejectReason's names in version 1, by ordinal, for the transfer refusals it stored. */
    private static final String[] VERSION_1_REASONS = {"UNKNOWN_MARKET", "UNKNOWN_ASSET", "MARKET_EXISTS",
        "INVALID_MARKET", "INVALID_ACCOUNT", "INVALID_AMOUNT", "INSUFFICIENT_FUNDS", "UNSUPPORTED_ORDER",
        "BALANCE_OVERFLOW"};

    /**
     * Versions 1 and 2: the reservations as two lists by order id (quote, then base), put on the orders as their
     * holds. An order in neither list reserved nothing; a reservation of an order no book holds is corruption.
     */
    private void readReservations(DataInput in) throws IOException {
        Long2LongHashMap reserved = new Long2LongHashMap(NONE);
        for (int list = 0; list < 2; list++) {
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                reserved.put(in.readLong(), in.readLong());
            }
        }
        int[] placed = {0};
        for (SpotMarket m : markets) {
            for (Side side : Side.values()) {
                m.book.orders(side, o -> {
                    long amount = reserved.get(o.orderId());
                    m.book.setHold(o.orderId(), amount);
                    placed[0] += amount == NONE ? 0 : 1;
                });
            }
        }
        if (placed[0] != reserved.size()) {
            throw new IOException((reserved.size() - placed[0]) + " reservations of orders that no book holds");
        }
    }
}
