package io.trademesh.gateway.api;

import static io.trademesh.gateway.api.Responses.respond;

import io.trademesh.gateway.routing.Backends;
import io.trademesh.gateway.routing.MarketCatalog;
import io.trademesh.gateway.routing.ServiceEndpoints;
import io.trademesh.platform.cluster.ProductOwners;
import io.trademesh.proto.common.Market;
import io.trademesh.proto.common.Product;
import io.trademesh.proto.futures.AccountRequest;
import io.trademesh.proto.futures.AdjustMarginRequest;
import io.trademesh.proto.futures.MarginReply;
import io.trademesh.proto.futures.SetMarginModeRequest;
import io.trademesh.proto.futures.ConditionalOrdersRequest;
import io.trademesh.proto.futures.FundingRequest;
import io.trademesh.proto.futures.FuturesServiceGrpcClient;
import io.trademesh.proto.futures.InsuranceFundRequest;
import io.trademesh.proto.futures.MarkPriceRequest;
import io.trademesh.proto.futures.PositionsRequest;
import io.trademesh.proto.futures.SetLeverageRequest;
import io.trademesh.proto.risk.Permission;
import io.trademesh.proto.common.Position;
import io.vertx.core.Future;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;

/**
 * Futures routes: the caller's margin account, positions and leverage (signed), and each
 * contract's mark price, funding history and the insurance fund (public).
 */
final class FuturesRoutes {

    private final MarketCatalog catalog;
    private final Backends backends;
    private final ServiceEndpoints services;
    private final RequestAuth auth;

    FuturesRoutes(MarketCatalog catalog, Backends backends, ServiceEndpoints services, RequestAuth auth) {
        this.catalog = catalog;
        this.backends = backends;
        this.services = services;
        this.auth = auth;
    }

    void bind(RouterBuilder b) {
        b.getRoute("getFuturesAccount").addHandler(this::account);
        b.getRoute("getPositions").addHandler(this::positions);
        b.getRoute("setLeverage").addHandler(this::leverage);
        b.getRoute("getMarkPrice").addHandler(this::mark);
        b.getRoute("getFundingHistory").addHandler(this::funding);
        b.getRoute("getInsuranceFund").addHandler(this::insurance);
        b.getRoute("listConditionalOrders").addHandler(this::conditionalOrders);
        b.getRoute("setMarginMode").addHandler(this::marginMode);
        b.getRoute("adjustMargin").addHandler(this::adjustMargin);
    }

    private String futures() {
        return services.require(ProductOwners.service(Product.PRODUCT_FUTURES));
    }

    /** A futures contract named by the request, or 404. */
    private MarketCatalog.Entry contract(String symbol) {
        MarketCatalog.Entry e = symbol == null ? null : catalog.get(symbol);
        if (e == null || e.market().getProduct() != Product.PRODUCT_FUTURES) {
            throw ApiError.notFound("UNKNOWN_MARKET", "no futures contract " + symbol);
        }
        return e;
    }

    private Market marketOrNull(String symbol) {
        MarketCatalog.Entry e = catalog.get(symbol);
        return e == null ? null : e.market();
    }

    private Future<Void> publicLimit(RoutingContext rc, int weight) {
        return auth.limit(rc, "ip:" + rc.request().remoteAddress().host(), weight, 0);
    }

    private void account(RoutingContext rc) {
        respond(rc, () -> {
            String owner = futures();
            return auth.check(rc, Permission.PERMISSION_READ, 2, 0)
                    .compose(caller -> backends.unary(owner, FuturesServiceGrpcClient.GetAccount,
                            AccountRequest.newBuilder().setAccountId(caller.accountId()).build()))
                    .map(a -> FuturesJson.account(a, Math.max(0, catalog.decimals(a.getAsset())), this::marketOrNull));
        });
    }

    private void positions(RoutingContext rc) {
        callerRead(rc, (account, market) -> backends.unary(futures(), FuturesServiceGrpcClient.GetPositions,
                        PositionsRequest.newBuilder().setAccountId(account).setMarket(market).build())
                .map(list -> each(list.getPositionsList(), Position::getMarket, FuturesJson::position)));
    }

    private void conditionalOrders(RoutingContext rc) {
        callerRead(rc, (account, market) -> backends.unary(futures(), FuturesServiceGrpcClient.ListConditionalOrders,
                        ConditionalOrdersRequest.newBuilder().setAccountId(account).setMarket(market).build())
                .map(list -> each(list.getOrdersList(), o -> o.getOrder().getMarket(), FuturesJson::conditional)));
    }

    /** A signed read of the caller's futures state, for one contract when {@code market} is given (404 if unknown). */
    private void callerRead(RoutingContext rc, BiFunction<Long, String, Future<JsonArray>> read) {
        respond(rc, () -> {
            String market = rc.queryParams().get("market");
            if (market != null) {
                contract(market);
            }
            return auth.check(rc, Permission.PERMISSION_READ, 1, 0)
                    .compose(caller -> read.apply(caller.accountId(), market == null ? "" : market));
        });
    }

