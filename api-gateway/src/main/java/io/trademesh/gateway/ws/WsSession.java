package io.trademesh.gateway.ws;

import com.google.protobuf.InvalidProtocolBufferException;
import io.trademesh.gateway.EventLoops;
import io.trademesh.gateway.api.ApiError;
import io.trademesh.gateway.api.FuturesJson;
import io.trademesh.gateway.api.HistoryInput;
import io.trademesh.gateway.api.HistoryJson;
import io.trademesh.gateway.api.LendingJson;
import io.trademesh.gateway.api.Json;
import io.trademesh.gateway.api.NewOrderShape;
import io.trademesh.gateway.api.OptionsInput;
import io.trademesh.gateway.api.OptionsJson;
import io.trademesh.gateway.api.OrderInput;
import io.trademesh.gateway.api.RequestAuth;
import io.trademesh.platform.events.Addresses;
import io.trademesh.gateway.routing.Backends;
import io.trademesh.gateway.routing.MarketCatalog;
import io.trademesh.proto.common.PublicTrade;
import io.trademesh.proto.common.Ticker;
import io.trademesh.proto.risk.Permission;
import io.trademesh.proto.events.AccountEvent;
import io.trademesh.gateway.api.OrderReplies;
import io.trademesh.proto.trading.CancelOrderRequest;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * One trader's WebSocket. Requests are JSON objects with an {@code op}:
 * <pre>
 *   {"op":"subscribe","channel":"book"|"trades"|"ticker"|"mark"|"liquidations"|"option","market":"BTC-USDT"}
 *   {"op":"subscribe","channel":"pool","market":"USDT"}     (a money-market pool, by asset)
 *   {"op":"subscribe","channel":"chain","market":"BTC"}     (an underlying's option chains)
 *   {"op":"subscribe","channel":"candles","market":"BTC-USDT","interval":"1m"}   (that interval's current candle)
 *   {"op":"subscribe","channel":"ticker24h","market":"BTC-USDT"}                 (the rolling 24-hour ticker)
 *   {"op":"unsubscribe", same}
 *   {"op":"login","apiKey":"..","timestamp":ms,"signature":hex(HMAC-SHA256(secret, "login\n" + nonce + "\n" + timestamp))}
 *   {"op":"order","id":"r1", ...the REST order fields...}     (after login, trade permission)
 *   {"op":"cancel","id":"r2","market":"BTC-USDT","orderId":"123"}
 *   {"op":"ping"}
 * </pre>
 * The socket opens with {@code {"op":"hello","nonce":".."}}: the login signs that nonce, so a
 * login message is good on its own socket only. One login per socket. Subscriptions count
 * against the client address's request weight, at most {@link #MAX_SUBSCRIPTIONS} per socket.
 * A message over the server's WebSocket message limit closes the socket with 1009.
 * A book subscription starts with a snapshot carrying {@code bookSequence} and continues
 * with deltas whose {@code bookSequence} goes up by one; a client that sees a jump asks
 * again. When the socket's write queue is full the session stops sending book deltas and,
 * once it drains, sends a fresh snapshot; private events are never dropped: a client that
 * cannot take them is disconnected with the reason. Memory per session is bounded by the
 * write queue.
 */
public final class WsSession {

    private static final java.util.regex.Pattern POOL_ASSET = java.util.regex.Pattern.compile("[A-Z0-9]{1,16}");
    static final int MAX_SUBSCRIPTIONS = 200;
    private static final java.security.SecureRandom NONCES = new java.security.SecureRandom();

    private final ServerWebSocket ws;
    private final Vertx vertx;
    private final StreamHub hub;
    private final MarketCatalog catalog;
    private final Backends backends;
    private final BookSnapshots snapshots;
    private final RequestAuth auth;
    /**
     * What the socket follows, by subscription key: the address, or for candles the address
     * and the interval (one market's candles are one address, and each interval a socket asks
     * for is a subscription of its own, unsubscribed on its own).
     */
    private final Map<String, Subscription> subscriptions = new HashMap<>();
    private final Map<String, BookFollower> books = new HashMap<>();
    private final Context context;              // the socket's event loop
    private final Runnable onResync;            // metrics
    private final Runnable onSlowDisconnect;
    private RequestAuth.Caller caller;
    private boolean loggingIn;
    private boolean closed;
    private final String nonce;

    /** A hub address followed and the handler given to the hub for it. */
    private record Subscription(String address, BiConsumer<String, HubEvent> handler) {
    }

    WsSession(ServerWebSocket ws, Vertx vertx, StreamHub hub, MarketCatalog catalog, Backends backends,
              BookSnapshots snapshots, RequestAuth auth, int writeQueueBytes, Runnable onResync,
              Runnable onSlowDisconnect) {
        Context current = Vertx.currentContext();   // the socket's, when called from its handler
        this.context = current != null ? EventLoops.root(current) : vertx.getOrCreateContext();
        this.onResync = onResync;
        this.onSlowDisconnect = onSlowDisconnect;
        this.ws = ws;
        this.vertx = vertx;
        this.hub = hub;
        this.catalog = catalog;
        this.backends = backends;
        this.snapshots = snapshots;
        this.auth = auth;
        ws.setWriteQueueMaxSize(writeQueueBytes);
        ws.textMessageHandler(this::onText);
        ws.binaryMessageHandler(b -> send(new JsonObject().put("error", error("INVALID_REQUEST",
                "send JSON text messages"))));
        ws.exceptionHandler(t -> {
            // Vert.x reports a message over its size limit here; anything else ends the socket too.
            boolean tooBig = t instanceof IllegalStateException && String.valueOf(t.getMessage()).contains("max message size");
            if (!ws.isClosed()) {
                ws.close(tooBig ? (short) 1009 : (short) 1011, tooBig ? "message too big" : "socket error");
            }
        });
        byte[] n = new byte[16];
        NONCES.nextBytes(n);
        this.nonce = java.util.HexFormat.of().formatHex(n);
        send(new JsonObject().put("op", "hello").put("nonce", nonce).put("serverTime", System.currentTimeMillis()));
        ws.drainHandler(v -> books.values().forEach(BookFollower::drained));
    }

    // ---------------------------------------------------------------- requests

    private void onText(String text) {
        JsonObject msg;
        try {
            msg = new JsonObject(text);
        } catch (DecodeException e) {
            send(new JsonObject().put("error", error("MALFORMED_JSON", "not a JSON object")));
            return;
        }
        String op = msg.getString("op", "");
        Object id = msg.getValue("id");
        try {
            switch (op) {
                case "subscribe" -> subscribe(msg);
                case "unsubscribe" -> unsubscribe(msg);
                case "login" -> login(msg);
                case "order" -> order(msg, id);
                case "cancel" -> cancel(msg, id);
                case "ping" -> send(new JsonObject().put("op", "pong").put("time", System.currentTimeMillis()));
                default -> throw ApiError.badRequest("UNKNOWN_OP", "op must be subscribe, unsubscribe, login, order,"
                        + " cancel or ping");
            }
        } catch (ApiError e) {
            reply(id, Future.failedFuture(e));
        } catch (RuntimeException e) {
            // A field of the wrong type, say: the exception's own text is not for the client.
            reply(id, Future.failedFuture(ApiError.badRequest("INVALID_REQUEST", "a field of this " + op
                    + " request has the wrong type or value")));
        }
    }

    private static JsonObject error(String code, String message) {
        return new JsonObject().put("code", code).put("message", message);
    }

    private void reply(Object id, Future<JsonObject> result) {
        result.onComplete(ar -> {
            JsonObject out = new JsonObject();
            if (id != null) {
                out.put("id", id);
            }
            if (ar.succeeded()) {
                out.put("result", ar.result());
            } else {
                ApiError e = ApiError.of(ar.cause());   // the same codes as over REST
                out.put("error", error(e.code(), e.getMessage()));
            }
            send(out);
        });
    }

    private static String address(String channel, String market) {
        return switch (channel) {
            case "book" -> Addresses.book(market);
            case "trades" -> Addresses.trades(market);
            case "ticker" -> Addresses.ticker(market);
            case "mark" -> Addresses.mark(market);
            case "liquidations" -> Addresses.liquidations(market);
            case "option" -> Addresses.option(market);
            case "candles" -> Addresses.candles(market);
            case "ticker24h" -> Addresses.ticker24h(market);
            case "pool" -> {
                if (!POOL_ASSET.matcher(market).matches()) {
                    throw ApiError.badRequest("INVALID_REQUEST", "a pool channel names an asset, e.g. BTC");
                }
                yield Addresses.pool(market);
            }
            case "chain" -> {
                if (!POOL_ASSET.matcher(market).matches()) {
                    throw ApiError.badRequest("INVALID_REQUEST", "a chain channel names an underlying, e.g. BTC");
                }
                yield Addresses.chain(market);
            }
            default -> throw ApiError.badRequest("UNKNOWN_CHANNEL",
                    "channel must be book, trades, ticker, ticker24h, candles, mark, liquidations, pool, option"
                            + " or chain");
        };
    }

    /**
     * Subscription changes count against the client address's weight, like public REST calls
     * (a book subscription as much as a deep book over REST: it costs a snapshot).
     */
    private void limitSubscriptions(int weight) {
        Future<Void> allowed = auth.limitKey("ip:" + ws.remoteAddress().host(), weight, 0);
        if (allowed.failed()) {
            throw (ApiError) allowed.cause();
        }
    }

    private void subscribe(JsonObject msg) {
        String channel = msg.getString("channel", "");
        String market = msg.getString("market", "");
        String address = address(channel, market);
        // A pool is named by its asset, not a market: an asset some market trades (as every pool's is);
        // a chain by its underlying, known once the catalog holds one of its instruments.
        boolean byAsset = "pool".equals(channel) || "chain".equals(channel);
        MarketCatalog.Entry entry = byAsset ? null : catalog.require(market);
        if ("pool".equals(channel) && catalog.decimals(market) < 0) {
            throw ApiError.notFound("UNKNOWN_POOL", "no pool lends " + market);
        }
        if ("chain".equals(channel) && OptionsInput.instruments(catalog, market, null).findAny().isEmpty()) {
            throw ApiError.notFound("UNKNOWN_UNDERLYING", "no option chain on " + market);
        }
        io.trademesh.proto.common.Product product = entry == null ? null : entry.market().getProduct();
        if ("mark".equals(channel) && product != io.trademesh.proto.common.Product.PRODUCT_FUTURES) {
            throw ApiError.badRequest("UNKNOWN_CHANNEL", channel + " is a channel of futures contracts");
        }
        if ("liquidations".equals(channel) && product != io.trademesh.proto.common.Product.PRODUCT_FUTURES
                && product != io.trademesh.proto.common.Product.PRODUCT_OPTIONS) {
            throw ApiError.badRequest("UNKNOWN_CHANNEL", channel + " is a channel of futures contracts and options");
        }
        if ("option".equals(channel) && product != io.trademesh.proto.common.Product.PRODUCT_OPTIONS) {
            throw ApiError.badRequest("UNKNOWN_CHANNEL", channel + " is a channel of option instruments");
        }
        String interval = interval(channel, msg);
        String key = key(address, interval);
        limitSubscriptions("book".equals(channel) ? 5 : 1);
        if (!subscriptions.containsKey(key) && subscriptions.size() >= MAX_SUBSCRIPTIONS) {
            throw ApiError.badRequest("TOO_MANY_SUBSCRIPTIONS", "at most " + MAX_SUBSCRIPTIONS
                    + " subscriptions per socket");
        }
        if (subscriptions.containsKey(key)) {
            BookFollower follower = books.get(market);
            if ("book".equals(channel) && follower != null) {
                follower.retry();   // a follower whose snapshot failed starts again
            }
            send(acknowledged("subscribed", channel, market, interval));
            return;
        }
        BiConsumer<String, HubEvent> sub = interval != null
                ? (a, event) -> onOwnContext(() -> onCandles(entry, interval, event))
                : (a, event) -> onOwnContext(() -> onMarketData(channel, entry, event));
        subscriptions.put(key, new Subscription(address, sub));
        if ("book".equals(channel)) {
            BookFollower follower = new BookFollower(entry.market(), bookSocket(entry));
            books.put(market, follower);
            hub.subscribe(address, sub);     // deltas are held until the snapshot is out
            follower.start();
        } else {
            hub.subscribe(address, sub);
        }
        send(acknowledged("subscribed", channel, market, interval));
    }

    /** A candles subscription's interval (400 INVALID_INTERVAL when missing or unknown); null for other channels. */
    private static String interval(String channel, JsonObject msg) {
        if (!"candles".equals(channel)) {
            return null;
        }
        Object interval = msg.getValue("interval");
        return HistoryInput.interval(interval instanceof String text ? text : null);
    }

    private static String key(String address, String interval) {
        return interval == null ? address : address + " " + interval;
    }

    private static JsonObject acknowledged(String op, String channel, String market, String interval) {
        JsonObject ack = new JsonObject().put("op", op).put("channel", channel).put("market", market);
        return interval == null ? ack : ack.put("interval", interval);
    }

    private void unsubscribe(JsonObject msg) {
        String channel = msg.getString("channel", "");
        String market = msg.getString("market", "");
        String address = address(channel, market);
        String interval = interval(channel, msg);
        limitSubscriptions(1);
        Subscription sub = subscriptions.remove(key(address, interval));
        if (sub != null) {
            hub.unsubscribe(sub.address(), sub.handler());
        }
        if ("book".equals(channel)) {
            BookFollower follower = books.remove(market);
            if (follower != null) {
                follower.stop();
            }
        }
        send(acknowledged("unsubscribed", channel, market, interval));
    }

    private void login(JsonObject msg) {
        if (caller != null || loggingIn) {
            send(new JsonObject().put("op", "login").put("error", error("ALREADY_LOGGED_IN",
                    "this socket is logged in already; open another socket for another key")));
            return;
        }
        Object timestamp = msg.getValue("timestamp");
        String apiKey = msg.getString("apiKey", "");       // a non-string throws here, before loggingIn is set
        String signature = msg.getString("signature");
        loggingIn = true;
        // A client may send its first order right behind its login: hold what follows until the login is answered,
        // so that it is judged logged in or not, never refused for a lookup still under way.
        ws.pause();
        auth.login(apiKey, timestamp == null ? null : timestamp.toString(), signature, nonce, ws.remoteAddress().host())
                .onComplete(ar -> onOwnContext(() -> {
                    loggingIn = false;
                    if (closed) {
                        return;   // the socket went while the key was looked up: nothing to follow
                    }
                    if (ar.failed()) {
                        ApiError e = ApiError.of(ar.cause());
                        send(new JsonObject().put("op", "login").put("error", error(e.code(), e.getMessage())));
                    } else {
                        RequestAuth.Caller c = ar.result();
                        caller = c;
                        String address = Addresses.account(c.accountId());
                        BiConsumer<String, HubEvent> sub = (a, event) -> onOwnContext(() -> onPrivate(event.body()));
                        subscriptions.put(address, new Subscription(address, sub));
                        hub.subscribe(address, sub);
                        send(new JsonObject().put("op", "login").put("accountId", c.accountId()));
                    }
                    ws.resume(); // last: resuming may hand over the held messages at once
                }));
    }

    /**
     * Re-checks a logged-in socket's key through the key cache (every few seconds, from
     * {@link WsServer}): a revocation or suspension whose announcement was lost still
     * closes the socket within the cache's lifetime.
     */
    void recheck() {
        onOwnContext(() -> {
            RequestAuth.Caller c = caller;
            if (c == null || closed) {
                return;
            }
            auth.permission(c.apiKey(), Permission.PERMISSION_READ).onFailure(err -> onOwnContext(() -> {
                ApiError e = ApiError.of(err);
                if (e.status() == 401 || e.status() == 403) {
                    closeIfLoggedIn(c.apiKey(), c.accountId(), e.status() == 401 ? "API key revoked"
                            : "account suspended");
                }
            }));
        });
    }

    /** Closes the socket when it is logged in with {@code apiKey} (revoked) or as {@code accountId} (suspended). */
    void closeIfLoggedIn(String apiKey, long accountId, String reason) {
        onOwnContext(() -> {
            if (caller != null && !closed && (caller.apiKey().equals(apiKey) || caller.accountId() == accountId)) {
                ws.close((short) 1008, reason);
                close();
            }
        });
    }

    private RequestAuth.Caller requireLogin() {
        if (caller == null) {
            throw new ApiError(401, "LOGIN_REQUIRED", "log in on this socket first");
        }
        return caller;
    }

    private void order(JsonObject msg, Object id) {
        RequestAuth.Caller c = requireLogin();
        MarketCatalog.Entry m = catalog.require(msg.getString("market", ""));
        JsonObject fields = msg.copy();
        fields.remove("op");
        fields.remove("id");
        String bad = NewOrderShape.check(fields);   // the REST contract's order shape, on the socket too
        if (bad != null) {
            throw ApiError.badRequest("INVALID_REQUEST", "order: " + bad);
        }
        var request = OrderInput.placeOrder(c.accountId(), fields, m.market());
        reply(id, permitted(c, Permission.PERMISSION_TRADE, true)
                .compose(v -> backends.order(m.endpoint(), e -> e.orders().place(request)))
                .map(r -> OrderReplies.json(r, m.market())));
    }

    private void cancel(JsonObject msg, Object id) {
        RequestAuth.Caller c = requireLogin();
        MarketCatalog.Entry m = catalog.require(msg.getString("market", ""));
        long orderId;
        try {
            orderId = Long.parseUnsignedLong(msg.getString("orderId", ""));
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("INVALID_ORDER_ID", "orderId is the venue's numeric order id");
        }
        reply(id, permitted(c, Permission.PERMISSION_TRADE, false)
                .compose(v -> backends.order(m.endpoint(), e -> e.orders().cancel(CancelOrderRequest.newBuilder()
                        .setAccountId(c.accountId()).setMarket(m.market().getSymbol()).setOrderId(orderId).build())))
                .map(r -> OrderReplies.json(r, m.market())));
    }

    /** Socket commands count against the key's rate limits like REST ones; permission rechecked via the key cache. */
    private Future<Void> permitted(RequestAuth.Caller c, Permission needed, boolean order) {
        return auth.permission(c.apiKey(), needed).compose(v -> auth.limitKey(c.apiKey(), 1, order ? 1 : 0));
    }

    // ---------------------------------------------------------------- streams

    /**
     * A public event: a book delta to the book's follower; any other is rendered as JSON text
     * once, by the first socket that follows it, and that text sent by all of them.
     */
    private void onMarketData(String channel, MarketCatalog.Entry m, HubEvent event) {
        if ("book".equals(channel)) {
            BookFollower follower = books.get(m.market().getSymbol());
            if (follower != null) {
                follower.onDelta(event.rendered(b -> BookFollower.Delta.of(b, m.market())));
            }
            return;
        }
        String text = event.rendered(b -> render(channel, m, b));
        if (!ws.writeQueueFull()) {
            sendText(text);
        }
    }

    private String render(String channel, MarketCatalog.Entry m, Buffer body) {
        byte[] bytes = body.getBytes();
        try {
            JsonObject data = switch (channel) {
                case "trades" -> Json.trade(PublicTrade.parseFrom(bytes), m.market());
                case "mark" -> FuturesJson.mark(io.trademesh.proto.futures.MarkPrice.parseFrom(bytes), m.market());
                case "liquidations" -> m.market().getProduct() == io.trademesh.proto.common.Product.PRODUCT_OPTIONS
                        ? OptionsJson.liquidation(io.trademesh.proto.options.OptionLiquidation.parseFrom(bytes),
                                m.market())
                        : FuturesJson.liquidation(io.trademesh.proto.futures.Liquidation.parseFrom(bytes), m.market());
                case "option" -> OptionsJson.ticker(io.trademesh.proto.options.OptionTicker.parseFrom(bytes),
                        m.market());
                case "chain" -> OptionsJson.chain(io.trademesh.proto.options.Chain.parseFrom(bytes), symbol -> {
                    MarketCatalog.Entry e = catalog.get(symbol);
                    return e == null ? null : e.market();
                });
                case "ticker24h" -> HistoryJson.ticker24h(io.trademesh.proto.marketdata.Ticker24h.parseFrom(bytes),
                        m.market());
                case "pool" -> LendingJson.pool(io.trademesh.proto.moneymarket.Pool.parseFrom(bytes));
                default -> Json.ticker(Ticker.parseFrom(bytes), m.market());
            };
            String name = switch (channel) {
                case "trades", "mark", "liquidations", "option", "chain", "ticker24h", "pool" -> channel;
                default -> "ticker";
            };
            return new JsonObject().put("channel", name).put("data", data).encode();
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("undecodable " + channel + " event", e);
        }
    }

    /**
     * A market's current candles (every interval, once a second while they change): only the
     * subscribed interval's goes out, and nothing when the update does not carry it.
     */
    private void onCandles(MarketCatalog.Entry m, String interval, HubEvent event) {
        io.trademesh.proto.marketdata.CandleUpdate update;
        try {
            update = event.rendered(b -> {
                try {
                    return io.trademesh.proto.marketdata.CandleUpdate.parseFrom(b.getBytes());
                } catch (InvalidProtocolBufferException e) {
                    throw new IllegalArgumentException(e);
                }
            });
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("undecodable candles event", e);
        }
        int i = update.getIntervalsList().indexOf(interval);
        if (i < 0 || i >= update.getCandlesCount()) {
            return;
        }
        sendDroppable(new JsonObject().put("channel", "candles").put("market", m.market().getSymbol())
                .put("interval", interval).put("data", HistoryJson.candle(update.getCandles(i), m.market())));
    }

    /** The book follower's view of this socket. */
    private BookFollower.Socket bookSocket(MarketCatalog.Entry m) {
        return new BookFollower.Socket() {
            @Override
            public boolean writeQueueFull() {
                return ws.writeQueueFull();
            }

            @Override
            public void send(JsonObject message) {
                WsSession.this.send(message);
            }

            @Override
            public void sendText(String text) {
                WsSession.this.sendText(text);
            }

            @Override
            public Future<BookSnapshots.Rendered> snapshot(long notBeforeNanos) {
                return snapshots.get(m.endpoint(), m.market(), notBeforeNanos);
            }

            @Override
            public void resynced() {
                onResync.run();
            }
        };
    }

    private void onPrivate(Buffer body) {
        AccountEvent e;
        try {
            e = AccountEvent.parseFrom(body.getBytes());
        } catch (InvalidProtocolBufferException ex) {
            throw new IllegalStateException("undecodable account event", ex);
        }
        JsonObject out = new JsonObject().put("channel", "private");
        switch (e.getEventCase()) {
            case ORDER -> {
                MarketCatalog.Entry m = catalog.get(e.getOrder().getMarket());
                if (m == null) {
                    return;
                }
                out.put("type", "order").put("data", Json.order(e.getOrder(), m.market()));
            }
            case FILL -> {
                MarketCatalog.Entry m = catalog.get(e.getFill().getMarket());
                if (m == null) {
                    return;
                }
                out.put("type", "fill").put("data", Json.fill(e.getFill(), m.market()));
            }
            case BALANCE -> {
                // A market created a moment ago may not be in the catalog yet: then the amounts are in units.
                int d = catalog.decimals(e.getBalance().getAsset());
                out.put("type", "balance").put("data", d >= 0 ? Json.balance(e.getBalance(), d)
                        : Json.balance(e.getBalance(), 0).put("inUnits", true));
            }
            case POSITION -> {
                MarketCatalog.Entry m = catalog.get(e.getPosition().getMarket());
                if (m == null) {
                    return;
                }
                out.put("type", "position").put("data", FuturesJson.position(e.getPosition(), m.market()));
            }
            case LENDING -> out.put("type", "lending").put("data", LendingJson.account(e.getLending()));
            case OPTION_POSITION -> {
                MarketCatalog.Entry m = catalog.get(e.getOptionPosition().getMarket());
                if (m == null) {
                    return;
                }
                out.put("type", "option_position").put("data", OptionsJson.position(e.getOptionPosition(), m.market()));
            }
            case RESYNC -> out.put("type", "resync").put("reason", e.getResync().getReason());
            default -> {
                return;
            }
        }
        if (ws.writeQueueFull()) {
            // Private events cannot be skipped: a client that cannot take them must reconnect and re-read.
            onSlowDisconnect.run();
            ws.close((short) 1008, "too slow: private events could not be delivered");
            close();
            return;
        }
        send(out);
    }

    /**
     * Runs {@code r} on this socket's event loop. Events come from the hub's listener, which
     * may sit on another event loop; the session's state is only ever touched from its own.
     */
    private void onOwnContext(Runnable r) {
        Context current = Vertx.currentContext();
        if (current != null && EventLoops.root(current) == context) {
            r.run();
        } else {
            context.runOnContext(v -> r.run());
        }
    }

    private void sendDroppable(JsonObject msg) {
        if (!ws.writeQueueFull()) {
            send(msg);
        }
    }

    private void send(JsonObject msg) {
        sendText(msg.encode());
    }

    private void sendText(String text) {
        if (!closed) {
            ws.writeTextMessage(text);
        }
    }

    void close() {
        if (closed) {
            return;
        }
        closed = true;
        subscriptions.values().forEach(s -> hub.unsubscribe(s.address(), s.handler()));
        subscriptions.clear();
        books.values().forEach(BookFollower::stop);
        books.clear();
    }

    boolean isClosed() {
        return closed;
    }

    /** Sends a WebSocket ping frame (keep-alive). */
    void ping() {
        if (!closed) {
            ws.writePing(Buffer.buffer("ka"));
        }
    }
}
