package io.trademesh.gateway.routing;

import io.trademesh.gateway.api.ApiError;
import io.trademesh.platform.cluster.MarketDirectory;
import io.trademesh.proto.common.Market;
import io.trademesh.proto.common.MarketLocation;
import io.trademesh.proto.trading.ListMarketsRequest;
import io.trademesh.proto.trading.OrderEntryGrpcClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * What the gateway knows of markets: each market's definition (tick, lot, decimals, for
 * parsing and checking amounts at the edge) and the gRPC endpoint of its owner, from the
 * cluster's market directory. Refreshed every second; a market unknown here is unknown
 * to traders (404) and never reaches a service.
 */
public final class MarketCatalog {

    private static final Logger LOG = Logger.getLogger(MarketCatalog.class.getName());

    /** A market and where it lives. */
    public record Entry(Market market, String endpoint) {
    }

    private final MarketDirectory directory;
    private final Backends backends;
    private final Map<String, Entry> markets = new ConcurrentHashMap<>();

    public MarketCatalog(Vertx vertx, Backends backends) {
        this.directory = new MarketDirectory(vertx);
        this.backends = backends;
    }

    /** Reads the directory and the owners' market definitions once. */
    public Future<Void> refresh() {
        return directory.all().compose(locations -> {
            Set<String> endpoints = new HashSet<>();
            locations.forEach(l -> endpoints.add(l.getGrpcEndpoint()));
            List<Future<Void>> loads = new ArrayList<>();
            for (String endpoint : endpoints) {
                loads.add(backends.unary(endpoint, OrderEntryGrpcClient.ListMarkets, ListMarketsRequest.getDefaultInstance())
                        .map(list -> {
                            for (Market m : list.getMarketsList()) {
                                for (MarketLocation l : locations) {
                                    if (l.getMarket().equals(m.getSymbol()) && l.getGrpcEndpoint().equals(endpoint)) {
                                        markets.put(m.getSymbol(), new Entry(m, endpoint));
                                    }
                                }
                            }
                            return (Void) null;
                        })
                        .recover(err -> {
                            LOG.fine("market list from " + endpoint + " failed: " + err.getMessage());
                            return Future.succeededFuture();
                        }));
            }
            return Future.join(loads).mapEmpty();
        });
    }

    /** Learns a market at once (after an operator created it through this gateway). */
    public void put(Market market, String endpoint) {
        markets.put(market.getSymbol(), new Entry(market, endpoint));
    }

    /** The market, or a 404 refusal. */
    public Entry require(String symbol) {
        Entry e = symbol == null ? null : markets.get(symbol);
        if (e == null) {
            throw ApiError.notFound("UNKNOWN_MARKET", "no market '" + symbol + "'");
        }
        return e;
    }

    public Entry get(String symbol) {
        return symbol == null ? null : markets.get(symbol);
    }

    public Collection<Entry> all() {
        return markets.values();
    }

    /** The endpoint of every service instance that owns a market, each once, in a stable order. */
    public List<String> owners() {
        return markets.values().stream().map(Entry::endpoint).distinct().sorted().toList();
    }

    /**
     * The decimals of an asset, to show an amount of it; a 503 while no market that trades it
     * is known (its owner is down or the catalog not loaded yet): an amount is never shown at
     * a guessed scale.
     */
    public int requireDecimals(String asset) {
        int d = decimals(asset);
        if (d < 0) {
            throw ApiError.unavailable("the decimals of " + asset + " are not known yet: retry shortly");
        }
        return d;
    }

    /** The decimals of an asset some market trades, or -1. */
    public int decimals(String asset) {
        for (Entry e : markets.values()) {
            if (e.market().getBase().getSymbol().equals(asset)) {
                return e.market().getBase().getDecimals();
            }
            if (e.market().getQuote().getSymbol().equals(asset)) {
                return e.market().getQuote().getDecimals();
            }
        }
        return -1;
    }

}
