package io.trademesh.gateway.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.trademesh.platform.events.EventBatcher;
import io.trademesh.platform.events.EventReplayServer;
import io.trademesh.platform.events.EventStreams;
import io.trademesh.platform.events.GapFiller;
import io.trademesh.platform.testsupport.FreePorts;
import io.trademesh.proto.common.BookDelta;
import io.trademesh.proto.common.Order;
import io.trademesh.proto.events.AccountEvent;
import io.trademesh.proto.events.EventReplayGrpcClient;
import io.trademesh.proto.events.EventReplayGrpcService;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.server.GrpcServer;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Event batches dropped between a service and the gateway (by an event-bus interceptor in
 * this test, not by anything in production code): the followed private stream gets every
 * event exactly once and in order, replayed from the owner's retained window; past the
 * window, or across the owner's restart, it is told to resync; book events of the missed
 * batches are not replayed, and the book sequence jump makes book subscribers resync.
 */
class PrivateStreamGapTest {

    private Vertx vertx;
    private HttpServer server;
    private final Set<Long> dropped = ConcurrentHashMap.newKeySet();
    private final List<AccountEvent> account = new CopyOnWriteArrayList<>();
    private final List<Long> bookSequences = new CopyOnWriteArrayList<>();
    private Context shard;
    private StreamHub hub;
    private EventReplayGrpcClient replay;
    // Below the kernel's ephemeral range: while the owner is down, the replay client's reconnect to an
    // ephemeral port can connect to itself (same source port) and take the port the owner rebinds.
    private final int port = FreePorts.take();

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        vertx.eventBus().addOutboundInterceptor(dc -> {
            if (dc.message().address().equals(EventStreams.of("spot"))
                    && dropped.contains(EventStreams.parse((Buffer) dc.message().body()).getBatchSequence())) {
                return;   // lost on the way
            }
            dc.next();
        });
        shard = vertx.getOrCreateContext();
    }

    /** A publisher with its replay server, and a hub following acct.1 and the book. */
    private EventBatcher publisher(int retainedBatches) throws Exception {
        EventBatcher batcher = new EventBatcher(vertx, "spot", "spot-1", retainedBatches, 1 << 20);
        GrpcServer grpc = GrpcServer.server(vertx);
        grpc.addService(EventReplayGrpcService.of(new EventReplayServer(batcher)));
        if (server != null) {
            server.close().await();
        }
        server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port)
                .setHttp2ClearTextEnabled(true)).requestHandler(grpc).listen().await();
        if (hub == null) {
            replay = EventReplayGrpcClient.create(GrpcClient.client(vertx), SocketAddress.inetSocketAddress(port,
                    "127.0.0.1"));
            GapFiller.Replayer replayer = (service, request) -> {
                assertEquals("spot", service);
                return replay.replay(request);
            };
            CompletableFuture<StreamHub> made = new CompletableFuture<>();
            vertx.getOrCreateContext().runOnContext(v -> made.complete(new StreamHub(vertx, replayer,
                    new SimpleMeterRegistry())));
            hub = made.get(5, TimeUnit.SECONDS);
            hub.subscribe("acct.1", (a, e) -> account.add(parse(e.body())));
            hub.subscribe("md.BTC-USDT.book", (a, e) -> bookSequences.add(bookSequence(e.body())));
        }
        return batcher;
    }

    @AfterEach
    void stop() {
        vertx.close().await();
    }

    private static AccountEvent parse(Buffer b) {
        try {
            return AccountEvent.parseFrom(b.getBytes());
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    private static long bookSequence(Buffer b) {
        try {
            return BookDelta.parseFrom(b.getBytes()).getBookSequence();
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    /** Turns {@code from..to} of the shard: each one batch with an order event of acct.1 (order id n) and a book diff. */
    private void publish(EventBatcher batcher, long from, long to) throws Exception {
        for (long n = from; n <= to; n++) {
            long id = n;
            CompletableFuture<Void> turn = new CompletableFuture<>();
            shard.runOnContext(v -> {
                batcher.journalSequence(id);
                batcher.add("acct.1", AccountEvent.newBuilder().setAccountId(1)
                        .setOrder(Order.newBuilder().setOrderId(id)).build().toByteArray());
                batcher.add("acct.2", AccountEvent.newBuilder().setAccountId(2).build().toByteArray());
                batcher.add("md.BTC-USDT.book", BookDelta.newBuilder().setMarket("BTC-USDT").setBookSequence(id)
                        .build().toByteArray());
                turn.complete(null);
            });
            turn.get(5, TimeUnit.SECONDS);
        }
    }

    private static void await(BooleanSupplier done, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s: " + what);
            }
            Thread.sleep(10);
        }
    }

    private List<Long> orderIds() {
        return account.stream().filter(AccountEvent::hasOrder).map(e -> e.getOrder().getOrderId()).toList();
    }

    @Test
    void missedBatchesAreReplayedExactlyOnceAndInOrder() throws Exception {
        EventBatcher batcher = publisher(65_536);
        dropped.addAll(List.of(20L, 21L, 50L, 120L, 121L, 122L, 123L, 124L, 125L, 200L));
        publish(batcher, 1, 201);
        await(() -> orderIds().size() >= 201, "every order event");
        Thread.sleep(200);   // nothing more may arrive
        assertEquals(LongStream.rangeClosed(1, 201).boxed().toList(), orderIds(), "none missing, none twice");
        assertTrue(account.stream().noneMatch(AccountEvent::hasResync));
        // Book diffs of the lost batches are not replayed: the sequence jumps, and a book subscriber resyncs.
        assertEquals(201 - dropped.size(), bookSequences.size(), bookSequences.toString());
        assertTrue(bookSequences.contains(22L) && !bookSequences.contains(21L));
    }

    @Test
    void aGapPastTheRetainedWindowOrAnOwnersRestartIsToldAsAResync() throws Exception {
        EventBatcher batcher = publisher(10);
        publish(batcher, 1, 4);
        LongStream.rangeClosed(5, 30).forEach(dropped::add);   // 26 lost; the owner keeps 10
        publish(batcher, 5, 40);
        await(() -> account.stream().anyMatch(AccountEvent::hasResync), "a resync");
        await(() -> orderIds().contains(40L), "the events after the gap");
        List<Long> ids = orderIds();
        assertEquals(LongStream.concat(LongStream.rangeClosed(1, 4), LongStream.rangeClosed(31, 40)).boxed().toList(),
                ids);
        int resyncAt = account.indexOf(account.stream().filter(AccountEvent::hasResync).findFirst().orElseThrow());
        assertEquals(4, resyncAt, "told before the events after the gap: " + account);
        assertTrue(account.get(resyncAt).getResync().getReason().contains("cannot be recovered"));

        // The owner restarts (a new run of the same instance): what its old run never published is unknowable.
        account.clear();
        dropped.clear();
        Thread.sleep(5);   // a new start time
        EventBatcher restarted = publisher(10);
        publish(restarted, 1, 3);
        await(() -> orderIds().size() == 3, "the new run's events");
        assertTrue(account.get(0).hasResync() && account.get(0).getResync().getReason().contains("restarted"),
                account.toString());
    }
}
