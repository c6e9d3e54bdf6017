package io.trademesh.gateway.api;

import io.trademesh.gateway.config.GatewayConfig;
import io.trademesh.gateway.routing.Backends;
import io.trademesh.gateway.routing.MarketCatalog;
import io.trademesh.gateway.routing.ServiceEndpoints;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.openapi.validation.ValidatorException;

/**
 * The REST API under /v1, built from the OpenAPI contract ({@code openapi.yaml}, also
 * served at /v1/openapi.yaml). Every request passes, in order: the body limit, the
 * {@link EdgeGuard} (credentials, before anything is parsed), the contract's validation,
 * and its route group's handler: {@link MarketDataRoutes}, {@link OrderRoutes},
 * {@link AccountRoutes}, {@link AdminRoutes}, {@link FuturesRoutes}, {@link LendingRoutes}, {@link OptionsRoutes},
 * {@link HistoryRoutes}. Refusals are answered by {@link Responses}.
 */
public final class RestApi {

    private final GatewayConfig config;
    private final EdgeGuard guard;
    private final MarketDataRoutes marketData;
    private final OrderRoutes orders;
    private final AccountRoutes accounts;
    private final AdminRoutes admin;
    private final FuturesRoutes futures;
    private final LendingRoutes lending;
    private final OptionsRoutes options;
    private final HistoryRoutes history;

    public RestApi(GatewayConfig config, MarketCatalog catalog, Backends backends, ServiceEndpoints services,
                   RequestAuth auth) {
        this.config = config;
        this.guard = new EdgeGuard(auth, config.operatorToken());
        this.marketData = new MarketDataRoutes(catalog, backends, auth);
        this.orders = new OrderRoutes(catalog, backends, auth);
        this.accounts = new AccountRoutes(catalog, backends, services, auth);
        this.admin = new AdminRoutes(catalog, backends, services);
        this.futures = new FuturesRoutes(catalog, backends, services, auth);
        this.lending = new LendingRoutes(catalog, backends, services, auth);
        this.options = new OptionsRoutes(catalog, backends, services, auth);
        this.history = new HistoryRoutes(catalog, backends, services, auth);
    }

    /** Builds the contract's router and mounts it, and the contract itself, on {@code router}. */
    public Future<Void> mount(Vertx vertx, Router router, String contractText) {
        router.get("/v1/openapi.yaml").handler(rc -> rc.response()
                .putHeader("content-type", "application/yaml").end(contractText));
        return OpenAPIContract.from(vertx, "openapi.yaml").map(contract -> {
            RouterBuilder builder = RouterBuilder.create(vertx, contract, RequestExtractor.withBodyHandler());
            BodyHandler body = BodyHandler.create(false).setBodyLimit(config.maxBodyBytes());
            builder.rootHandler(body);
            builder.rootHandler(guard);
            // The order hot path is checked against the same contract by hand (NewOrderShape, kept
            // equal to the schema by a property test): the router's own check builds a validator
            // per request and runs it as ordered blocking work, which capped the gateway near 1.5k
            // orders/s, and even a validator built once took a third of its CPU (BENCHMARKS.md).
            builder.getRoute("placeOrder").setDoValidation(false);
            builder.getRoute("cancelOrder").setDoValidation(false);
            builder.getRoute("placeOrders").setDoValidation(false);
            builder.getRoute("cancelOrders").setDoValidation(false);
            marketData.bind(builder);
            orders.bind(builder);
            accounts.bind(builder);
            admin.bind(builder);
            futures.bind(builder);
            lending.bind(builder);
            options.bind(builder);
            history.bind(builder);
            Router api = builder.createRouter();
            api.route().failureHandler(this::failure);
            router.route().failureHandler(this::failure);   // what fails outside the API's router: a bad query escape, the order routes ahead of it
            router.route("/*").handler(RestApi::wellFormedOnly);
            orders.bindAhead(router, body, guard);
            router.route("/*").subRouter(api); // the contract's paths carry /v1 themselves
            router.route("/*").last().handler(rc -> Responses.error(rc, ApiError.notFound("NOT_FOUND",
                    "no such endpoint: " + rc.request().method() + " " + rc.normalizedPath())));
            return null;
        });
    }

    /**
     * What every request must be before a route is matched, credentials or not. Its query
     * decodes: matching a route with a path parameter decodes it, and a bad %-escape would
     * fail there with a plain-text 400. And a body is JSON: a request that says it carries
     * anything else (a form, multipart) is refused before the body handler would decode it.
     */
    private static void wellFormedOnly(RoutingContext rc) {
        try {
            rc.request().params();   // decoded once, and kept for every later reader
        } catch (RuntimeException undecodable) {
            Responses.error(rc, ApiError.badRequest("INVALID_REQUEST", "the query string is not decodable"));
            return;
        }
        String type = rc.request().getHeader("content-type");
        if (type != null && !type.trim().toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            Responses.error(rc, new ApiError(415, "UNSUPPORTED_MEDIA_TYPE", "request bodies are application/json"));
            return;
        }
        rc.next();
    }

    private void failure(RoutingContext rc) {
        Throwable t = rc.failure();
        if (rc.statusCode() == 413) {
            Responses.error(rc, new ApiError(413, "BODY_TOO_LARGE", "request body exceeds " + config.maxBodyBytes()
                    + " bytes"));
        } else if (t instanceof ValidatorException || rc.statusCode() == 400) {
            // The contract refused it: either the body is not JSON at all, or it does not match.
            Responses.error(rc, isJsonOrEmpty(rc) ? ApiError.badRequest("INVALID_REQUEST", contractMessage(t))
                    : ApiError.badRequest("MALFORMED_JSON", "the body is not valid JSON"));
        } else if (t != null) {
            Responses.error(rc, t);
        } else if (rc.statusCode() >= 400 && rc.statusCode() < 500) {
            Responses.error(rc, new ApiError(rc.statusCode(), "INVALID_REQUEST", "request refused"));
        } else {
            Responses.error(rc, new ApiError(500, "INTERNAL", "internal error"));
        }
    }

    /**
     * What the contract found wrong. The router wraps its validator's finding in an HttpException whose own
     * message is only the status's name ("Bad Request"): the finding is the exception's cause.
     */
    private static String contractMessage(Throwable t) {
        if (t instanceof HttpException h && h.getCause() instanceof ValidatorException v) {
            t = v;
        }
        return ContractMessages.of(t);
    }

    private static boolean isJsonOrEmpty(RoutingContext rc) {
        String body = rc.body() == null ? null : rc.body().asString();
        if (body == null || body.isBlank()) {
            return true;
        }
        try {
            io.vertx.core.json.Json.decodeValue(body);
            return true;
        } catch (DecodeException e) {
            return false;
        }
    }
}
