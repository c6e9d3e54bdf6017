package io.trademesh.risk.api;

import io.trademesh.platform.events.Addresses;
import com.google.protobuf.InvalidProtocolBufferException;
import io.trademesh.platform.cluster.GrpcCalls;
import io.trademesh.platform.cluster.MarketDirectory;
import io.trademesh.proto.common.Market;
import io.trademesh.proto.common.MarketLocation;
import io.trademesh.proto.common.Product;
import io.trademesh.proto.common.Ticker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.net.SocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * Follows every spot market's ticker for the index prices. {@link #refresh} lists the
 * market directory, asks each new market's owner for its definition (base, quote, price
 * scale), subscribes to {@code md.<market>.ticker} and fetches the current ticker once, since
 * spot publishes a ticker only when its book or trades change.
 */
public final class MarketFeed {

    private static final Logger LOG = Logger.getLogger(MarketFeed.class.getName());
    private static final long DIRECTORY_TIMEOUT_MS = 3_000;

    private final Vertx vertx;
    private final MarketDirectory directory;
    private final OrderBookClient spot;
    private final IndexPrices prices;
    private final Map<String, MessageConsumer<Buffer>> subscribed = new ConcurrentHashMap<>();
    private final AtomicBoolean refreshing = new AtomicBoolean();

    public MarketFeed(Vertx vertx, MarketDirectory directory, OrderBookClient spot, IndexPrices prices) {
        this.vertx = vertx;
        this.directory = directory;
        this.spot = spot;
        this.prices = prices;
    }

    /** The markets followed so far. */
    public Set<String> markets() {
        return Set.copyOf(subscribed.keySet());
    }

    /** Picks up markets that appeared since the last refresh; skipped while the last one runs. */
    public Future<Void> refresh() {
        if (!refreshing.compareAndSet(false, true)) {
            return Future.succeededFuture();
        }
        return directory.all().timeout(DIRECTORY_TIMEOUT_MS, TimeUnit.MILLISECONDS).compose(locations -> {
            Map<String, List<String>> newByEndpoint = new HashMap<>();
            for (MarketLocation l : locations) {
                if (l.getProduct() == Product.PRODUCT_SPOT && !subscribed.containsKey(l.getMarket())
                        && !l.getGrpcEndpoint().isEmpty()) {
                    newByEndpoint.computeIfAbsent(l.getGrpcEndpoint(), e -> new ArrayList<>()).add(l.getMarket());
                }
            }
            List<Future<Void>> all = new ArrayList<>();
            newByEndpoint.forEach((endpoint, symbols) -> all.add(follow(GrpcCalls.address(endpoint), symbols)));
            return Future.join(all).<Void>mapEmpty();
        }).onComplete(ar -> refreshing.set(false));
    }

    private Future<Void> follow(SocketAddress owner, List<String> symbols) {
        return spot.markets(owner).map(list -> {
            for (Market m : list.getMarketsList()) {
                if (symbols.contains(m.getSymbol()) && !subscribed.containsKey(m.getSymbol())) {
                    subscribe(owner, new IndexPrices.SpotMarket(m.getSymbol(), m.getBase().getSymbol(),
                            m.getQuote().getSymbol(), m.getPriceScale()));
                }
            }
            return null;
        });
    }

    private void subscribe(SocketAddress owner, IndexPrices.SpotMarket market) {
        MessageConsumer<Buffer> consumer = vertx.eventBus().consumer(Addresses.ticker(market.symbol()), msg -> {
            try {
                prices.onTicker(market, Ticker.parseFrom(msg.body().getBytes()));
            } catch (InvalidProtocolBufferException e) {
                LOG.warning("ignored a ticker of " + market.symbol() + " that does not parse: " + e.getMessage());
            }
        });
        subscribed.put(market.symbol(), consumer);
        LOG.info("index prices follow " + market.symbol() + " (" + market.base() + " in " + market.quote() + ")");
        spot.ticker(owner, market.symbol()).onSuccess(t -> prices.onTicker(market, t));
    }

    /** Stops following every market. */
    public Future<Void> close() {
        List<Future<Void>> all = new ArrayList<>();
        subscribed.values().forEach(c -> all.add(c.unregister()));
        subscribed.clear();
        return Future.join(all).mapEmpty();
    }
}
