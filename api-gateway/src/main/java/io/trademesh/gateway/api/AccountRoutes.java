package io.trademesh.gateway.api;

import static io.trademesh.gateway.api.Responses.respond;

import io.trademesh.gateway.routing.Backends;
import io.trademesh.gateway.routing.MarketCatalog;
import io.trademesh.gateway.routing.ServiceEndpoints;
import io.trademesh.platform.cluster.ProductOwners;
import io.trademesh.proto.common.Product;
import io.trademesh.proto.risk.GetTransferRequest;
import io.trademesh.proto.risk.ListTransfersRequest;
import io.trademesh.proto.risk.Permission;
import io.trademesh.proto.futures.AccountRequest;
import io.trademesh.proto.futures.FuturesServiceGrpcClient;
import io.trademesh.proto.risk.PortfolioRequest;
import io.trademesh.proto.risk.RiskServiceGrpcClient;
import io.trademesh.proto.risk.Transfer;
import io.trademesh.proto.risk.TransferRequest;
import io.trademesh.proto.wallet.BalancesRequest;
import io.trademesh.proto.wallet.Wallet;
import io.trademesh.proto.wallet.WalletServiceGrpcClient;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.grpc.common.GrpcStatus;

/** An account's wallets and transfers: balances from the owning product, the rest from risk-service. */
final class AccountRoutes {

    private final MarketCatalog catalog;
    private final Backends backends;
    private final ServiceEndpoints services;
    private final RequestAuth auth;

    AccountRoutes(MarketCatalog catalog, Backends backends, ServiceEndpoints services, RequestAuth auth) {
        this.catalog = catalog;
        this.backends = backends;
        this.services = services;
        this.auth = auth;
    }

    void bind(RouterBuilder b) {
        b.getRoute("getBalances").addHandler(this::getBalances);
        b.getRoute("getPortfolio").addHandler(this::getPortfolio);
        b.getRoute("createTransfer").addHandler(this::createTransfer);
        b.getRoute("listTransfers").addHandler(this::listTransfers);
        b.getRoute("getTransfer").addHandler(this::getTransfer);
    }

    /** {@code ?wallet=SPOT|FUTURES|OPTIONS|MONEY_MARKET} (SPOT when absent): that product's wallet. */
    private void getBalances(RoutingContext rc) {
        respond(rc, () -> {
            Wallet wallet = wallet(rc.queryParams().get("wallet"));
            Product product = ProductOwners.product(wallet);
            if (product == Product.PRODUCT_UNSPECIFIED) {
                throw ApiError.badRequest("INVALID_WALLET", "balances are per product wallet: SPOT, FUTURES, OPTIONS"
                        + " or MONEY_MARKET; the funding wallet is in /v1/portfolio");
            }
            String owner = services.require(ProductOwners.service(product));
            return auth.check(rc, Permission.PERMISSION_READ, 1, 0).compose(caller -> backends.unary(owner,
                            WalletServiceGrpcClient.Balances,
                            BalancesRequest.newBuilder().setAccountId(caller.accountId()).build()))
                    .map(list -> {
                        JsonArray out = new JsonArray();
                        list.getBalancesList().forEach(b -> out.add(Json.balance(b, catalog.requireDecimals(b.getAsset()))));
                        return out;
                    });
        });
    }

    private static Wallet wallet(String name) {
        if (name == null) {
            return Wallet.WALLET_SPOT;
        }
        try {
            Wallet w = Wallet.valueOf("WALLET_" + name);
            if (w != Wallet.WALLET_UNSPECIFIED) {
                return w;
            }
        } catch (IllegalArgumentException unknown) {
            // refused below
        }
        throw ApiError.badRequest("INVALID_WALLET", "wallet is FUNDING, SPOT, FUTURES, OPTIONS or MONEY_MARKET");
    }

    /**
     * The funding and product wallets (risk-service), the futures margin with its positions,
     * the money market, and the options account with its positions and greeks.
     */
    private void getPortfolio(RoutingContext rc) {
        respond(rc, () -> {
            String risk = services.require("risk-service");
            return auth.check(rc, Permission.PERMISSION_READ, 5, 0).compose(caller -> {
                Future<JsonObject> futures = futuresMargin(caller.accountId());
                Future<JsonObject> lending = lending(caller.accountId());
                Future<JsonObject> options = options(caller.accountId());
                return backends.unary(risk, RiskServiceGrpcClient.GetPortfolio,
                                PortfolioRequest.newBuilder().setAccountId(caller.accountId()).build())
                        .compose(p -> futures.compose(f -> lending.compose(l -> options.map(o -> portfolio(p)
                                .put("futures", f).put("lending", l).put("options", o)))));
            });
        });
    }

    /** The futures account, or {@code {"reachable": false}} when futures-service does not answer. */
    private Future<JsonObject> futuresMargin(long accountId) {
        String owner;
        try {
            owner = services.require(ProductOwners.service(Product.PRODUCT_FUTURES));
        } catch (RuntimeException unknown) {
            return Future.succeededFuture(new JsonObject().put("reachable", false));
        }
        return backends.unary(owner, FuturesServiceGrpcClient.GetAccount,
                        AccountRequest.newBuilder().setAccountId(accountId).build())
                .map(a -> FuturesJson.account(a, Math.max(0, catalog.decimals(a.getAsset())), symbol -> {
                    MarketCatalog.Entry e = catalog.get(symbol);
                    return e == null ? null : e.market();
                }).put("reachable", true))
                .otherwise(failure -> new JsonObject().put("reachable", false));
    }

