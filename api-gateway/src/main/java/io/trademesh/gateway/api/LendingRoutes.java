package io.trademesh.gateway.api;

import static io.trademesh.gateway.api.Responses.respond;

import io.trademesh.gateway.routing.Backends;
import io.trademesh.gateway.routing.MarketCatalog;
import io.trademesh.gateway.routing.ServiceEndpoints;
import io.trademesh.platform.cluster.ProductOwners;
import io.trademesh.proto.common.Product;
import io.trademesh.proto.moneymarket.AccountRequest;
import io.trademesh.proto.moneymarket.ActionKind;
import io.trademesh.proto.moneymarket.ActionRequest;
import io.trademesh.proto.moneymarket.AtRiskRequest;
import io.trademesh.proto.moneymarket.Category;
import io.trademesh.proto.moneymarket.CategoryRequest;
import io.trademesh.proto.moneymarket.LiquidateRequest;
import io.trademesh.proto.moneymarket.MoneyMarketServiceGrpcClient;
import io.trademesh.proto.moneymarket.Pool;
import io.trademesh.proto.moneymarket.PoolList;
import io.trademesh.proto.moneymarket.PoolParams;
import io.trademesh.proto.moneymarket.PoolRequest;
import io.trademesh.proto.moneymarket.PoolsRequest;
import io.trademesh.proto.risk.Permission;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;

/**
 * Money-market routes: the pools and their rates (public), the caller's supplies, borrows and
 * health factor and its actions (signed), the accounts nearest liquidation and liquidation
 * itself (signed), and the operator's pools and categories. A pool lends an asset some
 * market trades, at the decimals the markets give it (so that transfers and the pool agree on
 * what a unit is); amounts are parsed at those decimals.
 */
final class LendingRoutes {

    /** What creating a pool needs; an update changes only the fields it names. */
    private static final String[] REQUIRED_TERMS = {"optimalUtilization", "slope1", "slope2", "reserveFactor", "ltv",
            "liquidationThreshold", "liquidationBonus"};

    private static final long MAX_AT_RISK_HEALTH = 1_200_000_000L;

    private final MarketCatalog catalog;
    private final Backends backends;
    private final ServiceEndpoints services;
    private final RequestAuth auth;

    LendingRoutes(MarketCatalog catalog, Backends backends, ServiceEndpoints services, RequestAuth auth) {
        this.catalog = catalog;
        this.backends = backends;
        this.services = services;
        this.auth = auth;
    }

    void bind(RouterBuilder b) {
        b.getRoute("getLendingPools").addHandler(this::pools);
        b.getRoute("getLendingAccount").addHandler(this::account);
        b.getRoute("lendingSupply").addHandler(rc -> amountAction(rc, ActionKind.ACTION_SUPPLY));
        b.getRoute("lendingWithdraw").addHandler(rc -> amountAction(rc, ActionKind.ACTION_WITHDRAW));
        b.getRoute("lendingBorrow").addHandler(rc -> amountAction(rc, ActionKind.ACTION_BORROW));
        b.getRoute("lendingRepay").addHandler(rc -> amountAction(rc, ActionKind.ACTION_REPAY));
        b.getRoute("lendingCollateral").addHandler(this::collateral);
        b.getRoute("lendingCategory").addHandler(this::category);
        b.getRoute("getLendingAtRisk").addHandler(this::atRisk);
        b.getRoute("lendingLiquidate").addHandler(this::liquidate);
        b.getRoute("adminCreatePool").addHandler(rc -> poolTerms(rc, true));
        b.getRoute("adminUpdatePool").addHandler(rc -> poolTerms(rc, false));
        b.getRoute("adminSetCategory").addHandler(this::setCategory);
    }

    private String owner() {
        return services.require(ProductOwners.service(Product.PRODUCT_MONEY_MARKET));
    }

    private Future<PoolList> poolList(String owner) {
        return backends.unary(owner, MoneyMarketServiceGrpcClient.GetPools, PoolsRequest.getDefaultInstance());
    }

