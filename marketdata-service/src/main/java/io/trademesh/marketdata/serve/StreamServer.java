package io.trademesh.marketdata.serve;

import io.trademesh.marketdata.candles.CandleInterval;
import io.trademesh.platform.cluster.GrpcCalls;
import io.trademesh.platform.cluster.MarketDirectory;
import io.trademesh.proto.common.BookDelta;
import io.trademesh.proto.common.BookSnapshot;
import io.trademesh.proto.common.MarketLocation;
import io.trademesh.proto.common.PublicTrade;
import io.trademesh.proto.marketdata.Candle;
import io.trademesh.proto.marketdata.CandleUpdate;
import io.trademesh.proto.marketdata.StreamChannel;
import io.trademesh.proto.marketdata.StreamHeartbeat;
import io.trademesh.proto.marketdata.StreamMessage;
import io.trademesh.proto.marketdata.StreamRequest;
import io.trademesh.proto.marketdata.StreamStarted;
import io.trademesh.proto.marketdata.StreamSubscription;
import io.trademesh.proto.marketdata.StreamSubscriptionRequest;
import io.trademesh.proto.marketdata.SubscriptionReply;
import io.trademesh.proto.marketdata.Ticker24h;
import io.trademesh.proto.trading.BookRequest;
import io.trademesh.proto.trading.OrderEntryGrpcClient;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.GrpcServerResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * {@code trademesh.marketdata.MarketDataStream}: market data for programs over one gRPC
 * stream each. A client subscribes by market and channel (trades, book, candles of an
 * interval, the 24-hour ticker), on the stream or by the unary calls with the stream's id;
 * a book subscription starts with a snapshot, then the diffs, whose book sequence has no gap.
 * Snapshots come from a {@link LocalBook} kept from the diffs (seeded once from the owner), so
 * a conflated subscriber costs no call to the owner. Each event is serialised once per channel and the same bytes are
 * written to every subscriber. A subscriber whose stream cannot take more (its write queue
 * full) gets no book diffs until it drains, then a fresh snapshot: the book conflated, a
 * sequence jump it can see; trades it cannot take are dropped and counted. Heartbeats go both
 * ways every interval; a client silent for three is dropped. All state lives on one context.
 */
public final class StreamServer {

    private static final Logger LOG = Logger.getLogger(StreamServer.class.getName());
    private static final ServiceName SERVICE = ServiceName.create("trademesh.marketdata", "MarketDataStream");
    private static final int BOOK_DEPTH = 1_000;

    /** One client stream. */
    private static final class Stream {
        final String id;
        final GrpcServerResponse<StreamRequest, Buffer> out;
        long lastHeardMs;
        /** Per book subscription: the last book sequence sent; -1 while a snapshot is on its way or owed. */
        final Map<String, Long> bookSequence = new HashMap<>();
        boolean closed;

        Stream(String id, GrpcServerResponse<StreamRequest, Buffer> out, long now) {
            this.id = id;
            this.out = out;
            this.lastHeardMs = now;
        }
    }

    private final Vertx vertx;
    private final Context context;
    private final long heartbeatMs;
    private final MarketDirectory directory;
    private final GrpcClient client;
    private final Map<String, Stream> streams = new java.util.concurrent.ConcurrentHashMap<>();
    /** Subscribers by channel key: "trades|M", "book|M", "ticker|M", "candles|M|1m". */
    private final Map<String, Set<Stream>> subscribers = new HashMap<>();
    /** Books kept for the streams, by market; and the subscribers waiting for one to be seeded. */
    private final Map<String, LocalBook> books = new HashMap<>();
    private final Map<String, Set<Stream>> waiting = new HashMap<>();
    private final AtomicLong droppedTrades = new AtomicLong();
    private final AtomicLong conflated = new AtomicLong();
    private long timer = -1;

    public StreamServer(Vertx vertx, Context context, long heartbeatMs) {
        this.vertx = vertx;
        this.context = context;
        this.heartbeatMs = heartbeatMs;
        this.directory = new MarketDirectory(vertx);
        this.client = GrpcCalls.client(vertx, 2_000);
    }

