package io.trademesh.moneymarket.api;

import io.trademesh.moneymarket.engine.MoneyMarketEngine;
import io.trademesh.moneymarket.engine.Pool;
import io.trademesh.moneymarket.store.MoneyMarketProto;
import io.trademesh.moneymarket.store.MoneyMarketStateMachine;
import io.trademesh.platform.engine.CommandShard;
import io.trademesh.platform.engine.Outcome;
import io.trademesh.platform.errors.Refusals;
import io.trademesh.platform.trading.OrderChecks;
import io.trademesh.proto.moneymarket.AccountRequest;
import io.trademesh.proto.moneymarket.ActionKind;
import io.trademesh.proto.moneymarket.ActionReply;
import io.trademesh.proto.moneymarket.AtRiskAccount;
import io.trademesh.proto.moneymarket.AtRiskList;
import io.trademesh.proto.moneymarket.AtRiskRequest;
import io.trademesh.proto.moneymarket.CategoryReply;
import io.trademesh.proto.moneymarket.CategoryRequest;
import io.trademesh.proto.moneymarket.LiquidateRequest;
import io.trademesh.proto.moneymarket.LiquidationReply;
import io.trademesh.proto.moneymarket.MoneyMarketCommand;
import io.trademesh.proto.moneymarket.MoneyMarketServiceService;
import io.trademesh.proto.moneymarket.PoolList;
import io.trademesh.proto.moneymarket.PoolReply;
import io.trademesh.proto.moneymarket.PoolRequest;
import io.trademesh.proto.moneymarket.PoolsRequest;
import io.trademesh.proto.common.LendingAccount;
import io.trademesh.moneymarket.engine.LendingBook;
import io.vertx.core.Future;
import io.vertx.grpc.common.GrpcStatus;
import java.util.function.Consumer;

/**
 * The money market's gRPC calls ({@code trademesh.moneymarket.MoneyMarketService}): the
 * operator's pools and categories, the account actions and liquidation (journaled), and the
 * reads of pools, accounts and the accounts nearest liquidation (between commands). Requests
 * that cannot be right are refused here with INVALID_ARGUMENT; the engine's refusals come back
 * as the status of their reason's category, the message starting with the reason.
 */
public final class MoneyMarketApi extends MoneyMarketServiceService {

    private static final java.util.logging.Logger LOG =
            java.util.logging.Logger.getLogger(MoneyMarketApi.class.getName());
    private static final int DEFAULT_AT_RISK = 50;
    private static final int MAX_AT_RISK = 500;

    private final CommandShard<MoneyMarketStateMachine, MoneyMarketCommand, Outcome> shard;
    private final Consumer<String> onPoolCreated;

    public MoneyMarketApi(CommandShard<MoneyMarketStateMachine, MoneyMarketCommand, Outcome> shard,
                          Consumer<String> onPoolCreated) {
        this.shard = shard;
        this.onPoolCreated = onPoolCreated;
    }

    @Override
    public Future<PoolReply> createPool(PoolRequest request) {
        String bad = MoneyMarketProto.terms(request.getParams()).invalid();
        if (bad != null) {
            return Refusals.failed(GrpcStatus.INVALID_ARGUMENT, "INVALID_TERMS", bad);
        }
        return submit(MoneyMarketCommand.newBuilder().setCreatePool(request).build(), request.getParams().getAsset())
                .map(o -> {
                    LOG.info("pool created: " + request.getParams().getAsset());
                    onPoolCreated.accept(request.getParams().getAsset());
                    return (PoolReply) o.reply();
                });
    }

    @Override
    public Future<PoolReply> updatePool(PoolRequest request) {
        String bad = MoneyMarketProto.terms(request.getParams()).invalid();
        if (bad != null) {
            return Refusals.failed(GrpcStatus.INVALID_ARGUMENT, "INVALID_TERMS", bad);
        }
        return submit(MoneyMarketCommand.newBuilder().setUpdatePool(request).build(), request.getParams().getAsset())
                .map(o -> (PoolReply) o.reply());
    }

    @Override
    public Future<CategoryReply> setCategory(CategoryRequest request) {
        String bad = MoneyMarketProto.category(request.getCategory()).invalid();
        if (bad != null) {
            return Refusals.failed(GrpcStatus.INVALID_ARGUMENT, "INVALID_TERMS", bad);
        }
        return submit(MoneyMarketCommand.newBuilder().setSetCategory(request).build(), "category")
                .map(o -> (CategoryReply) o.reply());
    }

    @Override
    public Future<ActionReply> act(io.trademesh.proto.moneymarket.ActionRequest request) {
        var badAccount = OrderChecks.account(request.getAccountId());
        if (badAccount != null) {
            return Future.failedFuture(badAccount);
        }
        String bad = invalid(request);
        if (bad != null) {
            return Refusals.failed(GrpcStatus.INVALID_ARGUMENT, "INVALID_ACTION", bad);
        }
        String about = request.getKind().name().substring("ACTION_".length()).toLowerCase(java.util.Locale.ROOT)
                + (request.getKind() == ActionKind.ACTION_CATEGORY ? " " + request.getCategory()
                : " " + request.getAsset());
        return submit(MoneyMarketCommand.newBuilder().setAction(request).build(), about)
                .map(o -> (ActionReply) o.reply());
    }

