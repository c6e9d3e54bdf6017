package io.trademesh.platform.trading;

import com.google.protobuf.MessageLite;
import io.trademesh.platform.engine.CommandShard;
import io.trademesh.platform.errors.Refusals;
import io.trademesh.proto.trading.OrderCommandBatch;
import io.trademesh.proto.trading.OrderReply;
import io.trademesh.proto.trading.OrderResultBatch;
import io.trademesh.proto.trading.StreamedOrderCommand;
import io.trademesh.proto.trading.StreamedOrderResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One caller's order stream. Each batch of commands is checked, applied in one shard task
 * and answered once all of it is durable; a command refused by the checks is answered with
 * the status the unary call would have failed with. Results go out in messages of at most
 * {@link #MAX_RESULT_BYTES} (a market order's fills can be many).
 *
 * <p>All stream work (reading, writing, counting) happens on the stream's own context; the
 * shard's completions hop back to it, so a stream that breaks cannot disturb the shard. At
 * most {@link #MAX_BATCHES_IN_FLIGHT} batches wait for the shard, and reading also stops while
 * the caller is not taking results: a fast or stalled caller is held back by gRPC flow
 * control instead of growing the service's memory. When the caller ends the stream, it ends
 * once every batch in flight is answered. Every order-book product serves its order stream
 * with this; it supplies how a streamed command becomes its journaled command, and how an
 * outcome becomes the order reply.
 *
 * @param <C> the product's journaled command
 * @param <O> what applying one produced
 */
public final class OrderStreamSession<M, C extends MessageLite, O> {

    private static final Logger LOG = Logger.getLogger(OrderStreamSession.class.getName());
    static final int MAX_BATCHES_IN_FLIGHT = 64;
    static final int MAX_RESULT_BYTES = 1 << 20;

    private final CommandShard<M, C, O> shard;
    private final OrderChecks checks;
    private final Function<StreamedOrderCommand, C> command;
    private final Function<O, OrderReply> reply;
    private final ReadStream<OrderCommandBatch> requests;
    private final WriteStream<OrderResultBatch> results;
    private Context context;
    private int inFlight;
    private boolean paused;
    private boolean ended;
    private boolean broken;

    /**
     * @param command the journaled command of a streamed place, amend or cancel that passed the checks
     * @param reply   the order reply in an outcome
     */
    public OrderStreamSession(CommandShard<M, C, O> shard, OrderChecks checks, Function<StreamedOrderCommand, C> command,
                              Function<O, OrderReply> reply, ReadStream<OrderCommandBatch> requests,
                              WriteStream<OrderResultBatch> results) {
        this.shard = shard;
        this.checks = checks;
        this.command = command;
        this.reply = reply;
        this.requests = requests;
        this.results = results;
    }

    /** Call from the stream's handler, on its context. */
    public void start() {
        context = Vertx.currentContext();
        requests.exceptionHandler(e -> {
            LOG.log(Level.FINE, "order stream failed", e);
            broken = true;
        });
        results.exceptionHandler(e -> broken = true);
        results.drainHandler(v -> flowControl());
        requests.endHandler(v -> {
            ended = true;
            endIfDone();
        });
        requests.handler(this::onBatch);
    }

    private void onBatch(OrderCommandBatch batch) {
        int n = batch.getCommandsCount();
        StreamedOrderResult.Builder[] out = new StreamedOrderResult.Builder[n];
        List<C> commands = new ArrayList<>(n);
        int[] applied = new int[n];
        for (int i = 0; i < n; i++) {
            StreamedOrderCommand c = batch.getCommands(i);
            out[i] = StreamedOrderResult.newBuilder().setTag(c.getTag());
            StatusException refused = switch (c.getCommandCase()) {
                case PLACE -> checks.place(c.getPlace());
                case AMEND -> checks.amend(c.getAmend());
                case CANCEL -> checks.cancel(c.getCancel());
                case COMMAND_NOT_SET -> Refusals.of(GrpcStatus.INVALID_ARGUMENT, "MISSING_COMMAND",
                        "give place, amend or cancel");
            };
            if (refused != null) {
                out[i].setStatus(refused.status().code).setMessage(refused.message());
            } else {
                applied[commands.size()] = i;
                commands.add(command.apply(c));
            }
        }
        inFlight++;
        flowControl();
        List<Future<O>> outcomes = shard.submitAll(commands);
        Future.join(outcomes).onComplete(ignored -> context.runOnContext(v -> {
            for (int j = 0; j < outcomes.size(); j++) {
                Future<O> o = outcomes.get(j);
                if (o.succeeded()) {
                    out[applied[j]].setReply(reply.apply(o.result()));
                } else {
                    // As the unary call: the shard is stopping or has failed (see CommandShard).
                    out[applied[j]].setStatus(GrpcStatus.UNAVAILABLE.code)
                            .setMessage("UNAVAILABLE: the engine is not taking commands; retry with the client order id");
                }
            }
            answer(out);
            inFlight--;
            flowControl();
            endIfDone();
        }));
    }

    /** Writes the results in messages of at most MAX_RESULT_BYTES (one result may exceed it alone). */
    private void answer(StreamedOrderResult.Builder[] out) {
        OrderResultBatch.Builder message = OrderResultBatch.newBuilder();
        int bytes = 0;
        for (StreamedOrderResult.Builder r : out) {
            StreamedOrderResult result = r.build();
            int size = result.getSerializedSize();
            if (bytes > 0 && bytes + size > MAX_RESULT_BYTES) {
                write(message.build());
                message = OrderResultBatch.newBuilder();
                bytes = 0;
            }
            message.addResults(result);
            bytes += size + 8;
        }
        if (message.getResultsCount() > 0) {
            write(message.build());
        }
    }

    private void write(OrderResultBatch message) {
        if (broken) {
            return;   // the caller is gone; what it sent is durable and stays so
        }
        try {
            results.write(message);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "order stream closed while answering", e);
            broken = true;
        }
    }

    /** Reads while few batches wait for the shard and the caller takes its results. */
    private void flowControl() {
        boolean hold = inFlight >= MAX_BATCHES_IN_FLIGHT || !broken && results.writeQueueFull();
        if (hold && !paused) {
            paused = true;
            requests.pause();
        } else if (!hold && paused && inFlight < MAX_BATCHES_IN_FLIGHT / 2) {
            paused = false;
            requests.resume();
        }
    }

    private void endIfDone() {
        if (ended && inFlight == 0) {
            ended = false;   // end once
            if (!broken) {
                results.end();
            }
        }
    }
}