    /** Registers the three methods on the service's gRPC server and starts the heartbeats. */
    public void register(GrpcServer server) {
        ServiceMethod<StreamRequest, Buffer> stream = ServiceMethod.server(SERVICE, "StreamMarketData",
                GrpcMessageEncoder.IDENTITY, GrpcMessageDecoder.<StreamRequest>decoder(StreamRequest.getDefaultInstance()));
        server.callHandler(stream, this::open);
        server.callHandler(ServiceMethod.server(SERVICE, "Subscribe", GrpcMessageEncoder.<SubscriptionReply>encoder(),
                GrpcMessageDecoder.<StreamSubscriptionRequest>decoder(StreamSubscriptionRequest.getDefaultInstance())),
                request -> request.handler(r -> context.runOnContext(v -> unary(r, true, request.response()))));
        server.callHandler(ServiceMethod.server(SERVICE, "Unsubscribe", GrpcMessageEncoder.<SubscriptionReply>encoder(),
                GrpcMessageDecoder.<StreamSubscriptionRequest>decoder(StreamSubscriptionRequest.getDefaultInstance())),
                request -> request.handler(r -> context.runOnContext(v -> unary(r, false, request.response()))));
        timer = vertx.setPeriodic(heartbeatMs, id -> context.runOnContext(v -> heartbeats()));
    }

    /** A new stream: its handlers set at once (nothing it sends is missed), its state kept on the context. */
    private void open(GrpcServerRequest<StreamRequest, Buffer> request) {
        Stream s = new Stream(UUID.randomUUID().toString(), request.response(), System.currentTimeMillis());
        request.handler(r -> context.runOnContext(v -> onRequest(s, r)));
        request.endHandler(v -> context.runOnContext(x -> close(s, null)));
        request.exceptionHandler(e -> context.runOnContext(x -> close(s, null)));
        s.out.exceptionHandler(e -> context.runOnContext(x -> close(s, null)));
        s.out.drainHandler(v -> context.runOnContext(x -> drained(s)));
        context.runOnContext(v -> {
            streams.put(s.id, s);
            send(s, message(StreamMessage.newBuilder().setStarted(StreamStarted.newBuilder().setStreamId(s.id)
                    .setHeartbeatIntervalMs(heartbeatMs))));
        });
    }

    private void onRequest(Stream s, StreamRequest r) {
        s.lastHeardMs = System.currentTimeMillis();
        switch (r.getKindCase()) {
            case SUBSCRIBE -> change(s, r.getSubscribe(), true).onSuccess(reply -> send(s, message(
                    StreamMessage.newBuilder().setSubscription(reply))));
            case UNSUBSCRIBE -> change(s, r.getUnsubscribe(), false).onSuccess(reply -> send(s, message(
                    StreamMessage.newBuilder().setSubscription(reply))));
            default -> { } // a heartbeat: heard
        }
    }

    private void unary(StreamSubscriptionRequest r, boolean subscribe,
                       GrpcServerResponse<StreamSubscriptionRequest, SubscriptionReply> response) {
        Stream s = streams.get(r.getStreamId());
        if (s == null) {
            response.status(GrpcStatus.NOT_FOUND).statusMessage("UNKNOWN_STREAM: no open stream " + r.getStreamId())
                    .end();
            return;
        }
        change(s, r.getSubscription(), subscribe).onSuccess(response::end);
    }

    /** Subscribes or unsubscribes; the reply says which, or why not. */
    private Future<SubscriptionReply> change(Stream s, StreamSubscription sub, boolean subscribe) {
        SubscriptionReply.Builder reply = SubscriptionReply.newBuilder().setSubscription(sub);
        String key = key(sub);
        if (key == null) {
            return Future.succeededFuture(reply.setError("INVALID_SUBSCRIPTION: a market and a channel, and for"
                    + " candles an interval of 1s 1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 1w").build());
        }
        if (!subscribe) {
            Set<Stream> set = subscribers.get(key);
            if (set != null) {
                set.remove(s);
            }
            if (sub.getChannel() == StreamChannel.STREAM_CHANNEL_BOOK) {
                s.bookSequence.remove(sub.getMarket());
            }
            return Future.succeededFuture(reply.setSubscribed(false).build());
        }
        return directory.lookup(sub.getMarket()).otherwise((MarketLocation) null).compose(location -> {
            io.vertx.core.Promise<SubscriptionReply> done = io.vertx.core.Promise.promise();
            context.runOnContext(v -> {
                if (location == null || s.closed) {
                    done.complete(reply.setError("UNKNOWN_MARKET: no market " + sub.getMarket()).build());
                    return;
                }
                subscribers.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(s);
                done.complete(reply.setSubscribed(true).build());
                if (sub.getChannel() == StreamChannel.STREAM_CHANNEL_BOOK) {
                    s.bookSequence.put(sub.getMarket(), -1L);
                    snapshot(s, sub.getMarket());
                }
            });
            return done.future();
        });
    }

