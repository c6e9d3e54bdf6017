package io.trademesh.moneymarket.store;

import com.google.protobuf.Message;
import io.trademesh.moneymarket.engine.Category;
import io.trademesh.moneymarket.engine.Liquidation;
import io.trademesh.moneymarket.engine.MoneyMarketEngine;
import io.trademesh.moneymarket.engine.MoneyMarketListener;
import io.trademesh.moneymarket.engine.MoneyMarketRejectReason;
import io.trademesh.moneymarket.engine.Pool;
import io.trademesh.platform.engine.Outcome;
import io.trademesh.platform.errors.ReasonCode;
import io.trademesh.platform.events.Addresses;
import io.trademesh.platform.events.Published;
import io.trademesh.platform.wallet.WalletLedger;
import io.trademesh.proto.common.Balance;
import io.trademesh.proto.events.AccountEvent;
import io.trademesh.proto.moneymarket.ActionReply;
import io.trademesh.proto.moneymarket.CategoryReply;
import io.trademesh.proto.moneymarket.LiquidationReply;
import io.trademesh.proto.moneymarket.MoneyMarketCommand;
import io.trademesh.proto.moneymarket.PoolReply;
import io.trademesh.proto.wallet.WalletTransferReply;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What one live money-market command produced: its reply and the account events (the
 * account's lending state after the change, and its wallet balances) to publish once the
 * command is durable. During replay it collects nothing.
 */
public final class MoneyMarketOutput implements MoneyMarketListener {

    private static final String WALLET = "MONEY_MARKET";

    private MoneyMarketEngine engine;
    private MoneyMarketCommand command;
    private boolean collecting;
    private long nowMs;
    private ReasonCode refusal;
    private Message reply;
    private boolean duplicate;
    private long moved;
    private final TreeSet<Long> accounts = new TreeSet<>();
    private final TreeMap<Long, TreeSet<Integer>> balances = new TreeMap<>();

    void attach(MoneyMarketEngine engine) {
        this.engine = engine;
    }

    void begin(long nowMs, MoneyMarketCommand command, boolean collect) {
        this.nowMs = nowMs;
        this.command = command;
        this.collecting = collect;
        refusal = null;
        reply = null;
        duplicate = false;
        moved = 0;
        accounts.clear();
        balances.clear();
    }

    /** The outcome of the command begun last, or null during replay. */
    Outcome finish() {
        if (!collecting) {
            return null;
        }
        List<Published> events = new ArrayList<>();
        for (long account : accounts) {
            events.add(account(account, AccountEvent.newBuilder()
                    .setLending(MoneyMarketProto.account(engine, account, nowMs))));
        }
        balances.forEach((account, assets) -> {
            for (int asset : assets) {
                events.add(account(account, AccountEvent.newBuilder().setBalance(Balance.newBuilder()
                        .setWallet(WALLET).setAsset(engine.assets().symbol(asset))
                        .setAvailable(engine.wallets().available(account, asset))
                        .setLocked(engine.wallets().locked(account, asset)))));
            }
        });
        return new Outcome(reply != null ? reply : defaultReply(), refusal, duplicate, List.copyOf(events));
    }

    private static Published account(long accountId, AccountEvent.Builder event) {
        return new Published(Addresses.account(accountId), event.setAccountId(accountId).build().toByteArray());
    }

    /** The reply of a command that was refused before the engine said anything else. */
    private Message defaultReply() {
        String reason = refusal == null ? "" : refusal.name();
        return switch (command.getCommandCase()) {
            case CREATE_POOL, UPDATE_POOL -> PoolReply.newBuilder().setAccepted(refusal == null)
                    .setRejectReason(reason).build();
            case SET_CATEGORY -> CategoryReply.newBuilder().setAccepted(refusal == null).setRejectReason(reason)
                    .build();
            case ACTION -> ActionReply.newBuilder().setAccepted(refusal == null).setRejectReason(reason)
                    .setAmount(moved).setDuplicate(duplicate).setAccount(MoneyMarketProto.account(engine,
                            command.getAction().getAccountId(), nowMs)).build();
            case LIQUIDATE -> LiquidationReply.newBuilder().setAccepted(false).setRejectReason(reason).build();
            default -> null;
        };
    }

    @Override
    public void onRefused(MoneyMarketRejectReason reason) {
        refusal = reason;
    }

    /** A refusal found before the engine was called (e.g. an unusable command). */
    void refused(MoneyMarketRejectReason reason) {
        onRefused(reason);
    }

    @Override
    public void onPool(Pool pool) {
        if (collecting) {
            reply = PoolReply.newBuilder().setAccepted(true).setPool(MoneyMarketProto.pool(engine, pool, nowMs))
                    .build();
        }
    }

    @Override
    public void onCategory(Category category) {
        if (collecting) {
            reply = CategoryReply.newBuilder().setAccepted(true).setCategory(MoneyMarketProto.category(category))
                    .build();
        }
    }

    @Override
    public void onAction(long accountId, long amount, boolean duplicate) {
        moved = amount;
        this.duplicate = duplicate;
    }

    @Override
    public void onLiquidation(Liquidation r, boolean duplicate) {
        this.duplicate = duplicate;
        if (collecting) {
            reply = LiquidationReply.newBuilder().setAccepted(true).setRepaid(r.repaid()).setSeized(r.seized())
                    .setToLiquidator(r.toLiquidator()).setToReserves(r.toReserves()).setWrittenOff(r.writtenOff())
                    .setHealthBeforeE9(r.healthBefore()).setDuplicate(duplicate).build();
        }
    }

    @Override
    public void onTransfer(WalletLedger.Outcome o) {
        duplicate = o.duplicate();
        refusal = o.refusal();
        if (!collecting) {
            return;
        }
        WalletTransferReply.Builder r = WalletTransferReply.newBuilder().setApplied(o.applied())
                .setDuplicate(o.duplicate()).setRejectReason(o.applied() ? "" : o.refusal().name());
        if (o.assetId() >= 0) {
            r.setBalance(Balance.newBuilder().setAsset(engine.assets().symbol(o.assetId()))
                    .setAvailable(engine.wallets().available(o.accountId(), o.assetId()))
                    .setLocked(engine.wallets().locked(o.accountId(), o.assetId())));
        }
        reply = r.build();
    }

    @Override
    public void onAccountChanged(long accountId) {
        if (collecting) {
            accounts.add(accountId);
        }
    }

    @Override
    public void onBalance(long accountId, int asset) {
        if (collecting) {
            balances.computeIfAbsent(accountId, a -> new TreeSet<>()).add(asset);
        }
    }
}