    /** The decimals of an asset a pool may lend (one some market trades), or 404. */
    private int decimals(String asset) {
        int d = asset == null ? -1 : catalog.decimals(asset);
        if (d < 0) {
            throw ApiError.notFound("UNKNOWN_POOL", "no pool lends " + asset);
        }
        return d;
    }

    private static long amount(String text, int decimals) {
        Long v = Decimals.parse(text, decimals);
        if (v == null || v <= 0) {
            throw ApiError.badRequest("INVALID_AMOUNT", "amount " + text + " must be positive with at most "
                    + decimals + " decimals");
        }
        return v;
    }

    private void pools(RoutingContext rc) {
        respond(rc, () -> {
            String owner = owner();
            return auth.limit(rc, "ip:" + rc.request().remoteAddress().host(), 1, 0)
                    .compose(v -> poolList(owner))
                    .map(list -> {
                        JsonArray pools = new JsonArray();
                        list.getPoolsList().forEach(p -> pools.add(LendingJson.pool(p)));
                        JsonArray categories = new JsonArray();
                        list.getCategoriesList().forEach(c -> categories.add(LendingJson.category(c)));
                        return new JsonObject().put("valueAsset", list.getValueAsset()).put("pools", pools)
                                .put("categories", categories);
                    });
        });
    }

    private void account(RoutingContext rc) {
        respond(rc, () -> {
            String owner = owner();
            return auth.check(rc, Permission.PERMISSION_READ, 1, 0)
                    .compose(caller -> backends.unary(owner, MoneyMarketServiceGrpcClient.GetAccount,
                            AccountRequest.newBuilder().setAccountId(caller.accountId()).build()))
                    .map(LendingJson::account);
        });
    }

    /** Supply, withdraw, borrow or repay: {@code amount} of {@code asset}, or {@code all} (withdraw, repay). */
    private void amountAction(RoutingContext rc, ActionKind kind) {
        respond(rc, () -> {
            JsonObject body = rc.body().asJsonObject();
            String asset = body.getString("asset");
            boolean all = Boolean.TRUE.equals(body.getBoolean("all"));
            String text = body.getString("amount");
            boolean mayBeAll = kind == ActionKind.ACTION_WITHDRAW || kind == ActionKind.ACTION_REPAY;
            if (all && !mayBeAll) {
                throw ApiError.badRequest("INVALID_REQUEST", "all applies to withdraw and repay only");
            }
            if (all == (text != null)) {
                throw ApiError.badRequest("INVALID_REQUEST", mayBeAll ? "give amount or all (not both)"
                        : "amount is required");
            }
            int d = decimals(asset);
            long amount = all ? 0 : amount(text, d);
            String owner = owner();
            return auth.check(rc, Permission.PERMISSION_TRADE, 1, 0)
                    .compose(caller -> act(owner, ActionRequest.newBuilder().setAccountId(caller.accountId())
                            .setKind(kind).setAsset(asset).setAll(all).setAmount(amount)
                            .setClientActionId(body.getString("clientActionId", "")).build()))
                    .map(reply -> new JsonObject().put("amount", Decimals.format(reply.getAmount(), d))
                            .put("duplicate", reply.getDuplicate())
                            .put("account", LendingJson.account(reply.getAccount())));
        });
    }

    private Future<io.trademesh.proto.moneymarket.ActionReply> act(String owner, ActionRequest r) {
        return backends.unary(owner, MoneyMarketServiceGrpcClient.Act, r);
    }

    private void collateral(RoutingContext rc) {
        respond(rc, () -> {
            JsonObject body = rc.body().asJsonObject();
            String owner = owner();
            return auth.check(rc, Permission.PERMISSION_TRADE, 1, 0)
                    .compose(caller -> act(owner, ActionRequest.newBuilder().setAccountId(caller.accountId())
                            .setKind(ActionKind.ACTION_COLLATERAL).setAsset(body.getString("asset"))
                            .setEnable(body.getBoolean("enabled"))
                            .setClientActionId(body.getString("clientActionId", "")).build()))
                    .map(reply -> LendingJson.account(reply.getAccount()));
        });
    }

