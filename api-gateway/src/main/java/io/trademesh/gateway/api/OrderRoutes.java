package io.trademesh.gateway.api;

import static io.trademesh.gateway.api.Responses.respond;

import io.trademesh.gateway.routing.Backends;
import io.trademesh.gateway.routing.MarketCatalog;
import io.trademesh.proto.common.Fill;
import io.trademesh.proto.common.Order;
import io.trademesh.proto.risk.Permission;
import io.trademesh.proto.trading.AmendOrderRequest;
import io.trademesh.proto.trading.CancelAllReply;
import io.trademesh.proto.trading.CancelAllRequest;
import io.trademesh.proto.trading.CancelOrderRequest;
import io.trademesh.proto.trading.GetOrderRequest;
import io.trademesh.proto.trading.ListOrdersRequest;
import io.trademesh.proto.trading.OrderEntryGrpcClient;
import io.trademesh.proto.trading.OrderList;
import io.trademesh.proto.trading.FillList;
import io.trademesh.proto.common.Market;
import io.trademesh.proto.trading.PlaceOrderRequest;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Order entry and an account's orders and fills, for any order-book product: each request
 * goes to the owner of its market; one without a market goes to every product service
 * that has markets, and the answers are merged.
 */
final class OrderRoutes {

    /** The most orders one batch request may carry (the contract's OrderBatch and orderIds). */
    static final int MAX_BATCH = 20;

    private final MarketCatalog catalog;
    private final Backends backends;
    private final RequestAuth auth;

    OrderRoutes(MarketCatalog catalog, Backends backends, RequestAuth auth) {
        this.catalog = catalog;
        this.backends = backends;
        this.auth = auth;
    }

    /**
     * The order-entry routes a trader sends most, on the gateway's own router ahead of the
     * contract's: the contract's router tries its routes in its own order (paths without
     * parameters first, then alphabetically), and as a mounted sub-router each try builds the
     * full path and a regular-expression matcher, about fifty tries and a quarter of what the
     * gateway allocates per order (BENCHMARKS.md). The checks are the same as there: the body
     * limit, {@code guard}, then each handler's hand check (these four skip the contract's
     * validator anyway). {@link #bind} still binds them in the contract's router too, which
     * answers them the same way should a request reach it.
     */
    void bindAhead(Router router, Handler<RoutingContext> body, Handler<RoutingContext> guard) {
        router.post("/v1/orders").handler(body).handler(guard).handler(this::placeOrder);
        router.post("/v1/orders/batch").handler(body).handler(guard).handler(this::placeOrders);
        // before "/v1/orders/:orderId", which would take "batch" for an order id
        router.delete("/v1/orders/batch").handler(body).handler(guard).handler(this::cancelOrders);
        router.delete("/v1/orders/:orderId").handler(body).handler(guard).handler(this::cancelOrder);
    }

    void bind(RouterBuilder b) {
        b.getRoute("placeOrder").addHandler(this::placeOrder);
        b.getRoute("amendOrder").addHandler(this::amendOrder);
        b.getRoute("cancelOrder").addHandler(this::cancelOrder);
        b.getRoute("cancelAllOrders").addHandler(this::cancelAll);
        b.getRoute("placeOrders").addHandler(this::placeOrders);
        b.getRoute("cancelOrders").addHandler(this::cancelOrders);
        b.getRoute("getOrder").addHandler(this::getOrder);
        b.getRoute("listOpenOrders").addHandler(rc -> listOrders(rc, OrderEntryGrpcClient.ListOpenOrders));
        b.getRoute("orderHistory").addHandler(rc -> listOrders(rc, OrderEntryGrpcClient.OrderHistory));
        b.getRoute("listFills").addHandler(this::listFills);
    }

    // ---------------------------------------------------------------- input

    /** The body as a JSON object, or the refusal the contract's own check would give. */
    private static JsonObject jsonObjectBody(RoutingContext rc) {
        Object json;
        try {
            json = io.vertx.core.json.Json.decodeValue(rc.body().asString() == null ? "" : rc.body().asString());
        } catch (DecodeException e) {
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
            throw ApiError.badRequest("INVALID_REQUEST", bad);
        }
        return body;
    }