    private static String key(StreamSubscription sub) {
        if (sub.getMarket().isEmpty()) {
            return null;
        }
        return switch (sub.getChannel()) {
            case STREAM_CHANNEL_TRADES -> "trades|" + sub.getMarket();
            case STREAM_CHANNEL_BOOK -> "book|" + sub.getMarket();
            case STREAM_CHANNEL_TICKER24H -> "ticker|" + sub.getMarket();
            case STREAM_CHANNEL_CANDLES -> CandleInterval.of(sub.getInterval()) == null ? null
                    : "candles|" + sub.getMarket() + "|" + sub.getInterval();
            default -> null;
        };
    }

    /**
     * Sends the market's book to {@code s} from the local copy, seeding that from the owner
     * first when it has none (or lost step); the diffs after it follow.
     */
    private void snapshot(Stream s, String market) {
        LocalBook book = books.computeIfAbsent(market, LocalBook::new);
        if (book.seeded) {
            s.bookSequence.put(market, book.bookSequence);
            send(s, message(StreamMessage.newBuilder().setBookSnapshot(book.snapshot())));
            return;
        }
        waiting.computeIfAbsent(market, m -> new LinkedHashSet<>()).add(s);
        seed(book);
    }

    /** Asks the owner for the book once, however many subscribers wait for it. */
    private void seed(LocalBook book) {
        if (book.seeding) {
            return;
        }
        book.seeding = true;
        String market = book.market;
        directory.lookup(market).compose(location -> {
            return GrpcCalls.unary(client, GrpcCalls.address(location.getGrpcEndpoint()),
                    OrderEntryGrpcClient.GetBook, BookRequest.newBuilder().setMarket(market).setDepth(BOOK_DEPTH)
                            .build(), 3_000);
        }).onComplete(ar -> context.runOnContext(v -> {
            book.seeding = false;
            if (ar.failed()) {
                LOG.warning("book snapshot of " + market + " failed: " + ar.cause().getMessage() + "; trying again");
                book.pending.clear();
                vertx.setTimer(1_000, id -> context.runOnContext(x -> seed(book)));
                return;
            }
            book.seed(ar.result());
            if (!book.seeded) {
                seed(book);   // a diff held meanwhile did not follow: ask again
                return;
            }
            Set<Stream> ready = waiting.remove(market);
            if (ready != null) {
                for (Stream s : ready) {
                    if (!s.closed && s.bookSequence.containsKey(market) && !s.out.writeQueueFull()) {
                        snapshot(s, market);
                    }
                }
            }
        }));
    }

    // ---------------------------------------------------------------- what the service feeds in

    /** Trades in the owner's order, as the follower delivers them. */
    public void trades(List<PublicTrade> trades) {
        for (PublicTrade t : trades) {
            Set<Stream> set = subscribers.get("trades|" + t.getMarket());
            if (set == null || set.isEmpty()) {
                continue;
            }
            Buffer bytes = message(StreamMessage.newBuilder().setTrade(t));
            for (Stream s : set) {
                if (s.out.writeQueueFull()) {
                    droppedTrades.incrementAndGet();
                } else {
                    send(s, bytes);
                }
            }
        }
    }

    /** A book's diff, as the follower delivers it: to subscribers in step; the others get a snapshot. */
    public void bookDelta(BookDelta delta) {
        LocalBook book = books.get(delta.getMarket());
        if (book != null) {
            if (book.seeding) {
                book.pending.add(delta);
            } else if (book.seeded && !book.apply(delta)) {
                seed(book);   // a diff the bus lost: the owner's book again
            }
        }
        Set<Stream> set = subscribers.get("book|" + delta.getMarket());
        if (set == null || set.isEmpty()) {
            return;
        }
        Buffer bytes = message(StreamMessage.newBuilder().setBookDelta(delta));
        for (Stream s : set) {
            long last = s.bookSequence.getOrDefault(delta.getMarket(), -1L);
            if (last < 0 || delta.getBookSequence() <= last) {
                continue;   // a snapshot is on its way, or this diff is in it
            }
            if (delta.getBookSequence() != last + 1 || s.out.writeQueueFull()) {
                // a diff missed (a gap the bus left), or a client that cannot keep up: conflate to a snapshot
                conflated.incrementAndGet();
                s.bookSequence.put(delta.getMarket(), -1L);
                if (!s.out.writeQueueFull()) {
                    snapshot(s, delta.getMarket());
                }
                continue;
            }
            s.bookSequence.put(delta.getMarket(), delta.getBookSequence());
            send(s, bytes);
        }
    }