    /** What makes an action unusable whatever the state, or null. */
    static String invalid(io.trademesh.proto.moneymarket.ActionRequest r) {
        ActionKind kind = r.getKind();
        if (kind == ActionKind.ACTION_UNSPECIFIED || kind == ActionKind.UNRECOGNIZED) {
            return "kind must be SUPPLY, WITHDRAW, BORROW, REPAY, COLLATERAL or CATEGORY";
        }
        if (kind != ActionKind.ACTION_CATEGORY && r.getAsset().isEmpty()) {
            return "asset is required";
        }
        boolean mayBeAll = kind == ActionKind.ACTION_WITHDRAW || kind == ActionKind.ACTION_REPAY;
        boolean needsAmount = kind == ActionKind.ACTION_SUPPLY || kind == ActionKind.ACTION_BORROW
                || (mayBeAll && !r.getAll());
        if (needsAmount && r.getAmount() <= 0) {
            return "amount must be positive";
        }
        if (r.getAll() && !mayBeAll) {
            return "all applies to WITHDRAW and REPAY only";
        }
        return badClientActionId(r.getClientActionId());
    }

    /** What is wrong with an optional client action id, or null. */
    static String badClientActionId(String id) {
        if (!id.isEmpty() && !OrderChecks.ID.matcher(id).matches()) {
            return "client_action_id must be 1-64 of [A-Za-z0-9._:-]";
        }
        return null;
    }

    @Override
    public Future<LiquidationReply> liquidate(LiquidateRequest request) {
        var badAccount = OrderChecks.account(request.getLiquidatorId());
        if (badAccount == null) {
            badAccount = OrderChecks.account(request.getAccountId());
        }
        if (badAccount != null) {
            return Future.failedFuture(badAccount);
        }
        String badId = badClientActionId(request.getClientActionId());
        if (badId != null) {
            return Refusals.failed(GrpcStatus.INVALID_ARGUMENT, "INVALID_ACTION", badId);
        }
        if (request.getAmount() <= 0 || request.getDebtAsset().isEmpty() || request.getCollateralAsset().isEmpty()) {
            return Refusals.failed(GrpcStatus.INVALID_ARGUMENT, "INVALID_AMOUNT",
                    "account, debt asset, collateral asset and a positive amount are required");
        }
        return submit(MoneyMarketCommand.newBuilder().setLiquidate(request).build(),
                "account " + request.getAccountId()).map(o -> {
                    LiquidationReply r = (LiquidationReply) o.reply();
                    LOG.info("liquidation of account " + request.getAccountId() + " by " + request.getLiquidatorId()
                            + ": repaid " + r.getRepaid() + " " + request.getDebtAsset() + ", seized " + r.getSeized()
                            + " " + request.getCollateralAsset() + " (" + r.getToReserves() + " to reserves)");
                    if (r.getWrittenOff() > 0) {
                        LOG.warning("account " + request.getAccountId() + " had no collateral left: its debts were"
                                + " written off (" + r.getWrittenOff() + " units of " + request.getDebtAsset()
                                + "); see the pools' reserves and deficit");
                    }
                    return r;
                });
    }

    /** Submits a command; its refusal becomes the failure status of its reason's category. */
    private Future<Outcome> submit(MoneyMarketCommand command, String about) {
        return shard.submit(command).compose(o -> o.refused()
                ? Future.failedFuture(Refusals.of(o.refusal(), about))
                : Future.succeededFuture(o));
    }

    @Override
    public Future<PoolList> getPools(PoolsRequest request) {
        long now = System.currentTimeMillis();
        return shard.query(m -> {
            MoneyMarketEngine e = m.engine();
            PoolList.Builder b = PoolList.newBuilder().setValueAsset(MoneyMarketEngine.VALUE_ASSET);
            for (Pool p : e.pools()) {
                b.addPools(MoneyMarketProto.pool(e, p, now));
            }
            e.categories().forEach(c -> b.addCategories(MoneyMarketProto.category(c)));
            return b.build();
        });
    }

    @Override
    public Future<LendingAccount> getAccount(AccountRequest request) {
        var bad = OrderChecks.account(request.getAccountId());
        if (bad != null) {
            return Future.failedFuture(bad);
        }
        long now = System.currentTimeMillis();
        return shard.query(m -> MoneyMarketProto.account(m.engine(), request.getAccountId(), now));
    }

    @Override
    public Future<AtRiskList> getAtRisk(AtRiskRequest request) {
        if (request.getMaxHealthE9() < 0) {
            return Refusals.failed(GrpcStatus.INVALID_ARGUMENT, "INVALID_ARGUMENT", "max health must not be negative");
        }
        int limit = request.getLimit() == 0 ? DEFAULT_AT_RISK : Math.min(request.getLimit(), MAX_AT_RISK);
        long now = System.currentTimeMillis();
        return shard.query(m -> {
            MoneyMarketEngine e = m.engine();
            AtRiskList.Builder b = AtRiskList.newBuilder().setTimestampMs(now);
            for (MoneyMarketEngine.AtRisk r : e.atRisk(now, request.getMaxHealthE9(), limit)) {
                AtRiskAccount.Builder a = AtRiskAccount.newBuilder().setAccountId(r.accountId())
                        .setHealthFactorE9(r.healthFactor()).setCollateralValueE8(r.collateralValue())
                        .setDebtValueE8(r.debtValue()).setPriceStale(r.stale());
                LendingBook book = e.book(r.accountId());
                for (Pool p : e.pools()) {
                    if (book.scaledDebt(p.id()) != 0) {
                        a.addDebtAssets(p.asset());
                    }
                    if (book.isCollateral(p.id()) && book.scaledSupply(p.id()) != 0) {
                        a.addCollateralAssets(p.asset());
                    }
                }
                b.addAccounts(a);
            }
            return b.build();
        });
    }
}
