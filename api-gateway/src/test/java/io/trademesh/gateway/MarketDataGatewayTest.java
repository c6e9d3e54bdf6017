package io.trademesh.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.trademesh.gateway.api.RequestAuth;
import io.trademesh.gateway.api.RestApi;
import io.trademesh.gateway.auth.ApiKeys;
import io.trademesh.gateway.auth.RateLimiter;
import io.trademesh.gateway.config.GatewayConfig;
import io.trademesh.gateway.routing.Backends;
import io.trademesh.gateway.routing.MarketCatalog;
import io.trademesh.gateway.routing.ServiceEndpoints;
import io.trademesh.gateway.ws.WsServer;
import io.trademesh.platform.cluster.ServiceDirectory;
import io.trademesh.platform.events.Addresses;
import io.trademesh.proto.common.Asset;
import io.trademesh.proto.common.Market;
import io.trademesh.proto.common.Product;
import io.trademesh.proto.common.PublicTrade;
import io.trademesh.proto.common.Side;
import io.trademesh.proto.marketdata.Candle;
import io.trademesh.proto.marketdata.CandleUpdate;
import io.trademesh.proto.marketdata.HistoryKind;
import io.trademesh.proto.marketdata.HistoryReply;
import io.trademesh.proto.marketdata.HistoryRequest;
import io.trademesh.proto.marketdata.MarketDataServiceGrpcService;
import io.trademesh.proto.marketdata.MarketDataServiceService;
import io.trademesh.proto.marketdata.OptionMarkPoint;
import io.trademesh.proto.futures.FundingEvent;
import io.trademesh.proto.marketdata.Ticker24h;
import io.trademesh.proto.marketdata.TickerList;
import io.trademesh.proto.marketdata.TickersRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.grpc.server.GrpcServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway's market-history routes and candle and 24-hour-ticker channels, in-process
 * against a stand-in marketdata-service: the query becomes the service's request, its
 * integers become decimal strings at the market's scales, bad input and unknown markets are
 * refused before the service hears of it, the routes answer 503 at once while the service is
 * absent or down, and a candles subscription gets only its own interval. The real service is
 * tried end to end elsewhere.
 */
class MarketDataGatewayTest {

    private static final String TOKEN = "operator-token-for-the-test";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Market BTC_USDT = Market.newBuilder().setSymbol("BTC-USDT").setProduct(Product.PRODUCT_SPOT)
            .setBase(Asset.newBuilder().setSymbol("BTC").setDecimals(8))
            .setQuote(Asset.newBuilder().setSymbol("USDT").setDecimals(6))
            .setPriceScale(2).setTickSize(1).setLotSize(10_000).setMaxQuantity(10_000_000_000L)
            .setMaxPrice(100_000_000L).build();
    private static final Market BTC_PERP = BTC_USDT.toBuilder().setSymbol("BTC-PERP")
            .setProduct(Product.PRODUCT_FUTURES).build();
    private static final Market BTC_CALL = BTC_USDT.toBuilder().setSymbol("BTC-20261225-60000-C")
            .setProduct(Product.PRODUCT_OPTIONS).build();
    private static final Market ETH_USDT = BTC_USDT.toBuilder().setSymbol("ETH-USDT")
            .setBase(Asset.newBuilder().setSymbol("ETH").setDecimals(6)).setPriceScale(1).build();

    private Vertx vertx;
    private int port;
    private final List<Object> requests = new CopyOnWriteArrayList<>();

    /** Answers as marketdata-service would: a full page with a next, trades, tickers (one empty, one unknown here). */
    private final class StandIn extends MarketDataServiceService {
        @Override
        public Future<HistoryReply> getHistoricalData(HistoryRequest r) {
            requests.add(r);
            HistoryReply.Builder reply = HistoryReply.newBuilder().setMarket(r.getMarket())
                    .setInterval(r.getInterval()).setKeptFromMs(60_000);
            if (r.getKind() == HistoryKind.HISTORY_KIND_CANDLES) {
                reply.addCandles(candle(120_000)).addCandles(candle(180_000)).setNextFromMs(240_000);
            } else if (r.getKind() == HistoryKind.HISTORY_KIND_FUNDING) {
                reply.addFunding(FundingEvent.newBuilder().setMarket(r.getMarket()).setRateE8(-2_500)
                        .setMarkPrice(3_001_000).setPaid(1_250_000).setTimestampMs(3_600_000));
            } else if (r.getKind() == HistoryKind.HISTORY_KIND_OPTION_MARKS) {
                reply.addOptionMarks(OptionMarkPoint.newBuilder().setTimestampMs(60_000).setMarkPrice(150_050)
                        .setMarkIvE8(55_000_000).setIndexPrice(6_000_000));
            } else {
                reply.addTrades(PublicTrade.newBuilder().setMarket(r.getMarket()).setMarketSequence(5).setTradeId(11)
                        .setPrice(3_000_000).setQuantity(1_000_000).setTakerSide(Side.SIDE_BUY)
                        .setTimestampMs(125_000));
            }
            return Future.succeededFuture(reply.build());
        }

