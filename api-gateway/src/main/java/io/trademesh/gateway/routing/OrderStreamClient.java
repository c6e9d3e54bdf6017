package io.trademesh.gateway.routing;

import io.trademesh.gateway.EventLoops;
import io.trademesh.proto.trading.AmendOrderRequest;
import io.trademesh.proto.trading.CancelOrderRequest;
import io.trademesh.proto.trading.OrderCommandBatch;
import io.trademesh.proto.trading.OrderReply;
import io.trademesh.proto.trading.OrderResultBatch;
import io.trademesh.proto.trading.PlaceOrderRequest;
import io.trademesh.proto.trading.OrderEntryGrpcClient;
import io.trademesh.proto.trading.StreamedOrderCommand;
import io.trademesh.proto.trading.StreamedOrderResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxException;
import io.vertx.core.streams.WriteStream;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.common.GrpcReadStream;
import io.vertx.grpc.common.GrpcStatus;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Order entry to one spot instance over one long-lived gRPC stream, for the requests of one
 * gateway context. The orders of every request handled in one event-loop turn go out as one
 * batch, and spot answers a batch with one batch of results once durable: one gRPC message
 * each way for many orders, instead of a unary call per order (measured: unary calls top
 * out near 45k/s on two cores before any work is done).
 *
 * <p>All state is confined to the owning context; calls from elsewhere hop onto it. The
 * stream opens on first use and again after it breaks. When it breaks, every order waiting
 * on it fails as a failure of the instance (so the circuit breaker counts it): an order
 * already sent may or may not have been applied, which the trader can learn by its client
 * order id. A command whose result does not come within the timeout is failed and
 * forgotten (and never sent, if it was still waiting for the stream to open); so is every
 * command of a stream that cannot open within the timeout. At most {@link #MAX_WAITING}
 * wait at once; past that, orders are refused at once as OVERLOADED (429).
 */
public final class OrderStreamClient {

    private static final Logger LOG = Logger.getLogger(OrderStreamClient.class.getName());
    static final int MAX_BATCH = 256;
    static final int MAX_WAITING = 20_000;

    private record Waiting(Promise<OrderReply> promise, long sentAtMs) {
    }

    private final Context context;
    private final OrderEntryGrpcClient spot;
    private final String address;
    private final long timeoutMs;
    private final Map<Long, Waiting> waiting = new LinkedHashMap<>();   // by tag, oldest first
    private final List<StreamedOrderCommand> queued = new ArrayList<>();
    private WriteStream<OrderCommandBatch> stream;
    private boolean opening;
    private boolean flushScheduled;
    private long nextTag;
    private int generation;          // which opening a stream callback belongs to
    private long openingSinceMs;
    private long batchesSent;

    /** @param context the context to confine the client to; its event loop's own is used (see {@link EventLoops#root}) */
    OrderStreamClient(Vertx vertx, Context context, OrderEntryGrpcClient spot, String address, long timeoutMs) {
        this.context = EventLoops.root(context);
        this.spot = spot;
        this.address = address;
        this.timeoutMs = timeoutMs;
        vertx.setPeriodic(Math.max(100, timeoutMs / 2), id -> this.context.runOnContext(v -> expire()));
    }

    public Future<OrderReply> place(PlaceOrderRequest r) {
        return submit(StreamedOrderCommand.newBuilder().setPlace(r));
    }

    public Future<OrderReply> amend(AmendOrderRequest r) {
        return submit(StreamedOrderCommand.newBuilder().setAmend(r));
    }

    public Future<OrderReply> cancel(CancelOrderRequest r) {
        return submit(StreamedOrderCommand.newBuilder().setCancel(r));
    }

    private Future<OrderReply> submit(StreamedOrderCommand.Builder command) {
        Promise<OrderReply> promise = Promise.promise();
        Context current = Vertx.currentContext();
        if (current != null && EventLoops.root(current) == context) {
            enqueue(command, promise);
        } else {
            context.runOnContext(v -> enqueue(command, promise));
        }
        return promise.future();
    }

    private void enqueue(StreamedOrderCommand.Builder command, Promise<OrderReply> promise) {
        if (waiting.size() >= MAX_WAITING) {
            // This gateway is overloaded, not the instance: a refusal, which the breaker does not count.
            promise.fail(new ServiceRefusal(GrpcStatus.RESOURCE_EXHAUSTED, "OVERLOADED: too many orders waiting for"
                    + " spot at " + address + "; retry shortly"));
            return;
        }
        long tag = ++nextTag;
        waiting.put(tag, new Waiting(promise, System.currentTimeMillis()));
        queued.add(command.setTag(tag).build());
        if (queued.size() >= MAX_BATCH && stream != null) {
            send();
        } else if (!flushScheduled) {
            flushScheduled = true;
            context.runOnContext(v -> {
                flushScheduled = false;
                if (stream != null) {
                    send();
                } else if (!opening) {
                    open();
                }
            });
        }
    }

    private void send() {
        List<StreamedOrderCommand> toSend = new ArrayList<>(queued);
        queued.clear();
        OrderCommandBatch.Builder batch = OrderCommandBatch.newBuilder();
        for (StreamedOrderCommand c : toSend) {
            if (!waiting.containsKey(c.getTag())) {
                continue;   // already failed as timed out: its caller was told so, never send it now
            }
            batch.addCommands(c);
            if (batch.getCommandsCount() == MAX_BATCH) {
                if (!write(batch.build())) {
                    return;
                }
                batch = OrderCommandBatch.newBuilder();
            }
        }
        if (batch.getCommandsCount() > 0) {
            write(batch.build());
        }
    }

    /** False when the stream turned out to be broken (everything waiting has then been failed). */
    private boolean write(OrderCommandBatch batch) {
        try {
            stream.write(batch);
            batchesSent++;
            return true;
        } catch (RuntimeException e) {   // the stream was reset under us
            broken(generation, e);
            return false;
        }
    }

    private void open() {
        opening = true;
        openingSinceMs = System.currentTimeMillis();
        int mine = ++generation;
        Promise<WriteStream<OrderCommandBatch>> sender = Promise.promise();
        spot.orderStream(sender)
                .onSuccess(results -> {
                    results.handler(this::onResults)
                            .exceptionHandler(e -> broken(mine, e))
                            .endHandler(v -> broken(mine, new VertxException("spot ended the order stream", true)));
                    if (results instanceof GrpcReadStream<?> grpc) {   // a reset after the headers only shows here
                        grpc.errorHandler(err -> broken(mine, new VertxException("order stream reset: " + err, true)));
                    }
                })
                .onFailure(e -> broken(mine, e));
        sender.future().onSuccess(s -> {
            if (mine != generation || !opening) {
                if (s instanceof GrpcClientRequest<?, ?> late) {
                    late.cancel();   // given up before it opened: do not leave it open on spot
                }
                return;
            }
            opening = false;
            stream = s;
            s.exceptionHandler(e -> broken(mine, e));
            LOG.fine("order stream to spot at " + address + " open");
            if (!queued.isEmpty()) {
                send();
            }
        }).onFailure(e -> broken(mine, e));
    }

    private void onResults(OrderResultBatch batch) {
        for (StreamedOrderResult r : batch.getResultsList()) {
            Waiting w = waiting.remove(r.getTag());
            if (w == null) {
                continue;   // timed out already
            }
            if (r.getStatus() == 0) {
                w.promise.complete(r.getReply());
            } else {
                w.promise.fail(new ServiceRefusal(GrpcStatus.valueOf(r.getStatus()), r.getMessage()));
            }
        }
    }

    private void broken(int streamGeneration, Throwable cause) {
        if (streamGeneration != generation || stream == null && !opening) {
            return;   // a stream already given up
        }
        LOG.info("order stream to spot at " + address + " broke (" + cause.getMessage() + "); "
                + waiting.size() + " orders waiting on it failed");
        stream = null;
        opening = false;
        queued.clear();
        VertxException failure = new VertxException("the order stream to spot at " + address + " broke ("
                + cause.getMessage() + ")", true);
        List<Waiting> failed = new ArrayList<>(waiting.values());
        waiting.clear();
        failed.forEach(w -> w.promise.tryFail(failure));
    }

    private void expire() {
        long cutoff = System.currentTimeMillis() - timeoutMs;
        if (opening && openingSinceMs < cutoff) {
            broken(generation, new VertxException("could not open it within " + timeoutMs + " ms", true));
        }
        for (Iterator<Waiting> it = waiting.values().iterator(); it.hasNext(); ) {
            Waiting w = it.next();
            if (w.sentAtMs > cutoff) {
                break;
            }
            it.remove();
            w.promise.tryFail(new VertxException("no answer from spot at " + address + " within " + timeoutMs
                    + " ms", true));
        }
    }

    /** Orders sent or queued and not yet answered (for metrics and tests). */
    int waiting() {
        return waiting.size();
    }

    /** Batches written to spot so far (for tests). */
    long batchesSent() {
        return batchesSent;
    }
}
