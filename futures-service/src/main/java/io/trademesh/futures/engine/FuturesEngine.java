package io.trademesh.futures.engine;

import io.trademesh.matching.CommandType;
import io.trademesh.matching.DoneReason;
import io.trademesh.matching.MarketConfig;
import io.trademesh.matching.NewOrder;
import io.trademesh.matching.OrderBook;
import io.trademesh.matching.OrderType;
import io.trademesh.matching.OrderView;
import io.trademesh.matching.RejectReason;
import io.trademesh.matching.SelfTradePrevention;
import io.trademesh.matching.Side;
import io.trademesh.matching.TimeInForce;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongHashSet;

/**
 * The futures state machine: linear contracts (perpetual and dated) with their books,
 * every account's collateral wallet and positions under cross margin, mark prices, funding,
 * expiry settlement, liquidation with an insurance fund, and auto-deleveraging.
 * Deterministic and single-threaded: commands are method calls stamped with the command
 * clock, outputs go to the {@link FuturesListener}, nothing throws for a bad command.
 *
 * <h2>Money</h2>
 * A fill moves its notional between the two accounts' positions: a buyer's position cost
 * rises by it, a seller's falls, and when a trade reduces a position the part of the cost it
 * closes is released and the difference is the realised PnL, paid into the wallet. So for
 * every collateral asset, at all times:
 * <pre>
 *   sum(wallets) + fees + insurance fund - deficits - sum(position costs) = credits - debits
 * </pre>
 * (each fill changes {@code wallet - cost} by +notional for the seller and -notional for the
 * buyer). Funding is exactly zero-sum: payers pay rounded up, receivers share the total pro
 * rata by size, the rounding remainder one unit each in account order. Settling an expired
 * contract pays each position its value at the settlement price rounded down; the rounding
 * (never negative) goes to the insurance fund.
 *
 * <h2>Checks</h2>
 * An order that can grow the account's worst-case position (all same-side orders filled) must
 * leave {@code equity - initial margin - its loss against mark - its max fee >= 0}, its
 * leverage's bracket must allow the worst-case notional, and the index must be fresh.
 * Orders that only shrink the worst case always pass; reduce-only orders may never grow a
 * position and are cancelled when the position no longer covers them.
 *
 * <h2>Liquidation</h2>
 * After every command, the accounts it touched and the positions whose liquidation key the
 * mark crossed (a sorted index per contract, so a mark move never scans every account; see
 * {@link Margin#liquidationKey} for why that is enough under cross margin) are checked exactly. An account below maintenance has its open orders cancelled; if still below,
 * its largest position is closed by an IOC order of at most one first-bracket notional,
 * limited to the price at which the loss uses up the account's equity and the insurance fund
 * (the fee, {@code liquidationFeeBps} of the closed notional, goes to the fund). A position
 * that is bankrupt and not closed is taken over: the fund pays what it can, and the rest is
 * closed against the opposite positions ranked by {@code PnL% x effective leverage} (winners)
 * or {@code PnL% / effective leverage} (losers), at the bankruptcy price. An account is
 * liquidated once a command, unless another's liquidation then fills its resting order or
 * deleverages it: it is checked again. Liquidations wait while the contract's index is stale.
 */
public final class FuturesEngine implements BookMarkets, io.trademesh.matching.MatchingSink {

    public static final long FEE_ACCOUNT = OrderChecks.VENUE_ACCOUNT;
    private static final int SNAPSHOT_MAGIC = 0x46555453; // "FUTS"
    private static final int SNAPSHOT_VERSION = 1;

    private final FuturesListener listener;
    private final WalletLedger ledger = new WalletLedger(FEE_ACCOUNT);
    private final Wallets wallets = ledger.wallets();
    private final Margin margin = new Margin(wallets);
    private final List<Contract> contracts = new ArrayList<>();
    private final Map<String, Contract> bySymbol = new HashMap<>();
    private final AssetRegistry assets = new AssetRegistry();
    private final Long2ObjectHashMap<MarginAccount> accounts = new Long2ObjectHashMap<>();
    private final Long2ObjectHashMap<OpenOrder> openOrders = new Long2ObjectHashMap<>();
    private final ClientOrderIds clientIds = new ClientOrderIds();
    private final RiskLimits limits = new RiskLimits();
    /** Per asset id: the insurance fund and the losses nothing covered. */
    private long[] insurance = new long[0];
    private long[] deficits = new long[0];
    private long lastOrderId;

    // The command being applied.
    private long nowMs;
    private final java.util.function.LongConsumer clientIdForgotten;
    private final NewOrder newOrder = new NewOrder();
    /** Accounts whose positions or wallet changed: re-indexed, checked and reported after the command. */
    private final LongHashSet touched = new LongHashSet();
    /** Accounts an order of which finished: a flat position without orders is dropped after the command. */
    private final LongHashSet ordersDone = new LongHashSet();
    private final LongHashSet reported = new LongHashSet();
    private final LongHashSet liquidated = new LongHashSet();
    /** Contracts whose mark moved in this command. */
    private final TreeSet<Integer> markMoved = new TreeSet<>();
    /** The reduce-only flag of the order being placed, for onAccepted. */
    private boolean placingReduceOnly;
    /** Fills of the liquidation order being placed: quantity and notional. */
    private long liquidationOrderId;
    private long liquidationFilled;
    private long liquidationNotional;

    public FuturesEngine(FuturesListener listener) {
        this.listener = listener;
        this.clientIdForgotten = listener::onClientOrderIdForgotten;
    }

    // ================================================================ contracts

    /** Creates a contract (and its collateral asset on first use). Returns its id, or -1 when refused. */
    public int createContract(long timestampMs, MarketSpec spec, FuturesTerms terms) {
        begin(timestampMs);
        if (spec.symbol() != null && bySymbol.containsKey(spec.symbol())) {
            return refuse(FuturesRejectReason.MARKET_EXISTS, -1);
        }
        int id = contracts.size();
        MarketConfig config;
        try {
            config = spec.toConfig(id);
        } catch (IllegalArgumentException e) {
            return refuse(FuturesRejectReason.INVALID_MARKET, -1);
        }
        if (terms == null || terms.invalid(timestampMs) != null || !assets.agrees(spec.quoteAsset(), spec.quoteDecimals())
                || spec.matchingMode() != io.trademesh.matching.MatchingMode.CONTINUOUS) {
            return refuse(FuturesRejectReason.INVALID_MARKET, -1);
        }
        int asset = registerAsset(spec.quoteAsset(), spec.quoteDecimals());
        Contract c = new Contract(id, spec, terms, new OrderBook(config, this), asset, timestampMs);
        for (Contract other : contracts) { // the index of its pair, when another contract already follows it
            if (other.indexPrice > 0 && !other.settled && other.spec.baseAsset().equals(spec.baseAsset())
                    && other.spec.quoteAsset().equals(spec.quoteAsset())
                    && other.spec.priceScale() == spec.priceScale()) {
                c.indexPrice = c.clampPrice(other.indexPrice);
                c.indexAtMs = other.indexAtMs;
                c.updateMark(timestampMs);
                break;
            }
        }
        contracts.add(c);
        bySymbol.put(spec.symbol(), c);
        c.book.tick(timestampMs);
        listener.onContractCreated(c);
        end();
        return id;
    }

    private int registerAsset(String symbol, int decimals) {
        int id = assets.register(symbol, decimals);
        if (id >= insurance.length) {
            insurance = Arrays.copyOf(insurance, id + 1);
            deficits = Arrays.copyOf(deficits, id + 1);
        }
        return id;
    }

    // ================================================================ orders

    /**
     * Places an order. {@code closePosition}: a market order for the whole position, opposite
     * side, reduce-only. Returns the new order's id, the existing order's id for a repeated
     * client order id, or 0 when refused.
     */
    public long placeOrder(long timestampMs, long accountId, int contractId, String clientOrderId, Side side,
                           OrderType type, TimeInForce timeInForce, long price, long quantity, long quoteQuantity,
                           long expireAtMs, SelfTradePrevention stp, boolean reduceOnly, boolean closePosition) {
        return placeOrder(timestampMs, accountId, contractId, clientOrderId, side, type, timeInForce, price, quantity,
                quoteQuantity, expireAtMs, stp, reduceOnly, closePosition, null, 0, false, 0);
    }

