package io.trademesh.spot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.trademesh.platform.cluster.ClusterMembership;
import io.trademesh.platform.cluster.ClusteredVertx;
import io.trademesh.platform.cluster.MarketDirectory;
import io.trademesh.platform.config.ServiceConfig;
import io.trademesh.platform.config.ServiceDefaults;
import io.trademesh.platform.events.EventStreams;
import io.trademesh.platform.testsupport.FreePorts;
import io.trademesh.platform.testsupport.ServiceProcess;
import io.trademesh.proto.common.BookDelta;
import io.trademesh.proto.common.BookSnapshot;
import io.trademesh.proto.common.PublicTrade;
import io.trademesh.proto.common.Side;
import io.trademesh.proto.common.Ticker;
import io.trademesh.proto.events.AccountEvent;
import io.trademesh.proto.trading.BookRequest;
import io.trademesh.proto.spot.CreateMarketRequest;
import io.trademesh.proto.trading.PlaceOrderRequest;
import io.trademesh.proto.spot.SpotServiceGrpcClient;
import io.trademesh.proto.trading.OrderEntryGrpcClient;
import io.trademesh.proto.wallet.WalletTransferRequest;
import io.trademesh.proto.wallet.WalletServiceGrpcClient;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * spot-service's events as another cluster member sees them: book diffs with a gap-free
 * book sequence that continues a snapshot, public trades, tickers, and each account's
 * private orders, fills and balances; plus the market directory entry.
 */
class SpotEventsProcessTest {

    @TempDir
    Path dir;

