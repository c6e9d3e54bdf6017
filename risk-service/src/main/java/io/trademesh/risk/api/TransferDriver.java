package io.trademesh.risk.api;

import io.trademesh.platform.cluster.GrpcCalls;
import io.trademesh.platform.engine.Outcome;
import io.trademesh.risk.store.ProtoMapping;
import io.trademesh.platform.engine.CommandShard;
import io.trademesh.proto.risk.LocalTransferStep;
import io.trademesh.proto.risk.RemoteTransferStep;
import io.trademesh.proto.risk.RiskCommand;
import io.trademesh.platform.wallet.WalletLedger;
import io.trademesh.proto.wallet.WalletTransferReply;
import io.trademesh.proto.wallet.WalletTransferRequest;
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
 * on a product wallet by calling the owner's idempotent Debit or Credit (the wallet
 * contract) under the step's own wallet transfer id ({@code <id>:debit|credit|refund}) and
 * journaling the answer as a {@link RemoteTransferStep}. A step whose call fails (the owner
 * down, slow, restarting) leaves the transfer where it is; the next sweep (every second, and
 * at start-up) takes it again, and the owner answers a repeated id with its first answer, so
 * nothing moves twice.
 *
 * <p>The owner remembers a wallet transfer id for {@link WalletLedger#DEFAULT_RETENTION_MS}.
 * A step of a transfer older than that minus a day is not retried: the transfer is left for
 * an operator, with an error in the log, rather than risk a second application.
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

    private final CommandShard<RiskStateMachine, RiskCommand, Outcome> shard;
    /** Steps of transfers older than this are not retried (see the class comment). */
    static final long MAX_RETRY_AGE_MS = WalletLedger.DEFAULT_RETENTION_MS - 24L * 60 * 60 * 1000;

    private final WalletClients wallets;
    private final java.util.Map<String, Future<Transfer>> driving = new ConcurrentHashMap<>();
    private final AtomicBoolean sweeping = new AtomicBoolean();
    private volatile boolean stopped;
    private volatile long lastWarnNanos = System.nanoTime() - WARN_EVERY_NANOS;

    public TransferDriver(CommandShard<RiskStateMachine, RiskCommand, Outcome> shard, WalletClients wallets) {
        this.shard = shard;
        this.wallets = wallets;
    }

    /** Drives every unfinished transfer that is not being driven already; skipped while the last sweep runs. */
    public Future<Void> sweep() {
        if (stopped || !shard.healthy() || !sweeping.compareAndSet(false, true)) {
            return Future.succeededFuture();
        }
        long now = System.currentTimeMillis();
        // Steps the driver will not retry (too old) are left out, so they never crowd out newer transfers.
        return shard.query(m -> {
            List<Transfer> stranded = m.engine().unfinishedTransfers(SWEEP_BATCH, t -> waitsForOperator(t, now));
            if (!stranded.isEmpty()) {
                tooOld(stranded.get(0), stranded.get(0).nextStep(), stranded.size());
            }
            return m.engine().unfinishedTransfers(SWEEP_BATCH, t -> !waitsForOperator(t, now));
        }).compose(list -> {
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

    /** A product-wallet step of a transfer older than the products' memory of its id: an operator's to settle. */
    private static boolean waitsForOperator(Transfer t, long nowMs) {
        TransferStep step = t.nextStep();
        return step != null && t.walletOf(step) != WalletKind.FUNDING && nowMs - t.createdAtMs() > MAX_RETRY_AGE_MS;
    }

    /** Calls the wallet's owner for the step; true once its answer is journaled, false when it did not answer. */
    private Future<Boolean> remote(Transfer t, TransferStep step) {
        if (waitsForOperator(t, System.currentTimeMillis())) {
            tooOld(t, step, 1);
            return Future.succeededFuture(false);
        }
        WalletKind wallet = t.walletOf(step);
        WalletTransferRequest request = WalletTransferRequest.newBuilder()
                .setTransferId(t.walletTransferId(step))
                .setAccountId(t.accountId())
                .setAsset(t.asset())
                .setAmount(t.amount())
                .build();
        Future<WalletTransferReply> call = step == TransferStep.DEBIT_SOURCE ? wallets.debit(wallet, request)
                : wallets.credit(wallet, request);
        return call.map(reply -> new Answer(reply.getApplied(),
                        reply.getRejectReason().isEmpty() ? "REFUSED" : reply.getRejectReason()))
                .recover(e -> {
                    if (e instanceof GrpcCalls.RemoteStatusException s && (s.status() == GrpcStatus.INVALID_ARGUMENT
                            || s.status() == GrpcStatus.UNIMPLEMENTED)) {
                        // Refused at the owner's edge, or no wallet contract there: nothing was applied, ever.
                        return Future.succeededFuture(new Answer(false, s.status() == GrpcStatus.UNIMPLEMENTED
                                ? "UNSUPPORTED_WALLET" : s.reason()));
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
            LOG.warning("transfers wait for " + t.walletOf(step).service() + ": " + step + " of transfer " + t.id()
                    + " not answered (" + e.getMessage() + "); retrying every second");
        }
    }

    /** {@code count} transfers (at least; {@code t} the oldest) wait for an operator. */
    private void tooOld(Transfer t, TransferStep step, int count) {
        long now = System.nanoTime();
        if (now - lastWarnNanos >= WARN_EVERY_NANOS) {
            lastWarnNanos = now;
            LOG.severe(count + " transfer(s) older than " + TimeUnit.MILLISECONDS.toDays(MAX_RETRY_AGE_MS)
                    + " days wait for a step on a product wallet, oldest " + t.id() + " of account " + t.accountId()
                    + " (" + step + " on " + t.walletOf(step) + "): not retried, since that wallet may have forgotten"
                    + " the step's id; an operator must settle them by hand");
        }
    }

    private record Answer(boolean applied, String reason) {
    }
}
