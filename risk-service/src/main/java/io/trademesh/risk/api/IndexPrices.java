package io.trademesh.risk.api;

import io.trademesh.proto.common.Ticker;
import io.trademesh.proto.risk.IndexPrice;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Index prices per asset, from two sources: the spot books (mid of best bid and ask when
 * both exist, else the last trade, of every spot market whose base is the asset) and the
 * operator. An operator price younger than {@link #OPERATOR_FRESH_MS} wins; otherwise the
 * book's (of the market whose symbol sorts first, so the choice is stable), and an older
 * operator price only when no book has one. Every change of an asset's price (value, scale,
 * quote or source) is handed to the publisher once.
 *
 * <p>Book prices are derived, not journaled: after a restart they come back with the next
 * ticker (or the ticker fetched when a market is first seen). Thread-safe.
 */
public final class IndexPrices {

    public static final long OPERATOR_FRESH_MS = 60_000;

    /** A spot market as index prices need it. */
    public record SpotMarket(String symbol, String base, String quote, int priceScale) {
    }

    private final LongSupplier clockMs;
    private final Consumer<IndexPrice> publisher;
    /** market -> its book's price. */
    private final TreeMap<String, IndexPrice> books = new TreeMap<>();
    /** asset -> the operator's price. */
    private final TreeMap<String, IndexPrice> operator = new TreeMap<>();
    /** asset -> what was published last. */
    private final Map<String, IndexPrice> published = new TreeMap<>();

    public IndexPrices(LongSupplier clockMs, Consumer<IndexPrice> publisher) {
        this.clockMs = clockMs;
        this.publisher = publisher;
    }

    /** The price a ticker shows: mid when both sides exist, else the last trade; 0 when neither. */
    public static long bookPrice(Ticker t) {
        long bid = t.getBestBid();
        long ask = t.getBestAsk();
        if (bid > 0 && ask > 0) {
            return bid + (ask - bid) / 2;
        }
        return Math.max(t.getLastPrice(), 0);
    }

    public synchronized void onTicker(SpotMarket market, Ticker t) {
        long price = bookPrice(t);
        if (price <= 0) {
            return;
        }
        books.put(market.symbol(), IndexPrice.newBuilder()
                .setAsset(market.base())
                .setQuote(market.quote())
                .setPrice(price)
                .setPriceScale(market.priceScale())
                .setSource("spot:" + market.symbol())
                .setTimestampMs(t.getTimestampMs() > 0 ? t.getTimestampMs() : clockMs.getAsLong())
                .build());
        refresh(market.base());
    }

    public synchronized void onOperator(IndexPrice price) {
        operator.put(price.getAsset(), price);
        refresh(price.getAsset());
    }

    /** Re-evaluates every asset: an operator price that just got old hands over to the book's. */
    public synchronized void refreshAll() {
        for (String asset : assets()) {
            refresh(asset);
        }
    }

    /** The asset's index price now, or null when there is none. */
    public synchronized IndexPrice get(String asset) {
        return effective(asset);
    }

    /** Every asset's index price, ascending asset. */
    public synchronized List<IndexPrice> all() {
        List<IndexPrice> out = new ArrayList<>();
        for (String asset : assets()) {
            IndexPrice p = effective(asset);
            if (p != null) {
                out.add(p);
            }
        }
        return out;
    }

    private TreeSet<String> assets() {
        TreeSet<String> assets = new TreeSet<>(operator.keySet());
        books.values().forEach(p -> assets.add(p.getAsset()));
        return assets;
    }

    private IndexPrice effective(String asset) {
        IndexPrice op = operator.get(asset);
        if (op != null && clockMs.getAsLong() - op.getTimestampMs() < OPERATOR_FRESH_MS) {
            return op;
        }
        for (IndexPrice book : books.values()) {
            if (book.getAsset().equals(asset)) {
                return book;
            }
        }
        return op;
    }

    private void refresh(String asset) {
        IndexPrice now = effective(asset);
        if (now == null) {
            return;
        }
        IndexPrice last = published.get(asset);
        if (last == null || last.getPrice() != now.getPrice() || last.getPriceScale() != now.getPriceScale()
                || !last.getQuote().equals(now.getQuote()) || !last.getSource().equals(now.getSource())) {
            published.put(asset, now);
            publisher.accept(now);
        }
    }
}
