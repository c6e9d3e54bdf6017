package io.trademesh.platform.trading;

import io.trademesh.platform.events.Addresses;
import com.google.protobuf.Message;
import io.trademesh.matching.CommandType;
import io.trademesh.matching.DoneReason;
import io.trademesh.matching.OrderType;
import io.trademesh.matching.RejectReason;
import io.trademesh.matching.SelfTradePrevention;
import io.trademesh.matching.Side;
import io.trademesh.matching.TimeInForce;
import io.trademesh.proto.common.Balance;
import io.trademesh.proto.common.BookDelta;
import io.trademesh.proto.common.BookLevelDelta;
import io.trademesh.proto.common.Fill;
import io.trademesh.proto.common.Order;
import io.trademesh.proto.common.OrderStatus;
import io.trademesh.proto.common.PublicTrade;
import io.trademesh.proto.events.AccountEvent;
import io.trademesh.proto.trading.CancelAllReply;
import io.trademesh.proto.trading.OrderReply;
import io.trademesh.proto.trading.PlaceOrderRequest;
import io.trademesh.platform.engine.Outcome;
import io.trademesh.platform.errors.ReasonCode;
import io.trademesh.platform.events.Published;
import io.trademesh.platform.wallet.WalletLedger;
import io.trademesh.proto.wallet.WalletTransferReply;
import java.util.ArrayList;
import org.agrona.collections.Long2LongHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns an order-book engine's outputs for one command into what leaves the service: the
 * gRPC reply and the protobuf events for the event bus (collected, published only once the
 * command is durable). It also keeps {@link OrderBookView} current, live and during replay
 * alike, so the view is a pure function of the journal. A product extends it with its own
 * events and replies ({@link #publish}, {@link #account}, {@link #reply(Message)}).
 */
public class BookOutput implements BookListener {

    /** What the command being applied is, as far as the reply is concerned. */
    public enum Kind { PLACE_ORDER, AMEND_ORDER, CANCEL_ORDER, CANCEL_ALL, TRANSFER, OTHER }

    protected final OrderBookView view;
    private final String wallet;
    private BookMarkets engine;
    private BookMetrics metrics;

    // The command being applied.
    private boolean collecting;
    private long nowMs;
    private long accountId;
    private Message request;
    private Kind kind;
    private long targetOrderId;
    private OrderRecord targetRecord;
    private boolean accepted;
    private ReasonCode refusal;
    private boolean duplicate;
    /** The command's own work is done; the venue's that follows (liquidations) does not change its reply. */
    private boolean ownPartDone;
    /** The reply's order when the product holds it outside the book. */
    private Order held;
    private final List<Fill> targetFills = new ArrayList<>();
    private final List<Long> cancelled = new ArrayList<>();
    private WalletTransferReply transferReply;
    private Message otherReply;
    private final Map<Integer, BookDelta.Builder> bookDeltas = new LinkedHashMap<>();
    /** Market id -> its event sequence after the command (no boxing: this runs for every book event). */
    private final Long2LongHashMap lastSequence = new Long2LongHashMap(0);
    private final List<Published> events = new ArrayList<>();
    private final Map<Long, Map<Integer, Balance>> balances = new LinkedHashMap<>();

    /** @param wallet the product wallet its balance events name ("SPOT", "FUTURES") */
    public BookOutput(OrderBookView view, String wallet) {
        this.view = view;
        this.wallet = wallet;
    }

    public void attach(BookMarkets engine) {
        this.engine = engine;
    }

    /** Live commands count into these from now on. */
    public void countInto(BookMetrics metrics) {
        this.metrics = metrics;
    }

    private boolean counting() {
        return collecting && metrics != null;
    }

    /**
     * Starts a command; {@code collect} false during replay (nothing is published then).
     * {@code accountId} is the account an order command is about, {@code request} the order
     * request itself (a refused place is answered with it echoed).
     */
    public void begin(long nowMs, Kind kind, long accountId, Message request, boolean collect) {
        this.nowMs = nowMs;
        this.kind = kind;
        this.accountId = accountId;
        this.request = request;
        this.collecting = collect;
        this.targetOrderId = 0;
        this.targetRecord = null;
        this.accepted = true;
        this.refusal = null;
        this.duplicate = false;
        this.ownPartDone = false;
        this.held = null;
        targetFills.clear();
        cancelled.clear();
        transferReply = null;
        otherReply = null;
        bookDeltas.clear();
        lastSequence.clear();
        events.clear();
        balances.clear();
    }

    /** The order a reply is about (for amend and cancel, known before the engine runs). */
    public void target(long orderId) {
        this.targetOrderId = orderId;
    }

    /** Ends the command: counts book updates (always) and builds the outcome (live only). */
    public Outcome finish() {
        for (Map.Entry<Integer, BookDelta.Builder> e : bookDeltas.entrySet()) {
            long bookSequence = view.nextBookSequence(e.getKey());
            if (collecting) {
                BookDelta delta = e.getValue().setBookSequence(bookSequence)
                        .setMarketSequence(lastSequence.get((long) e.getKey())).setTimestampMs(nowMs).build();
                events.add(new Published(Addresses.book(delta.getMarket()), delta.toByteArray()));
            }
        }
        if (!collecting) {
            return null;
        }
        for (Map.Entry<Long, Map<Integer, Balance>> e : balances.entrySet()) {
            if (e.getKey() == OrderChecks.VENUE_ACCOUNT) {
                continue;
            }
            for (Balance b : e.getValue().values()) {
                account(e.getKey(), AccountEvent.newBuilder().setBalance(b));
            }
        }
        return new Outcome(reply(), refusal, duplicate, List.copyOf(events));
    }

    private Message reply() {
        switch (kind) {
            case PLACE_ORDER, AMEND_ORDER, CANCEL_ORDER: {
                OrderReply.Builder r = OrderReply.newBuilder().setAccepted(accepted)
                        .setRejectReason(refusal == null ? "" : refusal.name())
                        .setRejectStatus(refusal == null ? 0 : refusal.category().grpcCode())
                        .setReason(refusal == null ? io.trademesh.proto.trading.RejectReason.REJECT_REASON_UNSPECIFIED
                                : TradingProto.rejectReason(refusal.name()))
                        .setDuplicate(duplicate).addAllFills(targetFills);
                Order order = targetOrder();
                if (order != null) {
                    r.setOrder(order);
                }
                return r.build();
            }
            case CANCEL_ALL:
                return CancelAllReply.newBuilder().addAllCancelledOrderIds(cancelled).build();
            case TRANSFER:
                return transferReply;
            default:
                return otherReply;
        }
    }

    /** The reply's order: as it stands after the command, or the request echoed when it never became one. */
    private Order targetOrder() {
        if (held != null) {
            return held;
        }
        if (targetOrderId != 0) {
            OrderRecord r = targetRecord != null && targetRecord.orderId == targetOrderId ? targetRecord
                    : view.order(accountId, targetOrderId);
            if (r != null) {
                return TradingProto.order(r, symbol(r.marketId));
            }
        }
        if (kind == Kind.PLACE_ORDER && request instanceof PlaceOrderRequest p) {
            return Order.newBuilder().setOrderId(targetOrderId).setAccountId(p.getAccountId())
                    .setMarket(p.getMarket()).setClientOrderId(p.getClientOrderId()).setSide(p.getSide())
                    .setType(p.getType()).setTimeInForce(p.getTimeInForce()).setPrice(p.getPrice())
                    .setQuantity(p.getQuantity()).setQuoteQuantity(p.getQuoteQuantity())
                    .setExpireAtMs(p.getExpireAtMs()).setStp(p.getStp())
                    .setStatus(OrderStatus.ORDER_STATUS_REJECTED).setCreatedAtMs(nowMs).setUpdatedAtMs(nowMs)
                    .build();
        }
        return null;
    }

    protected final String symbol(int marketId) {
        return engine.symbol(marketId);
    }

    /** Whether this command's events and reply are collected (live), not only its view updates (replay). */
    protected final boolean collecting() {
        return collecting;
    }

    /** The stamped time of the command being applied. */
    protected final long nowMs() {
        return nowMs;
    }

    /** Sets the reply of a product's own command ({@link Kind#OTHER}). */
    public final void reply(Message reply) {
        this.otherReply = reply;
    }

    /**
     * The command's own part is done: what the engine does next in the same command (a
     * liquidation's orders) shows in events and the view but not in the command's reply.
     */
    public final void ownPartDone() {
        ownPartDone = true;
    }

    /**
     * The command's order is one the product holds outside the book (a conditional order): the
     * reply shows it as given.
     */
    public final void heldOrder(Order order) {
        if (!ownPartDone) {
            targetOrderId = 0;
            held = order;
        }
    }

    /** An order the product held outside the book was cancelled by this command (cancel-all's reply lists it). */
    public final void cancelledElsewhere(long orderId) {
        if (!ownPartDone && kind == Kind.CANCEL_ALL) {
            cancelled.add(orderId);
        }
    }

    /** The engine refused the command before the book saw it; nothing changed. */
    public final void refused(ReasonCode reason) {
        if (ownPartDone) {
            return; // the venue's own orders after the command (a conditional order's) do not answer it
        }
        accepted = false;
        refusal = reason;
        if (counting()) {
            metrics.rejected(reason.name());
        }
    }

    /** Adds an event to publish once the command is durable (live only). */
    public final void publish(String address, byte[] payload) {
        if (collecting) {
            events.add(new Published(address, payload));
        }
    }

    /** Adds an event for one account's private stream (live only). */
    public final void account(long accountId, AccountEvent.Builder event) {
        if (collecting) {
            events.add(new Published(Addresses.account(accountId), event.setAccountId(accountId).build().toByteArray()));
        }
    }

    private void orderChanged(OrderRecord r) {
        if (r != null && r.orderId == targetOrderId) {
            targetRecord = r; // the reply's order, without a search through the account's history
        }
        if (collecting && r != null) {
            account(r.accountId, AccountEvent.newBuilder().setOrder(TradingProto.order(r, symbol(r.marketId))));
        }
    }

    private void sequence(int marketId, long sequence) {
        lastSequence.put(marketId, sequence);
    }

    // ---------------------------------------------------------------- engine events

    @Override
    public void onDuplicateClientOrderId(int marketId, long accountId, long existingOrderId) {
        duplicate = true;
        targetOrderId = existingOrderId;
    }

    @Override
    public void onClientOrderIdForgotten(long orderId) {
        view.forgetRetained(orderId);
    }

    @Override
    public void onAccepted(int marketId, long sequence, long orderId, long accountId, long clientOrderId, Side side,
                           OrderType type, TimeInForce timeInForce, SelfTradePrevention stp, long price,
                           long quantity, long quoteQuantity, long expireAtMs) {
        sequence(marketId, sequence);
        OrderRecord r = view.accepted(nowMs, marketId, orderId, accountId, engine.clientOrderId(orderId), side, type,
                timeInForce, stp, price, quantity, quoteQuantity, expireAtMs);
        if (kind == Kind.PLACE_ORDER && targetOrderId == 0 && !ownPartDone) {
            targetOrderId = orderId;
        }
        if (counting()) {
            metrics.placed.increment();
        }
        orderChanged(r);
    }

    @Override
    public void onRejected(int marketId, long sequence, CommandType command, long orderId, long accountId,
                           long clientOrderId, RejectReason reason, long existingOrderId) {
        sequence(marketId, sequence);
        if (ownPartDone) {
            return;
        }
        accepted = false;
        refusal = BookRejections.code(reason);
        if (counting()) {
            metrics.rejected(reason.name());
        }
        if (kind == Kind.PLACE_ORDER && command == CommandType.NEW_ORDER) {
            targetOrderId = 0; // never became an order: the reply echoes the request
        }
    }

    @Override
    public void onAmended(int marketId, long sequence, long orderId, long accountId, long clientOrderId, long price,
                          long quantity, long leavesQuantity, boolean keptPriority) {
        sequence(marketId, sequence);
        orderChanged(view.amended(nowMs, orderId, price, quantity));
    }

    @Override
    public void onFill(int marketId, long sequence, long tradeId, long price, long quantity, Side takerSide,
                       long makerOrderId, long makerAccountId, long makerFee, long takerOrderId, long takerAccountId,
                       long takerFee, boolean auction) {
        sequence(marketId, sequence);
        Side makerSide = takerSide == Side.BUY ? Side.SELL : Side.BUY;
        long notional = engine.book(marketId).config().notional(price, quantity);
        view.trade(marketId, nowMs, tradeId, sequence, price, quantity, notional, takerSide);
        OrderRecord maker = view.filled(nowMs, marketId, tradeId, sequence, makerOrderId, makerAccountId, makerSide,
                price, quantity, makerFee, true);
        OrderRecord taker = view.filled(nowMs, marketId, tradeId, sequence, takerOrderId, takerAccountId, takerSide,
                price, quantity, takerFee, false);
        if (!collecting) {
            return;
        }
        if (metrics != null) {
            metrics.trades.increment();
            metrics.matched.increment(2);
            for (OrderRecord o : new OrderRecord[] {maker, taker}) {
                if (o != null && o.filledQuantity < o.quantity) {
                    metrics.partiallyFilled.increment();
                }
            }
        }
        String market = symbol(marketId);
        FillRecord makerFill = new FillRecord(marketId, tradeId, sequence, makerOrderId, makerAccountId, makerSide,
                price, quantity, makerFee, true, nowMs);
        FillRecord takerFill = new FillRecord(marketId, tradeId, sequence, takerOrderId, takerAccountId, takerSide,
                price, quantity, takerFee, false, nowMs);
        String feeAsset = engine.feeAsset(marketId);
        Fill makerProto = TradingProto.fill(makerFill, market, feeAsset);
        Fill takerProto = TradingProto.fill(takerFill, market, feeAsset);
        if (makerOrderId == targetOrderId) {
            targetFills.add(makerProto);
        }
        if (takerOrderId == targetOrderId) {
            targetFills.add(takerProto);
        }
        account(makerAccountId, AccountEvent.newBuilder().setFill(makerProto));
        account(takerAccountId, AccountEvent.newBuilder().setFill(takerProto));
        orderChanged(maker);
        orderChanged(taker);
        PublicTrade trade = PublicTrade.newBuilder().setMarket(market).setMarketSequence(sequence)
                .setTradeId(tradeId).setPrice(price).setQuantity(quantity)
                .setTakerSide(TradingProto.side(takerSide)).setTimestampMs(nowMs).setQuoteQuantity(notional).build();
        events.add(new Published(Addresses.trades(market), trade.toByteArray()));
    }

    @Override
    public void onDone(int marketId, long sequence, long orderId, long accountId, long clientOrderId,
                       DoneReason reason, long filledQuantity, long remainingQuantity, long remainingQuote) {
        sequence(marketId, sequence);
        OrderRecord r = view.done(nowMs, orderId, reason, filledQuantity);
        if (kind == Kind.CANCEL_ALL && reason == DoneReason.MASS_CANCELLED) {
            cancelled.add(orderId);
        }
        if (counting()) {
            switch (reason) {
                case FILLED -> metrics.filled.increment();
                case CANCELLED, MASS_CANCELLED -> metrics.cancelled.increment();
                default -> metrics.expired.increment();
            }
        }
        orderChanged(r);
    }

    @Override
    public void onBookDelta(int marketId, long sequence, Side side, long price, long totalQuantity, int orderCount) {
        sequence(marketId, sequence);
        BookDelta.Builder b = bookDeltas.get(marketId);
        if (b == null) {
            b = BookDelta.newBuilder().setMarket(symbol(marketId));
            bookDeltas.put(marketId, b);
        }
        if (collecting) {
            b.addLevels(BookLevelDelta.newBuilder().setSide(TradingProto.side(side)).setPrice(price)
                    .setTotalQuantity(totalQuantity));
        }
    }

    @Override
    public void onAuction(int marketId, long sequence, long price, long quantity) {
        sequence(marketId, sequence);
    }

    @Override
    public void onBalance(long accountId, int assetId, long available, long locked) {
        if (collecting) {
            balances.computeIfAbsent(accountId, a -> new LinkedHashMap<>()).put(assetId, Balance.newBuilder()
                    .setWallet(wallet).setAsset(engine.assetSymbol(assetId)).setAvailable(available).setLocked(locked).build());
        }
    }

    @Override
    public void onTransfer(WalletLedger.Outcome o) {
        if (!collecting) {
            return;
        }
        String reason = o.applied() ? "" : o.refusal().name();
        WalletTransferReply.Builder r = WalletTransferReply.newBuilder().setApplied(o.applied())
                .setDuplicate(o.duplicate()).setRejectReason(reason);
        if (o.assetId() >= 0) {
            r.setBalance(Balance.newBuilder().setAsset(engine.assetSymbol(o.assetId()))
                    .setAvailable(engine.wallets().available(o.accountId(), o.assetId()))
                    .setLocked(engine.wallets().locked(o.accountId(), o.assetId())));
        }
        accepted = o.applied();
        refusal = o.refusal();
        transferReply = r.build();
    }
}