    /** The body as a batch of new orders matching the contract (OrderBatch): 1 to 20 orders. */
    private static JsonArray orderBatchBody(RoutingContext rc) {
        JsonObject body = jsonObjectBody(rc);
        if (body.size() != 1 || !(body.getValue("orders") instanceof JsonArray orders)) {
            throw ApiError.badRequest("INVALID_REQUEST", "give {\"orders\": [...]} and nothing else");
        }
        if (orders.isEmpty() || orders.size() > MAX_BATCH) {
            throw ApiError.badRequest("INVALID_REQUEST", "orders holds 1 to " + MAX_BATCH + " orders");
        }
        for (int i = 0; i < orders.size(); i++) {
            if (!(orders.getValue(i) instanceof JsonObject o)) {
                throw ApiError.badRequest("INVALID_REQUEST", "orders[" + i + "] must be an object");
            }
            String bad = NewOrderShape.check(o);
            if (bad != null) {
                throw ApiError.badRequest("INVALID_REQUEST", "orders[" + i + "]." + bad);
            }
        }
        return orders;
    }

    /**
     * The order ids of a batch cancel: 1 to {@link #MAX_BATCH} venue order ids, comma-separated.
     * The refusal names the fault: none given, too many, or which one is not an order id.
     */
    static long[] batchOrderIds(String ids) {
        if (ids == null || ids.isEmpty()) {
            throw ApiError.badRequest("INVALID_REQUEST", "query parameter orderIds is required: 1 to " + MAX_BATCH
                    + " comma-separated order ids");
        }
        String[] list = ids.split(",", -1);
        if (list.length > MAX_BATCH) {
            throw ApiError.badRequest("INVALID_REQUEST", "orderIds holds " + list.length + " ids; at most "
                    + MAX_BATCH + " in one request");
        }
        long[] out = new long[list.length];
        for (int i = 0; i < list.length; i++) {
            String id = list[i];
            if (!isVenueOrderId(id)) {
                String shown = id.length() > 24 ? id.substring(0, 24) + "..." : id;
                throw ApiError.badRequest("INVALID_REQUEST", "orderIds: id " + (i + 1) + " (\"" + shown
                        + "\") is not an order id, a number of 1 to 19 digits");
            }
            out[i] = Long.parseUnsignedLong(id);   // 19 digits always fit unsigned
        }
        return out;
    }

    /** A venue order id as the API writes it: 1 to 19 digits (checked by hand: it is on every cancel's path). */
    private static boolean isVenueOrderId(String s) {
        return !s.isEmpty() && s.length() <= 19 && NewOrderShape.digits(s, 0, s.length());
    }

    /** The order named in the path: a venue order id (number), or "c:" and a client order id. */
    private record OrderRef(long orderId, String clientOrderId) {
        static OrderRef of(String ref) {
            // [0-9]{1,19} or c:[A-Za-z0-9._:-]{1,64}
            if (ref == null
                    || !isVenueOrderId(ref) && !(ref.startsWith("c:") && NewOrderShape.isSymbol(ref.substring(2)))) {
                throw ApiError.badRequest("INVALID_REQUEST", "orderId is a number or c:<clientOrderId>");
            }
            if (ref.startsWith("c:")) {
                return new OrderRef(0, ref.substring(2));
            }
            try {
                return new OrderRef(Long.parseUnsignedLong(ref), "");
            } catch (NumberFormatException e) {
                throw ApiError.badRequest("INVALID_ORDER_ID", "order id " + ref + " is out of range");
            }
        }
    }

    private MarketCatalog.Entry market(RoutingContext rc) {
        String market = rc.request().getParam("market");
        if (market == null) {
            throw ApiError.badRequest("INVALID_REQUEST", "query parameter market is required");
        }
        return catalog.require(market);
    }

    // ---------------------------------------------------------------- order entry

    private void placeOrder(RoutingContext rc) {
        respond(rc, () -> {
            JsonObject body = orderBody(rc);
            MarketCatalog.Entry m = catalog.require(body.getString("market"));
            return auth.check(rc, Permission.PERMISSION_TRADE, 1, 1).compose(caller -> {
                PlaceOrderRequest request = OrderInput.placeOrder(caller.accountId(), body, m.market());
                return backends.order(m.endpoint(), e -> e.orders().place(request));
            }).map(reply -> OrderReplies.json(reply, m.market()));
        });
    }

