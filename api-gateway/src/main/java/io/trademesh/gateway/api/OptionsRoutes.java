package io.trademesh.gateway.api;

import static io.trademesh.gateway.api.Responses.respond;

import io.trademesh.gateway.routing.Backends;
import io.trademesh.gateway.routing.MarketCatalog;
import io.trademesh.gateway.routing.ServiceEndpoints;
import io.trademesh.platform.cluster.ProductOwners;
import io.trademesh.proto.common.Market;
import io.trademesh.proto.common.MarketLocation;
import io.trademesh.proto.common.Product;
import io.trademesh.proto.options.AccountRequest;
import io.trademesh.proto.options.ChainRequest;
import io.trademesh.proto.options.CreateChainRequest;
import io.trademesh.proto.options.InsuranceFundRequest;
import io.trademesh.proto.options.OptionsServiceGrpcClient;
import io.trademesh.proto.options.SetVolSliceRequest;
import io.trademesh.proto.options.TickerRequest;
import io.trademesh.proto.options.Underlying;
import io.trademesh.proto.options.UnderlyingParams;
import io.trademesh.proto.options.UnderlyingRequest;
import io.trademesh.proto.risk.Permission;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Options routes: the operator's chains, underlying parameters and volatility surfaces; each
 * underlying's parameters, index and surface, its chains and each instrument's ticker, and
 * the insurance fund (public); the caller's options account (signed). Orders, books, trades
 * and tickers of option instruments are the ordinary routes': the instruments are markets.
 * An underlying is known here when the catalog holds one of its instruments, so an unknown
 * one is a 404 that never reaches the service.
 */
final class OptionsRoutes {

    private final MarketCatalog catalog;
    private final Backends backends;
    private final ServiceEndpoints services;
    private final RequestAuth auth;

    OptionsRoutes(MarketCatalog catalog, Backends backends, ServiceEndpoints services, RequestAuth auth) {
        this.catalog = catalog;
        this.backends = backends;
        this.services = services;
        this.auth = auth;
    }

    void bind(RouterBuilder b) {
        b.getRoute("adminCreateOptionChain").addHandler(this::createChain);
        b.getRoute("adminSetOptionUnderlying").addHandler(this::setUnderlying);
        b.getRoute("adminSetOptionSurface").addHandler(this::setSurface);
        b.getRoute("getOptionUnderlying").addHandler(this::underlying);
        b.getRoute("getOptionChain").addHandler(this::chain);
        b.getRoute("getOptionTicker").addHandler(this::ticker);
        b.getRoute("getOptionsInsurance").addHandler(this::insurance);
        b.getRoute("getOptionsAccount").addHandler(this::account);
    }

    private String owner() {
        return services.require(ProductOwners.service(Product.PRODUCT_OPTIONS));
    }

    private Market marketOrNull(String symbol) {
        MarketCatalog.Entry e = catalog.get(symbol);
        return e == null ? null : e.market();
    }

    private Future<Void> publicLimit(RoutingContext rc, int weight) {
        return auth.limit(rc, "ip:" + rc.request().remoteAddress().host(), weight, 0);
    }

    /**
     * Parses with {@code parse}; a field of the wrong type that slipped past the contract is the
     * client's mistake (400), never a 500.
     */
    private static <T> T parsed(Supplier<T> parse) {
        try {
            return parse.get();
        } catch (ClassCastException | NullPointerException e) {
            throw ApiError.badRequest("INVALID_REQUEST", "a field has the wrong type or is missing");
        }
    }

    /** A 404 unless the catalog holds an instrument on {@code underlying} (in {@code quote} when given). */
    private void knownUnderlying(String underlying, String quote) {
        if (underlying == null || OptionsInput.instruments(catalog, underlying, quote).findAny().isEmpty()) {
            throw ApiError.notFound("UNKNOWN_UNDERLYING", "no option chain on " + underlying
                    + (quote == null || quote.isEmpty() ? "" : " in " + quote));
        }
    }

    // ---------------------------------------------------------------- operator

    private void createChain(RoutingContext rc) {
        respond(rc, () -> {
            CreateChainRequest request = parsed(() -> OptionsInput.chain(rc.body().asJsonObject(), catalog,
                    System.currentTimeMillis()));
            String owner = owner();
            return backends.unary(owner, OptionsServiceGrpcClient.CreateChain, request).map(reply -> {
                Map<String, String> where = new HashMap<>();
                for (MarketLocation l : reply.getLocationsList()) {
                    where.put(l.getMarket(), l.getGrpcEndpoint());
                }
                JsonArray instruments = new JsonArray();
                for (Market m : reply.getInstrumentsList()) {
                    // Known at once, so orders on the new instruments need not wait for the catalog's refresh.
                    catalog.put(m, where.getOrDefault(m.getSymbol(), owner));
                    instruments.add(Json.market(m));
                }
                Market t = request.getTemplate();
                return new JsonObject().put("underlying", t.getBase().getSymbol()).put("quote", t.getQuote().getSymbol())
                        .put("expiry", request.getExpiryMs()).put("instruments", instruments);
            });
        });
    }

