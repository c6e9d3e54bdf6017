package io.trademesh.gateway.api;

import io.trademesh.gateway.config.GatewayConfig;
import io.trademesh.gateway.routing.Backends;
import io.trademesh.gateway.routing.MarketCatalog;
import io.trademesh.gateway.routing.ServiceEndpoints;
import io.trademesh.gateway.routing.ServiceRefusal;
import io.trademesh.proto.common.Asset;
import io.trademesh.proto.common.Market;
import io.trademesh.proto.common.MatchingMode;
import io.trademesh.proto.common.Order;
import io.trademesh.proto.common.Product;
import io.trademesh.proto.risk.AccountLimits;
import io.trademesh.proto.risk.CreateAccountRequest;
import io.trademesh.proto.risk.CreateApiKeyRequest;
import io.trademesh.proto.risk.FundingRequest;
import io.trademesh.proto.risk.GetTransferRequest;
import io.trademesh.proto.risk.IndexPrice;
import io.trademesh.proto.risk.ListTransfersRequest;
import io.trademesh.proto.risk.Permission;
import io.trademesh.proto.risk.PortfolioRequest;
import io.trademesh.proto.risk.RevokeApiKeyRequest;
import io.trademesh.proto.risk.SetIndexPriceRequest;
import io.trademesh.proto.risk.SetLimitsRequest;
import io.trademesh.proto.risk.SuspendAccountRequest;
import io.trademesh.proto.risk.Transfer;
import io.trademesh.proto.risk.TransferRequest;
import io.trademesh.proto.wallet.Wallet;
import io.trademesh.proto.trading.AmendOrderRequest;
import io.trademesh.platform.errors.ReasonCategory;
import io.trademesh.platform.errors.Refusals;
import io.trademesh.proto.wallet.BalancesRequest;
import io.trademesh.proto.wallet.AssetTotals;
import io.trademesh.proto.risk.AssetAudit;
import io.trademesh.proto.risk.AuditReport;
import io.trademesh.proto.risk.AuditRequest;
import io.trademesh.proto.risk.ProductHoldings;
import io.trademesh.proto.trading.BookRequest;
import io.trademesh.proto.trading.CancelAllRequest;
import io.trademesh.proto.trading.CancelOrderRequest;
import io.trademesh.proto.spot.CreateMarketRequest;
import io.trademesh.proto.trading.GetOrderRequest;
import io.trademesh.proto.trading.ListOrdersRequest;
import io.trademesh.proto.trading.OrderReply;
import io.trademesh.proto.trading.TickerRequest;
import io.trademesh.proto.trading.TradesRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.validation.ValidatorException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The REST API under /v1, built from the OpenAPI contract ({@code openapi.yaml}, also
 * served at /v1/openapi.yaml): the contract's validation runs first, so a request that
 * does not match it never reaches a handler. Route table: {@link #bind}.
 */
public final class RestApi {

    private static final Logger LOG = Logger.getLogger(RestApi.class.getName());
    public static final String OPERATOR_HEADER = "X-OPERATOR-TOKEN";

    private final GatewayConfig config;
    private final MarketCatalog catalog;
    private final Backends backends;
    private final ServiceEndpoints services;
    private final RequestAuth auth;
    /** The most orders one batch request may carry (the contract's OrderBatch and orderIds). */
    static final int MAX_BATCH = 20;
    private static final java.util.regex.Pattern ORDER_IDS =
            java.util.regex.Pattern.compile("[0-9]{1,20}(,[0-9]{1,20}){0," + (MAX_BATCH - 1) + "}");
    private static final java.util.regex.Pattern ORDER_REF =
            java.util.regex.Pattern.compile("^([0-9]{1,19}|c:[A-Za-z0-9._:-]{1,64})$");

    public RestApi(GatewayConfig config, MarketCatalog catalog, Backends backends, ServiceEndpoints services,
                   RequestAuth auth) {
        this.config = config;
        this.catalog = catalog;
        this.backends = backends;
        this.services = services;
        this.auth = auth;
    }

    /** Builds the contract's router and mounts it, and the contract itself, on {@code router}. */
    public Future<Void> mount(Vertx vertx, Router router, String contractText) {
        router.get("/v1/openapi.yaml").handler(rc -> rc.response()
                .putHeader("content-type", "application/yaml").end(contractText));
        return OpenAPIContract.from(vertx, "openapi.yaml").map(contract -> {
            RouterBuilder builder = RouterBuilder.create(vertx, contract, RequestExtractor.withBodyHandler());
            builder.rootHandler(BodyHandler.create(false).setBodyLimit(config.maxBodyBytes()));
            // The order hot path is checked against the same contract by hand (NewOrderShape, kept
            // equal to the schema by a property test): the router's own check builds a validator
            // per request and runs it as ordered blocking work, which capped the gateway near 1.5k
            // orders/s, and even a validator built once took a third of its CPU (BENCHMARKS.md).
            builder.getRoute("placeOrder").setDoValidation(false);
            builder.getRoute("cancelOrder").setDoValidation(false);
            builder.getRoute("placeOrders").setDoValidation(false);
            builder.getRoute("cancelOrders").setDoValidation(false);
            bind(builder);
            Router api = builder.createRouter();
            api.route().failureHandler(this::failure);
            router.route("/*").subRouter(api); // the contract's paths carry /v1 themselves
            router.route("/v1/*").last().handler(rc -> error(rc, ApiError.notFound("NOT_FOUND", "no such endpoint: "
                    + rc.request().method() + " " + rc.request().path())));
            return null;
        });
    }

    private void bind(RouterBuilder b) {
        // Public market data (limited per client address).
        b.getRoute("listMarkets").addHandler(this::listMarkets);
        b.getRoute("getBook").addHandler(this::getBook);
        b.getRoute("getTicker").addHandler(this::getTicker);
        b.getRoute("getTrades").addHandler(this::getTrades);
        // Signed, per account.
        b.getRoute("placeOrder").addHandler(this::placeOrder);
        b.getRoute("amendOrder").addHandler(this::amendOrder);
        b.getRoute("cancelOrder").addHandler(this::cancelOrder);
        b.getRoute("cancelAllOrders").addHandler(this::cancelAll);
        b.getRoute("placeOrders").addHandler(this::placeOrders);
        b.getRoute("cancelOrders").addHandler(this::cancelOrders);
        b.getRoute("getOrder").addHandler(this::getOrder);
        b.getRoute("listOpenOrders").addHandler(this::listOpenOrders);
        b.getRoute("orderHistory").addHandler(this::orderHistory);
        b.getRoute("listFills").addHandler(this::listFills);
        b.getRoute("getBalances").addHandler(this::getBalances);
        b.getRoute("getPortfolio").addHandler(this::getPortfolio);
        b.getRoute("createTransfer").addHandler(this::createTransfer);
        b.getRoute("listTransfers").addHandler(this::listTransfers);
        b.getRoute("getTransfer").addHandler(this::getTransfer);
        // Operator.
        b.getRoute("adminCreateAccount").addHandler(this::adminCreateAccount);
        b.getRoute("adminSuspendAccount").addHandler(this::adminSuspendAccount);
        b.getRoute("adminCreateKey").addHandler(this::adminCreateKey);
        b.getRoute("adminRevokeKey").addHandler(this::adminRevokeKey);
        b.getRoute("adminSetLimits").addHandler(this::adminSetLimits);
        b.getRoute("adminDeposit").addHandler(rc -> adminFunding(rc, true));
        b.getRoute("adminWithdraw").addHandler(rc -> adminFunding(rc, false));
        b.getRoute("adminCreateMarket").addHandler(this::adminCreateMarket);
        b.getRoute("adminSetIndexPrice").addHandler(this::adminSetIndexPrice);
        b.getRoute("adminAudit").addHandler(this::adminAudit);
    }

    // ================================================================ responses

    private static void ok(RoutingContext rc, Object body) {
        if (!rc.response().ended()) {
            rc.response().putHeader("content-type", "application/json")
                    .end(body instanceof JsonObject j ? j.encode() : ((JsonArray) body).encode());
        }
    }

    /** Runs {@code work}, answering with its JSON or the error it ends in. */
    private static void respond(RoutingContext rc, Future<?> work) {
        work.onComplete(ar -> {
            if (ar.succeeded()) {
                ok(rc, ar.result());
            } else {
                error(rc, ar.cause());
            }
        });
    }

    /** Synchronous input errors (ApiError thrown while parsing) become responses too. */
    private static void guarded(RoutingContext rc, java.util.function.Supplier<Future<?>> work) {
        try {
            respond(rc, work.get());
        } catch (ApiError e) {
            error(rc, e);
        }
    }

    static void error(RoutingContext rc, Throwable t) {
        ApiError e = toApiError(t);
        if (e.status() >= 500) {
            LOG.log(Level.FINE, "request failed: " + rc.request().path(), t);
        }
        if (!rc.response().ended()) {
            rc.response().setStatusCode(e.status()).putHeader("content-type", "application/json")
                    .end(new JsonObject().put("code", e.code()).put("message", e.getMessage()).encode());
        }
    }

    /** The trader-facing error for a failure: its own if it is one, else by the service's status. */
    public static ApiError toApiError(Throwable t) {
        if (t instanceof ApiError e) {
            return e;
        }
        GrpcStatus st = Backends.statusOf(t);
        if (st == null) {
            return new ApiError(500, "INTERNAL", "internal error");
        }
        ReasonCategory refusal = Refusals.category(st);
        ApiError byStatus = refusal != null ? new ApiError(refusal.httpStatus(), refusal.name(), "refused by the service")
                : switch (st) {
                    case RESOURCE_EXHAUSTED -> new ApiError(429, "RATE_LIMITED", "the service is overloaded");
                    case PERMISSION_DENIED, UNAUTHENTICATED -> new ApiError(403, "PERMISSION_DENIED", "refused");
                    default -> ApiError.unavailable("the service failed: " + st.name());
                };
        // The order stream keeps the service's reason and message: pass them on with the status's HTTP code.
        return t instanceof ServiceRefusal r && r.reason() != null
                ? new ApiError(byStatus.status(), r.reason(), r.getMessage()) : byStatus;
    }

    private void failure(RoutingContext rc) {
        Throwable t = rc.failure();
        if (rc.statusCode() == 413) {
            error(rc, new ApiError(413, "BODY_TOO_LARGE", "request body exceeds " + config.maxBodyBytes() + " bytes"));
        } else if (t instanceof ValidatorException || rc.statusCode() == 400) {
            // The contract refused it: either the body is not JSON at all, or it does not match.
            error(rc, isJsonOrEmpty(rc) ? ApiError.badRequest("INVALID_REQUEST", t == null ? "invalid request"
                    : t.getMessage()) : ApiError.badRequest("MALFORMED_JSON", "the body is not valid JSON"));
        } else if (t != null) {
            error(rc, t);
        } else {
            error(rc, new ApiError(rc.statusCode() > 0 ? rc.statusCode() : 500, "ERROR", "request failed"));
        }
    }

    private static boolean isJsonOrEmpty(RoutingContext rc) {
        String body = rc.body() == null ? null : rc.body().asString();
        if (body == null || body.isBlank()) {
            return true;
        }
        try {
            io.vertx.core.json.Json.decodeValue(body);
            return true;
        } catch (io.vertx.core.json.DecodeException e) {
            return false;
        }
    }

    // ================================================================ public market data

    private Future<Void> publicLimit(RoutingContext rc, int weight) {
        return auth.limit(rc, "ip:" + rc.request().remoteAddress().host(), weight, 0);
    }

    private void listMarkets(RoutingContext rc) {
        respond(rc, publicLimit(rc, 1).map(v -> {
            JsonArray out = new JsonArray();
            catalog.all().stream().sorted((a, b) -> a.market().getSymbol().compareTo(b.market().getSymbol()))
                    .forEach(e -> out.add(Json.market(e.market())));
            return out;
        }));
    }

    private void getBook(RoutingContext rc) {
        guarded(rc, () -> {
            MarketCatalog.Entry m = catalog.require(rc.pathParam("market"));
            int depth = rc.queryParams().contains("depth") ? Integer.parseInt(rc.queryParams().get("depth")) : 50;
            return publicLimit(rc, depth > 100 ? 5 : 1).compose(v -> backends.call(m.endpoint(), e -> e.trading()
                            .getBook(BookRequest.newBuilder().setMarket(m.market().getSymbol()).setDepth(depth).build())))
                    .map(b -> Json.book(b, m.market()));
        });
    }

    private void getTicker(RoutingContext rc) {
        guarded(rc, () -> {
            MarketCatalog.Entry m = catalog.require(rc.pathParam("market"));
            return publicLimit(rc, 1).compose(v -> backends.call(m.endpoint(), e -> e.trading()
                            .getTicker(TickerRequest.newBuilder().setMarket(m.market().getSymbol()).build())))
                    .map(t -> Json.ticker(t, m.market()));
        });
    }

    private void getTrades(RoutingContext rc) {
        guarded(rc, () -> {
            MarketCatalog.Entry m = catalog.require(rc.pathParam("market"));
            return publicLimit(rc, 1).compose(v -> backends.call(m.endpoint(), e -> e.trading()
                            .getTrades(TradesRequest.newBuilder().setMarket(m.market().getSymbol())
                                    .setLimit(limit(rc)).build())))
                    .map(list -> {
                        JsonArray out = new JsonArray();
                        list.getTradesList().forEach(t -> out.add(Json.trade(t, m.market())));
                        return out;
                    });
        });
    }

    private static int limit(RoutingContext rc) {
        return rc.queryParams().contains("limit") ? Integer.parseInt(rc.queryParams().get("limit")) : 100;
    }

    // ================================================================ orders

    /** The body as a JSON object, or the refusal the contract's own check would give. */
    private static JsonObject jsonObjectBody(RoutingContext rc) {
        Object json;
        try {
            json = io.vertx.core.json.Json.decodeValue(rc.body().asString() == null ? "" : rc.body().asString());
        } catch (io.vertx.core.json.DecodeException e) {
            throw ApiError.badRequest("MALFORMED_JSON", "the body is not valid JSON");
        }
        if (!(json instanceof JsonObject body)) {
            throw ApiError.badRequest("INVALID_REQUEST", "the body must be a JSON object");
        }
        return body;
    }

    /** The body as a new order matching the contract (NewOrder). */
    private static JsonObject orderBody(RoutingContext rc) {
        JsonObject body = jsonObjectBody(rc);
        String bad = NewOrderShape.check(body);
        if (bad != null) {
            throw ApiError.badRequest("INVALID_REQUEST", "body: " + bad);
        }
        return body;
    }

    /** The body as a batch of new orders matching the contract (OrderBatch): 1 to 20 orders. */
    private static JsonArray orderBatchBody(RoutingContext rc) {
        JsonObject body = jsonObjectBody(rc);
        if (body.size() != 1 || !(body.getValue("orders") instanceof JsonArray orders)) {
            throw ApiError.badRequest("INVALID_REQUEST", "body: give {\"orders\": [...]} and nothing else");
        }
        if (orders.isEmpty() || orders.size() > MAX_BATCH) {
            throw ApiError.badRequest("INVALID_REQUEST", "body: orders holds 1 to " + MAX_BATCH + " orders");
        }
        for (int i = 0; i < orders.size(); i++) {
            String bad = orders.getValue(i) instanceof JsonObject o ? NewOrderShape.check(o) : "is not an object";
            if (bad != null) {
                throw ApiError.badRequest("INVALID_REQUEST", "body: orders[" + i + "]: " + bad);
            }
        }
        return orders;
    }

    /** One entry of a batch's answer: its result, or its refusal as {code, message}. */
    private static Future<JsonObject> batchItem(java.util.function.Supplier<Future<JsonObject>> work) {
        Future<JsonObject> f;
        try {
            f = work.get();
        } catch (ApiError e) {
            f = Future.failedFuture(e);
        }
        return f.recover(err -> {
            ApiError e = toApiError(err);
            return Future.succeededFuture(new JsonObject().put("code", e.code()).put("message", e.getMessage()));
        });
    }

    private static Future<JsonArray> batchAnswer(List<Future<JsonObject>> items) {
        return Future.all(items).map(all -> new JsonArray(all.list()));
    }

    private void placeOrder(RoutingContext rc) {
        guarded(rc, () -> {
            JsonObject body = orderBody(rc);
            MarketCatalog.Entry m = catalog.require(body.getString("market"));
            return auth.check(rc, Permission.PERMISSION_TRADE, 1, 1).compose(caller -> {
                var request = OrderInput.placeOrder(caller.accountId(), body, m.market());
                return backends.call(m.endpoint(), e -> e.orders().place(request));
            }).map(reply -> orderReply(reply, m.market()));
        });
    }

    /** An accepted order (or the existing one for a repeated client order id), or the refusal's code. */
    private static JsonObject orderReply(OrderReply reply, Market m) {
        if (!reply.getAccepted() && !reply.getDuplicate()) {
            throw ApiError.refused(reply);
        }
        JsonObject out = Json.order(reply.getOrder(), m);
        JsonArray fills = new JsonArray();
        reply.getFillsList().forEach(f -> fills.add(Json.fill(f, m)));
        out.put("fills", fills);
        if (reply.getDuplicate()) {
            out.put("duplicate", true);
        }
        return out;
    }

    /** The order named in the path: a number, or "c:" and a client order id. */
    private static long[] orderRef(String ref) {
        return ref.startsWith("c:") ? new long[] {0} : new long[] {Long.parseUnsignedLong(ref)};
    }

    private static String clientRef(String ref) {
        return ref.startsWith("c:") ? ref.substring(2) : "";
    }

    private void amendOrder(RoutingContext rc) {
        guarded(rc, () -> {
            JsonObject body = rc.body().asJsonObject();
            MarketCatalog.Entry m = catalog.require(body.getString("market"));
            if (!body.containsKey("price") && !body.containsKey("quantity")) {
                throw ApiError.badRequest("INVALID_AMEND", "give a new price or quantity");
            }
            String ref = rc.pathParam("orderId");
            long price = body.containsKey("price") ? OrderInput.price(body.getString("price"), m.market()) : 0;
            long qty = body.containsKey("quantity") ? OrderInput.quantity(body.getString("quantity"), m.market()) : 0;
            return auth.check(rc, Permission.PERMISSION_TRADE, 1, 1).compose(caller -> backends.call(m.endpoint(),
                    e -> e.orders().amend(AmendOrderRequest.newBuilder().setAccountId(caller.accountId())
                            .setMarket(m.market().getSymbol()).setOrderId(orderRef(ref)[0])
                            .setClientOrderId(clientRef(ref)).setNewPrice(price).setNewQuantity(qty).build())))
                    .map(reply -> orderReply(reply, m.market()));
        });
    }

    private void cancelOrder(RoutingContext rc) {
        guarded(rc, () -> {
            String ref = rc.pathParam("orderId");
            if (!ORDER_REF.matcher(ref).matches()) {
                throw ApiError.badRequest("INVALID_REQUEST", "orderId is a number or c:<clientOrderId>");
            }
            if (rc.queryParams().get("market") == null) {
                throw ApiError.badRequest("INVALID_REQUEST", "query parameter market is required");
            }
            MarketCatalog.Entry m = catalog.require(rc.queryParams().get("market"));
            return auth.check(rc, Permission.PERMISSION_TRADE, 1, 0).compose(caller -> backends.call(m.endpoint(),
                    e -> e.orders().cancel(CancelOrderRequest.newBuilder().setAccountId(caller.accountId())
                            .setMarket(m.market().getSymbol()).setOrderId(orderRef(ref)[0])
                            .setClientOrderId(clientRef(ref)).build())))
                    .map(reply -> orderReply(reply, m.market()));
        });
    }

    /** Several orders, each placed (or refused) on its own, answered together in order. */
    private void placeOrders(RoutingContext rc) {
        guarded(rc, () -> {
            JsonArray orders = orderBatchBody(rc);
            return auth.check(rc, Permission.PERMISSION_TRADE, orders.size(), orders.size()).compose(caller -> {
                List<Future<JsonObject>> items = new ArrayList<>(orders.size());
                for (int i = 0; i < orders.size(); i++) {
                    JsonObject o = orders.getJsonObject(i);
                    items.add(batchItem(() -> {
                        MarketCatalog.Entry m = catalog.require(o.getString("market"));
                        var request = OrderInput.placeOrder(caller.accountId(), o, m.market());
                        return backends.call(m.endpoint(), e -> e.orders().place(request))
                                .map(reply -> orderReply(reply, m.market()));
                    }));
                }
                return batchAnswer(items);
            });
        });
    }

    /** Several orders of one market, each cancelled (or refused) on its own, answered together in order. */
    private void cancelOrders(RoutingContext rc) {
        guarded(rc, () -> {
            String market = rc.queryParams().get("market");
            String ids = rc.queryParams().get("orderIds");
            if (market == null || ids == null || !ORDER_IDS.matcher(ids).matches()) {
                throw ApiError.badRequest("INVALID_REQUEST", "query parameters market and orderIds (1 to "
                        + MAX_BATCH + " comma-separated order ids) are required");
            }
            MarketCatalog.Entry m = catalog.require(market);
            String[] list = ids.split(",");
            return auth.check(rc, Permission.PERMISSION_TRADE, list.length, 0).compose(caller -> {
                List<Future<JsonObject>> items = new ArrayList<>(list.length);
                for (String id : list) {
                    items.add(batchItem(() -> {
                        long orderId;
                        try {
                            orderId = Long.parseUnsignedLong(id);
                        } catch (NumberFormatException e) {
                            throw ApiError.badRequest("INVALID_ORDER_ID", "order id " + id + " is out of range");
                        }
                        return backends.call(m.endpoint(), e -> e.orders().cancel(CancelOrderRequest.newBuilder()
                                        .setAccountId(caller.accountId()).setMarket(m.market().getSymbol())
                                        .setOrderId(orderId).build()))
                                .map(reply -> orderReply(reply, m.market()));
                    }));
                }
                return batchAnswer(items);
            });
        });
    }

    private void cancelAll(RoutingContext rc) {
        guarded(rc, () -> {
            String market = rc.queryParams().get("market");
            MarketCatalog.Entry m = market == null ? null : catalog.require(market);
            String endpoint = m != null ? m.endpoint() : services.require("spot-service");
            return auth.check(rc, Permission.PERMISSION_TRADE, 1, 0).compose(caller -> backends.call(endpoint,
                    e -> e.trading().cancelAll(CancelAllRequest.newBuilder().setAccountId(caller.accountId())
                            .setMarket(market == null ? "" : market).build())))
                    .map(reply -> {
                        JsonArray ids = new JsonArray();
                        reply.getCancelledOrderIdsList().forEach(id -> ids.add(Long.toString(id)));
                        return new JsonObject().put("cancelled", ids);
                    });
        });
    }

    private void getOrder(RoutingContext rc) {
        guarded(rc, () -> {
            MarketCatalog.Entry m = catalog.require(rc.queryParams().get("market"));
            String ref = rc.pathParam("orderId");
            return auth.check(rc, Permission.PERMISSION_READ, 1, 0).compose(caller -> backends.call(m.endpoint(),
                    e -> e.trading().getOrder(GetOrderRequest.newBuilder().setAccountId(caller.accountId())
                            .setMarket(m.market().getSymbol()).setOrderId(orderRef(ref)[0])
                            .setClientOrderId(clientRef(ref)).build())))
                    .recover(err -> Future.failedFuture(Backends.statusOf(err) == GrpcStatus.NOT_FOUND
                            ? ApiError.notFound("UNKNOWN_ORDER", "no such order of this account") : err))
                    .map((Order o) -> Json.order(o, m.market()));
        });
    }

    private void listOpenOrders(RoutingContext rc) {
        listOrders(rc, 5, (e, r) -> e.trading().listOpenOrders(r));
    }

    private void orderHistory(RoutingContext rc) {
        listOrders(rc, 5, (e, r) -> e.trading().orderHistory(r));
    }

    private void listOrders(RoutingContext rc, int weight,
                            java.util.function.BiFunction<Backends.Endpoint, ListOrdersRequest,
                                    Future<io.trademesh.proto.trading.OrderList>> call) {
        guarded(rc, () -> {
            String market = rc.queryParams().get("market");
            if (market != null) {
                catalog.require(market);
            }
            String endpoint = market != null ? catalog.require(market).endpoint() : services.require("spot-service");
            return auth.check(rc, Permission.PERMISSION_READ, weight, 0).compose(caller -> backends.call(endpoint,
                    e -> call.apply(e, ListOrdersRequest.newBuilder().setAccountId(caller.accountId())
                            .setMarket(market == null ? "" : market).setLimit(limit(rc)).build())))
                    .map(list -> {
                        JsonArray out = new JsonArray();
                        list.getOrdersList().forEach(o -> {
                            MarketCatalog.Entry m = catalog.get(o.getMarket());
                            if (m != null) {
                                out.add(Json.order(o, m.market()));
                            }
                        });
                        return out;
                    });
        });
    }

    private void listFills(RoutingContext rc) {
        guarded(rc, () -> {
            String market = rc.queryParams().get("market");
            String endpoint = market != null ? catalog.require(market).endpoint() : services.require("spot-service");
            return auth.check(rc, Permission.PERMISSION_READ, 5, 0).compose(caller -> backends.call(endpoint,
                    e -> e.trading().listFills(ListOrdersRequest.newBuilder().setAccountId(caller.accountId())
                            .setMarket(market == null ? "" : market).setLimit(limit(rc)).build())))
                    .map(list -> {
                        JsonArray out = new JsonArray();
                        list.getFillsList().forEach(f -> {
                            MarketCatalog.Entry m = catalog.get(f.getMarket());
                            if (m != null) {
                                out.add(Json.fill(f, m.market()));
                            }
                        });
                        return out;
                    });
        });
    }

    // ================================================================ wallets and transfers

    private void getBalances(RoutingContext rc) {
        guarded(rc, () -> {
            String spot = services.require("spot-service");
            return auth.check(rc, Permission.PERMISSION_READ, 1, 0).compose(caller -> backends.call(spot,
                    e -> e.wallet().balances(BalancesRequest.newBuilder().setAccountId(caller.accountId()).build())))
                    .map(list -> {
                        JsonArray out = new JsonArray();
                        list.getBalancesList().forEach(b -> out.add(Json.balance(b, catalog.decimals(b.getAsset()))));
                        return out;
                    });
        });
    }

    private void getPortfolio(RoutingContext rc) {
        guarded(rc, () -> {
            String risk = services.require("risk-service");
            return auth.check(rc, Permission.PERMISSION_READ, 5, 0).compose(caller -> backends.call(risk,
                    e -> e.risk().getPortfolio(PortfolioRequest.newBuilder().setAccountId(caller.accountId()).build())))
                    .map(p -> {
                        JsonArray wallets = new JsonArray();
                        p.getWalletsList().forEach(w -> {
                            JsonArray balances = new JsonArray();
                            w.getBalancesList().forEach(b -> balances.add(Json.balance(b, catalog.decimals(b.getAsset()))));
                            wallets.add(new JsonObject().put("wallet", w.getWallet().name().substring("WALLET_".length()))
                                    .put("available", w.getAvailable()).put("balances", balances));
                        });
                        return new JsonObject().put("wallets", wallets);
                    });
        });
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

    private long amount(String asset, String text) {
        int decimals = catalog.decimals(asset);
        if (decimals < 0) {
            throw ApiError.badRequest("UNKNOWN_ASSET", "no market trades " + asset);
        }
        Long v = Decimals.parse(text, decimals);
        if (v == null || v <= 0) {
            throw ApiError.badRequest("INVALID_AMOUNT", "amount " + text + " must be positive with at most " + decimals
                    + " decimals");
        }
        return v;
    }

    private void createTransfer(RoutingContext rc) {
        guarded(rc, () -> {
            JsonObject body = rc.body().asJsonObject();
            String asset = body.getString("asset");
            long amount = amount(asset, body.getString("amount"));
            if (body.getString("from").equals(body.getString("to"))) {
                throw ApiError.badRequest("INVALID_TRANSFER", "from and to are the same wallet");
            }
            String risk = services.require("risk-service");
            return auth.check(rc, Permission.PERMISSION_TRANSFER, 1, 0).compose(caller -> backends.call(risk,
                    e -> e.risk().createTransfer(TransferRequest.newBuilder().setTransferId(body.getString("transferId"))
                            .setAccountId(caller.accountId()).setAsset(asset).setAmount(amount)
                            .setFrom(Wallet.valueOf("WALLET_" + body.getString("from")))
                            .setTo(Wallet.valueOf("WALLET_" + body.getString("to"))).build())))
                    .map(t -> transfer(t, catalog.decimals(asset)));
        });
    }

    private void getTransfer(RoutingContext rc) {
        guarded(rc, () -> {
            String risk = services.require("risk-service");
            return auth.check(rc, Permission.PERMISSION_READ, 1, 0).compose(caller -> backends.call(risk,
                    e -> e.risk().getTransfer(GetTransferRequest.newBuilder().setTransferId(rc.pathParam("transferId"))
                            .setAccountId(caller.accountId()).build())))
                    .recover(err -> Future.failedFuture(Backends.statusOf(err) == GrpcStatus.NOT_FOUND
                            ? ApiError.notFound("UNKNOWN_TRANSFER", "no such transfer of this account") : err))
                    .map(t -> transfer(t, catalog.decimals(t.getAsset())));
        });
    }

    private void listTransfers(RoutingContext rc) {
        guarded(rc, () -> {
            String risk = services.require("risk-service");
            return auth.check(rc, Permission.PERMISSION_READ, 5, 0).compose(caller -> backends.call(risk,
                    e -> e.risk().listTransfers(ListTransfersRequest.newBuilder().setAccountId(caller.accountId())
                            .setLimit(limit(rc)).build())))
                    .map(list -> {
                        JsonArray out = new JsonArray();
                        list.getTransfersList().forEach(t -> out.add(transfer(t, catalog.decimals(t.getAsset()))));
                        return out;
                    });
        });
    }

    // ================================================================ operator

    private Future<Void> operator(RoutingContext rc) {
        String token = rc.request().getHeader(OPERATOR_HEADER);
        boolean ok = token != null && MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                config.operatorToken().getBytes(StandardCharsets.UTF_8));
        if (!ok) {
            return Future.failedFuture(new ApiError(token == null ? 401 : 403, "OPERATOR_ONLY",
                    "header " + OPERATOR_HEADER + " with the operator token is required"));
        }
        return Future.succeededFuture();
    }

    private <T> void admin(RoutingContext rc, Function<Backends.Endpoint, Future<T>> call,
                           Function<T, Object> view) {
        guarded(rc, () -> operator(rc).compose(v -> backends.call(services.require("risk-service"), call)).map(view));
    }

    private static JsonObject account(io.trademesh.proto.risk.Account a) {
        return new JsonObject().put("accountId", a.getAccountId()).put("name", a.getName())
                .put("status", a.getStatus().name().substring("ACCOUNT_STATUS_".length()))
                .put("createdAt", a.getCreatedAtMs());
    }

    private void adminCreateAccount(RoutingContext rc) {
        JsonObject body = rc.body().asJsonObject();
        admin(rc, e -> e.risk().createAccount(CreateAccountRequest.newBuilder().setName(body.getString("name")).build()),
                RestApi::account);
    }

    private void adminSuspendAccount(RoutingContext rc) {
        JsonObject body = rc.body().asJsonObject();
        admin(rc, e -> e.risk().suspendAccount(SuspendAccountRequest.newBuilder()
                        .setAccountId(Long.parseLong(rc.pathParam("accountId")))
                        .setSuspended(body.getBoolean("suspended")).build()),
                RestApi::account);
    }

    private static JsonObject key(io.trademesh.proto.risk.ApiKey k) {
        JsonArray permissions = new JsonArray();
        k.getPermissionsList().forEach(p -> permissions.add(p.name().substring("PERMISSION_".length())
                .toLowerCase(java.util.Locale.ROOT)));
        return new JsonObject().put("apiKey", k.getApiKey()).put("accountId", k.getAccountId())
                .put("permissions", permissions).put("ipAllowlist", new JsonArray(k.getIpAllowlistList()))
                .put("revoked", k.getRevoked()).put("label", k.getLabel());
    }

    private void adminCreateKey(RoutingContext rc) {
        JsonObject body = rc.body().asJsonObject();
        CreateApiKeyRequest.Builder b = CreateApiKeyRequest.newBuilder()
                .setAccountId(Long.parseLong(rc.pathParam("accountId"))).setLabel(body.getString("label", ""));
        body.getJsonArray("permissions").forEach(p -> b.addPermissions(Permission.valueOf("PERMISSION_"
                + p.toString().toUpperCase(java.util.Locale.ROOT))));
        JsonArray ips = body.getJsonArray("ipAllowlist", new JsonArray());
        ips.forEach(ip -> b.addIpAllowlist(ip.toString()));
        admin(rc, e -> e.risk().createApiKey(b.build()),
                reply -> key(reply.getKey()).put("secret", reply.getSecret()));
    }

    private void adminRevokeKey(RoutingContext rc) {
        admin(rc, e -> e.risk().revokeApiKey(RevokeApiKeyRequest.newBuilder().setApiKey(rc.pathParam("apiKey")).build()),
                RestApi::key);
    }

    /** The notional cap is a decimal amount of {@code notionalAsset}, which a market must name. */
    private void adminSetLimits(RoutingContext rc) {
        guarded(rc, () -> operator(rc).compose(v -> {
            JsonObject body = rc.body().asJsonObject();
            String asset = body.getString("notionalAsset", "");
            String notional = body.getString("maxOrderNotional");
            // "0" (or none) is no cap; the contract has checked it is a decimal.
            long cap = notional == null || new java.math.BigDecimal(notional).signum() == 0 ? 0
                    : amount(asset, notional);
            long account;
            try {
                account = Long.parseLong(rc.pathParam("accountId"));
            } catch (NumberFormatException e) {
                throw ApiError.badRequest("INVALID_ACCOUNT", "accountId is not an account number");
            }
            AccountLimits limits = AccountLimits.newBuilder()
                    .setAccountId(account)
                    .setMaxOpenOrders(body.getInteger("maxOpenOrders", 0))
                    .setMaxOrderNotional(cap)
                    .setNotionalAsset(cap > 0 ? asset : "")
                    .setKillSwitch(body.getBoolean("killSwitch", false)).build();
            return backends.call(services.require("risk-service"),
                    e -> e.risk().setLimits(SetLimitsRequest.newBuilder().setLimits(limits).build()));
        }).map(l -> new JsonObject().put("accountId", l.getAccountId()).put("maxOpenOrders", l.getMaxOpenOrders())
                .put("maxOrderNotional", Decimals.format(l.getMaxOrderNotional(),
                        Math.max(0, catalog.decimals(l.getNotionalAsset()))))
                .put("notionalAsset", l.getNotionalAsset()).put("killSwitch", l.getKillSwitch())));
    }

    private void adminFunding(RoutingContext rc, boolean deposit) {
        guarded(rc, () -> {
            JsonObject body = rc.body().asJsonObject();
            String asset = body.getString("asset");
            long amount = amount(asset, body.getString("amount"));
            FundingRequest request = FundingRequest.newBuilder().setOperationId(body.getString("operationId"))
                    .setAccountId(body.getLong("accountId")).setAsset(asset).setAmount(amount).build();
            return operator(rc).compose(v -> backends.call(services.require("risk-service"),
                    e -> deposit ? e.risk().deposit(request) : e.risk().withdraw(request))).map(reply -> {
                        if (!reply.getApplied()) {
                            throw ApiError.badRequest(reply.getRejectReason(), (deposit ? "deposit" : "withdrawal")
                                    + " refused: " + reply.getRejectReason());
                        }
                        return Json.balance(reply.getBalance(), catalog.decimals(asset))
                                .put("duplicate", reply.getDuplicate());
                    });
        });
    }

    private void adminCreateMarket(RoutingContext rc) {
        guarded(rc, () -> {
            JsonObject j = rc.body().asJsonObject();
            int ps = j.getInteger("priceScale");
            int bd = j.getInteger("baseDecimals");
            int qd = j.getInteger("quoteDecimals");
            Market market = Market.newBuilder()
                    .setSymbol(j.getString("symbol")).setProduct(Product.PRODUCT_SPOT)
                    .setBase(Asset.newBuilder().setSymbol(j.getString("base")).setDecimals(bd))
                    .setQuote(Asset.newBuilder().setSymbol(j.getString("quote")).setDecimals(qd))
                    .setPriceScale(ps)
                    .setTickSize(units(j, "tickSize", ps, 0))
                    .setLotSize(units(j, "lotSize", bd, 0))
                    .setMinQuantity(units(j, "minQuantity", bd, units(j, "lotSize", bd, 0)))
                    .setMaxQuantity(units(j, "maxQuantity", bd, 0))
                    .setMaxPrice(units(j, "maxPrice", ps, 0))
                    .setMinNotional(units(j, "minNotional", qd, 0))
                    .setMakerFeeBps(j.getInteger("makerFeeBps", 0))
                    .setTakerFeeBps(j.getInteger("takerFeeBps", 0))
                    .setPriceBandBps(j.getInteger("priceBandBps", 0))
                    .setMaxOpenOrdersPerAccount(j.getInteger("maxOpenOrdersPerAccount", 1000))
                    .setMatchingMode(j.getLong("auctionIntervalMs", 0L) > 0 ? MatchingMode.MATCHING_MODE_AUCTION
                            : MatchingMode.MATCHING_MODE_CONTINUOUS)
                    .setAuctionIntervalMs(j.getLong("auctionIntervalMs", 0L))
                    .build();
            if (market.getMaxQuantity() == 0 || market.getMaxPrice() == 0) {
                throw ApiError.badRequest("INVALID_MARKET", "maxQuantity and maxPrice are required");
            }
            if (Math.multiplyHigh(market.getMaxPrice(), market.getMaxQuantity()) != 0
                    || market.getMaxPrice() * market.getMaxQuantity() < 0) {
                throw ApiError.badRequest("INVALID_MARKET", "maxPrice x maxQuantity, in units, must fit in 63 bits:"
                        + " lower one of them");
            }
            int exp = ps + bd - qd;
            long divisor = exp < 0 || exp > 18 ? -1 : (long) Math.pow(10, exp);
            if (divisor <= 0 || market.getTickSize() <= 0 || market.getLotSize() <= 0
                    || (market.getTickSize() * market.getLotSize()) % divisor != 0) {
                throw ApiError.badRequest("INVALID_MARKET", "tickSize x lotSize must be a multiple of one quote unit"
                        + " (10^(priceScale + baseDecimals - quoteDecimals) in units), so that every trade's value"
                        + " is exact");
            }
            String spot = services.require("spot-service");
            return operator(rc).compose(v -> backends.call(spot, e -> e.spot().createMarket(
                            CreateMarketRequest.newBuilder().setMarket(market).build())))
                    .recover(err -> Future.failedFuture(switch (Backends.statusOf(err) == null ? GrpcStatus.OK
                            : Backends.statusOf(err)) {
                        case ALREADY_EXISTS -> new ApiError(409, "MARKET_EXISTS", "market " + market.getSymbol()
                                + " exists");
                        case INVALID_ARGUMENT -> ApiError.badRequest("INVALID_MARKET", "tick, lot, decimals, price"
                                + " scale, fees or limits are inconsistent");
                        default -> err;
                    }))
                    .map(reply -> {
                        catalog.put(reply.getMarket(), reply.getLocation().getGrpcEndpoint());
                        return Json.market(reply.getMarket());
                    });
        });
    }

    private static long units(JsonObject j, String field, int scale, long dflt) {
        if (!j.containsKey(field)) {
            return dflt;
        }
        Long v = Decimals.parse(j.getString(field), scale);
        if (v == null) {
            throw ApiError.badRequest("INVALID_MARKET", field + " has more decimals than its scale " + scale);
        }
        return v;
    }

    private void adminSetIndexPrice(RoutingContext rc) {
        guarded(rc, () -> {
            JsonObject j = rc.body().asJsonObject();
            String asset = j.getString("asset");
            String quote = j.getString("quote");
            MarketCatalog.Entry m = catalog.get(asset + "-" + quote);
            int scale = m != null ? m.market().getPriceScale() : 8;
            Long price = Decimals.parse(j.getString("price"), scale);
            if (price == null || price <= 0) {
                throw ApiError.badRequest("INVALID_PRICE", "price must be positive with at most " + scale + " decimals");
            }
            IndexPrice p = IndexPrice.newBuilder().setAsset(asset).setQuote(quote).setPrice(price)
                    .setPriceScale(scale).setSource("operator").setTimestampMs(System.currentTimeMillis()).build();
            return operator(rc).compose(v -> backends.call(services.require("risk-service"),
                    e -> e.risk().setIndexPrice(SetIndexPriceRequest.newBuilder().setPrice(p).build())))
                    .map(r -> new JsonObject().put("asset", r.getAsset()).put("quote", r.getQuote())
                            .put("price", Decimals.format(r.getPrice(), r.getPriceScale())).put("source", r.getSource()));
        });
    }

    private void adminAudit(RoutingContext rc) {
        admin(rc, e -> e.risk().audit(AuditRequest.getDefaultInstance()), this::audit);
    }

    /** The audit as JSON; amounts as decimals of their asset where a market names it, else in units. */
    private JsonObject audit(AuditReport r) {
        JsonArray assets = new JsonArray();
        for (AssetAudit a : r.getAssetsList()) {
            int d = Math.max(0, catalog.decimals(a.getAsset()));
            JsonObject products = new JsonObject();
            for (ProductHoldings p : a.getProductsList()) {
                AssetTotals t = p.getTotals();
                products.put(p.getWallet().name().substring("WALLET_".length()), new JsonObject()
                        .put("available", Decimals.format(t.getAvailable(), d))
                        .put("locked", Decimals.format(t.getLocked(), d))
                        .put("fees", Decimals.format(t.getFees(), d))
                        .put("insurance", Decimals.format(t.getInsurance(), d))
                        .put("reserves", Decimals.format(t.getReserves(), d))
                        .put("deficits", Decimals.format(t.getDeficits(), d)));
            }
            assets.add(new JsonObject().put("asset", a.getAsset())
                    .put("deposited", Decimals.format(a.getDeposited(), d))
                    .put("withdrawn", Decimals.format(a.getWithdrawn(), d))
                    .put("funding", Decimals.format(a.getFunding(), d))
                    .put("products", products)
                    .put("inFlight", Decimals.format(a.getInFlight(), d))
                    .put("difference", Decimals.format(a.getDifference(), d)));
        }
        JsonArray missing = new JsonArray();
        r.getMissingList().forEach(w -> missing.add(w.name().substring("WALLET_".length())));
        return new JsonObject().put("auditedAt", r.getAuditedAtMs()).put("complete", r.getComplete())
                .put("balanced", r.getBalanced()).put("missing", missing)
                .put("transfersInFlight", r.getTransfersInFlight()).put("assets", assets);
    }
}
