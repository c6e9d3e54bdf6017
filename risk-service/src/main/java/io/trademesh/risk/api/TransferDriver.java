package io.trademesh.risk.api;

import io.trademesh.platform.engine.CommandShard;
import io.trademesh.proto.risk.LocalTransferStep;
import io.trademesh.proto.risk.RemoteTransferStep;
import io.trademesh.proto.risk.RiskCommand;
import io.trademesh.proto.spot.WalletTransferReply;
import io.trademesh.proto.spot.WalletTransferRequest;
import io.trademesh.risk.engine.Transfer;
import io.trademesh.risk.engine.TransferStep;
import io.trademesh.risk.engine.WalletKind;
import io.trademesh.risk.store.RiskStateMachine;
import io.vertx.core.Future;
import io.vertx.grpc.common.GrpcStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * Moves transfers through their steps. For each unfinished transfer it takes the next step:
 * on the funding wallet by journaling a {@link LocalTransferStep} (the engine applies it);
 * on the spot wallet by calling spot's idempotent Debit or Credit under the step's own
 * wallet transfer id ({@code <id>:debit|credit|refund}) and journaling the answer as a
 * {@link RemoteTransferStep}. A step whose call fails (spot down, slow, restarting) leaves
 * the transfer where it is; the next sweep (every second, and at start-up) takes it again,
 * and spot answers a repeated id with its first answer, so nothing moves twice.
 *
 * <p>Each transfer is driven by at most one chain at a time in this process; the engine
 * ignores a step result that does not match the transfer's state, so even a late duplicate
 * cannot move money twice.
 */
public final class TransferDriver {

    private static final Logger LOG = Logger.getLogger(TransferDriver.class.getName());
    /** Transfers looked at per sweep. */
    private static final int SWEEP_BATCH = 512;
    /** Steps one drive takes at most: debit, credit or (refund after a refused credit). */
    private static final int MAX_STEPS = 4;
    private static final long WARN_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final CommandShard<RiskStateMachine, RiskCommand, RiskOutcome> shard;
    private final SpotClient spot;
    private final java.util.Map<String, Future<Transfer>> driving = new ConcurrentHashMap<>();
    private final AtomicBoolean sweeping = new AtomicBoolean();
    private volatile boolean stopped;
    private volatile long lastWarnNanos = System.nanoTime() - WARN_EVERY_NANOS;

    public TransferDriver(CommandShard<RiskStateMachine, RiskCommand, RiskOutcome> shard, SpotClient spot) {
        this.shard = shard;
        this.spot = spot;
    }

    /** Drives every unfinished transfer that is not being driven already; skipped while the last sweep runs. */
    public Future<Void> sweep() {
        if (stopped || !shard.healthy() || !sweeping.compareAndSet(false, true)) {
            return Future.succeededFuture();
        }
        return shard.query(m -> m.engine().unfinishedTransfers(SWEEP_BATCH)).compose(list -> {
            List<Future<Transfer>> drives = new ArrayList<>(list.size());
            for (Transfer t : list) {
                drives.add(drive(t.id()));
            }
            return Future.join(drives).<Void>mapEmpty().otherwiseEmpty();
        }).onComplete(ar -> sweeping.set(false));
    }

    /**
     * Takes the transfer's steps until it is finished or a step cannot be taken now.
     * Completes with the transfer as it then is (null if there is no such transfer).
     */
    public Future<Transfer> drive(String transferId) {
        if (stopped) {
            return current(transferId);
        }
        // A caller arriving while a chain runs (the sweep, or another request) waits for that chain.
        io.vertx.core.Promise<Transfer> chain = io.vertx.core.Promise.promise();
        Future<Transfer> running = driving.putIfAbsent(transferId, chain.future());
        if (running != null) {
            return running;
        }
        steps(transferId, MAX_STEPS).onComplete(ar -> {
            driving.remove(transferId);
            chain.handle(ar);
        });
        return chain.future();
    }

    /** No new steps from now on (the shard is stopping). */
    public void stop() {
        stopped = true;
    }

    private Future<Transfer> current(String transferId) {
        return shard.query(m -> m.engine().transfer(transferId));
    }

    private Future<Transfer> steps(String transferId, int left) {
        return current(transferId).compose(t -> {
            TransferStep step = t == null ? null : t.nextStep();
            if (step == null || left == 0 || stopped) {
                return Future.succeededFuture(t);
            }
            Future<Boolean> taken = t.walletOf(step) == WalletKind.FUNDING ? local(t, step) : remote(t, step);
            return taken.compose(progressed -> progressed ? steps(transferId, left - 1) : current(transferId));
        });
    }

    private Future<Boolean> local(Transfer t, TransferStep step) {
        return shard.submit(RiskCommand.newBuilder().setLocalTransferStep(LocalTransferStep.newBuilder()
                .setTransferId(t.id()).setStep(ProtoMapping.step(step))).build()).map(o -> true);
    }

    /** Calls spot for the step; true once its answer is journaled, false when spot did not answer. */
    private Future<Boolean> remote(Transfer t, TransferStep step) {
        WalletTransferRequest request = WalletTransferRequest.newBuilder()
                .setTransferId(t.walletTransferId(step))
                .setAccountId(t.accountId())
                .setAsset(t.asset())
                .setAmount(t.amount())
                .build();
        Future<WalletTransferReply> call = step == TransferStep.DEBIT_SOURCE ? spot.debit(request)
                : spot.credit(request);
        return call.map(reply -> new Answer(reply.getApplied(),
                        reply.getRejectReason().isEmpty() ? "REFUSED" : reply.getRejectReason()))
                .recover(e -> {
                    if (e instanceof GrpcCalls.RemoteStatusException s && s.status() == GrpcStatus.INVALID_ARGUMENT) {
                        // Spot refused the request at its edge: nothing was applied, and never will be.
                        return Future.succeededFuture(new Answer(false, s.reason()));
                    }
                    warn(t, step, e);
                    return Future.succeededFuture(null);
                })
                .compose(answer -> {
                    if (answer == null) {
                        return Future.succeededFuture(false);
                    }
                    return shard.submit(RiskCommand.newBuilder().setRemoteTransferStep(RemoteTransferStep.newBuilder()
                            .setTransferId(t.id())
                            .setStep(ProtoMapping.step(step))
                            .setApplied(answer.applied)
                            .setRejectReason(answer.applied ? "" : answer.reason)).build()).map(o -> true);
                });
    }

    private void warn(Transfer t, TransferStep step, Throwable e) {
        long now = System.nanoTime();
        if (now - lastWarnNanos >= WARN_EVERY_NANOS) {
            lastWarnNanos = now;
            LOG.warning("transfers wait for " + SpotClient.SERVICE + ": " + step + " of transfer " + t.id()
                    + " not answered (" + e.getMessage() + "); retrying every second");
        }
    }

    private record Answer(boolean applied, String reason) {
    }
}