        @Override
        public Future<TickerList> getTickers24h(TickersRequest r) {
            requests.add(r);
            TickerList.Builder list = TickerList.newBuilder();
            if (r.getMarket().isEmpty() || r.getMarket().equals("BTC-USDT")) {
                list.addTickers(ticker("BTC-USDT"));
            }
            if (r.getMarket().isEmpty()) {
                list.addTickers(Ticker24h.newBuilder().setMarket("ETH-USDT").setOpenTimeMs(1_000)
                        .setCloseTimeMs(86_401_000));   // no trades in the window: left out of the list
                list.addTickers(ticker("DOGE-USDT"));   // not in the gateway's catalog: no scales, left out
                list.addTickers(ticker("AAA-USDT"));
            }
            return Future.succeededFuture(list.build());
        }
    }

    private static Candle candle(long openTime) {
        return Candle.newBuilder().setOpenTimeMs(openTime).setOpen(3_000_050).setHigh(3_010_000).setLow(2_990_000)
                .setClose(3_005_000).setVolume(150_000_000).setQuoteVolume(45_075_000_000L).setTrades(3).build();
    }

    private static Ticker24h ticker(String market) {
        return Ticker24h.newBuilder().setMarket(market).setOpen(3_000_000).setHigh(3_050_000).setLow(2_950_000)
                .setClose(2_985_000).setVolume(200_000_000).setQuoteVolume(60_000_000_000L).setTrades(42)
                .setOpenTimeMs(1_000).setCloseTimeMs(86_401_000).build();
    }

