package io.trademesh.spot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trademesh.platform.testsupport.ServiceProcess;
import io.trademesh.proto.common.OrderStatus;
import io.trademesh.proto.common.Side;
import io.trademesh.proto.trading.BookRequest;
import io.trademesh.proto.trading.CancelOrderRequest;
import io.trademesh.proto.spot.CreateMarketRequest;
import io.trademesh.proto.trading.OrderCommandBatch;
import io.trademesh.proto.trading.OrderResultBatch;
import io.trademesh.proto.trading.PlaceOrderRequest;
import io.trademesh.proto.spot.SpotServiceGrpcClient;
import io.trademesh.proto.trading.OrderEntryGrpcClient;
import io.trademesh.proto.trading.StreamedOrderCommand;
import io.trademesh.proto.trading.StreamedOrderResult;
import io.trademesh.proto.wallet.WalletTransferRequest;
import io.trademesh.proto.wallet.WalletServiceGrpcClient;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.streams.WriteStream;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The order stream as the gateway uses it: batches of tagged commands in, one batch of
 * results per batch out once durable, with the unary calls' refusals per command, and the
 * stream ending cleanly when the caller ends it.
 */
class OrderStreamProcessTest {

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

    private static StreamedOrderCommand place(long tag, long account, Side side, long price, long qty, String clientId) {
        return StreamedOrderCommand.newBuilder().setTag(tag).setPlace(PlaceOrderRequest.newBuilder()
                .setAccountId(account).setMarket("BTC-USDT").setSide(side).setPrice(price).setQuantity(qty)
                .setClientOrderId(clientId)).build();
    }

    private static StreamedOrderCommand cancel(long tag, long account, String clientId) {
        return StreamedOrderCommand.newBuilder().setTag(tag).setCancel(CancelOrderRequest.newBuilder()
                .setAccountId(account).setMarket("BTC-USDT").setClientOrderId(clientId)).build();
    }

