package io.trademesh.spot.api;

import io.trademesh.platform.engine.CommandShard;
import io.trademesh.proto.spot.OrderCommandBatch;
import io.trademesh.proto.spot.OrderReply;
import io.trademesh.proto.spot.OrderResultBatch;
import io.trademesh.proto.spot.SpotCommand;
import io.trademesh.proto.spot.StreamedOrderCommand;
import io.trademesh.proto.spot.StreamedOrderResult;
import io.trademesh.spot.store.SpotStateMachine;
import io.vertx.core.Future;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One caller's order stream. Each batch of commands is checked, applied in one shard task
 * and answered with one batch of results once all of it is durable; a command refused by
 * the checks is answered with the status the unary call would have failed with. At most
 * {@link #MAX_BATCHES_IN_FLIGHT} batches wait for the shard: past that the stream stops
 * reading, so a fast caller is slowed by gRPC flow control instead of growing spot's memory.
 * When the caller ends the stream, it ends once every batch in flight is answered.
 */
final class OrderStreamSession {

    private static final Logger LOG = Logger.getLogger(OrderStreamSession.class.getName());
    static final int MAX_BATCHES_IN_FLIGHT = 64;

    private final CommandShard<SpotStateMachine, SpotCommand, SpotOutput.Outcome> shard;
    private final OrderChecks checks;
    private final ReadStream<OrderCommandBatch> requests;
    private final WriteStream<OrderResultBatch> results;
    private int inFlight;            // touched from the stream's context and the shard's: guarded by this
    private boolean paused;
    private boolean ended;

    OrderStreamSession(CommandShard<SpotStateMachine, SpotCommand, SpotOutput.Outcome> shard, OrderChecks checks,
                       ReadStream<OrderCommandBatch> requests, WriteStream<OrderResultBatch> results) {
        this.shard = shard;
        this.checks = checks;
        this.requests = requests;
        this.results = results;
    }

    void start() {
        requests.exceptionHandler(e -> LOG.log(Level.FINE, "order stream failed", e));
        requests.endHandler(v -> {
            synchronized (this) {
                ended = true;
            }
            endIfDone();
        });
        requests.handler(this::onBatch);
    }

    private void onBatch(OrderCommandBatch batch) {
        int n = batch.getCommandsCount();
        StreamedOrderResult.Builder[] out = new StreamedOrderResult.Builder[n];
        List<SpotCommand> commands = new ArrayList<>(n);
        int[] applied = new int[n];
        for (int i = 0; i < n; i++) {
            StreamedOrderCommand c = batch.getCommands(i);
            out[i] = StreamedOrderResult.newBuilder().setTag(c.getTag());
            StatusException refused = switch (c.getCommandCase()) {
                case PLACE -> checks.place(c.getPlace());
                case AMEND -> checks.amend(c.getAmend());
                case CANCEL -> checks.cancel(c.getCancel());
                case COMMAND_NOT_SET -> OrderChecks.refusal(GrpcStatus.INVALID_ARGUMENT, "MISSING_COMMAND",
                        "give place, amend or cancel");
            };
            if (refused != null) {
                out[i].setStatus(refused.status().code).setMessage(refused.message());
            } else {
                applied[commands.size()] = i;
                commands.add(switch (c.getCommandCase()) {
                    case PLACE -> SpotCommand.newBuilder().setPlaceOrder(c.getPlace()).build();
                    case AMEND -> SpotCommand.newBuilder().setAmendOrder(c.getAmend()).build();
                    default -> SpotCommand.newBuilder().setCancelOrder(c.getCancel()).build();
                });
            }
        }
        synchronized (this) {
            if (++inFlight >= MAX_BATCHES_IN_FLIGHT && !paused) {
                paused = true;
                requests.pause();
            }
        }
        List<Future<SpotOutput.Outcome>> outcomes = shard.submitAll(commands);
        Future.join(outcomes).onComplete(ignored -> {
            for (int j = 0; j < outcomes.size(); j++) {
                Future<SpotOutput.Outcome> o = outcomes.get(j);
                if (o.succeeded()) {
                    out[applied[j]].setReply((OrderReply) o.result().reply());
                } else {
                    // As the unary call: the shard is stopping or has failed (see CommandShard).
                    out[applied[j]].setStatus(GrpcStatus.UNAVAILABLE.code)
                            .setMessage("UNAVAILABLE: " + o.cause().getMessage());
                }
            }
            OrderResultBatch.Builder reply = OrderResultBatch.newBuilder();
            for (StreamedOrderResult.Builder r : out) {
                reply.addResults(r);
            }
            results.write(reply.build());
            boolean resume;
            synchronized (this) {
                inFlight--;
                resume = paused && inFlight < MAX_BATCHES_IN_FLIGHT / 2;
                if (resume) {
                    paused = false;
                }
            }
            if (resume) {
                requests.resume();
            }
            endIfDone();
        });
    }

    private void endIfDone() {
        synchronized (this) {
            if (!ended || inFlight > 0) {
                return;
            }
            ended = false;   // end once
        }
        results.end();
    }
}
