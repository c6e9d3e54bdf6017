package io.trademesh.gateway.api;

import io.trademesh.proto.marketdata.HistoryKind;
import io.trademesh.proto.marketdata.HistoryRequest;
import io.vertx.core.MultiMap;
import java.util.List;

/**
 * The query of a history route (candles or trades of one market), checked at the edge so
 * that marketdata-service only ever hears a request it can answer: an interval it keeps, a
 * time range that is not upside down, a page size within its bounds. Takes the query as a
 * {@link MultiMap} rather than a routing context so it can be tried on its own; the REST
 * routes and the WebSocket's candles channel share {@link #interval}.
 */
public final class HistoryInput {

    /** The candle intervals marketdata-service keeps, shortest first (marketdata.proto's list). */
    public static final List<String> INTERVALS = List.of("1s", "1m", "3m", "5m", "15m", "30m", "1h", "2h", "4h",
            "6h", "8h", "12h", "1d", "1w");
    public static final int DEFAULT_LIMIT = 500;
    public static final int MAX_LIMIT = 1_000;

    private HistoryInput() {
    }

    /** {@code text} when it is one of {@link #INTERVALS}; a 400 INVALID_INTERVAL when missing or anything else. */
    public static String interval(String text) {
        if (text == null || !INTERVALS.contains(text)) {
            throw ApiError.badRequest("INVALID_INTERVAL", (text == null ? "interval is required" : "unknown interval '"
                    + (text.length() > 16 ? text.substring(0, 16) + "..." : text) + "'") + ": one of "
                    + String.join(" ", INTERVALS));
        }
        return text;
    }

    /**
     * A candles request: interval, range and limit from the query; {@code price=mark} for the
     * mark price's candles (futures and options), {@code price=trade} (the default) for trades'.
     */
    public static HistoryRequest candles(String market, MultiMap query) {
        String price = query.get("price");
        if (price != null && !price.equals("trade") && !price.equals("mark")) {
            throw ApiError.badRequest("INVALID_REQUEST", "price is trade (the default) or mark");
        }
        HistoryKind kind = "mark".equals(price) ? HistoryKind.HISTORY_KIND_MARK_CANDLES : HistoryKind.HISTORY_KIND_CANDLES;
        return request(kind, market, query).setInterval(interval(query.get("interval"))).build();
    }

    /** A pool-rate request (the asset in place of the market): range and limit from the query. */
    public static HistoryRequest funding(String market, MultiMap query) {
        return request(HistoryKind.HISTORY_KIND_FUNDING, market, query).build();
    }

    public static HistoryRequest optionMarks(String market, MultiMap query) {
        return request(HistoryKind.HISTORY_KIND_OPTION_MARKS, market, query).build();
    }

    public static HistoryRequest poolRates(String asset, MultiMap query) {
        return request(HistoryKind.HISTORY_KIND_POOL_RATES, asset, query).build();
    }

    /** A trade-history request: range and limit from the query. */
    public static HistoryRequest trades(String market, MultiMap query) {
        return request(HistoryKind.HISTORY_KIND_TRADES, market, query).build();
    }

    /**
     * The range [from, to) in ms since the epoch and the page size. An absent {@code from} is 0
     * (as old as is kept) and an absent {@code to} is 0, which the service reads as now; so a
     * given {@code to} must be after {@code from} (after 0 when {@code from} is absent): an
     * explicit {@code to=0} would otherwise silently mean "now".
     */
    private static HistoryRequest.Builder request(HistoryKind kind, String market, MultiMap query) {
        String fromText = query.get("from");
        String toText = query.get("to");
        long from = fromText == null ? 0 : Params.wholeNumber(fromText, "from", 0, Long.MAX_VALUE, "INVALID_REQUEST");
        long to = toText == null ? 0 : Params.wholeNumber(toText, "to", 0, Long.MAX_VALUE, "INVALID_REQUEST");
        if (toText != null && from >= to) {
            throw ApiError.badRequest("INVALID_RANGE", "from must be before to (ms since the epoch; from "
                    + from + ", to " + to + ")");
        }
        String limitText = query.get("limit");
        int limit = limitText == null ? DEFAULT_LIMIT
                : (int) Params.wholeNumber(limitText, "limit", 1, MAX_LIMIT, "INVALID_REQUEST");
        return HistoryRequest.newBuilder().setKind(kind).setMarket(market).setFromMs(from).setToMs(to)
                .setLimit(limit);
    }
}