    /**
     * Places an order, or holds it as a conditional order ({@code conditional} not null) until
     * its trigger: {@code triggerPrice} (a trailing stop's activation, 0 at once) on the mark or,
     * with {@code byLastPrice}, the last trade, {@code callbackBps} for a trailing stop.
     */
    public long placeOrder(long timestampMs, long accountId, int contractId, String clientOrderId, Side side,
                           OrderType type, TimeInForce timeInForce, long price, long quantity, long quoteQuantity,
                           long expireAtMs, SelfTradePrevention stp, boolean reduceOnly, boolean closePosition,
                           ConditionalOrder.Kind conditional, long triggerPrice, boolean byLastPrice,
                           int callbackBps) {
        begin(timestampMs);
        Contract c = contract(contractId);
        if (c == null) {
            return refuse(FuturesRejectReason.UNKNOWN_MARKET, 0L);
        }
        c.book.tick(timestampMs);
        if (accountId == FEE_ACCOUNT) {
            return refuse(FuturesRejectReason.INVALID_ACCOUNT, 0L);
        }
        boolean hasClientId = clientOrderId != null && !clientOrderId.isEmpty();
        if (hasClientId) {
            long existing = clientIds.orderId(accountId, clientOrderId);
            if (existing != 0) {
                listener.onDuplicateClientOrderId(contractId, accountId, existing);
                end();
                return existing;
            }
        }
        if (c.expired(timestampMs)) {
            return refuse(FuturesRejectReason.CONTRACT_EXPIRED, 0L);
        }
        if (quoteQuantity != 0) {
            return refuse(FuturesRejectReason.UNSUPPORTED_ORDER, 0L);
        }
        if (conditional != null) {
            return hold(accountId, c, clientOrderId, side, type, timeInForce, price, quantity, stp, reduceOnly,
                    closePosition, conditional, triggerPrice, byLastPrice, callbackBps);
        }
        long orderId = submit(accountId, c, clientOrderId, side, type, timeInForce, price, quantity, expireAtMs, stp,
                reduceOnly, closePosition);
        if (orderId == 0) {
            return refuse(refusal, 0L);
        }
        end();
        return orderId;
    }

    /** The most conditional orders an account may hold per contract. */
    public static final int MAX_CONDITIONAL_PER_CONTRACT = 100;

    /** Holds a conditional order after checking what can be checked before its trigger. */
    private long hold(long accountId, Contract c, String clientOrderId, Side side, OrderType type,
                      TimeInForce timeInForce, long price, long quantity, SelfTradePrevention stp, boolean reduceOnly,
                      boolean closePosition, ConditionalOrder.Kind kind, long triggerPrice, boolean byLastPrice,
                      int callbackBps) {
        MarketConfig cfg = c.config;
        boolean sized = closePosition ? quantity == 0 && type == OrderType.MARKET
                : quantity > 0 && quantity <= cfg.maxQuantity() && quantity % cfg.lotSize() == 0;
        boolean priced = type == OrderType.MARKET ? price == 0
                : price > 0 && price <= cfg.maxPrice() && price % cfg.tickSize() == 0;
        boolean triggered = kind == ConditionalOrder.Kind.TRAILING_STOP
                ? type == OrderType.MARKET && callbackBps >= 10 && callbackBps <= 1_000 && triggerPrice >= 0
                && triggerPrice <= cfg.maxPrice()
                : triggerPrice > 0 && triggerPrice <= cfg.maxPrice() && callbackBps == 0;
        if (side == null || !sized || !priced || !triggered) {
            return refuse(FuturesRejectReason.INVALID_CONDITIONAL, 0L);
        }
        if (c.conditionals.count(accountId) >= MAX_CONDITIONAL_PER_CONTRACT) {
            return refuse(FuturesRejectReason.OPEN_ORDER_LIMIT, 0L);
        }
        long id = ++lastOrderId;
        ConditionalOrder o = new ConditionalOrder(id, accountId, c, clientOrderId, side, type,
                timeInForce != null ? timeInForce : type == OrderType.MARKET ? TimeInForce.IOC : TimeInForce.GTC,
                price, quantity, stp == null ? SelfTradePrevention.EXPIRE_TAKER : stp, reduceOnly || closePosition,
                closePosition, kind, triggerPrice, byLastPrice, callbackBps, nowMs);
        c.conditionals.add(o);
        c.lastTriggerTrade = Long.MIN_VALUE; // looked at in this command: one already reached fires now
        if (!o.clientOrderId.isEmpty()) {
            clientIds.open(accountId, o.clientOrderId, id);
        }
        listener.onConditional(o, ConditionalOrder.Status.HELD, 0);
        end();
        return id;
    }

    /** Why the last {@link #submit} refused, when it returned 0. */
    private FuturesRejectReason refusal;

