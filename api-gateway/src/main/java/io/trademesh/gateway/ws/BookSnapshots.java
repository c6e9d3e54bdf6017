package io.trademesh.gateway.ws;

import io.trademesh.gateway.api.Json;
import io.trademesh.gateway.routing.Backends;
import io.trademesh.proto.common.Market;
import io.trademesh.proto.trading.BookRequest;
import io.trademesh.proto.trading.OrderEntryGrpcClient;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Book snapshots for the sockets' book subscriptions, asked of the owner once for every
 * subscriber that needs one at about the same time, and rendered as JSON once. Hundreds of
 * sockets subscribing to a market, or resyncing together after the gateway fell behind, cost
 * the owner one {@code GetBook} and the gateway one encoding, not hundreds.
 *
 * <p>A subscriber joins a request only if it started after the subscriber began holding
 * deltas ({@code notBeforeNanos}): the book it returns then covers every delta the subscriber
 * did not hold. Otherwise it starts a request of its own, which later subscribers join.
 */
final class BookSnapshots {

    static final int DEPTH = 1_000;

    /** A snapshot with its sequence, and the text every subscriber sends. */
    record Rendered(long bookSequence, String text) {
    }

    private record InFlight(long startedNanos, Future<Rendered> future) {
    }

    private final Backends backends;
    private final Map<String, InFlight> inFlight = new ConcurrentHashMap<>();

    BookSnapshots(Backends backends) {
        this.backends = backends;
    }

    Future<Rendered> get(String endpoint, Market market, long notBeforeNanos) {
        String symbol = market.getSymbol();
        InFlight current = inFlight.get(symbol);
        if (current != null && current.startedNanos() >= notBeforeNanos) {
            return current.future();
        }
        long started = System.nanoTime();
        Future<Rendered> future = backends.unary(endpoint, OrderEntryGrpcClient.GetBook,
                        BookRequest.newBuilder().setMarket(symbol).setDepth(DEPTH).build())
                .map(b -> new Rendered(b.getBookSequence(), new JsonObject().put("channel", "book")
                        .put("type", "snapshot").mergeIn(Json.book(b, market)).encode()));
        InFlight mine = new InFlight(started, future);
        inFlight.put(symbol, mine);
        future.onComplete(ar -> inFlight.remove(symbol, mine));
        return future;
    }
}
