package io.trademesh.gateway.api;

import static io.trademesh.gateway.api.Responses.respond;

import io.trademesh.gateway.routing.Backends;
import io.trademesh.gateway.routing.MarketCatalog;
import io.trademesh.gateway.routing.ServiceEndpoints;
import io.trademesh.platform.config.ServiceDefaults;
import io.trademesh.proto.common.Market;
import io.trademesh.proto.common.Product;
import io.trademesh.proto.marketdata.HistoryReply;
import io.trademesh.proto.marketdata.HistoryRequest;
import io.trademesh.proto.marketdata.MarketDataServiceGrpcClient;
import io.trademesh.proto.marketdata.Ticker24h;
import io.trademesh.proto.marketdata.TickersRequest;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import java.util.Comparator;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Public market history from marketdata-service: candles, trade history by time range,
 * 24-hour tickers, perpetuals' funding, options' marks and volatility, and money-market
 * pools' rate history, limited per client address like the other public market data. The market
 * is checked against the catalog first (404 without asking the service) and gives the
 * scales the answer is shown at. marketdata-service is not on the trading path: while it is
 * down or not deployed these routes answer 503 (from {@link ServiceEndpoints#require} or
 * the instance's circuit breaker) and nothing else is affected.
 */
final class HistoryRoutes {

    static final String SERVICE = ServiceDefaults.MARKET_DATA.serviceName();

    private final MarketCatalog catalog;
    private final Backends backends;
    private final ServiceEndpoints services;
    private final RequestAuth auth;

    HistoryRoutes(MarketCatalog catalog, Backends backends, ServiceEndpoints services, RequestAuth auth) {
        this.catalog = catalog;
        this.backends = backends;
        this.services = services;
        this.auth = auth;
    }

    void bind(RouterBuilder b) {
        b.getRoute("getCandles").addHandler(this::candles);
        b.getRoute("getTradeHistory").addHandler(this::tradeHistory);
        b.getRoute("listTickers24h").addHandler(this::tickers);
        b.getRoute("getTicker24h").addHandler(this::ticker);
        b.getRoute("getPoolRates").addHandler(this::poolRates);
        b.getRoute("getFundingRateHistory").addHandler(rc -> productHistory(rc, Product.PRODUCT_FUTURES,
                "futures contract", HistoryInput::funding, HistoryJson::funding));
        b.getRoute("getOptionMarkHistory").addHandler(rc -> productHistory(rc, Product.PRODUCT_OPTIONS,
                "option", HistoryInput::optionMarks, HistoryJson::optionMarks));
    }

    /**
     * A history only one product has (funding, option marks): 404 for a market of another
     * product, as for an unknown one.
     */
    private void productHistory(RoutingContext rc, Product product, String what,
                                BiFunction<String, MultiMap, HistoryRequest> input,
                                BiFunction<HistoryReply, Market, JsonObject> output) {
        respond(rc, () -> {
            String symbol = rc.pathParam("market");
            MarketCatalog.Entry e = catalog.get(symbol);
            if (e == null || e.market().getProduct() != product) {
                throw ApiError.notFound("UNKNOWN_MARKET", "no " + what + " " + (symbol.length() > 64
                        ? symbol.substring(0, 64) + "..." : symbol));
            }
            Market m = e.market();
            HistoryRequest request = input.apply(m.getSymbol(), rc.queryParams());
            String owner = owner();
            return publicLimit(rc, weight(request))
                    .compose(v -> backends.unary(owner, MarketDataServiceGrpcClient.GetHistoricalData, request))
                    .map(reply -> output.apply(reply, m));
        });
    }

    /** The instance to ask, or a 503 saying market history is down for now (and only it). */
    private String owner() {
        try {
            return services.require(SERVICE);
        } catch (ApiError notRunning) {
            throw ApiError.unavailable("market history and 24-hour tickers are unavailable for now ("
                    + SERVICE + " is not running); trading and live streams are unaffected; retry shortly");
        }
    }

    private Future<Void> publicLimit(RoutingContext rc, int weight) {
        return auth.limit(rc, "ip:" + rc.request().remoteAddress().host(), weight, 0);
    }

    /** A history page reads the service's store: it weighs more than a ticker, a full page more still. */
    private static int weight(HistoryRequest r) {
        return r.getLimit() > HistoryInput.DEFAULT_LIMIT ? 5 : 2;
    }

    private void candles(RoutingContext rc) {
        respond(rc, () -> {
            Market m = catalog.require(rc.pathParam("market")).market();
            HistoryRequest request = HistoryInput.candles(m.getSymbol(), rc.queryParams());
            String owner = owner();
            return publicLimit(rc, weight(request))
                    .compose(v -> backends.unary(owner, MarketDataServiceGrpcClient.GetHistoricalData, request))
                    .map(reply -> HistoryJson.candles(reply, request.getInterval(), m));
        });
    }

    /** A money-market pool's rates, a point a minute; an asset no market trades is not a pool (404). */
    private void poolRates(RoutingContext rc) {
        respond(rc, () -> {
            String asset = rc.pathParam("asset");
            if (catalog.decimals(asset) < 0) {
                throw ApiError.notFound("UNKNOWN_POOL", "no pool of " + (asset.length() > 16
                        ? asset.substring(0, 16) + "..." : asset));
            }
            HistoryRequest request = HistoryInput.poolRates(asset, rc.queryParams());
            String owner = owner();
            return publicLimit(rc, weight(request))
                    .compose(v -> backends.unary(owner, MarketDataServiceGrpcClient.GetHistoricalData, request))
                    .map(HistoryJson::poolRates);
        });
    }

    private void tradeHistory(RoutingContext rc) {
        respond(rc, () -> {
            Market m = catalog.require(rc.pathParam("market")).market();
            HistoryRequest request = HistoryInput.trades(m.getSymbol(), rc.queryParams());
            String owner = owner();
            return publicLimit(rc, weight(request))
                    .compose(v -> backends.unary(owner, MarketDataServiceGrpcClient.GetHistoricalData, request))
                    .map(reply -> HistoryJson.trades(reply, m));
        });
    }

    /**
     * Every market that traded in the last 24 hours, by symbol. A market not (yet) in the
     * catalog is left out: its amounts cannot be shown without its scales.
     */
    private void tickers(RoutingContext rc) {
        respond(rc, () -> {
            String owner = owner();
            return publicLimit(rc, 2)
                    .compose(v -> backends.unary(owner, MarketDataServiceGrpcClient.GetTickers24h,
                            TickersRequest.getDefaultInstance()))
                    .map(list -> {
                        JsonArray out = new JsonArray();
                        list.getTickersList().stream().filter(t -> t.getTrades() > 0)
                                .sorted(Comparator.comparing(Ticker24h::getMarket)).forEach(t -> {
                                    MarketCatalog.Entry e = catalog.get(t.getMarket());
                                    if (e != null) {
                                        out.add(HistoryJson.ticker24h(t, e.market()));
                                    }
                                });
                        return out;
                    });
        });
    }

    /** One market's 24 hours; a market that did not trade in them answers with null prices and zero volume. */
    private void ticker(RoutingContext rc) {
        respond(rc, () -> {
            Market m = catalog.require(rc.pathParam("market")).market();
            String owner = owner();
            return publicLimit(rc, 1)
                    .compose(v -> backends.unary(owner, MarketDataServiceGrpcClient.GetTickers24h,
                            TickersRequest.newBuilder().setMarket(m.getSymbol()).build()))
                    .map(list -> HistoryJson.ticker24h(of(list.getTickersList(), m.getSymbol()), m));
        });
    }

    private static Ticker24h of(List<Ticker24h> tickers, String market) {
        for (Ticker24h t : tickers) {
            if (t.getMarket().equals(market)) {
                return t;
            }
        }
        return Ticker24h.newBuilder().setMarket(market).build();
    }
}