    @Test
    void batchesAreAnsweredPerCommandInOrderAndTheStreamEndsCleanly() throws Exception {
        long btc = TestMarkets.BTC;
        long price = 30_000 * TestMarkets.PRICE;
        try (ServiceProcess spot = new ServiceProcess(SpotServiceMain.class, dir, Map.of()).start()) {
            OrderEntryGrpcClient api = OrderEntryGrpcClient.create(GrpcClient.client(vertx),
                    SocketAddress.inetSocketAddress(spot.grpcPort, "127.0.0.1"));
            WalletServiceGrpcClient wallet = WalletServiceGrpcClient.create(GrpcClient.client(vertx),
                    SocketAddress.inetSocketAddress(spot.grpcPort, "127.0.0.1"));
            await(SpotServiceGrpcClient.create(GrpcClient.client(vertx),
                    SocketAddress.inetSocketAddress(spot.grpcPort, "127.0.0.1")).createMarket(CreateMarketRequest.newBuilder().setMarket(TestMarkets.btcUsdt()).build()));
            await(wallet.credit(WalletTransferRequest.newBuilder().setTransferId("d1").setAccountId(1)
                    .setAsset("USDT").setAmount(1_000_000 * TestMarkets.USDT).build()));
            await(wallet.credit(WalletTransferRequest.newBuilder().setTransferId("d2").setAccountId(2)
                    .setAsset("BTC").setAmount(10 * btc).build()));

            BlockingQueue<OrderResultBatch> results = new LinkedBlockingQueue<>();
            Promise<Void> ended = Promise.promise();
            Promise<WriteStream<OrderCommandBatch>> sender = Promise.promise();
            api.orderStream(sender).onSuccess(replies -> replies.handler(results::add).endHandler(ended::tryComplete));
            WriteStream<OrderCommandBatch> out = await(sender.future());

            out.write(OrderCommandBatch.newBuilder()
                    .addCommands(place(11, 2, Side.SIDE_SELL, price, 2 * btc, "ask"))        // rests
                    .addCommands(place(12, 1, Side.SIDE_BUY, price, btc, "bid"))             // trades 1 BTC
                    .addCommands(cancel(13, 1, "nothing-like-it"))                          // engine refusal
                    .addCommands(place(14, 0, Side.SIDE_BUY, price, btc, ""))               // refused by the checks
                    .addCommands(StreamedOrderCommand.newBuilder().setTag(15))              // no command at all
                    .addCommands(place(16, 1, Side.SIDE_BUY, price, btc, "").toBuilder()
                            .setPlace(PlaceOrderRequest.newBuilder().setAccountId(1).setMarket("NOPE-USDT")
                                    .setSide(Side.SIDE_BUY).setPrice(price).setQuantity(btc)).build())
                    .build());
            List<StreamedOrderResult> first = results.poll(20, TimeUnit.SECONDS).getResultsList();
            assertEquals(List.of(11L, 12L, 13L, 14L, 15L, 16L), first.stream().map(StreamedOrderResult::getTag).toList());
            assertTrue(first.get(0).getReply().getAccepted());
            assertEquals(OrderStatus.ORDER_STATUS_NEW, first.get(0).getReply().getOrder().getStatus());
            assertEquals(OrderStatus.ORDER_STATUS_FILLED, first.get(1).getReply().getOrder().getStatus());
            assertEquals(1, first.get(1).getReply().getFillsCount());
            assertEquals(0, first.get(2).getStatus());
            assertEquals("UNKNOWN_ORDER", first.get(2).getReply().getRejectReason());
            assertEquals(GrpcStatus.INVALID_ARGUMENT.code, first.get(3).getStatus());
            assertTrue(first.get(3).getMessage().startsWith("INVALID_ACCOUNT: "), first.get(3).getMessage());
            assertFalse(first.get(3).hasReply());
            assertEquals(GrpcStatus.INVALID_ARGUMENT.code, first.get(4).getStatus());
            assertTrue(first.get(4).getMessage().startsWith("MISSING_COMMAND: "));
            assertEquals(GrpcStatus.NOT_FOUND.code, first.get(5).getStatus());
            assertTrue(first.get(5).getMessage().startsWith("UNKNOWN_MARKET: "));

            out.write(OrderCommandBatch.newBuilder().addCommands(cancel(21, 2, "ask")).build());
            out.end();
            List<StreamedOrderResult> second = new ArrayList<>(results.poll(20, TimeUnit.SECONDS).getResultsList());
            assertEquals(21L, second.get(0).getTag());
            assertEquals(OrderStatus.ORDER_STATUS_CANCELLED, second.get(0).getReply().getOrder().getStatus());
            await(ended.future());   // every batch answered, then the stream ends

            // Many batches in flight at once (more than spot reads ahead of its shard): all answered once.
            Promise<WriteStream<OrderCommandBatch>> sender2 = Promise.promise();
            BlockingQueue<OrderResultBatch> results2 = new LinkedBlockingQueue<>();
            api.orderStream(sender2).onSuccess(replies -> replies.handler(results2::add));
            WriteStream<OrderCommandBatch> out2 = await(sender2.future());
            int batches = 200;
            int perBatch = 20;
            for (int b = 0; b < batches; b++) {
                OrderCommandBatch.Builder batch = OrderCommandBatch.newBuilder();
                for (int i = 0; i < perBatch; i++) {
                    batch.addCommands(cancel(1000L + b * perBatch + i, 1, "none-" + i));
                }
                out2.write(batch.build());
            }
            java.util.Set<Long> tags = new java.util.HashSet<>();
            while (tags.size() < batches * perBatch) {
                OrderResultBatch r = results2.poll(20, TimeUnit.SECONDS);
                assertTrue(r != null, "answered " + tags.size() + " of " + batches * perBatch);
                r.getResultsList().forEach(x -> assertTrue(tags.add(x.getTag()), "tag answered twice"));
            }
            out2.end();

            // A caller that goes away with batches in flight disturbs nothing: spot keeps answering.
            Promise<WriteStream<OrderCommandBatch>> sender3 = Promise.promise();
            api.orderStream(sender3);
            WriteStream<OrderCommandBatch> out3 = await(sender3.future());
            for (int b = 0; b < 50; b++) {
                OrderCommandBatch.Builder batch = OrderCommandBatch.newBuilder();
                for (int i = 0; i < perBatch; i++) {
                    batch.addCommands(cancel(9000L + b * perBatch + i, 1, "gone-" + i));
                }
                out3.write(batch.build());
            }
            ((io.vertx.grpc.client.GrpcClientRequest<?, ?>) out3).cancel();
            var after = await(api.placeOrder(PlaceOrderRequest.newBuilder().setAccountId(1).setMarket("BTC-USDT")
                    .setSide(Side.SIDE_BUY).setPrice(price / 2).setQuantity(btc).setClientOrderId("after").build()));
            assertTrue(after.getAccepted(), "spot still answers after a stream was cancelled mid-flight");
            await(api.cancelOrder(CancelOrderRequest.newBuilder().setAccountId(1).setMarket("BTC-USDT")
                    .setClientOrderId("after").build()));

            // What the stream did is durable state like any other command's: the book is empty again.
            var book = await(api.getBook(BookRequest.newBuilder().setMarket("BTC-USDT").build()));
            assertEquals(0, book.getAsksCount() + book.getBidsCount());
        }
    }
}
