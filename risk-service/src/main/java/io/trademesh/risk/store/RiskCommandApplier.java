package io.trademesh.risk.store;

import io.trademesh.proto.risk.AuthChange;
import io.trademesh.platform.events.Addresses;
import io.trademesh.platform.engine.Outcome;
import io.trademesh.platform.events.Published;
import com.google.protobuf.Message;
import io.trademesh.proto.risk.FundingReply;
import io.trademesh.proto.risk.FundingRequest;
import io.trademesh.proto.risk.IndexPrice;
import io.trademesh.proto.risk.LocalTransferStep;
import io.trademesh.proto.risk.RemoteTransferStep;
import io.trademesh.proto.risk.RiskCommand;
import io.trademesh.proto.risk.RiskControl;
import io.trademesh.proto.risk.StoreApiKey;
import io.trademesh.proto.risk.TransferRequest;
import io.trademesh.risk.engine.Account;
import io.trademesh.risk.engine.ApiKeyRecord;
import io.trademesh.risk.engine.FundingResult;
import io.trademesh.risk.engine.Limits;
import io.trademesh.risk.engine.OperatorPrice;
import io.trademesh.risk.engine.Result;
import io.trademesh.risk.engine.RiskEngine;
import io.trademesh.risk.engine.Transfer;
import java.util.List;

/**
 * Applies one journaled {@link RiskCommand} to the engine: the one path for live commands
 * and replay, so both do exactly the same to the state. Live, it also builds the reply and
 * the events; in replay it builds nothing and counts nothing.
 */
public final class RiskCommandApplier {

    private final RiskEngine engine;
    private RiskMetrics metrics;

    public RiskCommandApplier(RiskEngine engine) {
        this.engine = engine;
    }

    /** Live commands count into {@code m} from now on. */
    public void countInto(RiskMetrics m) {
        this.metrics = m;
        m.accounts.set(engine.accounts().size());
        m.unfinishedTransfers.set(engine.unfinishedCount());
    }