    /** The current candles of a market: each subscribed interval's candle, serialised once per interval. */
    public void candles(CandleUpdate update) {
        for (int i = 0; i < update.getIntervalsCount(); i++) {
            Set<Stream> set = subscribers.get("candles|" + update.getMarket() + "|" + update.getIntervals(i));
            if (set == null || set.isEmpty()) {
                continue;
            }
            Candle c = update.getCandles(i);
            Buffer bytes = message(StreamMessage.newBuilder().setCandles(CandleUpdate.newBuilder()
                    .setMarket(update.getMarket()).addIntervals(update.getIntervals(i)).addCandles(c)));
            set.forEach(s -> send(s, bytes));
        }
    }

    public void ticker(Ticker24h ticker) {
        Set<Stream> set = subscribers.get("ticker|" + ticker.getMarket());
        if (set != null && !set.isEmpty()) {
            Buffer bytes = message(StreamMessage.newBuilder().setTicker(ticker));
            set.forEach(s -> send(s, bytes));
        }
    }

    /** What the service published on the event bus (current candles, 24-hour tickers): to the streams too. */
    public void published(io.trademesh.platform.events.Published p) {
        context.runOnContext(v -> {
            try {
                if (p.address().endsWith(".candles")) {
                    candles(CandleUpdate.parseFrom(p.payload()));
                } else if (p.address().endsWith(".ticker24h")) {
                    ticker(Ticker24h.parseFrom(p.payload()));
                }
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                LOG.warning("undecodable " + p.address() + ": " + e.getMessage());
            }
        });
    }

    // ---------------------------------------------------------------- streams

    private void drained(Stream s) {
        for (Map.Entry<String, Long> e : new ArrayList<>(s.bookSequence.entrySet())) {
            if (e.getValue() < 0) {
                snapshot(s, e.getKey());
            }
        }
    }

    /** Every interval: a heartbeat to each stream, and streams silent for three intervals dropped. */
    private void heartbeats() {
        long now = System.currentTimeMillis();
        Buffer beat = message(StreamMessage.newBuilder().setHeartbeat(StreamHeartbeat.newBuilder().setTimestampMs(now)));
        for (Stream s : new ArrayList<>(streams.values())) {
            if (now - s.lastHeardMs > 3 * heartbeatMs) {
                LOG.info("dropping market-data stream " + s.id + ": no heartbeat for " + (now - s.lastHeardMs) + " ms");
                close(s, "UNAVAILABLE: no heartbeat from the client for " + (now - s.lastHeardMs) + " ms");
            } else {
                send(s, beat);
            }
        }
    }

    private void close(Stream s, String why) {
        if (s.closed) {
            return;
        }
        s.closed = true;
        streams.remove(s.id);
        subscribers.values().forEach(set -> set.remove(s));
        if (why != null) {
            try {
                s.out.status(GrpcStatus.UNAVAILABLE).statusMessage(why).end();
            } catch (RuntimeException alreadyGone) {
                // the client went first
            }
        }
    }

    private static void send(Stream s, Buffer bytes) {
        if (!s.closed) {
            try {
                s.out.write(bytes);
            } catch (RuntimeException gone) {
                s.closed = true;
            }
        }
    }

    private static Buffer message(StreamMessage.Builder m) {
        return Buffer.buffer(m.build().toByteArray());
    }

    public int streams() {
        return streams.size();
    }

    public long droppedTrades() {
        return droppedTrades.get();
    }

    public long conflated() {
        return conflated.get();
    }

    public void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        context.runOnContext(v -> new ArrayList<>(streams.values()).forEach(s -> close(s, "UNAVAILABLE: stopping")));
    }
}
