package io.trademesh.platform.trading;

import io.trademesh.platform.engine.Outcome;
import io.trademesh.matching.Side;
import io.trademesh.platform.engine.CommandShard;
import io.trademesh.platform.errors.Refusals;
import io.trademesh.proto.trading.StreamedOrderCommand;
import io.trademesh.proto.common.BookLevel;
import io.trademesh.proto.common.BookSnapshot;
import io.trademesh.proto.common.Order;
import io.trademesh.proto.common.Ticker;
import io.trademesh.proto.trading.AmendOrderRequest;
import io.trademesh.proto.trading.BookRequest;
import io.trademesh.proto.trading.CancelAllReply;
import io.trademesh.proto.trading.CancelAllRequest;
import io.trademesh.proto.trading.CancelOrderRequest;
import io.trademesh.proto.trading.FillList;
import io.trademesh.proto.trading.GetOrderRequest;
import io.trademesh.proto.trading.L3Book;
import io.trademesh.proto.trading.L3Order;
import io.trademesh.proto.trading.ListMarketsRequest;
import io.trademesh.proto.trading.ListOrdersRequest;
import io.trademesh.proto.trading.MarketList;
import io.trademesh.proto.trading.OrderList;
import io.trademesh.proto.trading.OrderReply;
import io.trademesh.proto.trading.PlaceOrderRequest;
import io.trademesh.proto.trading.OrderEntryService;
import io.trademesh.proto.trading.TickerRequest;
import io.trademesh.proto.trading.TradeList;
import io.trademesh.proto.trading.TradesRequest;
import io.trademesh.proto.common.PublicTrade;
import com.google.protobuf.MessageLite;
import io.trademesh.matching.OrderBook;
import io.trademesh.platform.engine.JournaledStateMachine;
import io.vertx.core.Future;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import io.trademesh.proto.trading.OrderCommandBatch;
import io.trademesh.proto.trading.OrderResultBatch;
import java.util.Set;

/**
 * An order-book product's side of the shared order-entry contract
 * ({@code trademesh.trading.OrderEntry}): orders and order-book queries, the same in every
 * such product. Checks what can be checked without the state (shapes, ids, sizes) and
 * refuses it with a status whose message starts with a reason code; the rest goes to the
 * shard as the product's journaled command. A refusal by the engine is a normal reply
 * ({@code accepted = false}), not an error.
 *
 * @param <M> the product's state machine
 * @param <C> its journaled command
 */