    private void category(RoutingContext rc) {
        respond(rc, () -> {
            JsonObject body = rc.body().asJsonObject();
            int category = body.getInteger("category");
            String owner = owner();
            return auth.check(rc, Permission.PERMISSION_TRADE, 1, 0)
                    .compose(caller -> act(owner, ActionRequest.newBuilder().setAccountId(caller.accountId())
                            .setKind(ActionKind.ACTION_CATEGORY).setCategory(category)
                            .setClientActionId(body.getString("clientActionId", "")).build()))
                    .map(reply -> LendingJson.account(reply.getAccount()));
        });
    }

    private void atRisk(RoutingContext rc) {
        respond(rc, () -> {
            int limit = Params.intQuery(rc, "limit", 50, 1, 500);
            String max = rc.queryParams().get("maxHealth");
            long maxHealth = 0;
            if (max != null) {
                Long v = Decimals.parse(max, LendingJson.RATIO);
                if (v == null || v <= 0 || v > MAX_AT_RISK_HEALTH) {
                    throw ApiError.badRequest("INVALID_REQUEST", "maxHealth must be a decimal in (0, 1.2]: the"
                            + " list is of accounts near liquidation");
                }
                maxHealth = v;
            }
            long cut = maxHealth;
            String owner = owner();
            return auth.check(rc, Permission.PERMISSION_READ, 5, 0)
                    .compose(caller -> backends.unary(owner, MoneyMarketServiceGrpcClient.GetAtRisk,
                            AtRiskRequest.newBuilder().setLimit(limit).setMaxHealthE9(cut).build()))
                    .map(list -> {
                        JsonArray out = new JsonArray();
                        list.getAccountsList().forEach(a -> out.add(LendingJson.atRisk(a)));
                        return new JsonObject().put("accounts", out).put("timestamp", list.getTimestampMs());
                    });
        });
    }

    private void liquidate(RoutingContext rc) {
        respond(rc, () -> {
            JsonObject body = rc.body().asJsonObject();
            long account = Params.accountId(body, "accountId");
            String debt = body.getString("debtAsset");
            String collateral = body.getString("collateralAsset");
            int dd = decimals(debt);
            int cd = decimals(collateral);
            long amount = amount(body.getString("amount"), dd);
            String owner = owner();
            return auth.check(rc, Permission.PERMISSION_TRADE, 1, 0)
                    .compose(caller -> backends.unary(owner, MoneyMarketServiceGrpcClient.Liquidate, LiquidateRequest
                            .newBuilder().setLiquidatorId(caller.accountId()).setAccountId(account)
                            .setDebtAsset(debt).setCollateralAsset(collateral).setAmount(amount)
                            .setClientActionId(body.getString("clientActionId", "")).build()))
                    .map(r -> LendingJson.liquidation(r, dd, cd));
        });
    }

    /**
     * Creates a pool, or changes the terms an update names (the others stay as they are). The
     * decimals are the asset's in the markets; a body that gives other decimals is refused.
     */
    private void poolTerms(RoutingContext rc, boolean create) {
        respond(rc, () -> {
            JsonObject j = rc.body().asJsonObject();
            String asset = j.getString("asset");
            int d = catalog.decimals(asset);
            if (d < 0) {
                throw ApiError.badRequest("UNKNOWN_ASSET", "no market trades " + asset
                        + ": a pool lends an asset the venue trades (create its market first)");
            }
            if (j.containsKey("decimals") && j.getInteger("decimals") != d) {
                throw ApiError.badRequest("INVALID_TERMS", asset + " has " + d + " decimals in the markets, not "
                        + j.getInteger("decimals"));
            }
            String owner = owner();
            if (create) {
                for (String field : REQUIRED_TERMS) {
                    if (!j.containsKey(field)) {
                        throw ApiError.badRequest("INVALID_TERMS", field + " is required to create a pool");
                    }
                }
                return backends.unary(owner, MoneyMarketServiceGrpcClient.CreatePool, PoolRequest.newBuilder()
                                .setParams(terms(j, PoolParams.newBuilder().setCollateralEnabled(true)
                                        .setBorrowEnabled(true).build(), d)).build())
                        .map(r -> LendingJson.pool(r.getPool()));
            }
            return poolList(owner).compose(pools -> {
                Pool current = pools.getPoolsList().stream().filter(p -> p.getParams().getAsset().equals(asset))
                        .findFirst().orElseThrow(() -> ApiError.notFound("UNKNOWN_POOL", "no pool lends " + asset));
                return backends.unary(owner, MoneyMarketServiceGrpcClient.UpdatePool, PoolRequest.newBuilder()
                        .setParams(terms(j, current.getParams(), d)).build());
            }).map(r -> LendingJson.pool(r.getPool()));
        });
    }