    private void setUnderlying(RoutingContext rc) {
        respond(rc, () -> {
            String underlying = rc.pathParam("underlying");
            UnderlyingParams params = parsed(() -> OptionsInput.underlying(underlying, rc.body().asJsonObject(),
                    catalog));
            String owner = owner();
            return backends.unary(owner, OptionsServiceGrpcClient.SetUnderlying, params).map(this::underlyingJson);
        });
    }

    private void setSurface(RoutingContext rc) {
        respond(rc, () -> {
            String underlying = rc.pathParam("underlying");
            SetVolSliceRequest request = parsed(() -> OptionsInput.volSlice(underlying, rc.body().asJsonObject(),
                    catalog));
            String owner = owner();
            return backends.unary(owner, OptionsServiceGrpcClient.SetVolSlice, request).map(this::underlyingJson);
        });
    }

    /**
     * An underlying at its instruments' price scale (the scale the operator's requests were
     * parsed at); a 503 while it is unknown here, since an amount is never shown at a guessed scale.
     */
    private JsonObject underlyingJson(Underlying u) {
        UnderlyingParams p = u.getParams();
        MarketCatalog.Entry any = OptionsInput.instruments(catalog, p.getUnderlying(), p.getQuote()).findFirst()
                .orElse(null);
        int ps;
        if (any != null) {
            ps = any.market().getPriceScale();
        } else if (catalog.decimals(p.getUnderlying()) >= 0 && catalog.decimals(p.getQuote()) >= 0) {
            ps = OptionsInput.priceScale(catalog, p.getUnderlying(), p.getQuote());
        } else {
            throw ApiError.unavailable("the price scale of " + p.getUnderlying() + " options is not known yet:"
                    + " retry shortly");
        }
        return OptionsJson.underlying(u, ps);
    }

    // ---------------------------------------------------------------- public

    private void underlying(RoutingContext rc) {
        respond(rc, () -> {
            String underlying = rc.pathParam("underlying");
            String quote = rc.queryParams().get("quote");
            knownUnderlying(underlying, quote);
            String owner = owner();
            return publicLimit(rc, 1)
                    .compose(v -> backends.unary(owner, OptionsServiceGrpcClient.GetUnderlying, UnderlyingRequest
                            .newBuilder().setUnderlying(underlying).setQuote(quote == null ? "" : quote).build()))
                    .map(this::underlyingJson);
        });
    }

    private void chain(RoutingContext rc) {
        respond(rc, () -> {
            String underlying = rc.pathParam("underlying");
            String quote = rc.queryParams().get("quote");
            knownUnderlying(underlying, quote);
            String text = rc.queryParams().get("expiry");
            long expiry = text == null ? 0 : OptionsInput.expiry(parsedExpiry(text), "INVALID_REQUEST");
            String owner = owner();
            return publicLimit(rc, 2)
                    .compose(v -> backends.unary(owner, OptionsServiceGrpcClient.GetChain, ChainRequest.newBuilder()
                            .setUnderlying(underlying).setQuote(quote == null ? "" : quote).setExpiryMs(expiry).build()))
                    .map(c -> OptionsJson.chain(c, this::marketOrNull));
        });
    }

    /** A query's expiry: digits are ms, anything else is tried as a date-time. */
    private static Object parsedExpiry(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException notMs) {
            return text;
        }
    }

    private void ticker(RoutingContext rc) {
        respond(rc, () -> {
            String symbol = rc.pathParam("market");
            MarketCatalog.Entry m = catalog.get(symbol);
            if (m == null || m.market().getProduct() != Product.PRODUCT_OPTIONS) {
                throw ApiError.notFound("UNKNOWN_MARKET", "no option instrument " + symbol);
            }
            return publicLimit(rc, 1)
                    .compose(v -> backends.unary(m.endpoint(), OptionsServiceGrpcClient.GetTicker,
                            TickerRequest.newBuilder().setMarket(symbol).build()))
                    .map(t -> OptionsJson.ticker(t, m.market()));
        });
    }

    private void insurance(RoutingContext rc) {
        respond(rc, () -> {
            String asset = rc.queryParams().get("asset");
            String owner = owner();
            return publicLimit(rc, 1)
                    .compose(v -> backends.unary(owner, OptionsServiceGrpcClient.GetInsuranceFund,
                            InsuranceFundRequest.newBuilder().setAsset(asset == null ? "" : asset).build()))
                    .map(list -> {
                        JsonArray funds = new JsonArray();
                        list.getFundsList().forEach(f -> funds.add(OptionsJson.insurance(f,
                                Math.max(0, catalog.decimals(f.getAsset())))));
                        return new JsonObject().put("funds", funds);
                    });
        });
    }

    // ---------------------------------------------------------------- signed

    /** The caller's own account: the account id is the key's, never the request's. */
    private void account(RoutingContext rc) {
        respond(rc, () -> {
            String asset = rc.queryParams().get("asset");
            if (asset != null) {
                OptionsInput.assetDecimals(catalog, asset);
            }
            String owner = owner();
            return auth.check(rc, Permission.PERMISSION_READ, 2, 0)
                    .compose(caller -> backends.unary(owner, OptionsServiceGrpcClient.GetAccount, AccountRequest
                            .newBuilder().setAccountId(caller.accountId()).setAsset(asset == null ? "" : asset).build()))
                    .map(a -> OptionsJson.account(a, Math.max(0, catalog.decimals(a.getAsset())), this::marketOrNull));
        });
    }
}
