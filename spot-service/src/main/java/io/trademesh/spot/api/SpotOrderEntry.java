package io.trademesh.spot.api;

import io.trademesh.platform.engine.Outcome;
import io.trademesh.spot.store.ProtoMapping;
import io.trademesh.platform.trading.TradingProto;
import io.trademesh.matching.Side;
import io.trademesh.platform.engine.CommandShard;
import io.trademesh.platform.errors.Refusals;
import io.trademesh.platform.trading.OrderChecks;
import io.trademesh.platform.trading.OrderStreamSession;
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
import io.trademesh.proto.spot.SpotCommand;
import io.trademesh.proto.trading.OrderEntryService;
import io.trademesh.proto.trading.TickerRequest;
import io.trademesh.proto.trading.TradeList;
import io.trademesh.proto.trading.TradesRequest;
import io.trademesh.proto.common.PublicTrade;
import io.trademesh.platform.trading.MarketStats;
import io.trademesh.platform.trading.OrderRecord;
import io.trademesh.spot.engine.SpotMarket;
import io.trademesh.spot.store.SpotStateMachine;
import io.vertx.core.Future;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import io.trademesh.proto.trading.OrderCommandBatch;
import io.trademesh.proto.trading.OrderResultBatch;
import java.util.Set;

/**
 * spot-service's side of the shared order-entry contract ({@code trademesh.trading.OrderEntry}):
 * orders and order-book queries. Checks what can be checked without the state (shapes, ids,
 * sizes) and refuses it with a status whose message starts with a reason code; the rest
 * goes to the shard. A refusal by the engine is a normal reply ({@code accepted = false}),
 * not an error.
 */
public final class SpotOrderEntry extends OrderEntryService {

    private static final int DEFAULT_DEPTH = 50;
    private static final int MAX_DEPTH = 5_000;
    private static final int DEFAULT_LIMIT = 100;

    private final CommandShard<SpotStateMachine, SpotCommand, Outcome> shard;
    private final Set<String> markets;
    private final OrderChecks checks;

    /** @param markets the symbols of existing markets, kept current by the service */
    public SpotOrderEntry(CommandShard<SpotStateMachine, SpotCommand, Outcome> shard, Set<String> markets) {
        this.shard = shard;
        this.markets = markets;
        this.checks = new OrderChecks(markets);
    }

    private <T> Future<T> unknownMarket(String market) {
        return Future.failedFuture(checks.unknownMarket(market));
    }

    @SuppressWarnings("unchecked")
    private <T> Future<T> command(SpotCommand command) {
        return shard.submit(command).map(o -> (T) o.reply());
    }

    private <T> Future<T> command(StatusException refused, SpotCommand.Builder command) {
        return refused != null ? Future.failedFuture(refused) : command(command.build());
    }

    // ---------------------------------------------------------------- commands

    @Override
    public Future<OrderReply> placeOrder(PlaceOrderRequest r) {
        return command(checks.place(r), SpotCommand.newBuilder().setPlaceOrder(r));
    }

    @Override
    public Future<OrderReply> amendOrder(AmendOrderRequest r) {
        return command(checks.amend(r), SpotCommand.newBuilder().setAmendOrder(r));
    }

    @Override
    public Future<OrderReply> cancelOrder(CancelOrderRequest r) {
        return command(checks.cancel(r), SpotCommand.newBuilder().setCancelOrder(r));
    }

    @Override
    protected void orderStream(ReadStream<OrderCommandBatch> request, WriteStream<OrderResultBatch> response) {
        new OrderStreamSession<>(shard, checks, SpotOrderEntry::journaled, o -> (OrderReply) o.reply(), request,
                response).start();
    }

    /** A streamed place, amend or cancel as spot journals it. */
    private static SpotCommand journaled(StreamedOrderCommand c) {
        return switch (c.getCommandCase()) {
            case PLACE -> SpotCommand.newBuilder().setPlaceOrder(c.getPlace()).build();
            case AMEND -> SpotCommand.newBuilder().setAmendOrder(c.getAmend()).build();
            default -> SpotCommand.newBuilder().setCancelOrder(c.getCancel()).build();
        };
    }

    @Override
    public Future<CancelAllReply> cancelAll(CancelAllRequest r) {
        StatusException bad = OrderChecks.account(r.getAccountId());
        if (bad == null && !r.getMarket().isEmpty()) {
            bad = checks.unknownMarket(r.getMarket());
        }
        return command(bad, SpotCommand.newBuilder().setCancelAll(r));
    }

    // ---------------------------------------------------------------- queries