public final class BookOrderEntry<M extends JournaledStateMachine<C, Outcome> & BookState, C extends MessageLite>
        extends OrderEntryService {

    /** How a product journals the order commands. */
    public interface Commands<C> {
        C place(PlaceOrderRequest r);

        C amend(AmendOrderRequest r);

        C cancel(CancelOrderRequest r);

        C cancelAll(CancelAllRequest r);
    }

    private static final int DEFAULT_DEPTH = 50;
    private static final int MAX_DEPTH = 5_000;
    private static final int DEFAULT_LIMIT = 100;

    private final CommandShard<M, C, Outcome> shard;
    private final Set<String> markets;
    private final OrderChecks checks;
    private final Commands<C> commands;

    /** @param markets the symbols of existing markets, kept current by the service */
    public BookOrderEntry(CommandShard<M, C, Outcome> shard, Set<String> markets, Commands<C> commands) {
        this.shard = shard;
        this.markets = markets;
        this.checks = new OrderChecks(markets);
        this.commands = commands;
    }

    private <T> Future<T> unknownMarket(String market) {
        return Future.failedFuture(checks.unknownMarket(market));
    }

    @SuppressWarnings("unchecked")
    private <T> Future<T> command(StatusException refused, java.util.function.Supplier<C> command) {
        return refused != null ? Future.failedFuture(refused) : shard.submit(command.get()).map(o -> (T) o.reply());
    }

    // ---------------------------------------------------------------- commands

    @Override
    public Future<OrderReply> placeOrder(PlaceOrderRequest r) {
        return command(checks.place(r), () -> commands.place(r));
    }

    @Override
    public Future<OrderReply> amendOrder(AmendOrderRequest r) {
        return command(checks.amend(r), () -> commands.amend(r));
    }

    @Override
    public Future<OrderReply> cancelOrder(CancelOrderRequest r) {
        return command(checks.cancel(r), () -> commands.cancel(r));
    }

    @Override
    protected void orderStream(ReadStream<OrderCommandBatch> request, WriteStream<OrderResultBatch> response) {
        new OrderStreamSession<>(shard, checks, this::journaled, o -> (OrderReply) o.reply(), request,
                response).start();
    }

    /** A streamed place, amend or cancel as the product journals it. */
    private C journaled(StreamedOrderCommand c) {
        return switch (c.getCommandCase()) {
            case PLACE -> commands.place(c.getPlace());
            case AMEND -> commands.amend(c.getAmend());
            default -> commands.cancel(c.getCancel());
        };
    }

    @Override
    public Future<CancelAllReply> cancelAll(CancelAllRequest r) {
        StatusException bad = OrderChecks.account(r.getAccountId());
        if (bad == null && !r.getMarket().isEmpty()) {
            bad = checks.unknownMarket(r.getMarket());
        }
        return command(bad, () -> commands.cancelAll(r));
    }

    // ---------------------------------------------------------------- queries

    @Override
    public Future<MarketList> listMarkets(ListMarketsRequest request) {
        return shard.query(m -> {
            MarketList.Builder b = MarketList.newBuilder();
            for (int id = 0; id < m.markets().marketCount(); id++) {
                b.addMarkets(m.market(id));
            }
            return b.build();
        });
    }

    @Override
    public Future<Order> getOrder(GetOrderRequest r) {
        if (!markets.contains(r.getMarket())) {
            return unknownMarket(r.getMarket());
        }
        return shard.query(m -> {
            long orderId = r.getOrderId() != 0 ? r.getOrderId()
                    : m.markets().orderIdForClientId(r.getAccountId(), r.getClientOrderId());
            OrderRecord o = orderId == 0 ? null : m.view().order(r.getAccountId(), orderId);
            return o == null || !m.markets().symbol(o.marketId).equals(r.getMarket()) ? null
                    : TradingProto.order(o, r.getMarket());
        }).compose(o -> o != null ? Future.succeededFuture(o)
                : Refusals.failed(GrpcStatus.NOT_FOUND, "UNKNOWN_ORDER", "no such order of this account in " + r.getMarket()));
    }

    @Override
    public Future<OrderList> listOpenOrders(ListOrdersRequest r) {
        return listing(r, (m, marketId) -> {
            OrderList.Builder b = OrderList.newBuilder();
            for (OrderRecord o : m.view().openOrders(r.getAccountId(), marketId)) {
                b.addOrders(TradingProto.order(o, m.markets().symbol(o.marketId)));
            }
            return b.build();
        });
    }

    @Override
    public Future<OrderList> orderHistory(ListOrdersRequest r) {
        return listing(r, (m, marketId) -> {
            OrderList.Builder b = OrderList.newBuilder();
            for (OrderRecord o : m.view().history(r.getAccountId(), marketId, limit(r))) {
                b.addOrders(TradingProto.order(o, m.markets().symbol(o.marketId)));
            }
            return b.build();
        });
    }

    @Override
    public Future<FillList> listFills(ListOrdersRequest r) {
        return listing(r, (m, marketId) -> {
            FillList.Builder b = FillList.newBuilder();
            m.view().fills(r.getAccountId(), marketId, limit(r)).forEach(f ->
                    b.addFills(TradingProto.fill(f, m.markets().symbol(f.marketId()),
                            m.markets().feeAsset(f.marketId()))));
            return b.build();
        });
    }

    private static int limit(ListOrdersRequest r) {
        return r.getLimit() == 0 ? DEFAULT_LIMIT : (int) Math.min(r.getLimit(), 1_000);
    }

    private interface Listing<T> {
        T read(BookState machine, int marketId);
    }

    private <T> Future<T> listing(ListOrdersRequest r, Listing<T> listing) {
        if (!r.getMarket().isEmpty() && !markets.contains(r.getMarket())) {
            return unknownMarket(r.getMarket());
        }
        return shard.query(m -> listing.read(m, r.getMarket().isEmpty() ? -1 : m.markets().marketId(r.getMarket())));
    }

    @Override
    public Future<BookSnapshot> getBook(BookRequest r) {
        if (!markets.contains(r.getMarket())) {
            return unknownMarket(r.getMarket());
        }
        int depth = r.getDepth() == 0 ? DEFAULT_DEPTH : (int) Math.min(r.getDepth(), MAX_DEPTH);
        return shard.query(m -> {
            int id = m.markets().marketId(r.getMarket());
            OrderBook book = m.markets().book(id);
            BookSnapshot.Builder b = BookSnapshot.newBuilder().setMarket(r.getMarket())
                    .setMarketSequence(book.lastSequence())
                    .setBookSequence(m.view().stats(id).bookSequence());
            book.levels(Side.BUY, depth, (side, price, qty, count) ->
                    b.addBids(BookLevel.newBuilder().setPrice(price).setQuantity(qty).setOrderCount(count)));
            book.levels(Side.SELL, depth, (side, price, qty, count) ->
                    b.addAsks(BookLevel.newBuilder().setPrice(price).setQuantity(qty).setOrderCount(count)));
            return b.build();
        });
    }

    @Override
    public Future<L3Book> getL3Book(BookRequest r) {
        if (!markets.contains(r.getMarket())) {
            return unknownMarket(r.getMarket());
        }
        return shard.query(m -> {
            OrderBook book = m.markets().book(m.markets().marketId(r.getMarket()));
            L3Book.Builder b = L3Book.newBuilder().setMarket(r.getMarket())
                    .setMarketSequence(book.lastSequence());
            book.orders(Side.BUY, o -> b.addBids(L3Order.newBuilder().setOrderId(o.orderId())
                    .setPrice(o.price()).setQuantity(o.leavesQuantity())));
            book.orders(Side.SELL, o -> b.addAsks(L3Order.newBuilder().setOrderId(o.orderId())
                    .setPrice(o.price()).setQuantity(o.leavesQuantity())));
            return b.build();
        });
    }

    @Override
    public Future<Ticker> getTicker(TickerRequest r) {
        if (!markets.contains(r.getMarket())) {
            return unknownMarket(r.getMarket());
        }
        return shard.query(m -> tickerOf(m, m.markets().marketId(r.getMarket()), System.currentTimeMillis()));
    }

    @Override
    public Future<TradeList> getTrades(TradesRequest r) {
        if (!markets.contains(r.getMarket())) {
            return unknownMarket(r.getMarket());
        }
        int limit = r.getLimit() == 0 ? DEFAULT_LIMIT : (int) Math.min(r.getLimit(), MarketStats.RECENT_TRADES);
        return shard.query(m -> {
            TradeList.Builder b = TradeList.newBuilder();
            for (MarketStats.TradeRecord t : m.view().stats(m.markets().marketId(r.getMarket()))
                    .recentTrades(limit)) {
                b.addTrades(PublicTrade.newBuilder().setMarket(r.getMarket()).setMarketSequence(t.marketSequence())
                        .setTradeId(t.tradeId()).setPrice(t.price()).setQuantity(t.quantity())
                        .setTakerSide(t.takerBuys() ? io.trademesh.proto.common.Side.SIDE_BUY
                                : io.trademesh.proto.common.Side.SIDE_SELL)
                        .setTimestampMs(t.timestampMs()));
            }
            return b.build();
        });
    }

    /** The market's ticker now: last trade, rolling 24 h, top of book. */
    public static Ticker tickerOf(BookState m, int marketId, long nowMs) {
        MarketStats stats = m.view().stats(marketId);
        OrderBook book = m.markets().book(marketId);
        long[] day = stats.rolling24h(nowMs);
        return Ticker.newBuilder()
                .setMarket(m.markets().symbol(marketId))
                .setMarketSequence(book.lastSequence())
                .setLastPrice(stats.lastPrice())
                .setVolume24H(day[0])
                .setQuoteVolume24H(day[1])
                .setHigh24H(day[2])
                .setLow24H(day[3])
                .setBestBid(book.bestBidPrice())
                .setBestBidQuantity(book.bestBidQuantity())
                .setBestAsk(book.bestAskPrice())
                .setBestAskQuantity(book.bestAskQuantity())
                .setTimestampMs(nowMs)
                .build();
    }
}
