package io.trademesh.gateway.api;

import static io.trademesh.gateway.api.Responses.respond;

import io.trademesh.gateway.routing.Backends;
import io.trademesh.gateway.routing.MarketCatalog;
import io.trademesh.proto.trading.BookRequest;
import io.trademesh.proto.trading.OrderEntryGrpcClient;
import io.trademesh.proto.trading.TickerRequest;
import io.trademesh.proto.trading.TradesRequest;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import java.util.Comparator;

/** Public market data, for any product's markets: limited per client address, no signature. */
final class MarketDataRoutes {

    private final MarketCatalog catalog;
    private final Backends backends;
    private final RequestAuth auth;

    MarketDataRoutes(MarketCatalog catalog, Backends backends, RequestAuth auth) {
        this.catalog = catalog;
        this.backends = backends;
        this.auth = auth;
    }

    void bind(RouterBuilder b) {
        b.getRoute("listMarkets").addHandler(this::listMarkets);
        b.getRoute("getBook").addHandler(this::getBook);
        b.getRoute("getTicker").addHandler(this::getTicker);
        b.getRoute("getTrades").addHandler(this::getTrades);
    }

    private Future<Void> publicLimit(RoutingContext rc, int weight) {
        return auth.limit(rc, "ip:" + rc.request().remoteAddress().host(), weight, 0);
    }

    private void listMarkets(RoutingContext rc) {
        respond(rc, () -> publicLimit(rc, 1).map(v -> {
            JsonArray out = new JsonArray();
            catalog.all().stream().sorted(Comparator.comparing(e -> e.market().getSymbol()))
                    .forEach(e -> out.add(Json.market(e.market())));
            return out;
        }));
    }

    private void getBook(RoutingContext rc) {
        respond(rc, () -> {
            MarketCatalog.Entry m = catalog.require(rc.pathParam("market"));
            int depth = Params.intQuery(rc, "depth", 50, 1, 1000);
            BookRequest request = BookRequest.newBuilder().setMarket(m.market().getSymbol()).setDepth(depth).build();
            return publicLimit(rc, depth > 100 ? 5 : 1)
                    .compose(v -> backends.unary(m.endpoint(), OrderEntryGrpcClient.GetBook, request))
                    .map(book -> Json.book(book, m.market()));
        });
    }

    private void getTicker(RoutingContext rc) {
        respond(rc, () -> {
            MarketCatalog.Entry m = catalog.require(rc.pathParam("market"));
            TickerRequest request = TickerRequest.newBuilder().setMarket(m.market().getSymbol()).build();
            return publicLimit(rc, 1)
                    .compose(v -> backends.unary(m.endpoint(), OrderEntryGrpcClient.GetTicker, request))
                    .map(t -> Json.ticker(t, m.market()));
        });
    }

    private void getTrades(RoutingContext rc) {
        respond(rc, () -> {
            MarketCatalog.Entry m = catalog.require(rc.pathParam("market"));
            TradesRequest request = TradesRequest.newBuilder().setMarket(m.market().getSymbol())
                    .setLimit(Params.limit(rc)).build();
            return publicLimit(rc, 1)
                    .compose(v -> backends.unary(m.endpoint(), OrderEntryGrpcClient.GetTrades, request))
                    .map(list -> {
                        JsonArray out = new JsonArray();
                        list.getTradesList().forEach(t -> out.add(Json.trade(t, m.market())));
                        return out;
                    });
        });
    }
}