    /**
     * Starts the gateway's REST API and sockets. marketdata-service is the stand-in when
     * {@code standIn}; otherwise it is registered at a port nobody listens on when
     * {@code registered} (up in the directory, down in fact), or not at all.
     */
    private void start(boolean standIn, boolean registered) throws Exception {
        vertx = Vertx.vertx();
        String endpoint = null;
        if (standIn) {
            GrpcServer grpc = GrpcServer.server(vertx);
            grpc.addService(MarketDataServiceGrpcService.of(new StandIn()));
            HttpServer services = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0)
                    .setHttp2ClearTextEnabled(true)).requestHandler(grpc).listen().await();
            endpoint = "127.0.0.1:" + services.actualPort();
        } else if (registered) {
            // Registered but down: a port that was open a moment ago and is closed now.
            HttpServer gone = vertx.createHttpServer().requestHandler(r -> { }).listen(0, "127.0.0.1").await();
            endpoint = "127.0.0.1:" + gone.actualPort();
            gone.close().await();
        }
        ServiceEndpoints endpoints = new ServiceEndpoints(vertx);
        if (endpoint != null) {
            new ServiceDirectory(vertx).register(new ServiceDirectory.Instance("marketdata-service", "marketdata-1",
                    endpoint)).await();
        }
        endpoints.refresh("risk-service", "marketdata-service").await();
        Backends backends = new Backends(vertx, 2_000);
        MarketCatalog catalog = new MarketCatalog(vertx, backends);
        catalog.put(BTC_USDT, "127.0.0.1:1");
        catalog.put(ETH_USDT, "127.0.0.1:1");
        catalog.put(BTC_PERP, "127.0.0.1:1");
        catalog.put(BTC_CALL, "127.0.0.1:1");
        catalog.put(BTC_USDT.toBuilder().setSymbol("AAA-USDT").build(), "127.0.0.1:1");
        GatewayConfig config = new GatewayConfig(TOKEN, 1_000_000, 100_000, 1_000_000, 16_384, 2_000, 512 * 1024);
        RequestAuth auth = new RequestAuth(new ApiKeys(backends, endpoints), new RateLimiter(1_000_000, 100_000,
                1_000_000));
        Router router = Router.router(vertx);
        CompletableFuture<WsServer> ws = new CompletableFuture<>();
        vertx.getOrCreateContext().runOnContext(v -> ws.complete(new WsServer(vertx, catalog, backends, auth,
                512 * 1024, (service, request) -> Future.failedFuture("no replay here"), new SimpleMeterRegistry())));
        WsServer sockets = ws.get(5, TimeUnit.SECONDS);
        router.get(WsServer.PATH).handler(rc -> rc.request().toWebSocket().onSuccess(sockets::connected));
        String contract = Files.readString(java.nio.file.Path.of(getClass().getResource("/openapi.yaml").toURI()));
        new RestApi(config, catalog, backends, endpoints, auth).mount(vertx, router, contract).await();
        port = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await().actualPort();
    }

    @AfterEach
    void stop() {
        if (vertx != null) {
            vertx.close().await();
        }
    }

    // ---------------------------------------------------------------- helpers

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonObject ok(HttpResponse<String> r) {
        assertEquals(200, r.statusCode(), r.body());
        return new JsonObject(r.body());
    }

    private static void refused(HttpResponse<String> r, int status, String code) {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals(code, new JsonObject(r.body()).getString("code"), r.body());
    }

    // ---------------------------------------------------------------- REST

    @Test
    void candlesAreAPageAtTheMarketsScales() throws Exception {
        start(true, true);
        JsonObject page = ok(get("/v1/markets/BTC-USDT/candles?interval=1m&from=60000&to=600000&limit=2"));
        HistoryRequest sent = (HistoryRequest) requests.get(0);
        assertEquals(HistoryKind.HISTORY_KIND_CANDLES, sent.getKind());
        assertEquals("BTC-USDT", sent.getMarket());
        assertEquals("1m", sent.getInterval());
        assertEquals(60_000, sent.getFromMs());
        assertEquals(600_000, sent.getToMs());
        assertEquals(2, sent.getLimit());
        assertEquals("BTC-USDT", page.getString("market"));
        assertEquals("1m", page.getString("interval"));
        assertEquals(240_000L, page.getLong("next"));
        assertEquals(60_000L, page.getLong("keptFrom"));
        JsonArray candles = page.getJsonArray("candles");
        assertEquals(2, candles.size());
        assertEquals(new JsonObject().put("openTime", 120_000L).put("open", "30000.5").put("high", "30100")
                .put("low", "29900").put("close", "30050").put("volume", "1.5").put("quoteVolume", "45075")
                .put("trades", 3L), candles.getJsonObject(0));

        ok(get("/v1/markets/BTC-USDT/candles?interval=1w"));
        HistoryRequest defaults = (HistoryRequest) requests.get(1);
        assertEquals(500, defaults.getLimit());
        assertEquals(0, defaults.getFromMs());
        assertEquals(0, defaults.getToMs());
    }

    @Test
    void fundingAndOptionMarksArePagesOfTheirOwnProductOnly() throws Exception {
        start(true, true);
        JsonObject funding = ok(get("/v1/markets/BTC-PERP/funding?from=1000&limit=20"));
        HistoryRequest sent = (HistoryRequest) requests.get(0);
        assertEquals(HistoryKind.HISTORY_KIND_FUNDING, sent.getKind());
        assertEquals("BTC-PERP", sent.getMarket());
        assertEquals(1_000, sent.getFromMs());
        assertEquals(20, sent.getLimit());
        assertEquals(60_000L, funding.getLong("keptFrom"));
        assertEquals(new JsonObject().put("market", "BTC-PERP").put("rate", "-0.000025").put("markPrice", "30010")
                .put("paid", "1.25").put("time", 3_600_000L), funding.getJsonArray("funding").getJsonObject(0));

        JsonObject marks = ok(get("/v1/markets/BTC-20261225-60000-C/marks?to=120000"));
        assertEquals(HistoryKind.HISTORY_KIND_OPTION_MARKS, ((HistoryRequest) requests.get(1)).getKind());
        assertEquals(new JsonObject().put("time", 60_000L).put("markPrice", "1500.5").put("markIv", "0.55")
                .put("indexPrice", "60000"), marks.getJsonArray("marks").getJsonObject(0));

        refused(get("/v1/markets/BTC-USDT/funding"), 404, "UNKNOWN_MARKET");
        refused(get("/v1/markets/BTC-PERP/marks"), 404, "UNKNOWN_MARKET");
        refused(get("/v1/markets/DOGE-PERP/funding"), 404, "UNKNOWN_MARKET");
        refused(get("/v1/markets/BTC-PERP/funding?from=5&to=5"), 400, "INVALID_RANGE");
        refused(get("/v1/markets/BTC-20261225-60000-C/marks?limit=5000"), 400, "INVALID_REQUEST");
        assertEquals(2, requests.size(), "refusals never reached the service");
    }

    @Test
    void tradeHistoryHasTheRecentTradesShape() throws Exception {
        start(true, true);
        JsonObject page = ok(get("/v1/markets/BTC-USDT/trades/history?from=100000&limit=10"));
        HistoryRequest sent = (HistoryRequest) requests.get(0);
        assertEquals(HistoryKind.HISTORY_KIND_TRADES, sent.getKind());
        assertEquals(100_000, sent.getFromMs());
        assertEquals(0, sent.getToMs(), "no to: up to now");
        assertEquals(10, sent.getLimit());
        assertEquals("BTC-USDT", page.getString("market"));
        assertTrue(page.containsKey("next") && page.getValue("next") == null, "the range is done: next is null");
        JsonObject trade = page.getJsonArray("trades").getJsonObject(0);
        assertEquals(new JsonObject().put("market", "BTC-USDT").put("tradeId", "11").put("price", "30000")
                .put("quantity", "0.01").put("takerSide", "BUY").put("time", 125_000L), trade,
                "shaped as a recent trade, without the book sequence history does not keep");
    }

    @Test
    void tickersCarryTheChangeAndLeaveOutEmptyAndUnknownMarkets() throws Exception {
        start(true, true);
        JsonObject t = ok(get("/v1/markets/BTC-USDT/ticker/24h"));
        assertEquals("BTC-USDT", ((TickersRequest) requests.get(0)).getMarket());
        assertEquals(new JsonObject().put("market", "BTC-USDT").put("open", "30000").put("high", "30500")
                .put("low", "29500").put("close", "29850").put("volume", "2").put("quoteVolume", "60000")
                .put("trades", 42L).put("openTime", 1_000L).put("closeTime", 86_401_000L).put("priceChange", "-150")
                .put("priceChangePercent", "-0.50"), t);

        JsonObject quiet = ok(get("/v1/markets/ETH-USDT/ticker/24h"));
        assertEquals("ETH-USDT", quiet.getString("market"));
        assertNull(quiet.getValue("close"), "no trades in the window: no price");
        assertEquals("0", quiet.getString("volume"));
        assertEquals(0L, quiet.getLong("trades"));

        JsonArray all = new JsonArray(get("/v1/tickers/24h").body());
        assertEquals("", ((TickersRequest) requests.get(2)).getMarket());
        assertEquals(2, all.size(), all.encode());
        assertEquals("AAA-USDT", all.getJsonObject(0).getString("market"), "by symbol");
        assertEquals("BTC-USDT", all.getJsonObject(1).getString("market"));
        assertEquals("-0.50", all.getJsonObject(1).getString("priceChangePercent"));
    }

    @Test
    void badInputAndUnknownMarketsNeverReachTheService() throws Exception {
        start(true, true);
        refused(get("/v1/markets/BTC-USDT/candles"), 400, "INVALID_INTERVAL");
        refused(get("/v1/markets/BTC-USDT/candles?interval=2m"), 400, "INVALID_INTERVAL");
        refused(get("/v1/markets/BTC-USDT/candles?interval=1M"), 400, "INVALID_INTERVAL");
        refused(get("/v1/markets/BTC-USDT/candles?interval=1m&from=2000&to=1000"), 400, "INVALID_RANGE");
        refused(get("/v1/markets/BTC-USDT/trades/history?from=1000&to=1000"), 400, "INVALID_RANGE");
        refused(get("/v1/markets/BTC-USDT/trades/history?to=0"), 400, "INVALID_RANGE");
        refused(get("/v1/markets/BTC-USDT/trades/history?from=-1"), 400, "INVALID_REQUEST");
        refused(get("/v1/markets/BTC-USDT/trades/history?from=1e3"), 400, "INVALID_REQUEST");
        refused(get("/v1/markets/BTC-USDT/candles?interval=1m&limit=0"), 400, "INVALID_REQUEST");
        refused(get("/v1/markets/BTC-USDT/candles?interval=1m&limit=1001"), 400, "INVALID_REQUEST");
        refused(get("/v1/markets/BTC-USDT/trades/history?limit=10.0"), 400, "INVALID_REQUEST");
        refused(get("/v1/markets/DOGE-USDT/candles?interval=1m"), 404, "UNKNOWN_MARKET");
        refused(get("/v1/markets/DOGE-USDT/trades/history"), 404, "UNKNOWN_MARKET");
        refused(get("/v1/markets/DOGE-USDT/ticker/24h"), 404, "UNKNOWN_MARKET");
        assertEquals(List.of(), requests, "nothing reached the service");
    }

    @Test
    void withoutTheServiceHistoryIs503AtOnceAndStreamsGoOn() throws Exception {
        start(false, false);
        for (String path : List.of("/v1/markets/BTC-USDT/candles?interval=1m", "/v1/markets/BTC-USDT/trades/history",
                "/v1/markets/BTC-PERP/funding", "/v1/markets/BTC-20261225-60000-C/marks",
                "/v1/markets/BTC-USDT/ticker/24h", "/v1/tickers/24h")) {
            long t0 = System.nanoTime();
            HttpResponse<String> r = get(path);
            refused(r, 503, "SERVICE_UNAVAILABLE");
            assertTrue(new JsonObject(r.body()).getString("message").contains("marketdata-service is not running"),
                    r.body());
            assertEquals("1", r.headers().firstValue("Retry-After").orElse(null));
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(1), path + " answered at once");
        }
        refused(get("/v1/markets/DOGE-USDT/candles?interval=1m"), 404, "UNKNOWN_MARKET");   // still checked first
        // The live channels are the event bus, not the service's gRPC: they work regardless.
        Socket s = socket();
        s.send(subscribe("candles", "BTC-USDT").put("interval", "1m"));
        assertEquals("subscribed", s.next().getString("op"));
        Thread.sleep(200);
        vertx.eventBus().publish(Addresses.candles("BTC-USDT"), update("1m"));
        assertEquals("candles", s.next().getString("channel"));
    }

    @Test
    void aServiceThatIsRegisteredButDownIs503NotA500() throws Exception {
        start(false, true);
        long t0 = System.nanoTime();
        refused(get("/v1/markets/BTC-USDT/candles?interval=1m"), 503, "SERVICE_UNAVAILABLE");
        refused(get("/v1/tickers/24h"), 503, "SERVICE_UNAVAILABLE");
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(3), "no connection is a fast failure");
    }

    // ---------------------------------------------------------------- WebSocket

    /** A socket whose text messages land in a queue. */
    private static final class Socket implements WebSocket.Listener {
        final BlockingQueue<JsonObject> messages = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();
        WebSocket ws;

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                messages.add(new JsonObject(partial.toString()));
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        JsonObject next() throws InterruptedException {
            JsonObject m = messages.poll(10, TimeUnit.SECONDS);
            assertNotNull(m, "no message within 10 s");
            return m;
        }

        void send(JsonObject msg) {
            ws.sendText(msg.encode(), true).join();
        }
    }

    private Socket socket() throws Exception {
        Socket s = new Socket();
        s.ws = HTTP.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + port + WsServer.PATH), s)
                .get(5, TimeUnit.SECONDS);
        assertEquals("hello", s.next().getString("op"));
        return s;
    }

    private static JsonObject subscribe(String channel, String market) {
        return new JsonObject().put("op", "subscribe").put("channel", channel).put("market", market);
    }

    /** A market's current candle of each of {@code intervals}, its open time telling them apart. */
    private static Buffer update(String... intervals) {
        CandleUpdate.Builder u = CandleUpdate.newBuilder().setMarket("BTC-USDT");
        for (int i = 0; i < intervals.length; i++) {
            u.addIntervals(intervals[i]).addCandles(candle(1_000L * (i + 1)));
        }
        return Buffer.buffer(u.build().toByteArray());
    }

    @Test
    void aCandlesSubscriptionGetsOnlyItsInterval() throws Exception {
        start(true, true);
        Socket s = socket();
        s.send(subscribe("candles", "BTC-USDT").put("id", 1));
        JsonObject missing = s.next();
        assertEquals(1, missing.getInteger("id"));
        assertEquals("INVALID_INTERVAL", missing.getJsonObject("error").getString("code"));
        s.send(subscribe("candles", "BTC-USDT").put("interval", "2m"));
        assertEquals("INVALID_INTERVAL", s.next().getJsonObject("error").getString("code"));
        s.send(subscribe("candles", "BTC-USDT").put("interval", 1));
        assertEquals("INVALID_INTERVAL", s.next().getJsonObject("error").getString("code"));
        s.send(subscribe("candles", "DOGE-USDT").put("interval", "1m"));
        assertEquals("UNKNOWN_MARKET", s.next().getJsonObject("error").getString("code"));

        s.send(subscribe("candles", "BTC-USDT").put("interval", "5m"));
        assertEquals(new JsonObject().put("op", "subscribed").put("channel", "candles").put("market", "BTC-USDT")
                .put("interval", "5m"), s.next());
        Thread.sleep(200);   // the hub's listeners register asynchronously
        vertx.eventBus().publish(Addresses.candles("BTC-USDT"), update("1s", "1m", "5m", "1h"));
        JsonObject c = s.next();
        assertEquals("candles", c.getString("channel"));
        assertEquals("BTC-USDT", c.getString("market"));
        assertEquals("5m", c.getString("interval"));
        assertEquals(3_000L, c.getJsonObject("data").getLong("openTime"), "the 5m candle, not another");
        assertEquals("30000.5", c.getJsonObject("data").getString("open"));
        assertEquals("1.5", c.getJsonObject("data").getString("volume"));
        assertNull(s.messages.poll(300, TimeUnit.MILLISECONDS), "one message: no other interval");

        // A second interval of the same market is a subscription of its own ...
        s.send(subscribe("candles", "BTC-USDT").put("interval", "1m"));
        assertEquals("1m", s.next().getString("interval"));
        vertx.eventBus().publish(Addresses.candles("BTC-USDT"), update("1m", "5m"));
        JsonObject first = s.next();
        JsonObject second = s.next();
        assertEquals(List.of("1m", "5m"), List.of(first.getString("interval"), second.getString("interval")).stream()
                .sorted().toList());
        // ... and unsubscribing it leaves the other.
        s.send(new JsonObject().put("op", "unsubscribe").put("channel", "candles").put("market", "BTC-USDT")
                .put("interval", "1m"));
        assertEquals(new JsonObject().put("op", "unsubscribed").put("channel", "candles").put("market", "BTC-USDT")
                .put("interval", "1m"), s.next());
        vertx.eventBus().publish(Addresses.candles("BTC-USDT"), update("1m", "5m"));
        assertEquals("5m", s.next().getString("interval"));
        assertNull(s.messages.poll(300, TimeUnit.MILLISECONDS));
        // An update without the interval sends nothing.
        vertx.eventBus().publish(Addresses.candles("BTC-USDT"), update("1m"));
        assertNull(s.messages.poll(300, TimeUnit.MILLISECONDS));
        s.send(new JsonObject().put("op", "unsubscribe").put("channel", "candles").put("market", "BTC-USDT")
                .put("interval", "5m"));
        assertEquals("unsubscribed", s.next().getString("op"));
        vertx.eventBus().publish(Addresses.candles("BTC-USDT"), update("1m", "5m"));
        assertNull(s.messages.poll(300, TimeUnit.MILLISECONDS), "nothing after the last unsubscribe");
    }

    @Test
    void theTicker24hChannelCarriesTheRollingTicker() throws Exception {
        start(true, true);
        Socket s = socket();
        s.send(subscribe("ticker24h", "NOPE"));
        assertEquals("UNKNOWN_MARKET", s.next().getJsonObject("error").getString("code"));
        s.send(subscribe("ticker24h", "BTC-USDT"));
        assertEquals("subscribed", s.next().getString("op"));
        Thread.sleep(200);
        vertx.eventBus().publish(Addresses.ticker24h("BTC-USDT"), Buffer.buffer(ticker("BTC-USDT").toByteArray()));
        JsonObject t = s.next();
        assertEquals("ticker24h", t.getString("channel"));
        assertEquals("BTC-USDT", t.getJsonObject("data").getString("market"));
        assertEquals("29850", t.getJsonObject("data").getString("close"));
        assertEquals("-0.50", t.getJsonObject("data").getString("priceChangePercent"));
        s.send(new JsonObject().put("op", "unsubscribe").put("channel", "ticker24h").put("market", "BTC-USDT"));
        assertEquals("unsubscribed", s.next().getString("op"));
        vertx.eventBus().publish(Addresses.ticker24h("BTC-USDT"), Buffer.buffer(ticker("BTC-USDT").toByteArray()));
        assertNull(s.messages.poll(300, TimeUnit.MILLISECONDS));
    }
}