    /** Applies {@code command} at {@code nowMs}; the outcome when {@code live}, else null. */
    public Outcome apply(long nowMs, RiskCommand command, boolean live) {
        Outcome outcome = switch (command.getCommandCase()) {
            case CREATE_ACCOUNT -> {
                Result<Account> r = engine.createAccount(nowMs, command.getCreateAccount().getName());
                if (counting(live)) {
                    metrics.accountsCreated.increment();
                    metrics.accounts.set(engine.accounts().size());
                }
                yield live ? outcome(command, r, a -> ProtoMapping.account(a)) : null;
            }
            case SUSPEND_ACCOUNT -> {
                Result<Account> r = engine.setSuspended(nowMs, command.getSuspendAccount().getAccountId(),
                        command.getSuspendAccount().getSuspended());
                if (counting(live) && r.ok() && command.getSuspendAccount().getSuspended()) {
                    metrics.accountsSuspended.increment();
                }
                yield live ? announced(outcome(command, r, a -> ProtoMapping.account(a)), r.ok() ? AuthChange
                        .newBuilder().setAccountId(command.getSuspendAccount().getAccountId())
                        .setSuspended(command.getSuspendAccount().getSuspended()).build() : null) : null;
            }
            case CREATE_API_KEY -> {
                StoreApiKey k = command.getCreateApiKey();
                Result<ApiKeyRecord> r = engine.createApiKey(nowMs, k.getApiKey(), k.getAccountId(),
                        ProtoMapping.permissionMask(k.getPermissionsList()), k.getIpAllowlistList(), k.getLabel(),
                        k.getSealedSecret().toByteArray());
                if (counting(live) && r.ok()) {
                    metrics.keysCreated.increment();
                }
                yield live ? outcome(command, r, ProtoMapping::apiKey) : null;
            }
            case REVOKE_API_KEY -> {
                Result<ApiKeyRecord> r = engine.revokeApiKey(nowMs, command.getRevokeApiKey().getApiKey());
                if (counting(live) && r.ok() && !r.duplicate()) {
                    metrics.keysRevoked.increment();
                }
                yield live ? announced(outcome(command, r, ProtoMapping::apiKey), r.ok() ? AuthChange.newBuilder()
                        .setApiKey(r.value().keyId()).setAccountId(r.value().accountId()).build() : null) : null;
            }
            case DEPOSIT -> {
                FundingRequest f = command.getDeposit();
                Result<FundingResult> r = engine.deposit(nowMs, f.getOperationId(), f.getAccountId(), f.getAsset(),
                        f.getAmount());
                if (counting(live) && r.ok() && !r.duplicate() && r.value().applied()) {
                    metrics.deposits.increment();
                }
                yield live ? outcome(command, r, v -> funding(f, v, r.duplicate())) : null;
            }
            case WITHDRAW -> {
                FundingRequest f = command.getWithdraw();
                Result<FundingResult> r = engine.withdraw(nowMs, f.getOperationId(), f.getAccountId(),
                        f.getAsset(), f.getAmount());
                if (counting(live) && r.ok() && !r.duplicate()) {
                    (r.value().applied() ? metrics.withdrawals : metrics.withdrawalsRefused).increment();
                }
                yield live ? outcome(command, r, v -> funding(f, v, r.duplicate())) : null;
            }
            case CREATE_TRANSFER -> {
                TransferRequest t = command.getCreateTransfer();
                Result<Transfer> r = engine.createTransfer(nowMs, t.getTransferId(), t.getAccountId(), t.getAsset(),
                        t.getAmount(), wallet(t.getFrom()), wallet(t.getTo()));
                if (counting(live) && r.ok() && !r.duplicate()) {
                    metrics.transfersCreated.increment();
                }
                yield live ? transferOutcome(command, r) : null;
            }
            case LOCAL_TRANSFER_STEP -> {
                LocalTransferStep s = command.getLocalTransferStep();
                Result<Transfer> r = engine.applyLocalStep(nowMs, s.getTransferId(), ProtoMapping.step(s.getStep()));
                yield live ? transferOutcome(command, r) : null;
            }
            case REMOTE_TRANSFER_STEP -> {
                RemoteTransferStep s = command.getRemoteTransferStep();
                Result<Transfer> r = engine.applyRemoteStep(nowMs, s.getTransferId(), ProtoMapping.step(s.getStep()),
                        s.getApplied(), s.getRejectReason());
                yield live ? transferOutcome(command, r) : null;
            }
            case SET_LIMITS -> {
                Result<Limits> r = engine.setLimits(nowMs, ProtoMapping.limits(command.getSetLimits().getLimits()));
                if (!live) {
                    yield null;
                }
                List<Published> events = r.ok()
                        ? List.of(new Published(Addresses.RISK_CONTROL, RiskControl.newBuilder()
                                .addLimits(ProtoMapping.limits(r.value())).setAll(false).build().toByteArray()))
                        : List.of();
                yield new Outcome(r.ok() ? ProtoMapping.limits(r.value()) : null,
                        r.refusal(), false, events);
            }
            case SET_INDEX_PRICE -> {
                IndexPrice p = command.getSetIndexPrice().getPrice();
                OperatorPrice set = engine.setOperatorPrice(nowMs, p.getAsset(), p.getQuote(), p.getPrice(),
                        p.getPriceScale());
                if (!live) {
                    yield null;
                }
                IndexPrice reply = ProtoMapping.indexPrice(set);
                yield new Outcome(reply, null, false, List.of());   // an operator price: RiskShard hands it to the index
            }
            default -> throw new IllegalArgumentException("empty or unknown risk command: " + command.getCommandCase());
        };
        if (counting(live)) {
            metrics.unfinishedTransfers.set(engine.unfinishedCount());
        }
        return outcome;
    }

    private boolean counting(boolean live) {
        return live && metrics != null;
    }

    private static io.trademesh.risk.engine.WalletKind wallet(io.trademesh.proto.wallet.Wallet w) {
        io.trademesh.risk.engine.WalletKind kind = ProtoMapping.wallet(w);
        if (kind == null) {
            throw new IllegalArgumentException("journaled transfer names wallet " + w + ", which transfers cannot reach");
        }
        return kind;
    }

    private Outcome transferOutcome(RiskCommand command, Result<Transfer> r) {
        if (counting(true) && r.ok() && !r.duplicate() && r.value().state().terminal()) {
            metrics.transferFinished(r.value().state());
        }
        return outcome(command, r, ProtoMapping::transfer);
    }

    private static FundingReply funding(FundingRequest f, FundingResult v, boolean duplicate) {
        FundingReply.Builder b = FundingReply.newBuilder()
                .setApplied(v.applied())
                .setDuplicate(duplicate)
                .setBalance(ProtoMapping.balance(f.getAsset(), v.balance()));
        if (!v.applied()) {
            b.setRejectReason(v.operation().reason().name());
        }
        return b.build();
    }

    private interface ToProto<T> {
        Message map(T value);
    }

    /** The outcome with {@code change} published on auth.changes, when there is one. */
    private static Outcome announced(Outcome o, AuthChange change) {
        return change == null ? o : new Outcome(o.reply(), o.refusal(), o.duplicate(),
                List.of(new Published(Addresses.AUTH_CHANGES, change.toByteArray())));
    }

    private static <T> Outcome outcome(RiskCommand command, Result<T> r, ToProto<T> toProto) {
        return new Outcome(r.ok() ? toProto.map(r.value()) : null, r.refusal(), r.duplicate(), List.of());
    }
}