    private void amendOrder(RoutingContext rc) {
        respond(rc, () -> {
            JsonObject body = rc.body().asJsonObject();
            MarketCatalog.Entry m = catalog.require(body.getString("market"));
            if (!body.containsKey("price") && !body.containsKey("quantity")) {
                throw ApiError.badRequest("INVALID_AMEND", "give a new price or quantity");
            }
            OrderRef ref = OrderRef.of(rc.pathParam("orderId"));
            long price = body.containsKey("price") ? OrderInput.price(body.getString("price"), m.market()) : 0;
            long qty = body.containsKey("quantity") ? OrderInput.quantity(body.getString("quantity"), m.market()) : 0;
            return auth.check(rc, Permission.PERMISSION_TRADE, 1, 1).compose(caller -> backends.order(m.endpoint(),
                    e -> e.orders().amend(AmendOrderRequest.newBuilder().setAccountId(caller.accountId())
                            .setMarket(m.market().getSymbol()).setOrderId(ref.orderId())
                            .setClientOrderId(ref.clientOrderId()).setNewPrice(price).setNewQuantity(qty).build())))
                    .map(reply -> OrderReplies.json(reply, m.market()));
        });
    }

    private void cancelOrder(RoutingContext rc) {
        respond(rc, () -> {
            OrderRef ref = OrderRef.of(rc.pathParam("orderId"));
            MarketCatalog.Entry m = market(rc);
            return auth.check(rc, Permission.PERMISSION_TRADE, 1, 0).compose(caller -> backends.order(m.endpoint(),
                    e -> e.orders().cancel(CancelOrderRequest.newBuilder().setAccountId(caller.accountId())
                            .setMarket(m.market().getSymbol()).setOrderId(ref.orderId())
                            .setClientOrderId(ref.clientOrderId()).build())))
                    .map(reply -> OrderReplies.json(reply, m.market()));
        });
    }

    /** One entry of a batch's answer: its result, or its refusal as {code, message}. */
    private static Future<JsonObject> batchItem(Supplier<Future<JsonObject>> work) {
        Future<JsonObject> f;
        try {
            f = work.get();
        } catch (RuntimeException e) {
            f = Future.failedFuture(e);
        }
        return f.recover(err -> {
            ApiError e = ApiError.of(err);
            return Future.succeededFuture(new JsonObject().put("code", e.code()).put("message", e.getMessage()));
        });
    }

    private static Future<JsonArray> batchAnswer(List<Future<JsonObject>> items) {
        return Future.all(items).map(all -> new JsonArray(all.list()));
    }

    /** Several orders, each placed (or refused) on its own, answered together in order. */
    private void placeOrders(RoutingContext rc) {
        respond(rc, () -> {
            JsonArray orders = orderBatchBody(rc);
            return auth.check(rc, Permission.PERMISSION_TRADE, orders.size(), orders.size()).compose(caller -> {
                List<Future<JsonObject>> items = new ArrayList<>(orders.size());
                for (int i = 0; i < orders.size(); i++) {
                    JsonObject o = orders.getJsonObject(i);
                    items.add(batchItem(() -> {
                        MarketCatalog.Entry m = catalog.require(o.getString("market"));
                        PlaceOrderRequest request = OrderInput.placeOrder(caller.accountId(), o, m.market());
                        return backends.order(m.endpoint(), e -> e.orders().place(request))
                                .map(reply -> OrderReplies.json(reply, m.market()));
                    }));
                }
                return batchAnswer(items);
            });
        });
    }

    /** Several orders of one market, each cancelled (or refused) on its own, answered together in order. */
    private void cancelOrders(RoutingContext rc) {
        respond(rc, () -> {
            MarketCatalog.Entry m = market(rc);
            long[] list = batchOrderIds(rc.request().getParam("orderIds"));
            return auth.check(rc, Permission.PERMISSION_TRADE, list.length, 0).compose(caller -> {
                List<Future<JsonObject>> items = new ArrayList<>(list.length);
                for (long orderId : list) {
                    items.add(batchItem(() -> backends.order(m.endpoint(), e -> e.orders().cancel(
                                    CancelOrderRequest.newBuilder().setAccountId(caller.accountId())
                                            .setMarket(m.market().getSymbol()).setOrderId(orderId).build()))
                            .map(reply -> OrderReplies.json(reply, m.market()))));
                }
                return batchAnswer(items);
            });
        });
    }

    // ---------------------------------------------------------------- across products

    /**
     * {@code call} on the owner of the request's market, or on every product service with
     * markets when it names none: the answers in the owners' order. Any owner failing fails
     * the whole (a partial answer would look complete).
     */
    private <T> Future<List<T>> owners(String market, Function<String, Future<T>> call) {
        List<String> endpoints = market != null ? List.of(catalog.require(market).endpoint()) : catalog.owners();
        List<Future<T>> answers = new ArrayList<>(endpoints.size());
        endpoints.forEach(e -> answers.add(call.apply(e)));
        return Future.all(answers).map(all -> all.list());
    }

