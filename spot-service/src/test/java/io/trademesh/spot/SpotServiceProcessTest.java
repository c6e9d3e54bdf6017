package io.trademesh.spot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trademesh.platform.testsupport.ServiceProcess;
import io.trademesh.proto.common.Balance;
import io.trademesh.proto.common.BookSnapshot;
import io.trademesh.proto.common.Order;
import io.trademesh.proto.common.OrderStatus;
import io.trademesh.proto.common.OrderType;
import io.trademesh.proto.common.TimeInForce;
import io.trademesh.proto.common.Side;
import io.trademesh.proto.wallet.BalanceList;
import io.trademesh.proto.wallet.BalancesRequest;
import io.trademesh.proto.trading.BookRequest;
import io.trademesh.proto.trading.CancelOrderRequest;
import io.trademesh.proto.spot.CreateMarketRequest;
import io.trademesh.proto.trading.FillList;
import io.trademesh.proto.trading.GetOrderRequest;
import io.trademesh.proto.trading.ListOrdersRequest;
import io.trademesh.proto.trading.OrderList;
import io.trademesh.proto.trading.OrderReply;
import io.trademesh.proto.trading.PlaceOrderRequest;
import io.trademesh.proto.spot.SpotServiceGrpcClient;
import io.trademesh.proto.trading.OrderEntryGrpcClient;
import io.trademesh.proto.wallet.WalletTransferReply;
import io.trademesh.proto.wallet.WalletTransferRequest;
import io.trademesh.proto.wallet.WalletServiceGrpcClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * spot-service as its own process, through real gRPC, with a real RocksDB: place, match,
 * cancel; SIGKILL and restart: books, balances and open orders are what was acknowledged;
 * a repeated credit is applied once; orders in flight at a SIGKILL and retried with their
 * client order ids execute once.
 */
class SpotServiceProcessTest {

    static final long BTC = TestMarkets.BTC;
    static final long USDT = TestMarkets.USDT;
    static final long PRICE = TestMarkets.PRICE;


    @TempDir
    Path dir;

    private Vertx vertx;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void tearDown() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private SpotServiceGrpcClient markets(ServiceProcess spot) {
        return SpotServiceGrpcClient.create(GrpcClient.client(vertx),
                SocketAddress.inetSocketAddress(spot.grpcPort, "127.0.0.1"));
    }

    private OrderEntryGrpcClient client(ServiceProcess spot) {
        return OrderEntryGrpcClient.create(GrpcClient.client(vertx),
                SocketAddress.inetSocketAddress(spot.grpcPort, "127.0.0.1"));
    }