    @Test
    void anotherMemberSeesBookTradesTickerAndPrivateEvents() throws Exception {
        try (ServiceProcess spot = new ServiceProcess(SpotServiceMain.class, dir, Map.of()).start()) {
            int own = FreePorts.take();
            ServiceConfig cfg = ServiceConfig.from(Map.of(
                    "CLUSTER_NAME", spot.clusterName,
                    "CLUSTER_PORT", Integer.toString(own),
                    "CLUSTER_MEMBERS", "127.0.0.1:" + spot.clusterPort + ",127.0.0.1:" + own),
                    new ServiceDefaults("events-test", 0, 0, own));
            ClusteredVertx member = await(ClusteredVertx.start(cfg, new ClusterMembership(), new SimpleMeterRegistry()));
            try {
                var bus = member.vertx().eventBus();
                BlockingQueue<BookDelta> book = new LinkedBlockingQueue<>();
                BlockingQueue<PublicTrade> trades = new LinkedBlockingQueue<>();
                BlockingQueue<Ticker> tickers = new LinkedBlockingQueue<>();
                BlockingQueue<AccountEvent> buyer = new LinkedBlockingQueue<>();
                // Book, trade and account events arrive in spot's event batches; tickers on their address.
                await(Future.all(List.of(
                        bus.<Buffer>consumer(EventStreams.of("spot"), m -> EventStreams.forEach(m.body(),
                                (address, event) -> {
                                    switch (address) {
                                        case "md.BTC-USDT.book" -> book.add(parse(BookDelta::parseFrom, event));
                                        case "md.BTC-USDT.trades" -> trades.add(parse(PublicTrade::parseFrom, event));
                                        case "acct.1" -> buyer.add(parse(AccountEvent::parseFrom, event));
                                        default -> { }
                                    }
                                })).completion(),
                        bus.<Buffer>consumer("md.BTC-USDT.ticker", m -> tickers.add(parse(Ticker::parseFrom, m.body())))
                                .completion())));

                OrderEntryGrpcClient api = OrderEntryGrpcClient.create(GrpcClient.client(member.vertx()),
                        SocketAddress.inetSocketAddress(spot.grpcPort, "127.0.0.1"));
                WalletServiceGrpcClient wallet = WalletServiceGrpcClient.create(GrpcClient.client(member.vertx()),
                        SocketAddress.inetSocketAddress(spot.grpcPort, "127.0.0.1"));
                await(SpotServiceGrpcClient.create(GrpcClient.client(member.vertx()),
                    SocketAddress.inetSocketAddress(spot.grpcPort, "127.0.0.1")).createMarket(CreateMarketRequest.newBuilder()
                        .setMarket(TestMarkets.btcUsdt()).build()));
                var where = await(new MarketDirectory(member.vertx()).lookup("BTC-USDT"));
                assertEquals("127.0.0.1:" + spot.grpcPort, where.getGrpcEndpoint());

                await(wallet.credit(WalletTransferRequest.newBuilder().setTransferId("d1").setAccountId(1)
                        .setAsset("USDT").setAmount(100_000 * TestMarkets.USDT).build()));
                await(wallet.credit(WalletTransferRequest.newBuilder().setTransferId("d2").setAccountId(2)
                        .setAsset("BTC").setAmount(TestMarkets.BTC).build()));
                BookSnapshot snapshot = await(api.getBook(BookRequest.newBuilder().setMarket("BTC-USDT").build()));
                assertEquals(0, snapshot.getBookSequence());

                long price = 30_000 * TestMarkets.PRICE;
                long qty = TestMarkets.BTC / 10;
                await(api.placeOrder(PlaceOrderRequest.newBuilder().setAccountId(1).setMarket("BTC-USDT")
                        .setSide(Side.SIDE_BUY).setPrice(price).setQuantity(2 * qty).build()));
                await(api.placeOrder(PlaceOrderRequest.newBuilder().setAccountId(2).setMarket("BTC-USDT")
                        .setSide(Side.SIDE_SELL).setPrice(price).setQuantity(qty).build()));

                BookDelta first = poll(book);
                assertEquals(snapshot.getBookSequence() + 1, first.getBookSequence());
                assertEquals(2 * qty, first.getLevels(0).getTotalQuantity());
                BookDelta second = poll(book);
                assertEquals(first.getBookSequence() + 1, second.getBookSequence());
                assertEquals(qty, second.getLevels(0).getTotalQuantity());
                assertTrue(second.getMarketSequence() > first.getMarketSequence());

                PublicTrade trade = poll(trades);
                assertEquals(price, trade.getPrice());
                assertEquals(qty, trade.getQuantity());
                assertEquals(Side.SIDE_SELL, trade.getTakerSide());

                // Buyer: its order (new), balance (locked), then the fill, the order (partially filled), balances.
                boolean sawFill = false;
                boolean sawBalance = false;
                boolean sawPartial = false;
                for (int i = 0; i < 8 && !(sawFill && sawBalance && sawPartial); i++) {
                    AccountEvent e = poll(buyer);
                    assertEquals(1, e.getAccountId());
                    sawFill |= e.hasFill() && e.getFill().getMakerAccountId() == 1 && e.getFill().getTakerAccountId() == 0;
                    sawBalance |= e.hasBalance() && e.getBalance().getAsset().equals("BTC")
                            && e.getBalance().getAvailable() == qty;
                    sawPartial |= e.hasOrder() && e.getOrder().getFilledQuantity() == qty;
                }
                assertTrue(sawFill && sawBalance && sawPartial, "buyer's private events");

                Ticker ticker = poll(tickers);
                assertEquals("BTC-USDT", ticker.getMarket());
                while (ticker.getLastPrice() == 0) {
                    ticker = poll(tickers);
                }
                assertEquals(price, ticker.getLastPrice());
                assertEquals(qty, ticker.getVolume24H());
                assertEquals(price, ticker.getBestBid());
            } finally {
                await(member.close());
            }
        }
    }

    private interface Parser<T> {
        T parse(byte[] bytes) throws Exception;
    }

    private static <T> T parse(Parser<T> parser, Buffer body) {
        try {
            return parser.parse(body.getBytes());
        } catch (Exception e) {
            throw new AssertionError("undecodable event", e);
        }
    }

    private static <T> T poll(BlockingQueue<T> q) throws InterruptedException {
        T t = q.poll(10, TimeUnit.SECONDS);
        if (t == null) {
            throw new AssertionError("no event within 10 s");
        }
        return t;
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
}