    /** The money-market account, or {@code {"reachable": false}} when moneymarket-service does not answer. */
    private Future<JsonObject> lending(long accountId) {
        String owner;
        try {
            owner = services.require(ProductOwners.service(Product.PRODUCT_MONEY_MARKET));
        } catch (RuntimeException unknown) {
            return Future.succeededFuture(new JsonObject().put("reachable", false));
        }
        return backends.unary(owner, io.trademesh.proto.moneymarket.MoneyMarketServiceGrpcClient.GetAccount,
                        io.trademesh.proto.moneymarket.AccountRequest.newBuilder().setAccountId(accountId).build())
                .map(a -> LendingJson.account(a).put("reachable", true))
                .otherwise(failure -> new JsonObject().put("reachable", false));
    }

    /** The options account, or {@code {"reachable": false}} when options-service does not answer. */
    private Future<JsonObject> options(long accountId) {
        String owner;
        try {
            owner = services.require(ProductOwners.service(Product.PRODUCT_OPTIONS));
        } catch (RuntimeException unknown) {
            return Future.succeededFuture(new JsonObject().put("reachable", false));
        }
        return backends.unary(owner, io.trademesh.proto.options.OptionsServiceGrpcClient.GetAccount,
                        io.trademesh.proto.options.AccountRequest.newBuilder().setAccountId(accountId).build())
                .map(a -> OptionsJson.account(a, Math.max(0, catalog.decimals(a.getAsset())), symbol -> {
                    MarketCatalog.Entry e = catalog.get(symbol);
                    return e == null ? null : e.market();
                }).put("reachable", true))
                .otherwise(failure -> new JsonObject().put("reachable", false));
    }

    private JsonObject portfolio(io.trademesh.proto.risk.Portfolio p) {
        JsonArray wallets = new JsonArray();
        p.getWalletsList().forEach(w -> {
            JsonArray balances = new JsonArray();
            w.getBalancesList().forEach(b -> balances.add(Json.balance(b, catalog.requireDecimals(b.getAsset()))));
            wallets.add(new JsonObject().put("wallet", w.getWallet().name().substring("WALLET_".length()))
                    .put("reachable", w.getAvailable()).put("balances", balances));
        });
        return new JsonObject().put("wallets", wallets);
    }

    private static JsonObject transfer(Transfer t, int decimals) {
        return new JsonObject()
                .put("transferId", t.getTransferId())
                .put("asset", t.getAsset())
                .put("amount", Decimals.format(t.getAmount(), decimals))
                .put("from", t.getFrom().name().substring("WALLET_".length()))
                .put("to", t.getTo().name().substring("WALLET_".length()))
                .put("state", t.getState().name().substring("TRANSFER_STATE_".length()))
                .put("reason", t.getReason())
                .put("createdAt", t.getCreatedAtMs())
                .put("updatedAt", t.getUpdatedAtMs());
    }

    private void createTransfer(RoutingContext rc) {
        respond(rc, () -> {
            JsonObject body = rc.body().asJsonObject();
            String asset = body.getString("asset");
            long amount = Amounts.parse(catalog, asset, body.getString("amount"));
            Wallet from = wallet(body.getString("from"));
            Wallet to = wallet(body.getString("to"));
            if (from == to) {
                throw ApiError.badRequest("INVALID_TRANSFER", "from and to are the same wallet");
            }
            String risk = services.require("risk-service");
            TransferRequest.Builder request = TransferRequest.newBuilder().setTransferId(body.getString("transferId"))
                    .setAsset(asset).setAmount(amount).setFrom(from).setTo(to);
            return auth.check(rc, Permission.PERMISSION_TRANSFER, 1, 0).compose(caller -> backends.unary(risk,
                            RiskServiceGrpcClient.CreateTransfer, request.setAccountId(caller.accountId()).build()))
                    .map(t -> transfer(t, catalog.requireDecimals(asset)));
        });
    }

    private void getTransfer(RoutingContext rc) {
        respond(rc, () -> {
            String risk = services.require("risk-service");
            GetTransferRequest.Builder request = GetTransferRequest.newBuilder()
                    .setTransferId(rc.pathParam("transferId"));
            return auth.check(rc, Permission.PERMISSION_READ, 1, 0).compose(caller -> backends.unary(risk,
                            RiskServiceGrpcClient.GetTransfer, request.setAccountId(caller.accountId()).build()))
                    .recover(err -> Future.failedFuture(Backends.statusOf(err) == GrpcStatus.NOT_FOUND
                            ? ApiError.notFound("UNKNOWN_TRANSFER", "no such transfer of this account") : err))
                    .map(t -> transfer(t, catalog.requireDecimals(t.getAsset())));
        });
    }

    private void listTransfers(RoutingContext rc) {
        respond(rc, () -> {
            String risk = services.require("risk-service");
            ListTransfersRequest.Builder request = ListTransfersRequest.newBuilder().setLimit(Params.limit(rc));
            return auth.check(rc, Permission.PERMISSION_READ, 5, 0).compose(caller -> backends.unary(risk,
                            RiskServiceGrpcClient.ListTransfers, request.setAccountId(caller.accountId()).build()))
                    .map(list -> {
                        JsonArray out = new JsonArray();
                        list.getTransfersList().forEach(t -> out.add(transfer(t, catalog.requireDecimals(t.getAsset()))));
                        return out;
                    });
        });
    }
}