    @Override
    public Future<MarketList> listMarkets(ListMarketsRequest request) {
        return shard.query(m -> {
            MarketList.Builder b = MarketList.newBuilder();
            for (SpotMarket market : m.engine().markets()) {
                b.addMarkets(ProtoMapping.market(market.spec()));
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
                    : m.engine().orderIdForClientId(r.getAccountId(), r.getClientOrderId());
            OrderRecord o = orderId == 0 ? null : m.view().order(r.getAccountId(), orderId);
            return o == null || !m.engine().market(o.marketId).spec().symbol().equals(r.getMarket()) ? null
                    : TradingProto.order(o, r.getMarket());
        }).compose(o -> o != null ? Future.succeededFuture(o)
                : Refusals.failed(GrpcStatus.NOT_FOUND, "UNKNOWN_ORDER", "no such order of this account in " + r.getMarket()));
    }

    @Override
    public Future<OrderList> listOpenOrders(ListOrdersRequest r) {
        return listing(r, (m, marketId) -> {
            OrderList.Builder b = OrderList.newBuilder();
            for (OrderRecord o : m.view().openOrders(r.getAccountId(), marketId)) {
                b.addOrders(TradingProto.order(o, m.engine().market(o.marketId).spec().symbol()));
            }
            return b.build();
        });
    }

    @Override
    public Future<OrderList> orderHistory(ListOrdersRequest r) {
        return listing(r, (m, marketId) -> {
            OrderList.Builder b = OrderList.newBuilder();
            for (OrderRecord o : m.view().history(r.getAccountId(), marketId, limit(r))) {
                b.addOrders(TradingProto.order(o, m.engine().market(o.marketId).spec().symbol()));
            }
            return b.build();
        });
    }

    @Override
    public Future<FillList> listFills(ListOrdersRequest r) {
        return listing(r, (m, marketId) -> {
            FillList.Builder b = FillList.newBuilder();
            m.view().fills(r.getAccountId(), marketId, limit(r)).forEach(f ->
                    b.addFills(TradingProto.fill(f, m.engine().market(f.marketId()).spec().symbol(),
                            m.engine().market(f.marketId()).spec().quoteAsset())));
            return b.build();
        });
    }

    private static int limit(ListOrdersRequest r) {
        return r.getLimit() == 0 ? DEFAULT_LIMIT : (int) Math.min(r.getLimit(), 1_000);
    }

    private interface Listing<T> {
        T read(SpotStateMachine machine, int marketId);
    }

    private <T> Future<T> listing(ListOrdersRequest r, Listing<T> listing) {
        if (!r.getMarket().isEmpty() && !markets.contains(r.getMarket())) {
            return unknownMarket(r.getMarket());
        }
        return shard.query(m -> listing.read(m, r.getMarket().isEmpty() ? -1 : m.engine().market(r.getMarket()).id()));
    }

    @Override
    public Future<BookSnapshot> getBook(BookRequest r) {
        if (!markets.contains(r.getMarket())) {
            return unknownMarket(r.getMarket());
        }
        int depth = r.getDepth() == 0 ? DEFAULT_DEPTH : (int) Math.min(r.getDepth(), MAX_DEPTH);
        return shard.query(m -> {
            SpotMarket market = m.engine().market(r.getMarket());
            BookSnapshot.Builder b = BookSnapshot.newBuilder().setMarket(r.getMarket())
                    .setMarketSequence(market.book().lastSequence())
                    .setBookSequence(m.view().stats(market.id()).bookSequence());
            market.book().levels(Side.BUY, depth, (side, price, qty, count) ->
                    b.addBids(BookLevel.newBuilder().setPrice(price).setQuantity(qty).setOrderCount(count)));
            market.book().levels(Side.SELL, depth, (side, price, qty, count) ->
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
            SpotMarket market = m.engine().market(r.getMarket());
            L3Book.Builder b = L3Book.newBuilder().setMarket(r.getMarket())
                    .setMarketSequence(market.book().lastSequence());
            market.book().orders(Side.BUY, o -> b.addBids(L3Order.newBuilder().setOrderId(o.orderId())
                    .setPrice(o.price()).setQuantity(o.leavesQuantity())));
            market.book().orders(Side.SELL, o -> b.addAsks(L3Order.newBuilder().setOrderId(o.orderId())
                    .setPrice(o.price()).setQuantity(o.leavesQuantity())));
            return b.build();
        });
    }

    @Override
    public Future<Ticker> getTicker(TickerRequest r) {
        if (!markets.contains(r.getMarket())) {
            return unknownMarket(r.getMarket());
        }
        return shard.query(m -> tickerOf(m, m.engine().market(r.getMarket()), System.currentTimeMillis()));
    }

    @Override
    public Future<TradeList> getTrades(TradesRequest r) {
        if (!markets.contains(r.getMarket())) {
            return unknownMarket(r.getMarket());
        }
        int limit = r.getLimit() == 0 ? DEFAULT_LIMIT : (int) Math.min(r.getLimit(), MarketStats.RECENT_TRADES);
        return shard.query(m -> {
            TradeList.Builder b = TradeList.newBuilder();
            for (MarketStats.TradeRecord t : m.view().stats(m.engine().market(r.getMarket()).id())
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
    public static Ticker tickerOf(SpotStateMachine m, SpotMarket market, long nowMs) {
        MarketStats stats = m.view().stats(market.id());
        long[] day = stats.rolling24h(nowMs);
        return Ticker.newBuilder()
                .setMarket(market.spec().symbol())
                .setMarketSequence(market.book().lastSequence())
                .setLastPrice(stats.lastPrice())
                .setVolume24H(day[0])
                .setQuoteVolume24H(day[1])
                .setHigh24H(day[2])
                .setLow24H(day[3])
                .setBestBid(market.book().bestBidPrice())
                .setBestBidQuantity(market.book().bestBidQuantity())
                .setBestAsk(market.book().bestAskPrice())
                .setBestAskQuantity(market.book().bestAskQuantity())
                .setTimestampMs(nowMs)
                .build();
    }
}