    /**
     * An order through futures' checks (close-position, reduce-only, limits, margin) into the
     * book, without a command's frame: a trader's order, or a conditional order that fired.
     * Returns its id, or 0 with {@link #refusal} set.
     */
    private long submit(long accountId, Contract c, String clientOrderId, Side side, OrderType type,
                        TimeInForce timeInForce, long price, long quantity, long expireAtMs, SelfTradePrevention stp,
                        boolean reduceOnly, boolean closePosition) {
        MarginAccount a = accounts.get(accountId);
        Position p = a == null ? null : a.position(c.id);
        long size = p == null ? 0 : p.size;
        if (closePosition) {
            if (size == 0) {
                refusal = FuturesRejectReason.NO_POSITION;
                return 0;
            }
            Side closing = size > 0 ? Side.SELL : Side.BUY;
            if (side != null && side != closing) {
                refusal = FuturesRejectReason.REDUCE_ONLY;
                return 0;
            }
            side = closing;
            type = OrderType.MARKET;
            timeInForce = TimeInForce.IOC;
            price = 0;
            quantity = Math.abs(size);
            reduceOnly = true;
        }
        // close-position takes the whole position whatever reduce-only orders rest: those are trimmed after it
        if (reduceOnly && !closePosition && side != null && quantity > 0) {
            long covered = side == Side.SELL ? size - (p == null ? 0 : p.reduceOnlySell)
                    : -size - (p == null ? 0 : p.reduceOnlyBuy);
            if (quantity > covered) {
                refusal = FuturesRejectReason.REDUCE_ONLY;
                return 0;
            }
        }
        FuturesRejectReason limited = checkLimits(accountId, c, type, price, quantity);
        if (limited != null) {
            refusal = limited;
            return 0;
        }
        if (!reduceOnly && side != null && quantity > 0 && quantity <= c.config.maxQuantity()
                && (type == OrderType.MARKET || (price > 0 && price <= c.config.maxPrice()))) {
            FuturesRejectReason short_ = marginCheck(account(accountId), c, p, side, quantity,
                    type == OrderType.MARKET ? 0 : price);
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
        c.book.placeOrder(newOrder);
        placingReduceOnly = false;
        return orderId;
    }

    /** What risk-service's limits say about a new order: null when allowed. */
    private FuturesRejectReason checkLimits(long accountId, Contract c, OrderType type, long price, long quantity) {
        if (limits.get(accountId) == null) {
            return null;
        }
        int open = 0;
        if (limits.capsOpenOrders(accountId)) {
            for (Contract x : contracts) {
                open += x.book.openOrderCount(accountId);
            }
        }
        long notional = type == OrderType.MARKET ? (c.markPrice > 0 ? c.notionalAtMark(quantity) : 0)
                : price > 0 && price <= c.config.maxPrice() && quantity > 0 && quantity <= c.config.maxQuantity()
                ? c.config.notional(price, quantity) : 0;
        RiskLimits.Breach breach = limits.check(accountId, open, notional, c.spec.quoteAsset());
        return breach == null ? null : FuturesRejectReason.valueOf(breach.name());
    }

    /**
     * The pre-trade check of an order that may grow the position ({@code price} 0: a market
     * order, valued by walking the book): null when it fits the account's margin.
     */
    private FuturesRejectReason marginCheck(MarginAccount a, Contract c, Position p, Side side, long quantity,
                                            long price) {
        long size = p == null ? 0 : p.size;
        long openBuy = p == null ? 0 : p.openBuy;
        long openSell = p == null ? 0 : p.openSell;
        long worstBefore = Math.max(Math.abs(size + openBuy), Math.abs(size - openSell));
        long worstAfter = side == Side.BUY ? Math.max(Math.abs(size + openBuy + quantity), Math.abs(size - openSell))
                : Math.max(Math.abs(size + openBuy), Math.abs(size - openSell - quantity));
        if (worstAfter <= worstBefore) {
            return null; // it can only shrink the worst case
        }
        if (!c.indexFresh(nowMs) || c.markPrice <= 0) {
            return FuturesRejectReason.INDEX_STALE;
        }
        int leverage = a.leverage(c);
        if (c.notionalAtMark(worstAfter) > c.terms.brackets().maxNotionalAt(leverage)) {
            return FuturesRejectReason.POSITION_LIMIT;
        }
        long orderNotional;
        long filledQuantity;
        if (price > 0) {
            orderNotional = c.config.notional(price, quantity);
            filledQuantity = quantity;
        } else {
            BookWalk walk = BookWalk.of(c.book, c.config, side, quantity);
            orderNotional = walk.notional();
            filledQuantity = quantity - walk.left();
        }
        long atMark = c.value(c.markPrice, filledQuantity);
        long loss = Math.max(0, side == Side.BUY ? orderNotional - atMark : atMark - orderNotional);
        long initialAfter = margin.initial(a, c.asset) - (p == null ? 0 : Margin.initial(p, worstBefore, leverage))
                + MarginBrackets.initial(c.notionalAtMark(worstAfter), leverage);
        long free = margin.equity(a, c.asset) - initialAfter - loss - c.config.maxFee(orderNotional);
        return free >= 0 ? null : FuturesRejectReason.INSUFFICIENT_MARGIN;
    }

    /**
     * Amends an open order ({@code newPrice} 0 keeps the price, {@code newQuantity} 0 the
     * quantity): more quantity passes the same margin check as a new order of that much;
     * a reduce-only order stays within the position.
     */
    public void amend(long timestampMs, long accountId, int contractId, long orderId, long newPrice, long newQuantity) {
        Contract c = begin(timestampMs, contractId);
        if (c == null) {
            return;
        }
        c.book.tick(timestampMs);
        OrderView view = c.book.order(orderId);
        OpenOrder o = openOrders.get(orderId);
        if (view != null && o != null && o.accountId == accountId) {
            long quantity = newQuantity == 0 ? view.quantity() : newQuantity;
            long price = newPrice == 0 ? view.price() : newPrice;
            long extra = Math.max(0, quantity - view.filledQuantity()) - o.leaves;
            Position p = accounts.get(accountId).position(contractId);
            if (o.reduceOnly && extra > 0) {
                long covered = o.side == Side.SELL ? p.size - p.reduceOnlySell : -p.size - p.reduceOnlyBuy;
                if (extra > covered) {
                    refuse(FuturesRejectReason.REDUCE_ONLY, 0);
                    return;
                }
            } else if (!o.reduceOnly && extra > 0 && price > 0 && price <= c.config.maxPrice()
                    && quantity <= c.config.maxQuantity()) {
                FuturesRejectReason short_ = marginCheck(accounts.get(accountId), c, p, o.side, extra, price);
                if (short_ != null) {
                    refuse(short_, 0);
                    return;
                }
            }
        }
        c.book.amend(timestampMs, accountId, orderId, newPrice, newQuantity);
        end();
    }

    public void cancel(long timestampMs, long accountId, int contractId, long orderId) {
        Contract c = begin(timestampMs, contractId);
        if (c == null) {
            return;
        }
        ConditionalOrder held = c.conditionals.get(orderId);
        if (held != null && held.accountId == accountId) {
            drop(held, ConditionalOrder.Status.CANCELLED);
        } else {
            c.book.cancel(timestampMs, accountId, orderId);
        }
        end();
    }

    /** Removes a held conditional order that will not fire (cancelled, expired). */
    private void drop(ConditionalOrder o, ConditionalOrder.Status status) {
        o.contract.conditionals.remove(o);
        if (!o.clientOrderId.isEmpty()) {
            clientIds.done(o.id, nowMs, clientIdForgotten);
        }
        listener.onConditional(o, status, 0);
    }

    /** Drops the account's held conditional orders in {@code c}. */
    private void dropConditionals(Contract c, long accountId, ConditionalOrder.Status status) {
        if (c.conditionals.isEmpty()) {
            return;
        }
        for (ConditionalOrder o : c.conditionals.of(accountId)) {
            drop(o, status);
        }
    }

    /** Cancels every open order of the account in one contract, or in every one when {@code contractId} < 0. */
    public void cancelAll(long timestampMs, long accountId, int contractId) {
        begin(timestampMs);
        if (contractId >= 0) {
            Contract c = contract(contractId);
            if (c == null) {
                refuse(FuturesRejectReason.UNKNOWN_MARKET, 0);
                return;
            }
            c.book.massCancel(timestampMs, accountId);
            dropConditionals(c, accountId, ConditionalOrder.Status.CANCELLED);
        } else {
            for (Contract c : contracts) {
                c.book.massCancel(timestampMs, accountId);
                dropConditionals(c, accountId, ConditionalOrder.Status.CANCELLED);
            }
        }
        end();
    }

    /** Sets the account's leverage on a contract: 1 .. the first bracket's; its positions and orders must fit. */
    public void setLeverage(long timestampMs, long accountId, int contractId, int leverage) {
        Contract c = beginForAccount(timestampMs, contractId, accountId);
        if (c == null) {
            return;
        }
        MarginBrackets b = c.terms.brackets();
        if (leverage < 1 || leverage > b.maxLeverage(0)) {
            refuse(FuturesRejectReason.LEVERAGE_TOO_HIGH, 0);
            return;
        }
        MarginAccount a = account(accountId);
        Position p = a.position(contractId);
        if (p != null && p.isolated && p.size != 0
                && Margin.isolatedEquity(p) < MarginBrackets.initial(c.notionalAtMark(p.size), leverage)) {
            refuse(FuturesRejectReason.INSUFFICIENT_MARGIN, 0); // add margin first
            return;
        }
        if (p != null && !p.empty()) {
            if (c.notionalAtMark(p.worstSize()) > b.maxNotionalAt(leverage)) {
                refuse(FuturesRejectReason.POSITION_LIMIT, 0);
                return;
            }
            int before = a.leverage(c);
            long initialAfter = margin.initial(a, c.asset) - Margin.initial(p, p.worstSize(), before)
                    + Margin.initial(p, p.worstSize(), leverage);
            if (leverage < before && margin.equity(a, c.asset) < initialAfter) {
                refuse(FuturesRejectReason.INSUFFICIENT_MARGIN, 0);
                return;
            }
        }
        a.setLeverage(contractId, leverage);
        touched.add(accountId);
        listener.onLeverage(accountId, c, leverage, b.maxNotionalAt(leverage));
        end();
    }

    /** Cross or isolated margin on a contract: only while the account has no position and no order there. */
    public void setMarginMode(long timestampMs, long accountId, int contractId, boolean isolated) {
        Contract c = beginForAccount(timestampMs, contractId, accountId);
        if (c == null) {
            return;
        }
        MarginAccount a = account(accountId);
        Position p = a.position(contractId);
        if (p != null && !p.empty()) {
            refuse(FuturesRejectReason.POSITION_EXISTS, 0);
            return;
        }
        a.setIsolated(contractId, isolated);
        if (p != null) {
            p.isolated = isolated;
        }
        listener.onMargin(accountId, c, isolated, 0);
        end();
    }

    /**
     * Adds collateral to an isolated position's margin ({@code amount} > 0, from what the cross
     * pool has free) or takes it out (< 0, leaving at least the position's initial margin).
     */
    public void adjustMargin(long timestampMs, long accountId, int contractId, long amount) {
        Contract c = begin(timestampMs, contractId);
        if (c == null) {
            return;
        }
        MarginAccount a = accounts.get(accountId);
        Position p = a == null ? null : a.position(contractId);
        if (p == null || !p.isolated || p.size == 0) {
            refuse(FuturesRejectReason.NO_POSITION, 0);
            return;
        }
        if (amount == 0) {
            refuse(FuturesRejectReason.INVALID_AMOUNT, 0);
            return;
        }
        if (amount > 0) {
            long free = Math.min(margin.wallet(a, c.asset), margin.equity(a, c.asset) - margin.initial(a, c.asset));
            if (amount > free) {
                refuse(FuturesRejectReason.INSUFFICIENT_MARGIN, 0);
                return;
            }
        } else {
            long keep = Margin.positionInitial(p, a.leverage(c));
            if (-amount > p.isolatedMargin || Margin.isolatedEquity(p) + amount < keep) {
                refuse(FuturesRejectReason.INSUFFICIENT_MARGIN, 0);
                return;
            }
        }
        wallets.shift(accountId, c.asset, amount);
        p.isolatedMargin += amount;
        touch(accountId, c.asset);
        listener.onMargin(accountId, c, true, p.isolatedMargin);
        end();
    }

    // ================================================================ wallets

    public void credit(long timestampMs, String transferId, long accountId, String asset, long amount) {
        begin(timestampMs);
        ledger.expire(timestampMs);
        WalletLedger.Outcome o = ledger.credit(timestampMs, transferId, accountId, asset == null ? -1 : assets.id(asset),
                amount);
        transferred(o);
    }

    /** Takes from the wallet at most what margin leaves free: {@code min(wallet, equity - initial margin)}. */
    public void debit(long timestampMs, String transferId, long accountId, String asset, long amount) {
        begin(timestampMs);
        ledger.expire(timestampMs);
        int assetId = asset == null ? -1 : assets.id(asset);
        long free = Long.MAX_VALUE;
        MarginAccount a = accounts.get(accountId);
        if (a != null && assetId >= 0) {
            free = Math.max(0, Math.min(margin.wallet(a, assetId),
                    margin.equity(a, assetId) - margin.initial(a, assetId)));
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

    // ================================================================ prices and time

    /**
     * An index price for {@code asset} quoted in {@code quote}, at {@code scale} decimals: the
     * contracts on that pair take it (rescaled to their price scale) and recompute their mark.
     */
    public void indexPrice(long timestampMs, String asset, String quote, long price, int scale) {
        begin(timestampMs);
        if (price > 0 && scale >= 0 && scale <= 18) {
            for (Contract c : contracts) {
                if (c.settled || !c.spec.baseAsset().equals(asset) || !c.spec.quoteAsset().equals(quote)) {
                    continue;
                }
                long rescaled = FixedPoint.rescale(price, scale, c.spec.priceScale());
                if (rescaled > 0) {
                    c.onIndex(timestampMs, c.clampPrice(rescaled));
                    markMoved.add(c.id);
                }
            }
        }
        end();
    }

    /**
     * When something is next due: a sample (every 5 s per live contract), a GTD expiry, funding
     * or expiry. Funding or an expiry that was due but waits for a fresh index is retried with
     * the samples, so a stale index never makes the ticker spin.
     */
    public long nextDueMs() {
        long due = Long.MAX_VALUE;
        for (Contract c : contracts) {
            due = Math.min(due, c.book.nextDueMs());
            if (!c.settled) {
                due = Math.min(due, c.nextSampleMs);
                if (c.nextFundingMs > nowMs) {
                    due = Math.min(due, c.nextFundingMs);
                }
            }
        }
        return due;
    }

    /** Advances the clock: GTD expiries, samples and mark, funding, expiry settlement, then liquidations. */
    public void tick(long timestampMs) {
        begin(timestampMs);
        ledger.expire(timestampMs);
        for (Contract c : contracts) {
            c.book.tick(timestampMs);
            if (c.settled) {
                continue;
            }
            if (timestampMs >= c.nextSampleMs) {
                c.sample(timestampMs);
                c.nextSampleMs = timestampMs + Contract.SAMPLE_INTERVAL_MS;
                c.updateMark(timestampMs);
                markMoved.add(c.id);
            }
            if (c.terms.kind() == ContractKind.PERPETUAL && timestampMs >= c.nextFundingMs
                    && c.indexFresh(timestampMs)) {
                settleFunding(c);
            } else if (c.terms.kind() == ContractKind.DATED && timestampMs >= c.terms.expiryMs() && c.indexPrice > 0) {
                settleExpiry(c);
            }
        }
        end();
    }

    /** Pays funding at the contract's mark: exactly zero-sum (see the class comment). */
    private void settleFunding(Contract c) {
        long rate = c.estimatedFundingRateE8();
        long paid = 0;
        if (rate != 0 && c.markPrice > 0) {
            boolean longsPay = rate > 0;
            long receiverSize = 0;
            for (Position p : c.positions.values()) {
                if (p.size == 0) {
                    continue;
                }
                if ((p.size > 0) == longsPay) {
                    long pay = FixedPoint.mulDivCeil(c.notionalAtMark(p.size), Math.abs(rate), FuturesTerms.E8);
                    pay(p, -pay);
                    p.fundingPaid += pay;
                    paid += pay;
                    touch(p.accountId, c.asset);
                } else {
                    receiverSize += Math.abs(p.size);
                }
            }
            long shared = 0;
            if (receiverSize > 0) {
                for (Position p : c.positions.values()) {
                    if (p.size != 0 && (p.size > 0) != longsPay) {
                        long share = FixedPoint.mulDivFloor(paid, Math.abs(p.size), receiverSize);
                        pay(p, share);
                        p.fundingPaid -= share;
                        shared += share;
                        touch(p.accountId, c.asset);
                    }
                }
                for (Position p : c.positions.values()) {
                    if (shared == paid) {
                        break;
                    }
                    if (p.size != 0 && (p.size > 0) != longsPay) {
                        pay(p, 1);
                        p.fundingPaid -= 1;
                        shared++;
                    }
                }
            }
            if (shared != paid) { // payers without receivers cannot happen while positions net to zero
                throw new IllegalStateException("funding of " + c.spec.symbol() + " is not zero-sum");
            }
        }
        FundingRecord record = new FundingRecord(nowMs, rate, c.markPrice, paid);
        c.fundingSettled(nowMs, record); // its payments reach each account's stream as its position's funding paid
    }

    /** A payment to (or, negative, from) a position's margin: the wallet, or an open isolated position's margin. */
    private void pay(Position p, long amount) {
        if (p.isolated && p.size != 0) { // a flat isolated position has given its margin back: the wallet pays
            wallets.receiveLocked(p.accountId, p.contract.asset, amount);
            p.isolatedMargin += amount;
        } else {
            wallets.receive(p.accountId, p.contract.asset, amount);
        }
    }

    /** Settles an expired dated contract: open orders cancelled, every position closed at the settlement price. */
    private void settleExpiry(Contract c) {
        long price = c.settlementPriceNow();
        TreeSet<Long> owners = new TreeSet<>();
        c.book.orders(Side.BUY, o -> owners.add(o.accountId()));
        c.book.orders(Side.SELL, o -> owners.add(o.accountId()));
        for (long accountId : owners) {
            c.book.massCancel(nowMs, accountId);
        }
        for (ConditionalOrder o : c.conditionals.all()) {
            drop(o, ConditionalOrder.Status.EXPIRED);
        }
        long residue = 0;
        for (Position p : new ArrayList<>(c.positions.values())) {
            c.positions.remove(p.accountId);
            c.unindex(p);
            long value = c.value(price, p.size);
            long realised = value - p.cost;
            residue -= value;
            pay(p, realised);
            p.realisedPnl += realised;
            p.size = 0;
            p.cost = 0;
            if (p.isolated) {
                releaseIsolated(p);
            }
            touch(p.accountId, c.asset);
        }
        insurance[c.asset] += residue;
        c.settled = true;
        c.settlementPrice = price;
        c.markPrice = price;
    }

    // ================================================================ risk-service's limits

    public void setLimits(long timestampMs, long accountId, int maxOpenOrders, long maxOrderNotional,
                          String notionalAsset, boolean killSwitch) {
        begin(timestampMs);
        limits.set(accountId, maxOpenOrders, maxOrderNotional, notionalAsset, killSwitch);
        if (killSwitch) {
            for (Contract c : contracts) {
                c.book.massCancel(timestampMs, accountId);
                dropConditionals(c, accountId, ConditionalOrder.Status.CANCELLED);
            }
        }
        end();
    }

    public RiskLimits limits() {
        return limits;
    }

    // ================================================================ a command's frame

    private void begin(long timestampMs) {
        nowMs = timestampMs;
        clientIds.expire(timestampMs, clientIdForgotten);
        touched.clear();
        ordersDone.clear();
        markMoved.clear();
    }

    /** Starts a command on a contract: the contract, or null when there is none (refused as UNKNOWN_MARKET). */
    private Contract begin(long timestampMs, int contractId) {
        begin(timestampMs);
        Contract c = contract(contractId);
        if (c == null) {
            refuse(FuturesRejectReason.UNKNOWN_MARKET, 0);
        }
        return c;
    }

    /** {@link #begin(long, int)} for an account's setting: the venue's account has none (INVALID_ACCOUNT). */
    private Contract beginForAccount(long timestampMs, int contractId, long accountId) {
        Contract c = begin(timestampMs, contractId);
        if (c != null && accountId == FEE_ACCOUNT) {
            refuse(FuturesRejectReason.INVALID_ACCOUNT, 0);
            return null;
        }
        return c;
    }

    private <T> T refuse(FuturesRejectReason reason, T result) {
        listener.onRefused(reason);
        end();
        return result;
    }

    private int refuse(FuturesRejectReason reason, int result) {
        listener.onRefused(reason);
        end();
        return result;
    }

    /**
     * The venue's part of every command: reduce-only orders the positions no longer cover are
     * cancelled, liquidation candidates are checked, positions re-indexed, flat ones dropped,
     * and each changed account reported once.
     */
    private void end() {
        listener.onCommandDone();
        fireConditionals();
        if (touched.isEmpty() && markMoved.isEmpty() && ordersDone.isEmpty()) {
            return;
        }
        for (int id : markMoved) {
            Contract c = contracts.get(id);
            if (!c.indexFresh(nowMs)) {
                continue;
            }
            c.candidates(p -> touched.add(p.accountId));
        }
        reported.clear();
        liquidated.clear();
        // In rounds, each in account order: what a round touches again (counterparties of a
        // liquidation) is the next round. An account is liquidated once a command unless another
        // liquidation then changes its positions (a fill of its resting order, a deleveraging at
        // the bankruptcy price); each of those uses up resting quantity or open size, so the
        // rounds end.
        while (!touched.isEmpty()) {
            long[] round = SortedIds.of(touched);
            touched.clear();
            for (long next : round) {
                reported.add(next);
                MarginAccount a = accounts.get(next);
                if (a == null) {
                    continue;
                }
                trimReduceOnly(a);
                checkedAccount = -1;
                if (!liquidated.contains(next) && needsLiquidation(a)) {
                    checkedAccount = -1;
                    liquidated.add(next);
                    liquidate(a);
                }
                for (int asset = 0; asset < assets.count(); asset++) {
                    settleDeficit(a, asset); // flat and owing: closed at a loss beyond its equity, or settled at expiry
                }
                reindex(a);
            }
        }
        for (long accountId : SortedIds.of(reported)) {
            listener.onAccountChanged(accountId); // before flat positions go, so their closing is reported
            MarginAccount a = accounts.get(accountId);
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
     * Fires the held conditional orders whose trigger the mark or the last trade price reached
     * (the contract's {@link ConditionalBook} finds them without a scan, trailing stops apart),
     * in ascending id, each placed through the same checks as a trader's order; again while a
     * fired order's trades reach further triggers. Mark triggers wait while the index is stale.
     * A new order is looked at in the command that holds it, so after every command no held
     * order is reached at the current prices; looking again at unchanged prices therefore changes
     * nothing, and whether a price was already looked at (after a restore: not known) need not
     * be journaled.
     */
    private void fireConditionals() {
        for (int round = 0; round < 64; round++) {
            List<ConditionalOrder> fired = null;
            for (Contract c : contracts) {
                if (c.conditionals.isEmpty() || c.settled) {
                    continue;
                }
                long last = c.book.lastTradePrice();
                if (!markMoved.contains(c.id) && last == c.lastTriggerTrade) {
                    continue;
                }
                c.lastTriggerTrade = last;
                if (fired == null) {
                    fired = new ArrayList<>();
                }
                c.conditionals.reached(c.indexFresh(nowMs) ? c.markPrice : 0, last, fired);
            }
            if (fired == null || fired.isEmpty()) {
                return;
            }
            fired.sort((x, y) -> Long.compare(x.id, y.id));
            for (ConditionalOrder o : fired) {
                o.contract.conditionals.remove(o);
                if (!o.clientOrderId.isEmpty()) {
                    clientIds.release(o.id); // the order it places takes the client order id over
                }
                long orderId = submit(o.accountId, o.contract, o.clientOrderId, o.side, o.type, o.timeInForce,
                        o.price, o.quantity, 0, o.stp, o.reduceOnly, o.closePosition);
                listener.onConditional(o, orderId != 0 ? ConditionalOrder.Status.TRIGGERED
                        : ConditionalOrder.Status.REJECTED, orderId);
            }
        }
    }

    /**
     * How many positions of a contract a mark of {@code markPrice} would send to the exact
     * check: the liquidation index's answer, without changing anything (for risk views and
     * benchmarks).
     */
    public int liquidationCandidates(int contractId, long markPrice) {
        int[] n = new int[1];
        Contract c = contracts.get(contractId);
        c.longs.crossed(markPrice, p -> n[0]++);
        c.shorts.crossed(markPrice, p -> n[0]++);
        return n[0];
    }

    private void touch(long accountId, int asset) {
        touched.add(accountId);
        balance(accountId, asset);
    }

    /** The cross slack (equity - maintenance) {@link #needsLiquidation} found, for the re-index right after it. */
    private long checkedAccount = -1;
    private int checkedAsset;
    private long checkedSlack;

    private boolean needsLiquidation(MarginAccount a) {
        int checked = -1; // accounts hold one collateral asset as a rule: check each asset once
        for (Position p : a.positions) {
            int asset = p.contract.asset;
            if (p.isolated) {
                if (p.contract.indexFresh(nowMs) && Margin.isolatedBelowMaintenance(p)) {
                    return true;
                }
                continue;
            }
            if (p.size != 0 && asset != checked) {
                checked = asset;
                long equity = margin.equity(a, asset);
                long maintenance = margin.maintenance(a, asset);
                // kept for the re-index that follows, unless something changes the account in between
                checkedAccount = a.accountId;
                checkedAsset = asset;
                checkedSlack = equity - maintenance;
                if (maintenance > 0 && equity < maintenance && allFresh(a, asset)) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean allFresh(MarginAccount a, int asset) {
        for (Position p : a.positions) {
            if (p.contract.asset == asset && p.size != 0 && !p.contract.indexFresh(nowMs)) {
                return false;
            }
        }
        return true;
    }

    private void reindex(MarginAccount a) {
        int asset = -1;
        double slack = 0;
        double total = 0;
        for (Position p : a.positions) {
            if (p.size == 0 || p.contract.settled) {
                p.contract.unindex(p);
                continue;
            }
            if (p.contract.asset != asset) {
                asset = p.contract.asset;
                slack = checkedAccount == a.accountId && checkedAsset == asset ? checkedSlack
                        : margin.equity(a, asset) - margin.maintenance(a, asset);
                total = margin.totalNotional(a, asset);
            }
            p.contract.index(p, margin.liquidationKey(p, slack, total));
        }
    }

    /** Drops positions with nothing left: flat, no open orders. */
    private void dropFlat(MarginAccount a) {
        for (int i = a.positions.size() - 1; i >= 0; i--) {
            Position p = a.positions.get(i);
            if (p.empty()) {
                p.contract.unindex(p);
                a.positions.remove(i);
            }
        }
    }

    /** Cancels reduce-only orders, newest first, while they exceed what the position can still be reduced by. */
    private void trimReduceOnly(MarginAccount a) {
        boolean any = false;
        for (Position p : a.positions) {
            any |= !p.reduceOnlyOrders.isEmpty();
        }
        if (!any) {
            return;
        }
        for (Position p : new ArrayList<>(a.positions)) {
            while (!p.reduceOnlyOrders.isEmpty() && (p.reduceOnlySell > Math.max(0, p.size)
                    || p.reduceOnlyBuy > Math.max(0, -p.size))) {
                long orderId = p.reduceOnlyOrders.getLong(p.reduceOnlyOrders.size() - 1);
                OpenOrder o = openOrders.get(orderId);
                boolean excess = o != null && (o.side == Side.SELL ? p.reduceOnlySell > Math.max(0, p.size)
                        : p.reduceOnlyBuy > Math.max(0, -p.size));
                if (o == null) {
                    p.reduceOnlyOrders.removeAt(p.reduceOnlyOrders.size() - 1);
                } else if (excess) {
                    p.contract.book.cancel(nowMs, a.accountId, orderId);
                } else {
                    break;
                }
            }
        }
    }

    // ================================================================ liquidation

    private void liquidate(MarginAccount a) {
        for (Position p : new ArrayList<>(a.positions)) {
            if (p.contract.indexFresh(nowMs) && Margin.isolatedBelowMaintenance(p)) {
                liquidateIsolated(a, p);
            }
        }
        int asset = -1;
        for (Position p : a.positions) {
            if (p.size != 0 && margin.belowMaintenance(a, p.contract.asset)) {
                asset = p.contract.asset;
                break;
            }
        }
        if (asset < 0) {
            return;
        }
        for (Position p : new ArrayList<>(a.positions)) {
            if (p.contract.asset == asset && !p.isolated) {
                p.contract.book.massCancel(nowMs, a.accountId);
            }
        }
        for (int round = 0; round <= a.positions.size() && margin.belowMaintenance(a, asset); round++) {
            Position p = largest(a, asset);
            if (p == null) {
                break;
            }
            closeInBook(a, p);
            long equity = margin.equity(a, asset);
            if (p.size != 0 && equity <= 0) {
                long cover = Math.min(insurance[asset], -equity);
                insurance[asset] -= cover;
                wallets.receive(a.accountId, asset, cover);
                deleverage(a, p);
            } else if (p.size != 0) {
                break; // the book was thin: the rest waits for the next check
            }
        }
        settleDeficit(a, asset);
        touch(a.accountId, asset);
    }

    /**
     * An isolated position below its maintenance: its orders cancelled, closed in the book within
     * its own margin and the fund, the rest deleveraged; the rest of the account is not touched.
     */
    private void liquidateIsolated(MarginAccount a, Position p) {
        p.contract.book.massCancel(nowMs, a.accountId);
        if (!Margin.isolatedBelowMaintenance(p)) {
            return;
        }
        closeInBook(a, p);
        if (p.size != 0 && Margin.isolatedEquity(p) <= 0) {
            long cover = Math.min(insurance[p.contract.asset], -Margin.isolatedEquity(p));
            insurance[p.contract.asset] -= cover;
            pay(p, cover);
            deleverage(a, p);
        }
        touch(a.accountId, p.contract.asset);
    }

    private static Position largest(MarginAccount a, int asset) {
        Position best = null;
        long bestNotional = -1;
        for (Position p : a.positions) {
            if (p.contract.asset == asset && p.size != 0 && !p.isolated) {
                long n = p.contract.notionalAtMark(p.size);
                if (n > bestNotional) {
                    best = p;
                    bestNotional = n;
                }
            }
        }
        return best;
    }

    /**
     * One step of closing {@code p} in the book: an IOC for at most one first-bracket notional,
     * no worse than where the loss would use up the account's equity and the insurance fund.
     */
    private void closeInBook(MarginAccount a, Position p) {
        Contract c = p.contract;
        long equity = p.isolated ? Margin.isolatedEquity(p) : margin.equity(a, c.asset);
        long budget = Math.max(0, equity) + insurance[c.asset];
        long limit = Margin.priceAtLoss(p, budget);
        long tick = c.config.tickSize();
        Side side = p.size > 0 ? Side.SELL : Side.BUY;
        limit = side == Side.SELL ? Math.max(tick, -Math.floorDiv(-limit, tick) * tick)
                : Math.min(c.config.maxPrice() / tick * tick, Math.floorDiv(limit, tick) * tick);
        if (limit <= 0) {
            return;
        }
        long lot = c.config.lotSize();
        long step = FixedPoint.mulDivFloor(c.terms.brackets().cap(0), c.config.notionalDivisor(), c.markPrice);
        step = Math.max(lot, step / lot * lot);
        long quantity = Math.min(Math.abs(p.size), Math.min(step, c.config.maxQuantity() / lot * lot));
        long orderId = ++lastOrderId;
        liquidationOrderId = orderId;
        liquidationFilled = 0;
        liquidationNotional = 0;
        newOrder.clear().timestampMs(nowMs).orderId(orderId).accountId(a.accountId).side(side)
                .type(OrderType.LIMIT).timeInForce(TimeInForce.IOC).selfTradePrevention(SelfTradePrevention.NONE)
                .price(limit).quantity(quantity);
        placingReduceOnly = true;
        c.book.placeOrder(newOrder);
        placingReduceOnly = false;
        liquidationOrderId = 0;
        if (liquidationFilled > 0) {
            long fee = FixedPoint.mulDivCeil(liquidationNotional, c.terms.liquidationFeeBps(), MarginBrackets.BPS);
            if (p.isolated && p.size != 0) {
                fee = Math.min(fee, Math.max(0, Margin.isolatedEquity(p)));
                pay(p, -fee);
            } else {
                // an isolated position closed in full gave its margin back: the fee comes out of that
                fee = Math.min(fee, Math.max(0, p.isolated ? lastReleased : margin.equity(a, c.asset)));
                wallets.receive(a.accountId, c.asset, -fee);
            }
            insurance[c.asset] += fee;
            listener.onLiquidation(c, a.accountId, side, FixedPoint.mulDivFloor(liquidationNotional,
                    c.config.notionalDivisor(), liquidationFilled), liquidationFilled, false);
        }
    }

    /**
     * Closes the rest of a bankrupt position against opposite positions, best ranked first, at
     * its bankruptcy price (the mark when the fund covered the loss).
     */
    private void deleverage(MarginAccount a, Position p) {
        Contract c = p.contract;
        long price = Math.max(1, margin.bankruptcyPrice(a, p));
        List<Position> ranked = new ArrayList<>();
        for (Position q : c.positions.values()) {
            if (q.accountId != a.accountId && q.size != 0 && (q.size > 0) != (p.size > 0)) {
                ranked.add(q);
            }
        }
        double[] scores = new double[ranked.size()];
        for (int i = 0; i < ranked.size(); i++) {
            scores[i] = adlScore(ranked.get(i));
        }
        Integer[] order = new Integer[ranked.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> {
            int byScore = Double.compare(scores[y], scores[x]);
            return byScore != 0 ? byScore : Long.compare(ranked.get(x).accountId, ranked.get(y).accountId);
        });
        Side closing = p.size > 0 ? Side.SELL : Side.BUY;
        long closed = 0;
        for (int i : order) {
            if (p.size == 0) {
                break;
            }
            Position q = ranked.get(i);
            long quantity = Math.min(Math.abs(p.size), Math.abs(q.size));
            long notional = c.value(price, quantity);
            trade(p, closing == Side.BUY ? quantity : -quantity, notional);
            trade(q, closing == Side.BUY ? -quantity : quantity, notional);
            liquidated.remove(q.accountId); // closed at the bankruptcy price, not the mark: looked at again
            touch(q.accountId, c.asset);
            closed += quantity;
        }
        if (closed > 0) {
            listener.onLiquidation(c, a.accountId, closing, price, closed, true);
        }
    }

    /** The ADL rank of a position: PnL% x effective leverage in profit, PnL% / effective leverage in loss. */
    double adlScore(Position q) {
        MarginAccount owner = accounts.get(q.accountId);
        double pnl = Margin.unrealised(q);
        double pnlRatio = q.cost == 0 ? 0 : pnl / Math.abs((double) q.cost);
        double equity = Math.max(1, margin.equity(owner, q.contract.asset));
        double leverage = q.contract.notionalAtMark(q.size) / equity;
        return pnl > 0 ? pnlRatio * leverage : pnlRatio / Math.max(leverage, 1e-9);
    }

    /**
     * An account with no cross position left in the asset and a negative wallet (its available
     * part): the fund pays, the rest is a deficit. Isolated positions stand apart, so they do
     * not hold this up, nor pay for it.
     */
    private void settleDeficit(MarginAccount a, int asset) {
        if (wallets.available(a.accountId, asset) >= 0) {
            return;
        }
        for (Position p : a.positions) {
            if (p.contract.asset == asset && p.size != 0 && !p.isolated) {
                return;
            }
        }
        long wallet = wallets.available(a.accountId, asset);
        if (wallet >= 0) {
            return;
        }
        long cover = Math.min(insurance[asset], -wallet);
        insurance[asset] -= cover;
        long rest = -wallet - cover;
        deficits[asset] += rest;
        wallets.receive(a.accountId, asset, cover + rest);
        balance(a.accountId, asset);
        checkedAccount = -1;
    }

    // ================================================================ positions

    /** Applies a trade of {@code signedQuantity} (buy > 0) for {@code notional} to a position. */
    private void trade(Position p, long signedQuantity, long notional) {
        boolean wasFlat = p.size == 0;
        move(p, signedQuantity, notional);
        if (wasFlat != (p.size == 0)) { // the contract lists open positions only
            if (wasFlat) {
                p.contract.positions.put(p.accountId, p);
            } else {
                p.contract.positions.remove(p.accountId);
            }
        }
    }

    private void move(Position p, long signedQuantity, long notional) {
        Contract c = p.contract;
        long cash = signedQuantity > 0 ? -notional : notional;
        if (p.size == 0 || (p.size > 0) == (signedQuantity > 0)) {
            p.size += signedQuantity;
            p.cost -= cash;
            if (p.isolated) {
                setAside(p, notional);
            }
            return;
        }
        long moving = Math.abs(signedQuantity);
        long held = Math.abs(p.size);
        long closing = Math.min(moving, held);
        long cashClose = closing == moving ? cash : FixedPoint.mulDivTrunc(cash, closing, moving);
        long released = closing == held ? p.cost : FixedPoint.mulDivTrunc(p.cost, closing, held);
        long realised = cashClose - released;
        p.size += signedQuantity > 0 ? closing : -closing;
        p.cost -= released;
        p.realisedPnl += realised;
        if (p.isolated) {
            wallets.receiveLocked(p.accountId, c.asset, realised);
            p.isolatedMargin += realised;
            if (p.size == 0) {
                releaseIsolated(p);
            } else {
                long back = FixedPoint.mulDivTrunc(p.isolatedMargin, closing, held);
                wallets.shift(p.accountId, c.asset, -back);
                p.isolatedMargin -= back;
            }
        } else {
            wallets.receive(p.accountId, c.asset, realised);
        }
        if (closing < moving) {
            p.size += signedQuantity > 0 ? moving - closing : -(moving - closing);
            p.cost -= cash - cashClose;
            if (p.isolated) {
                setAside(p, notional - Math.abs(cashClose));
            }
        }
    }

    /**
     * An isolated position grew by {@code notional}: its initial margin moves from the wallet to
     * the position, as much of it as the wallet has (a fill can cost more than the pre-trade
     * check saw; the position is then under-margined, never the rest of the account).
     */
    private void setAside(Position p, long notional) {
        long margin = Math.min(MarginBrackets.initial(notional, accounts.get(p.accountId).leverage(p.contract)),
                Math.max(0, wallets.available(p.accountId, p.contract.asset)));
        wallets.shift(p.accountId, p.contract.asset, margin);
        p.isolatedMargin += margin;
    }

    /** What the last release of an isolated position's margin gave back to the wallet. */
    private long lastReleased;

    /**
     * A flat isolated position's margin goes back to the wallet. A loss beyond it never reaches
     * the rest of the account: the insurance fund covers it, and what the fund cannot is a deficit.
     */
    private void releaseIsolated(Position p) {
        int asset = p.contract.asset;
        long m = p.isolatedMargin;
        if (m < 0) {
            long cover = Math.min(insurance[asset], -m);
            insurance[asset] -= cover;
            deficits[asset] += -m - cover;
            wallets.receiveLocked(p.accountId, asset, -m);
            m = 0;
        }
        wallets.shift(p.accountId, asset, -m);
        p.isolatedMargin = 0;
        lastReleased = m;
    }

    private MarginAccount account(long accountId) {
        MarginAccount a = accounts.get(accountId);
        if (a == null) {
            a = new MarginAccount(accountId);
            accounts.put(accountId, a);
        }
        return a;
    }

    private Position position(long accountId, Contract c) {
        MarginAccount a = account(accountId);
        Position p = a.position(c.id);
        return p != null ? p : a.positionOrNew(c);
    }

    private void balance(long accountId, int asset) {
        listener.onBalance(accountId, asset, wallets.available(accountId, asset), wallets.locked(accountId, asset));
    }

    // ================================================================ the books' events

    @Override
    public void onAccepted(int marketId, long sequence, long orderId, long accountId, long clientOrderId, Side side,
                           OrderType type, TimeInForce timeInForce, SelfTradePrevention selfTradePrevention,
                           long price, long quantity, long quoteQuantity, long expireAtMs) {
        Contract c = contracts.get(marketId);
        Position p = position(accountId, c);
        openOrders.put(orderId, new OpenOrder(orderId, p, side, placingReduceOnly, quantity));
        adjustOpen(p, side, placingReduceOnly, quantity);
        if (placingReduceOnly) {
            p.reduceOnlyOrders.addLong(orderId);
        }
        listener.onAccepted(marketId, sequence, orderId, accountId, clientOrderId, side, type, timeInForce,
                selfTradePrevention, price, quantity, quoteQuantity, expireAtMs);
    }

    private static void adjustOpen(Position p, Side side, boolean reduceOnly, long delta) {
        if (reduceOnly) {
            if (side == Side.BUY) {
                p.reduceOnlyBuy += delta;
            } else {
                p.reduceOnlySell += delta;
            }
        } else if (side == Side.BUY) {
            p.openBuy += delta;
        } else {
            p.openSell += delta;
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
            adjustOpen(o.position, o.side, o.reduceOnly, leavesQuantity - o.leaves);
            o.leaves = leavesQuantity;
        }
        listener.onAmended(marketId, sequence, orderId, accountId, clientOrderId, price, quantity, leavesQuantity,
                keptPriority);
    }

    @Override
    public void onFill(int marketId, long sequence, long tradeId, long price, long quantity, Side takerSide,
                       long makerOrderId, long makerAccountId, long makerFee, long takerOrderId, long takerAccountId,
                       long takerFee, boolean auction) {
        Contract c = contracts.get(marketId);
        long notional = c.config.notional(price, quantity);
        filled(makerOrderId, quantity);
        filled(takerOrderId, quantity);
        long makerSigned = takerSide == Side.BUY ? -quantity : quantity;
        Position maker = position(makerAccountId, c);
        Position taker = position(takerAccountId, c);
        trade(maker, makerSigned, notional);
        trade(taker, -makerSigned, notional);
        pay(maker, -makerFee); // an isolated position pays its fees from its own margin
        pay(taker, -takerFee);
        wallets.receive(FEE_ACCOUNT, c.asset, makerFee + takerFee);
        if (takerOrderId == liquidationOrderId) {
            liquidationFilled += quantity;
            liquidationNotional += notional;
            // the maker's position changed after any check of this command: it is looked at again
            liquidated.remove(makerAccountId);
        }
        listener.onFill(marketId, sequence, tradeId, price, quantity, takerSide, makerOrderId, makerAccountId,
                makerFee, takerOrderId, takerAccountId, takerFee, auction);
        touch(makerAccountId, c.asset);
        if (takerAccountId != makerAccountId) {
            touch(takerAccountId, c.asset);
        }
        balance(FEE_ACCOUNT, c.asset);
    }

    private void filled(long orderId, long quantity) {
        OpenOrder o = openOrders.get(orderId);
        if (o != null) {
            adjustOpen(o.position, o.side, o.reduceOnly, -quantity);
            o.leaves -= quantity;
        }
    }

    @Override
    public void onDone(int marketId, long sequence, long orderId, long accountId, long clientOrderId,
                       DoneReason reason, long filledQuantity, long remainingQuantity, long remainingQuote) {
        OpenOrder o = openOrders.remove(orderId);
        if (o != null) {
            Position p = o.position;
            adjustOpen(p, o.side, o.reduceOnly, -o.leaves);
            if (o.reduceOnly) {
                p.reduceOnlyOrders.removeLong(orderId);
            }
            ordersDone.add(accountId); // its position may be empty now: dropped after the command
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

    public Contract contract(int id) {
        return id >= 0 && id < contracts.size() ? contracts.get(id) : null;
    }

    public Contract contract(String symbol) {
        return bySymbol.get(symbol);
    }

    public List<Contract> contracts() {
        return Collections.unmodifiableList(contracts);
    }

    /** The account's futures state, or null when it never had any. */
    public MarginAccount marginAccount(long accountId) {
        return accounts.get(accountId);
    }

    /** Every account with futures state, in no particular order (for tests and audits). */
    public Iterable<MarginAccount> marginAccounts() {
        return accounts.values();
    }

    public Margin margin() {
        return margin;
    }

    public WalletLedger ledger() {
        return ledger;
    }

    public AssetRegistry assets() {
        return assets;
    }

    public long insurance(int asset) {
        return asset < insurance.length ? insurance[asset] : 0;
    }

    public long deficit(int asset) {
        return asset < deficits.length ? deficits[asset] : 0;
    }

    /** Sum of the open positions' costs in an asset: the term the wallets are net of (see the class comment). */
    public long positionCosts(int asset) {
        long sum = 0;
        for (Contract c : contracts) {
            if (c.asset == asset) {
                for (Position p : c.positions.values()) {
                    sum += p.cost;
                }
            }
        }
        return sum;
    }

    /** The ADL bucket of a position: 1 (last) .. 5 (first to be deleveraged) among its side's positions in profit; 0 in loss. */
    public int adlBucket(Position p) {
        if (p.size == 0 || Margin.unrealised(p) <= 0) {
            return 0;
        }
        double mine = adlScore(p);
        int above = 0;
        int winners = 0;
        for (Position q : p.contract.positions.values()) {
            if (q.size != 0 && (q.size > 0) == (p.size > 0) && Margin.unrealised(q) > 0) {
                winners++;
                if (adlScore(q) > mine) {
                    above++;
                }
            }
        }
        return 5 - (int) Math.min(4, (long) above * 5 / Math.max(1, winners));
    }

    /** The account's leverage on a contract (its default when never set). */
    public int leverage(MarginAccount a, Contract c) {
        return a.leverage(c);
    }

    /** A position's notional at mark. */
    public long notionalAtMark(Position p) {
        return p.contract.notionalAtMark(p.size);
    }

    @Override
    public int marketId(String symbol) {
        Contract c = bySymbol.get(symbol);
        return c == null ? -1 : c.id;
    }

    @Override
    public String symbol(int marketId) {
        return contracts.get(marketId).spec.symbol();
    }

    @Override
    public String feeAsset(int marketId) {
        return contracts.get(marketId).spec.quoteAsset();
    }

    @Override
    public OrderBook book(int marketId) {
        return contracts.get(marketId).book;
    }

    @Override
    public int marketCount() {
        return contracts.size();
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

    public long lastOrderId() {
        return lastOrderId;
    }

    // ================================================================ snapshot

    /**
     * Writes the whole state, deterministically (sorted, no hash order):
     * <pre>
     *   int magic "FUTS", int version, long lastOrderId
     *   assets (AssetRegistry.write); per asset: long insurance, long deficit
     *   int contracts: (spec, terms, book snapshot, price and funding state, int n: conditional order*)*
     *   wallets and their transfer ids (WalletLedger.write)
     *   int accounts: (long id, int leverages: (int)*, int positions:
     *                  (int contract, long size, cost, realised, funding)*)* ascending
     *   int open orders: (long id, long account, int contract, bool buy, bool reduceOnly, long leaves)* ascending
     *   client order ids (ClientOrderIds.write), limits (RiskLimits.write)
     * </pre>
     * Open quantities per position and the liquidation index are rebuilt from the orders and positions.
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
        out.writeInt(contracts.size());
        for (Contract c : contracts) {
            c.spec.write(out);
            c.terms.write(out);
            c.book.writeSnapshot(out);
            c.writeState(out);
            out.writeInt(c.conditionals.size());
            for (ConditionalOrder o : c.conditionals.all()) {
                o.write(out);
            }
        }
        ledger.write(out);
        long[] ids = SortedIds.of(accounts);
        out.writeInt(ids.length);
        for (long id : ids) {
            MarginAccount a = accounts.get(id);
            out.writeLong(id);
            out.writeInt(a.leverage.length);
            for (int l : a.leverage) {
                out.writeInt(l);
            }
            out.writeInt(a.isolated.length);
            for (boolean i : a.isolated) {
                out.writeBoolean(i);
            }
            out.writeInt(a.positions.size());
            for (Position p : a.positions) {
                out.writeInt(p.contract.id);
                out.writeLong(p.size);
                out.writeLong(p.cost);
                out.writeLong(p.realisedPnl);
                out.writeLong(p.fundingPaid);
                out.writeBoolean(p.isolated);
                out.writeLong(p.isolatedMargin);
            }
        }
        long[] orders = SortedIds.of(openOrders);
        out.writeInt(orders.length);
        for (long id : orders) {
            OpenOrder o = openOrders.get(id);
            out.writeLong(id);
            out.writeLong(o.accountId);
            out.writeInt(o.contract.id);
            out.writeBoolean(o.side == Side.BUY);
            out.writeBoolean(o.reduceOnly);
            out.writeLong(o.leaves);
        }
        clientIds.write(out);
        limits.write(out);
    }

    /** Restores the state written by {@link #writeSnapshot}; books are rebuilt with this engine as their sink. */
    public void readSnapshot(DataInput in) throws IOException {
        if (in.readInt() != SNAPSHOT_MAGIC || in.readInt() != SNAPSHOT_VERSION) {
            throw new IOException("not a futures engine snapshot of version " + SNAPSHOT_VERSION);
        }
        contracts.clear();
        bySymbol.clear();
        accounts.clear();
        openOrders.clear();
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
            MarketSpec spec = MarketSpec.read(in);
            FuturesTerms terms = FuturesTerms.read(in);
            OrderBook book = new OrderBook(spec.toConfig(i), this);
            book.readSnapshot(in);
            Contract c = new Contract(i, spec, terms, book, assets.id(spec.quoteAsset()), 0);
            c.readState(in);
            int held = in.readInt();
            for (int k = 0; k < held; k++) {
                c.conditionals.add(ConditionalOrder.read(in, c));
            }
            contracts.add(c);
            bySymbol.put(spec.symbol(), c);
        }
        ledger.read(in);
        int accountCount = in.readInt();
        for (int i = 0; i < accountCount; i++) {
            MarginAccount a = new MarginAccount(in.readLong());
            a.leverage = new int[in.readInt()];
            for (int k = 0; k < a.leverage.length; k++) {
                a.leverage[k] = in.readInt();
            }
            a.isolated = new boolean[in.readInt()];
            for (int k = 0; k < a.isolated.length; k++) {
                a.isolated[k] = in.readBoolean();
            }
            int positions = in.readInt();
            for (int k = 0; k < positions; k++) {
                Contract c = contracts.get(in.readInt());
                Position p = a.positionOrNew(c);
                p.size = in.readLong();
                p.cost = in.readLong();
                p.realisedPnl = in.readLong();
                p.fundingPaid = in.readLong();
                p.isolated = in.readBoolean();
                p.isolatedMargin = in.readLong();
                if (p.size != 0) {
                    c.positions.put(a.accountId, p);
                }
            }
            accounts.put(a.accountId, a);
        }
        int orders = in.readInt();
        for (int i = 0; i < orders; i++) {
            long id = in.readLong();
            long account = in.readLong();
            Contract c = contracts.get(in.readInt());
            Side side = in.readBoolean() ? Side.BUY : Side.SELL;
            boolean reduceOnly = in.readBoolean();
            long leaves = in.readLong();
            Position p = position(account, c);
            openOrders.put(id, new OpenOrder(id, p, side, reduceOnly, leaves));
            adjustOpen(p, side, reduceOnly, leaves);
            if (reduceOnly) {
                p.reduceOnlyOrders.addLong(id);
            }
        }
        clientIds.read(in);
        limits.read(in, true);
        for (long id : SortedIds.of(accounts)) {
            reindex(accounts.get(id));
        }
    }
}