    /** {@code base} with the fields {@code j} names. */
    private static PoolParams terms(JsonObject j, PoolParams base, int decimals) {
        PoolParams.Builder t = base.toBuilder().setAsset(j.getString("asset")).setAssetDecimals(decimals);
        if (j.containsKey("optimalUtilization")) {
            t.setOptimalUtilizationE9(ratio(j, "optimalUtilization"));
        }
        if (j.containsKey("baseRate")) {
            t.setBaseRateE9(ratio(j, "baseRate"));
        }
        if (j.containsKey("slope1")) {
            t.setSlope1E9(ratio(j, "slope1"));
        }
        if (j.containsKey("slope2")) {
            t.setSlope2E9(ratio(j, "slope2"));
        }
        if (j.containsKey("reserveFactor")) {
            t.setReserveFactorE9(ratio(j, "reserveFactor"));
        }
        if (j.containsKey("ltv")) {
            t.setLtvE9(ratio(j, "ltv"));
        }
        if (j.containsKey("liquidationThreshold")) {
            t.setLiquidationThresholdE9(ratio(j, "liquidationThreshold"));
        }
        if (j.containsKey("liquidationBonus")) {
            t.setLiquidationBonusE9(ratio(j, "liquidationBonus"));
        }
        if (j.containsKey("protocolShare")) {
            t.setProtocolShareE9(ratio(j, "protocolShare"));
        }
        if (j.containsKey("supplyCap")) {
            t.setSupplyCap(cap(j, "supplyCap", decimals));
        }
        if (j.containsKey("borrowCap")) {
            t.setBorrowCap(cap(j, "borrowCap", decimals));
        }
        if (j.containsKey("collateralEnabled")) {
            t.setCollateralEnabled(j.getBoolean("collateralEnabled"));
        }
        if (j.containsKey("borrowEnabled")) {
            t.setBorrowEnabled(j.getBoolean("borrowEnabled"));
        }
        if (j.containsKey("category")) {
            t.setCategory(j.getInteger("category"));
        }
        return t.build();
    }

    private void setCategory(RoutingContext rc) {
        respond(rc, () -> {
            JsonObject j = rc.body().asJsonObject();
            Category c = Category.newBuilder().setId(j.getInteger("id")).setName(j.getString("name"))
                    .setLtvE9(ratio(j, "ltv")).setLiquidationThresholdE9(ratio(j, "liquidationThreshold"))
                    .setLiquidationBonusE9(ratio(j, "liquidationBonus")).build();
            return backends.unary(owner(), MoneyMarketServiceGrpcClient.SetCategory,
                    CategoryRequest.newBuilder().setCategory(c).build()).map(r -> LendingJson.category(r.getCategory()));
        });
    }

    private static long ratio(JsonObject j, String field) {
        String text = j.getString(field, "0");
        Long v = Decimals.parse(text, LendingJson.RATIO);
        if (v == null) {
            throw ApiError.badRequest("INVALID_TERMS", field + " must be a decimal with at most 9 decimals");
        }
        return v;
    }

    private static long cap(JsonObject j, String field, int decimals) {
        String text = j.getString(field, "0");
        Long v = Decimals.parse(text, decimals);
        if (v == null) {
            throw ApiError.badRequest("INVALID_TERMS", field + " must be a decimal at the asset's decimals (0: none)");
        }
        return v;
    }
}