    /** Each item as JSON at its contract's scales; items of a contract this replica does not know yet are left out. */
    private <T> JsonArray each(List<T> items, Function<T, String> market, BiFunction<T, Market, JsonObject> json) {
        JsonArray out = new JsonArray();
        for (T item : items) {
            Market m = marketOrNull(market.apply(item));
            if (m != null) {
                out.add(json.apply(item, m));
            }
        }
        return out;
    }

    private void marginMode(RoutingContext rc) {
        respond(rc, () -> {
            JsonObject body = rc.body().asJsonObject();
            MarketCatalog.Entry m = contract(body.getString("market"));
            boolean isolated = "ISOLATED".equals(body.getString("mode"));
            return auth.check(rc, Permission.PERMISSION_TRADE, 1, 0)
                    .compose(caller -> backends.unary(m.endpoint(), FuturesServiceGrpcClient.SetMarginMode,
                            SetMarginModeRequest.newBuilder().setAccountId(caller.accountId())
                                    .setMarket(m.market().getSymbol()).setIsolated(isolated).build()))
                    .map(r -> margin(r, m.market()));
        });
    }

    private void adjustMargin(RoutingContext rc) {
        respond(rc, () -> {
            JsonObject body = rc.body().asJsonObject();
            MarketCatalog.Entry m = contract(body.getString("market"));
            long amount = Amounts.parse(catalog, m.market().getQuote().getSymbol(), body.getString("amount"));
            if (amount <= 0) {
                throw ApiError.badRequest("INVALID_AMOUNT", "amount must be positive");
            }
            long signed = "REMOVE".equals(body.getString("action")) ? -amount : amount;
            return auth.check(rc, Permission.PERMISSION_TRADE, 1, 0)
                    .compose(caller -> backends.unary(m.endpoint(), FuturesServiceGrpcClient.AdjustMargin,
                            AdjustMarginRequest.newBuilder().setAccountId(caller.accountId())
                                    .setMarket(m.market().getSymbol()).setAmount(signed).build()))
                    .map(r -> margin(r, m.market()));
        });
    }

    private static JsonObject margin(MarginReply r, Market m) {
        if (!r.getAccepted()) {
            throw ApiError.badRequest(r.getRejectReason(), "refused: " + r.getRejectReason());
        }
        return new JsonObject().put("market", r.getMarket()).put("mode", r.getIsolated() ? "ISOLATED" : "CROSS")
                .put("isolatedMargin", Decimals.format(r.getIsolatedMargin(), m.getQuote().getDecimals()));
    }

    private void leverage(RoutingContext rc) {
        respond(rc, () -> {
            JsonObject body = rc.body().asJsonObject();
            MarketCatalog.Entry m = contract(body.getString("market"));
            int leverage = body.getInteger("leverage");
            return auth.check(rc, Permission.PERMISSION_TRADE, 1, 0)
                    .compose(caller -> backends.unary(m.endpoint(), FuturesServiceGrpcClient.SetLeverage,
                            SetLeverageRequest.newBuilder().setAccountId(caller.accountId())
                                    .setMarket(m.market().getSymbol()).setLeverage(leverage).build()))
                    .map(r -> {
                        if (!r.getAccepted()) {
                            throw ApiError.badRequest(r.getRejectReason(), "leverage " + leverage + " refused: "
                                    + r.getRejectReason());
                        }
                        return new JsonObject().put("market", r.getMarket()).put("leverage", r.getLeverage())
                                .put("maxNotional", Decimals.format(r.getMaxNotional(),
                                        m.market().getQuote().getDecimals()));
                    });
        });
    }

    private void mark(RoutingContext rc) {
        respond(rc, () -> {
            MarketCatalog.Entry m = contract(rc.pathParam("market"));
            return publicLimit(rc, 1)
                    .compose(v -> backends.unary(m.endpoint(), FuturesServiceGrpcClient.GetMarkPrice,
                            MarkPriceRequest.newBuilder().setMarket(m.market().getSymbol()).build()))
                    .map(p -> FuturesJson.mark(p, m.market()));
        });
    }

    private void funding(RoutingContext rc) {
        respond(rc, () -> {
            MarketCatalog.Entry m = contract(rc.pathParam("market"));
            return publicLimit(rc, 1)
                    .compose(v -> backends.unary(m.endpoint(), FuturesServiceGrpcClient.GetFundingHistory,
                            FundingRequest.newBuilder().setMarket(m.market().getSymbol())
                                    .setLimit(Params.limit(rc)).build()))
                    .map(h -> {
                        JsonArray out = new JsonArray();
                        h.getEventsList().forEach(e -> out.add(FuturesJson.funding(e, m.market())));
                        return out;
                    });
        });
    }

    private void insurance(RoutingContext rc) {
        respond(rc, () -> {
            String owner = futures();
            return publicLimit(rc, 1)
                    .compose(v -> backends.unary(owner, FuturesServiceGrpcClient.GetInsuranceFund,
                            InsuranceFundRequest.getDefaultInstance()))
                    .map(f -> {
                        int d = Math.max(0, catalog.decimals(f.getAsset()));
                        return new JsonObject().put("asset", f.getAsset())
                                .put("balance", Decimals.format(f.getBalance(), d))
                                .put("deficits", Decimals.format(f.getDeficits(), d));
                    });
        });
    }
}
