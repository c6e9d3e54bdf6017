package io.trademesh.gateway.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trademesh.platform.testsupport.ServiceProcess;
import io.trademesh.proto.common.Market;
import io.trademesh.proto.common.OrderStatus;
import io.trademesh.proto.common.Side;
import io.trademesh.proto.trading.CancelOrderRequest;
import io.trademesh.proto.spot.CreateMarketRequest;
import io.trademesh.proto.trading.OrderReply;
import io.trademesh.proto.trading.PlaceOrderRequest;
import io.trademesh.proto.spot.SpotServiceGrpcClient;
import io.trademesh.proto.trading.OrderEntryGrpcClient;
import io.trademesh.proto.wallet.WalletTransferRequest;
import io.trademesh.proto.wallet.WalletServiceGrpcClient;
import io.trademesh.spot.SpotServiceMain;
import io.trademesh.spot.TestMarkets;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway's order stream against a real spot process: many orders from one context
 * batched on one stream and each answered; a service refusal kept with its reason; spot
 * killed: the waiting orders fail and the stream opens again once spot is back.
 */
class OrderStreamClientTest {

    @TempDir
    Path dir;

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void tearDown() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    /** Runs {@code call} on a duplicate of {@code ctx}, as Vert.x runs each HTTP request of an event loop. */
    private static <T> Future<T> on(Context ctx, Supplier<Future<T>> call) {
        Promise<T> p = Promise.promise();
        ((ContextInternal) ctx).duplicate().runOnContext(v -> call.get().onComplete(p));
        return p.future();
    }

    private static PlaceOrderRequest bid(long price, String clientId) {
        return PlaceOrderRequest.newBuilder().setAccountId(1).setMarket("BTC-USDT").setSide(Side.SIDE_BUY)
                .setPrice(price).setQuantity(TestMarkets.BTC / 100).setClientOrderId(clientId).build();
    }

    @Test
    void aStreamThatCannotOpenFailsItsOrdersInTimeAndNeverSendsThem() throws Exception {
        // A peer that accepts the connection and never says a word.
        var silent = await(vertx.createNetServer().connectHandler(socket -> { }).listen(0, "127.0.0.1"));
        Context ctx = vertx.getOrCreateContext();
        OrderStreamClient orders = new OrderStreamClient(vertx, ctx, OrderEntryGrpcClient.create(GrpcClient.client(vertx),
                SocketAddress.inetSocketAddress(silent.actualPort(), "127.0.0.1")), "silent", 300);
        long t0 = System.nanoTime();
        ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> await(on(ctx, () -> orders.place(bid(100, "never")))));
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) < 5_000, "failed in time: " + failed);
        assertEquals(0, await(on(ctx, () -> Future.succeededFuture(orders.waiting()))));
        assertEquals(0L, await(on(ctx, () -> Future.succeededFuture(orders.batchesSent()))));
    }

    @Test
    void ordersFromOneContextShareTheStreamAndSurviveASpotRestart() throws Exception {
        Market market = TestMarkets.btcUsdt();
        long price = 30_000 * TestMarkets.PRICE;
        try (ServiceProcess spot = new ServiceProcess(SpotServiceMain.class, dir, Map.of()).start()) {
            SocketAddress where = SocketAddress.inetSocketAddress(spot.grpcPort, "127.0.0.1");
            SpotServiceGrpcClient unary = SpotServiceGrpcClient.create(GrpcClient.client(vertx), where);
            await(unary.createMarket(CreateMarketRequest.newBuilder().setMarket(market).build()));
            await(WalletServiceGrpcClient.create(GrpcClient.client(vertx), where).credit(WalletTransferRequest.newBuilder().setTransferId("d1").setAccountId(1)
                    .setAsset("USDT").setAmount(10_000_000 * TestMarkets.USDT).build()));

            Context ctx = vertx.getOrCreateContext();
            OrderStreamClient orders = new OrderStreamClient(vertx, ctx,
                    OrderEntryGrpcClient.create(GrpcClient.client(vertx), where), "spot", 2_000);

            // 500 orders in one turn of the context: one stream, batches of at most MAX_BATCH, all answered.
            Promise<List<OrderReply>> placed = Promise.promise();
            ((ContextInternal) ctx).duplicate().runOnContext(v -> {
                List<Future<OrderReply>> all = new ArrayList<>();
                for (int i = 0; i < 500; i++) {
                    all.add(orders.place(bid(price - i * TestMarkets.PRICE, "o-" + i)));
                }
                Future.all(all).map(cf -> cf.<OrderReply>list()).onComplete(placed);
            });
            List<OrderReply> replies = await(placed.future());
            for (int i = 0; i < 500; i++) {
                assertTrue(replies.get(i).getAccepted(), replies.get(i).toString());
                assertEquals("o-" + i, replies.get(i).getOrder().getClientOrderId());
            }
            assertEquals(0, await(on(ctx, () -> Future.succeededFuture(orders.waiting()))));
            assertEquals(2L, await(on(ctx, () -> Future.succeededFuture(orders.batchesSent()))),
                    "500 orders of one turn went out as two batches (MAX_BATCH is 256)");

            // A refusal by spot's checks comes back with its status and reason.
            ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> await(on(ctx, () -> orders.place(bid(price, "bad id!")))));
            ServiceRefusal r = assertInstanceOf(ServiceRefusal.class, refused.getCause());
            assertEquals(GrpcStatus.INVALID_ARGUMENT, r.status());
            assertEquals("INVALID_CLIENT_ORDER_ID", r.reason());

            // Spot dies: what waits fails instead of hanging; once spot is back, the stream reopens.
            spot.kill();
            ExecutionException down = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> await(on(ctx, () -> orders.place(bid(price, "while-down")))));
            assertTrue(!(down.getCause() instanceof ServiceRefusal), "a broken stream is not a refusal: " + down);
            spot.start();   // same ports, same data
            OrderReply cancelled = null;
            long deadline = System.currentTimeMillis() + 15_000;
            while (cancelled == null && System.currentTimeMillis() < deadline) {
                try {
                    cancelled = await(on(ctx, () -> orders.cancel(CancelOrderRequest.newBuilder().setAccountId(1)
                            .setMarket("BTC-USDT").setClientOrderId("o-7").build())));
                } catch (ExecutionException e) {
                    Thread.sleep(200);   // the first tries may meet spot still starting
                }
            }
            assertEquals(OrderStatus.ORDER_STATUS_CANCELLED, cancelled.getOrder().getStatus(),
                    "the order acknowledged before the kill is still there after it");
        }
    }
}