    private void cancelAll(RoutingContext rc) {
        respond(rc, () -> {
            String market = rc.request().getParam("market");
            if (market != null) {
                catalog.require(market);
            }
            return auth.check(rc, Permission.PERMISSION_TRADE, 1, 0).compose(caller -> owners(market,
                    endpoint -> backends.unary(endpoint, OrderEntryGrpcClient.CancelAll, CancelAllRequest.newBuilder()
                            .setAccountId(caller.accountId()).setMarket(market == null ? "" : market).build())))
                    .map(replies -> {
                        JsonArray ids = new JsonArray();
                        for (CancelAllReply r : replies) {
                            r.getCancelledOrderIdsList().forEach(id -> ids.add(Long.toString(id)));
                        }
                        return new JsonObject().put("cancelled", ids);
                    });
        });
    }

    private void getOrder(RoutingContext rc) {
        respond(rc, () -> {
            OrderRef ref = OrderRef.of(rc.pathParam("orderId"));
            MarketCatalog.Entry m = market(rc);
            GetOrderRequest.Builder request = GetOrderRequest.newBuilder().setMarket(m.market().getSymbol())
                    .setOrderId(ref.orderId()).setClientOrderId(ref.clientOrderId());
            return auth.check(rc, Permission.PERMISSION_READ, 1, 0).compose(caller -> backends.unary(m.endpoint(),
                            OrderEntryGrpcClient.GetOrder, request.setAccountId(caller.accountId()).build()))
                    .recover(err -> Future.failedFuture(Backends.statusOf(err) == GrpcStatus.NOT_FOUND
                            ? ApiError.notFound("UNKNOWN_ORDER", "no such order of this account") : err))
                    .map((Order o) -> Json.order(o, m.market()));
        });
    }

    private ListOrdersRequest.Builder listRequest(RoutingContext rc) {
        String market = rc.request().getParam("market");
        if (market != null) {
            catalog.require(market);
        }
        return ListOrdersRequest.newBuilder().setMarket(market == null ? "" : market).setLimit(Params.limit(rc));
    }

    private void listOrders(RoutingContext rc, ServiceMethod<OrderList, ListOrdersRequest> method) {
        listAcrossOwners(rc, method, OrderList::getOrdersList, Order::getMarket, Order::getUpdatedAtMs, Json::order);
    }

    private void listFills(RoutingContext rc) {
        listAcrossOwners(rc, OrderEntryGrpcClient.ListFills, FillList::getFillsList, Fill::getMarket,
                Fill::getTimestampMs, Json::fill);
    }

    /**
     * An account's list (orders or fills) from its market's owner, or from every owner merged
     * newest first, cut to the request's limit; items of markets the catalog does not know
     * yet are left out.
     */
    private <L, T> void listAcrossOwners(RoutingContext rc, ServiceMethod<L, ListOrdersRequest> method,
                                         Function<L, List<T>> items, Function<T, String> marketOfItem,
                                         java.util.function.ToLongFunction<T> time,
                                         java.util.function.BiFunction<T, Market, JsonObject> json) {
        respond(rc, () -> {
            ListOrdersRequest.Builder request = listRequest(rc);
            return auth.check(rc, Permission.PERMISSION_READ, 5, 0).compose(caller -> owners(marketOf(request),
                            endpoint -> backends.unary(endpoint, method, request.setAccountId(caller.accountId())
                                    .build())))
                    .map(lists -> {
                        List<T> all = new ArrayList<>();
                        lists.forEach(l -> all.addAll(items.apply(l)));
                        if (lists.size() > 1) {   // one owner's list is already newest first
                            all.sort(Comparator.comparingLong(time).reversed());
                        }
                        JsonArray out = new JsonArray();
                        all.stream().limit(request.getLimit()).forEach(item -> {
                            MarketCatalog.Entry m = catalog.get(marketOfItem.apply(item));
                            if (m != null) {
                                out.add(json.apply(item, m.market()));
                            }
                        });
                        return out;
                    });
        });
    }

    private static String marketOf(ListOrdersRequest.Builder request) {
        return request.getMarket().isEmpty() ? null : request.getMarket();
    }
}