    private WalletServiceGrpcClient wallet(ServiceProcess spot) {
        return WalletServiceGrpcClient.create(GrpcClient.client(vertx),
                SocketAddress.inetSocketAddress(spot.grpcPort, "127.0.0.1"));
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    private static PlaceOrderRequest limit(long account, Side side, long price, long quantity, String clientId) {
        return PlaceOrderRequest.newBuilder().setAccountId(account).setMarket("BTC-USDT").setSide(side)
                .setPrice(price).setQuantity(quantity).setClientOrderId(clientId).build();
    }

    private static WalletTransferRequest credit(String id, long account, String asset, long amount) {
        return WalletTransferRequest.newBuilder().setTransferId(id).setAccountId(account).setAsset(asset)
                .setAmount(amount).build();
    }

    private static Balance balance(BalanceList list, String asset) {
        return list.getBalancesList().stream().filter(b -> b.getAsset().equals(asset)).findFirst().orElseThrow();
    }

    @Test
    void tradesAndSurvivesSigkillWithEverythingAcknowledged() throws Exception {
        try (ServiceProcess spot = new ServiceProcess(SpotServiceMain.class, dir, Map.of()).start()) {
            OrderEntryGrpcClient api = client(spot);
            assertEquals("BTC-USDT", await(markets(spot).createMarket(CreateMarketRequest.newBuilder()
                    .setMarket(TestMarkets.btcUsdt()).build())).getLocation().getMarket());

            assertTrue(await(wallet(spot).credit(credit("dep-1", 1, "USDT", 1_000_000 * USDT))).getApplied());
            assertTrue(await(wallet(spot).credit(credit("dep-2", 2, "BTC", 10 * BTC))).getApplied());
            WalletTransferReply again = await(wallet(spot).credit(credit("dep-1", 1, "USDT", 1_000_000 * USDT)));
            assertTrue(again.getDuplicate());
            assertEquals(1_000_000 * USDT, again.getBalance().getAvailable());

            // Account 1 bids 1 BTC at 30,000.00; it locks the notional and the most taker fee it can pay.
            OrderReply bid = await(api.placeOrder(limit(1, Side.SIDE_BUY, 30_000 * PRICE, BTC, "bid-1")));
            assertTrue(bid.getAccepted(), bid.toString());
            long notional = 30_000 * USDT;
            long maxFee = notional * 20 / 10_000;
            assertEquals(notional + maxFee, balance(await(wallet(spot).balances(
                    BalancesRequest.newBuilder().setAccountId(1).build())), "USDT").getLocked());

            // The same client order id again is answered with the existing order.
            OrderReply dup = await(api.placeOrder(limit(1, Side.SIDE_BUY, 29_000 * PRICE, BTC, "bid-1")));
            assertTrue(dup.getDuplicate());
            assertEquals(bid.getOrder().getOrderId(), dup.getOrder().getOrderId());

            // Account 2 sells 0.4 BTC below the bid: it trades at the bid's price as taker.
            OrderReply ask = await(api.placeOrder(limit(2, Side.SIDE_SELL, 29_999 * PRICE, 4 * BTC / 10, "")));
            assertEquals(OrderStatus.ORDER_STATUS_FILLED, ask.getOrder().getStatus());
            assertEquals(1, ask.getFillsCount());
            assertEquals(30_000 * PRICE, ask.getFills(0).getPrice());

            // A resting ask that stays open across the crash.
            OrderReply resting = await(api.placeOrder(limit(2, Side.SIDE_SELL, 31_000 * PRICE, BTC, "ask-open")));
            assertEquals(OrderStatus.ORDER_STATUS_NEW, resting.getOrder().getStatus());

            // Cancel the rest of the bid: its reservation comes back.
            OrderReply cancelled = await(api.cancelOrder(CancelOrderRequest.newBuilder().setAccountId(1)
                    .setMarket("BTC-USDT").setClientOrderId("bid-1").build()));
            assertEquals(OrderStatus.ORDER_STATUS_CANCELLED, cancelled.getOrder().getStatus());

            long tradedNotional = 12_000 * USDT;
            long makerFee = tradedNotional * 10 / 10_000;
            long takerFee = tradedNotional * 20 / 10_000;
            BalanceList buyer = await(wallet(spot).balances(BalancesRequest.newBuilder().setAccountId(1).build()));
            assertEquals(1_000_000 * USDT - tradedNotional - makerFee, balance(buyer, "USDT").getAvailable());
            assertEquals(0, balance(buyer, "USDT").getLocked());
            assertEquals(4 * BTC / 10, balance(buyer, "BTC").getAvailable());
            BalanceList seller = await(wallet(spot).balances(BalancesRequest.newBuilder().setAccountId(2).build()));
            assertEquals(tradedNotional - takerFee, balance(seller, "USDT").getAvailable());
            assertEquals(10 * BTC - 4 * BTC / 10 - BTC, balance(seller, "BTC").getAvailable());
            assertEquals(BTC, balance(seller, "BTC").getLocked());
            assertEquals(makerFee + takerFee, balance(await(wallet(spot).balances(
                    BalancesRequest.newBuilder().setAccountId(0).build())), "USDT").getAvailable());

            BookSnapshot bookBefore = await(api.getBook(BookRequest.newBuilder().setMarket("BTC-USDT").build()));
            OrderList openBefore = await(api.listOpenOrders(ListOrdersRequest.newBuilder().setAccountId(2).build()));

            spot.kill();
            spot.start();
            OrderEntryGrpcClient after = client(spot);

            assertEquals(buyer, await(wallet(spot).balances(BalancesRequest.newBuilder().setAccountId(1).build())));
            assertEquals(seller, await(wallet(spot).balances(BalancesRequest.newBuilder().setAccountId(2).build())));
            assertEquals(bookBefore, await(after.getBook(BookRequest.newBuilder().setMarket("BTC-USDT").build())));
            assertEquals(openBefore, await(after.listOpenOrders(ListOrdersRequest.newBuilder().setAccountId(2)
                    .build())));
            assertEquals(1, openBefore.getOrdersCount());

            // The transfer id is remembered across the crash too.
            WalletTransferReply replayed = await(wallet(spot).credit(credit("dep-2", 2, "BTC", 10 * BTC)));
            assertTrue(replayed.getDuplicate());
            assertEquals(balance(seller, "BTC"), replayed.getBalance());

            // And the service goes on: the resting ask trades.
            OrderReply take = await(after.placeOrder(limit(1, Side.SIDE_BUY, 31_000 * PRICE, BTC, "")));
            assertEquals(OrderStatus.ORDER_STATUS_FILLED, take.getOrder().getStatus());
            assertFalse(await(after.listOpenOrders(ListOrdersRequest.newBuilder().setAccountId(2).build()))
                    .getOrdersList().stream().anyMatch(o -> o.getClientOrderId().equals("ask-open")));

            assertEquals(0, spot.terminate());
        }
    }

    /**
     * A client sends IOC, market and resting orders with client ids and spot dies under them
     * (SIGKILL): some were journaled, some not, none answered for sure. After the restart the
     * client retries every one with the same client id: each executes exactly once, a retry of
     * one that made it is answered with the original order, and a second retry with the same.
     */
    @Test
    void ordersInFlightAtSigkillRetriedByClientIdExecuteOnce() throws Exception {
        try (ServiceProcess spot = new ServiceProcess(SpotServiceMain.class, dir, Map.of()).start()) {
            OrderEntryGrpcClient api = client(spot);
            await(markets(spot).createMarket(CreateMarketRequest.newBuilder().setMarket(TestMarkets.btcUsdt()).build()));
            assertTrue(await(wallet(spot).credit(credit("dep-1", 1, "USDT", 10_000_000 * USDT))).getApplied());
            assertTrue(await(wallet(spot).credit(credit("dep-2", 2, "BTC", 100 * BTC))).getApplied());
            assertTrue(await(api.placeOrder(limit(2, Side.SIDE_SELL, 30_000 * PRICE, 10 * BTC, ""))).getAccepted());

            List<PlaceOrderRequest> orders = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                orders.add(limit(1, Side.SIDE_BUY, 30_000 * PRICE, BTC / 100, "ioc-" + i).toBuilder()
                        .setTimeInForce(TimeInForce.TIME_IN_FORCE_IOC).build());
                orders.add(PlaceOrderRequest.newBuilder().setAccountId(1).setMarket("BTC-USDT")
                        .setSide(Side.SIDE_BUY).setType(OrderType.ORDER_TYPE_MARKET).setQuoteQuantity(100 * USDT)
                        .setClientOrderId("mkt-" + i).build());
                orders.add(limit(1, Side.SIDE_BUY, 20_000 * PRICE, BTC / 100, "rest-" + i));
            }
            List<Future<OrderReply>> sent = new ArrayList<>();
            for (PlaceOrderRequest o : orders) {
                sent.add(api.placeOrder(o));
            }
            // Kill once the first answers are back: the rest are in flight, queued or never sent.
            List<OrderReply> acknowledged = new ArrayList<>();
            for (int i = 0; i < 15; i++) {
                acknowledged.add(await(sent.get(i)));
            }
            spot.kill();
            spot.start();
            OrderEntryGrpcClient after = client(spot);

            List<Order> retried = new ArrayList<>();
            int duplicates = 0;
            for (PlaceOrderRequest o : orders) {
                OrderReply r = await(after.placeOrder(o));
                assertTrue(r.getAccepted() || r.getDuplicate(), r.toString());
                duplicates += r.getDuplicate() ? 1 : 0;
                retried.add(r.getOrder());
            }
            for (int i = 0; i < acknowledged.size(); i++) {
                assertTrue(acknowledged.get(i).getOrder().getOrderId() == retried.get(i).getOrderId(),
                        "an acknowledged order is answered with itself: " + retried.get(i));
            }
            Set<Long> ids = new HashSet<>();
            long bought = 0;
            for (int i = 0; i < orders.size(); i++) {
                OrderReply again = await(after.placeOrder(orders.get(i)));
                assertTrue(again.getDuplicate(), again.toString());
                assertEquals(retried.get(i).getOrderId(), again.getOrder().getOrderId());
                assertEquals(0, again.getFillsCount(), "a duplicate executes nothing");
                Order byClientId = await(after.getOrder(GetOrderRequest.newBuilder().setAccountId(1)
                        .setMarket("BTC-USDT").setClientOrderId(orders.get(i).getClientOrderId()).build()));
                assertEquals(again.getOrder(), byClientId);
                assertTrue(ids.add(byClientId.getOrderId()), "one order per client id");
                bought += byClientId.getFilledQuantity();
            }
            // Exactly once: what account 1 holds is what its 120 orders filled, and its fills say the same.
            BalanceList buyer = await(wallet(spot).balances(BalancesRequest.newBuilder().setAccountId(1).build()));
            assertEquals(bought, balance(buyer, "BTC").getAvailable());
            FillList fills = await(after.listFills(ListOrdersRequest.newBuilder().setAccountId(1).setLimit(500)
                    .build()));
            assertEquals(bought, fills.getFillsList().stream().mapToLong(f -> f.getQuantity()).sum());
            assertEquals(40, await(after.listOpenOrders(ListOrdersRequest.newBuilder().setAccountId(1).build()))
                    .getOrdersCount());
            assertTrue(duplicates >= acknowledged.size(), duplicates + " duplicates");
            System.out.printf("orders sent before SIGKILL: %d; acknowledged %d, journaled %d%n", orders.size(),
                    acknowledged.size(), duplicates);
            assertEquals(0, spot.terminate());
        }
    }

    /** A GTD order expires on its own, with no other traffic; an idle engine journals nothing. */
    @Test
    void gtdOrdersExpireOnTimeAndAnIdleEngineJournalsNothing() throws Exception {
        try (ServiceProcess spot = new ServiceProcess(SpotServiceMain.class, dir, Map.of()).start()) {
            OrderEntryGrpcClient api = client(spot);
            await(markets(spot).createMarket(CreateMarketRequest.newBuilder().setMarket(TestMarkets.btcUsdt()).build()));
            assertTrue(await(wallet(spot).credit(credit("dep-1", 1, "USDT", 100_000 * USDT))).getApplied());
            OrderReply gtd = await(api.placeOrder(limit(1, Side.SIDE_BUY, 29_000 * PRICE, BTC, "gtd-1").toBuilder()
                    .setTimeInForce(TimeInForce.TIME_IN_FORCE_GTD).setExpireAtMs(System.currentTimeMillis() + 800)
                    .build()));
            assertEquals(OrderStatus.ORDER_STATUS_NEW, gtd.getOrder().getStatus());
            GetOrderRequest byId = GetOrderRequest.newBuilder().setAccountId(1).setMarket("BTC-USDT")
                    .setOrderId(gtd.getOrder().getOrderId()).build();
            long deadline = System.currentTimeMillis() + 5_000;
            while (await(api.getOrder(byId)).getStatus() != OrderStatus.ORDER_STATUS_EXPIRED) {
                assertTrue(System.currentTimeMillis() < deadline, "the GTD order did not expire on its own");
                Thread.sleep(50);
            }
            assertEquals(0, balance(await(wallet(spot).balances(BalancesRequest.newBuilder().setAccountId(1)
                    .build())), "USDT").getLocked());

            // Nothing is due now: a second of quiet journals no tick.
            long before = durableSequence(spot);
            Thread.sleep(1_000);
            assertEquals(before, durableSequence(spot));
            assertEquals(0, spot.terminate());
        }
    }

    private static long durableSequence(ServiceProcess spot) throws Exception {
        return spot.get("/metrics").body().lines().filter(l -> l.startsWith("journal_last_durable_sequence"))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst()
                .orElseThrow();
    }
}
