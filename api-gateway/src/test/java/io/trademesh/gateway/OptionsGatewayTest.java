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
import io.trademesh.gateway.auth.Signatures;
import io.trademesh.gateway.config.GatewayConfig;
import io.trademesh.gateway.routing.Backends;
import io.trademesh.gateway.routing.MarketCatalog;
import io.trademesh.gateway.routing.ServiceEndpoints;
import io.trademesh.gateway.ws.WsServer;
import io.trademesh.platform.cluster.ServiceDirectory;
import io.trademesh.platform.errors.Refusals;
import io.trademesh.platform.events.Addresses;
import io.trademesh.platform.events.EventBatcher;
import io.trademesh.proto.common.Asset;
import io.trademesh.proto.common.Market;
import io.trademesh.proto.common.MarketLocation;
import io.trademesh.proto.common.OptionPosition;
import io.trademesh.proto.common.OptionTerms;
import io.trademesh.proto.common.Product;
import io.trademesh.proto.events.AccountEvent;
import io.trademesh.proto.options.AccountRequest;
import io.trademesh.proto.options.Chain;
import io.trademesh.proto.options.ChainReply;
import io.trademesh.proto.options.ChainRequest;
import io.trademesh.proto.options.CreateChainRequest;
import io.trademesh.proto.options.InsuranceFund;
import io.trademesh.proto.options.InsuranceFundList;
import io.trademesh.proto.options.InsuranceFundRequest;
import io.trademesh.proto.options.OptionTicker;
import io.trademesh.proto.options.OptionsAccount;
import io.trademesh.proto.options.OptionsServiceGrpcService;
import io.trademesh.proto.options.OptionsServiceService;
import io.trademesh.proto.options.SetVolSliceRequest;
import io.trademesh.proto.options.TickerRequest;
import io.trademesh.proto.options.Underlying;
import io.trademesh.proto.options.UnderlyingParams;
import io.trademesh.proto.options.UnderlyingRequest;
import io.trademesh.proto.risk.AccountStatus;
import io.trademesh.proto.risk.ApiKey;
import io.trademesh.proto.risk.AuthKeyReply;
import io.trademesh.proto.risk.AuthKeyRequest;
import io.trademesh.proto.risk.Permission;
import io.trademesh.proto.risk.RiskServiceGrpcService;
import io.trademesh.proto.risk.RiskServiceService;
import io.trademesh.proto.risk.Transfer;
import io.trademesh.proto.risk.TransferRequest;
import io.trademesh.proto.risk.TransferState;
import io.trademesh.proto.wallet.Wallet;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway's options routes and channels, in-process against a stand-in options-service
 * (and a stand-in risk-service for the API key): what the operator and traders send becomes
 * the service's requests at the instruments' scales, what it answers becomes JSON, bad input
 * is refused before the service hears of it, and an account sees only its own positions.
 * The real service is tried end to end elsewhere.
 */
class OptionsGatewayTest {

    private static final String TOKEN = "operator-token-for-the-test";
    private static final String KEY = "0123456789abcdef01234567";
    private static final String SECRET = "s3cret";
    private static final long ACCOUNT = 7;
    private static final long EXPIRY = Instant.parse("2031-01-03T08:00:00Z").toEpochMilli();
    private static final String CALL = "BTC-20310103-60000-C";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Vertx vertx;
    private int port;
    private String endpoint;
    private final AtomicInteger calls = new AtomicInteger();
    private final List<Object> requests = new CopyOnWriteArrayList<>();
    private volatile boolean chainExists;

    /** Answers as options-service would, from the request: instruments named by the proto's rule. */
    private final class StandIn extends OptionsServiceService {
        @Override
        public Future<ChainReply> createChain(CreateChainRequest r) {
            calls.incrementAndGet();
            requests.add(r);
            if (chainExists) {
                return Refusals.failed(GrpcStatus.ALREADY_EXISTS, "CHAIN_EXISTS", "that chain exists");
            }
            chainExists = true;
            ChainReply.Builder reply = ChainReply.newBuilder();
            Market t = r.getTemplate();
            String day = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC)
                    .format(Instant.ofEpochMilli(r.getExpiryMs()));
            long whole = (long) Math.pow(10, t.getPriceScale());
            for (long strike : r.getStrikesList()) {
                for (boolean call : new boolean[] {true, false}) {
                    String symbol = t.getBase().getSymbol() + "-" + day + "-" + strike / whole + (call ? "-C" : "-P");
                    reply.addInstruments(t.toBuilder().setSymbol(symbol).setOption(OptionTerms.newBuilder()
                            .setCall(call).setStrike(strike).setExpiryMs(r.getExpiryMs())
                            .setSettlementWindowMs(1_800_000).setSettlementSampleMs(10_000)));
                    reply.addLocations(MarketLocation.newBuilder().setMarket(symbol).setProduct(Product.PRODUCT_OPTIONS)
                            .setGrpcEndpoint(endpoint));
                }
            }
            return Future.succeededFuture(reply.build());
        }

        private Underlying underlying(UnderlyingParams p) {
            return Underlying.newBuilder().setParams(p).setIndexPrice(3_000_000).setIndexAtMs(1).setIndexFresh(true)
                    .addExpiries(EXPIRY).build();
        }

        @Override
        public Future<Underlying> setUnderlying(UnderlyingParams p) {
            calls.incrementAndGet();
            requests.add(p);
            return Future.succeededFuture(underlying(p));
        }

        @Override
        public Future<Underlying> setVolSlice(SetVolSliceRequest r) {
            calls.incrementAndGet();
            requests.add(r);
            return Future.succeededFuture(underlying(UnderlyingParams.newBuilder().setUnderlying(r.getUnderlying())
                    .setQuote(r.getQuote()).build()).toBuilder().addSurface(r.getSlice()).build());
        }

        @Override
        public Future<Underlying> getUnderlying(UnderlyingRequest r) {
            calls.incrementAndGet();
            requests.add(r);
            return Future.succeededFuture(underlying(UnderlyingParams.newBuilder().setUnderlying(r.getUnderlying())
                    .setQuote("USDT").setInitialBaseE9(150_000_000).setInitialFloorE9(100_000_000)
                    .setMaintenanceE9(75_000_000).build()));
        }

        @Override
        public Future<Chain> getChain(ChainRequest r) {
            calls.incrementAndGet();
            requests.add(r);
            return Future.succeededFuture(Chain.newBuilder().setUnderlying(r.getUnderlying()).setExpiryMs(EXPIRY)
                    .addTickers(ticker(CALL)).addTickers(ticker("BTC-NOT-KNOWN-C")).build());
        }

        @Override
        public Future<OptionTicker> getTicker(TickerRequest r) {
            calls.incrementAndGet();
            requests.add(r);
            return Future.succeededFuture(ticker(r.getMarket()).toBuilder().setBidIv(Double.NaN).build());
        }

        @Override
        public Future<OptionsAccount> getAccount(AccountRequest r) {
            calls.incrementAndGet();
            requests.add(r);
            return Future.succeededFuture(OptionsAccount.newBuilder().setAccountId(r.getAccountId()).setAsset("USDT")
                    .setWalletBalance(1_000_000_000).setPositionsValue(15_000_000).setEquity(1_015_000_000)
                    .setAvailable(1_000_000_000).setDelta(0.006).addPositions(position(r.getAccountId())).build());
        }

        @Override
        public Future<InsuranceFundList> getInsuranceFund(InsuranceFundRequest r) {
            calls.incrementAndGet();
            return Future.succeededFuture(InsuranceFundList.newBuilder().addFunds(InsuranceFund.newBuilder()
                    .setAsset("USDT").setBalance(12_500_000)).build());
        }
    }

    private static OptionTicker ticker(String market) {
        return OptionTicker.newBuilder().setMarket(market).setUnderlying("BTC").setCall(true).setStrike(6_000_000)
                .setExpiryMs(EXPIRY).setIndexPrice(3_000_000).setMarkPrice(150_050).setMarkIv(0.6).setBestBid(140_000)
                .setBestAsk(160_000).setBidIv(0.58).setAskIv(0.62).setDelta(0.05).setGamma(0.00001).setVega(12.5)
                .setTheta(-3.25).setOpenInterest(2_000_000).setIndexFresh(true).setTimestampMs(42).build();
    }

    private static OptionPosition position(long account) {
        return OptionPosition.newBuilder().setAccountId(account).setMarket(CALL).setSize(1_000_000)
                .setAveragePrice(150_000).setMarkPrice(150_050).setValue(15_005).setDelta(0.0005).setTheta(-0.03)
                .build();
    }

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        GrpcServer grpc = GrpcServer.server(vertx);
        grpc.addService(OptionsServiceGrpcService.of(new StandIn()));
        grpc.addService(RiskServiceGrpcService.of(new RiskServiceService() {
            @Override
            public Future<AuthKeyReply> getAuthKey(AuthKeyRequest r) {
                return KEY.equals(r.getApiKey()) ? Future.succeededFuture(AuthKeyReply.newBuilder().setSecret(SECRET)
                        .setAccountStatus(AccountStatus.ACCOUNT_STATUS_ACTIVE).setKey(ApiKey.newBuilder().setApiKey(KEY)
                                .setAccountId(ACCOUNT).addPermissions(Permission.PERMISSION_READ)
                                .addPermissions(Permission.PERMISSION_TRANSFER)).build())
                        : Refusals.failed(GrpcStatus.NOT_FOUND, "UNKNOWN_API_KEY", "no such key");
            }

            @Override
            public Future<Transfer> createTransfer(TransferRequest r) {
                requests.add(r);
                return Future.succeededFuture(Transfer.newBuilder().setTransferId(r.getTransferId())
                        .setAccountId(r.getAccountId()).setAsset(r.getAsset()).setAmount(r.getAmount())
                        .setFrom(r.getFrom()).setTo(r.getTo()).setState(TransferState.TRANSFER_STATE_PENDING).build());
            }
        }));
        HttpServer services = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0)
                .setHttp2ClearTextEnabled(true)).requestHandler(grpc).listen().await();
        endpoint = "127.0.0.1:" + services.actualPort();
        ServiceDirectory directory = new ServiceDirectory(vertx);
        directory.register(new ServiceDirectory.Instance("risk-service", "risk-1", endpoint)).await();
        directory.register(new ServiceDirectory.Instance("options-service", "options-1", endpoint)).await();
        ServiceEndpoints endpoints = new ServiceEndpoints(vertx);
        endpoints.refresh("risk-service", "options-service").await();
        Backends backends = new Backends(vertx, 2_000);
        MarketCatalog catalog = new MarketCatalog(vertx, backends);
        catalog.put(Market.newBuilder().setSymbol("BTC-USDT").setProduct(Product.PRODUCT_SPOT)
                .setBase(Asset.newBuilder().setSymbol("BTC").setDecimals(8))
                .setQuote(Asset.newBuilder().setSymbol("USDT").setDecimals(6))
                .setPriceScale(2).setTickSize(1).setLotSize(10_000).setMaxQuantity(10_000_000_000L)
                .setMaxPrice(100_000_000L).build(), "127.0.0.1:1");
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
        vertx.close().await();
    }

    // ---------------------------------------------------------------- helpers

    private HttpResponse<String> send(String method, String path, JsonObject body, boolean operator) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).header("content-type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body.encode()));
        if (operator) {
            b.header("X-OPERATOR-TOKEN", TOKEN);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> admin(String method, String path, JsonObject body) throws Exception {
        return send(method, path, body, true);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return send("GET", path, null, false);
    }

    private HttpResponse<String> signedGet(String path, String query) throws Exception {
        return signed("GET", path, query, null);
    }

    private HttpResponse<String> signed(String method, String path, String query, JsonObject body) throws Exception {
        String q = (query.isEmpty() ? "" : query + "&") + "timestamp=" + System.currentTimeMillis();
        String text = body == null ? "" : body.encode();
        String signature = Signatures.sign(SECRET, Signatures.payload(method, path, q, text));
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path + "?" + q + "&signature="
                + signature)).timeout(Duration.ofSeconds(10)).header("X-API-KEY", KEY)
                .header("content-type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(text)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonObject ok(HttpResponse<String> r) {
        assertEquals(200, r.statusCode(), r.body());
        return new JsonObject(r.body());
    }

    private static void refused(HttpResponse<String> r, int status, String code) {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals(code, new JsonObject(r.body()).getString("code"), r.body());
    }

    private static JsonObject chainBody() {
        return new JsonObject().put("underlying", "BTC").put("quote", "USDT").put("expiry", "2031-01-03T08:00:00Z")
                .put("strikes", new JsonArray().add("60000").add("70000")).put("contractSize", "0.01")
                .put("tickSize", "0.1").put("makerFeeBps", 2).put("takerFeeBps", 5);
    }

    private JsonObject createChain() throws Exception {
        return ok(admin("POST", "/v1/admin/options/chains", chainBody()));
    }

    // ---------------------------------------------------------------- operator

    @Test
    void aNewChainsInstrumentsAreKnownAtOnce() throws Exception {
        JsonObject chain = createChain();
        CreateChainRequest sent = (CreateChainRequest) requests.get(0);
        assertEquals(List.of(6_000_000L, 7_000_000L), sent.getStrikesList());
        assertEquals(EXPIRY, sent.getExpiryMs());
        assertEquals(2, sent.getTemplate().getPriceScale());
        assertEquals(10, sent.getTemplate().getTickSize());
        assertEquals(1_000_000, sent.getTemplate().getLotSize());
        JsonArray instruments = chain.getJsonArray("instruments");
        assertEquals(4, instruments.size());
        JsonObject call = instruments.getJsonObject(0);
        assertEquals(CALL, call.getString("symbol"));
        assertEquals("OPTIONS", call.getString("product"));
        assertEquals("0.1", call.getString("tickSize"));
        assertEquals("0.01", call.getString("lotSize"));
        assertEquals(new JsonObject().put("type", "CALL").put("strike", "60000").put("expiry", EXPIRY)
                .put("settlementWindowMs", 1_800_000L).put("settlementSampleMs", 10_000L), call.getJsonObject("option"));
        JsonArray markets = new JsonArray(get("/v1/markets").body());
        assertTrue(markets.stream().anyMatch(m -> CALL.equals(((JsonObject) m).getString("symbol"))),
                "listed without waiting for the catalog's refresh");
        refused(admin("POST", "/v1/admin/options/chains", chainBody()), 409, "CHAIN_EXISTS");
    }

    @Test
    void underlyingParamsAndSlicesReachTheServiceAsNineDecimalRatios() throws Exception {
        JsonObject u = ok(admin("PUT", "/v1/admin/options/underlyings/BTC", new JsonObject().put("quote", "USDT")
                .put("initialBase", "0.15").put("initialFloor", "0.10").put("maintenance", "0.075")));
        UnderlyingParams p = (UnderlyingParams) requests.get(0);
        assertEquals(150_000_000L, p.getInitialBaseE9());
        assertEquals(75_000_000L, p.getMaintenanceE9());
        assertEquals(50, p.getLiquidationFeeBps());
        assertEquals("0.15", u.getJsonObject("params").getString("initialBase"));
        assertEquals("30000", u.getString("indexPrice"));
        JsonObject s = ok(admin("PUT", "/v1/admin/options/surfaces/BTC", new JsonObject().put("quote", "USDT")
                .put("expiry", EXPIRY).put("points", new JsonArray()
                        .add(new JsonObject().put("strike", "70000").put("vol", "0.7"))
                        .add(new JsonObject().put("strike", "60000").put("vol", "0.55")))));
        SetVolSliceRequest slice = (SetVolSliceRequest) requests.get(1);
        assertEquals(List.of(6_000_000L, 7_000_000L), slice.getSlice().getStrikesList());
        assertEquals(List.of(550_000_000L, 700_000_000L), slice.getSlice().getVolsE9List());
        assertEquals(new JsonObject().put("strike", "60000").put("vol", "0.55"),
                s.getJsonArray("surface").getJsonObject(0).getJsonArray("points").getJsonObject(0));
    }

    @Test
    void badOperatorInputIsRefusedBeforeTheServiceHearsOfIt() throws Exception {
        refused(admin("POST", "/v1/admin/options/chains", chainBody().put("strikes", new JsonArray().add("60000.5"))),
                400, "INVALID_MARKET");
        refused(admin("POST", "/v1/admin/options/chains", chainBody().put("strikes", new JsonArray().add(60000))),
                400, "INVALID_REQUEST");   // the contract: strikes are decimal strings
        refused(admin("POST", "/v1/admin/options/chains", chainBody().put("underlying", "DOGE")), 400, "UNKNOWN_ASSET");
        refused(admin("POST", "/v1/admin/options/chains", chainBody().put("expiry", "2001-01-01T08:00:00Z")), 400,
                "INVALID_MARKET");
        refused(admin("POST", "/v1/admin/options/chains", chainBody().put("expiry", "tomorrow")), 400,
                "INVALID_REQUEST");
        refused(admin("POST", "/v1/admin/options/chains", chainBody().put("colour", "red")), 400, "INVALID_REQUEST");
        refused(admin("PUT", "/v1/admin/options/underlyings/BTC", new JsonObject().put("quote", "USDT")
                .put("initialBase", "1.5").put("initialFloor", "0.1").put("maintenance", "0.075")), 400,
                "INVALID_PARAMS");
        refused(admin("PUT", "/v1/admin/options/underlyings/DOGE", new JsonObject().put("quote", "USDT")
                .put("initialBase", "0.15").put("initialFloor", "0.1").put("maintenance", "0.075")), 400,
                "UNKNOWN_ASSET");
        refused(admin("PUT", "/v1/admin/options/surfaces/BTC", new JsonObject().put("quote", "USDT")
                .put("expiry", EXPIRY).put("points", new JsonArray()
                        .add(new JsonObject().put("strike", "60000").put("vol", "12")))), 400, "INVALID_SURFACE");
        refused(admin("PUT", "/v1/admin/options/surfaces/BTC", new JsonObject().put("quote", "USDT")
                .put("expiry", EXPIRY).put("points", new JsonArray()
                        .add(new JsonObject().put("strike", "60000").put("vol", "0")))), 400, "INVALID_SURFACE");
        refused(send("POST", "/v1/admin/options/chains", chainBody(), false), 401, "OPERATOR_ONLY");
        assertEquals(0, calls.get(), "nothing reached the service");
    }

    // ---------------------------------------------------------------- public

    @Test
    void unknownUnderlyingsAndInstrumentsAre404WithoutAskingTheService() throws Exception {
        refused(get("/v1/options/chains/BTC"), 404, "UNKNOWN_UNDERLYING");   // no chain yet
        refused(get("/v1/options/underlyings/DOGE"), 404, "UNKNOWN_UNDERLYING");
        refused(get("/v1/options/tickers/BTC-USDT"), 404, "UNKNOWN_MARKET");   // a market, not an option
        refused(get("/v1/options/tickers/BTC-20310103-1-C"), 404, "UNKNOWN_MARKET");
        assertEquals(0, calls.get());
        createChain();
        refused(get("/v1/options/chains/BTC?quote=EUR"), 404, "UNKNOWN_UNDERLYING");
        refused(get("/v1/options/chains/BTC?expiry=soon"), 400, "INVALID_REQUEST");
        assertEquals(1, calls.get());
    }

    @Test
    void chainsTickersUnderlyingsAndTheFundArePublic() throws Exception {
        createChain();
        JsonObject chain = ok(get("/v1/options/chains/BTC?expiry=" + EXPIRY));
        assertEquals(EXPIRY, ((ChainRequest) requests.get(1)).getExpiryMs());
        assertEquals(EXPIRY, chain.getLong("expiry"));
        JsonArray tickers = chain.getJsonArray("tickers");
        assertEquals(1, tickers.size(), "a ticker of an instrument not known here is left out");
        JsonObject t = tickers.getJsonObject(0);
        assertEquals(CALL, t.getString("market"));
        assertEquals("CALL", t.getString("type"));
        assertEquals("60000", t.getString("strike"));
        assertEquals("1500.5", t.getString("markPrice"));
        assertEquals("1400", t.getString("bestBid"));
        assertEquals("30000", t.getString("indexPrice"));
        assertEquals("0.02", t.getString("openInterest"));
        assertEquals(0.6, t.getDouble("markIv"));
        assertEquals(0.05, t.getDouble("delta"));
        assertEquals(-3.25, t.getDouble("theta"));
        ok(get("/v1/options/chains/BTC?expiry=2031-01-03T08:00:00Z"));
        assertEquals(EXPIRY, ((ChainRequest) requests.get(2)).getExpiryMs(), "an ISO expiry works in the query too");

        JsonObject ticker = ok(get("/v1/options/tickers/" + CALL));
        assertTrue(ticker.containsKey("bidIv") && ticker.getValue("bidIv") == null, "NaN is null: JSON has no NaN");
        JsonObject u = ok(get("/v1/options/underlyings/BTC"));
        assertEquals("0.075", u.getJsonObject("params").getString("maintenance"));
        assertEquals(new JsonArray().add(EXPIRY), u.getJsonArray("expiries"));
        JsonObject fund = ok(get("/v1/options/insurance"));
        assertEquals("12.5", fund.getJsonArray("funds").getJsonObject(0).getString("balance"));
    }

    // ---------------------------------------------------------------- signed

    @Test
    void theAccountIsTheCallersOwn() throws Exception {
        createChain();
        refused(get("/v1/options/account"), 401, "MISSING_API_KEY");
        JsonObject a = ok(signedGet("/v1/options/account", ""));
        assertEquals(ACCOUNT, ((AccountRequest) requests.get(requests.size() - 1)).getAccountId());
        assertEquals("1000", a.getString("walletBalance"));
        assertEquals("1015", a.getString("equity"));
        assertEquals(0.006, a.getDouble("delta"));
        JsonObject p = a.getJsonArray("positions").getJsonObject(0);
        assertEquals(CALL, p.getString("market"));
        assertEquals("LONG", p.getString("side"));
        assertEquals("0.01", p.getString("size"));
        assertEquals("CALL", p.getString("type"));
        assertEquals("60000", p.getString("strike"));
        assertEquals("1500", p.getString("averagePrice"));
        assertEquals(0.0005, p.getDouble("delta"));
        refused(signedGet("/v1/options/account", "asset=DOGE"), 400, "UNKNOWN_ASSET");
    }

    @Test
    void theOptionsWalletIsATransferTarget() throws Exception {
        JsonObject t = ok(signed("POST", "/v1/transfers", "", new JsonObject().put("transferId", "o1")
                .put("asset", "USDT").put("amount", "5000").put("from", "FUNDING").put("to", "OPTIONS")));
        TransferRequest sent = (TransferRequest) requests.get(requests.size() - 1);
        assertEquals(Wallet.WALLET_OPTIONS, sent.getTo());
        assertEquals(5_000_000_000L, sent.getAmount());
        assertEquals(ACCOUNT, sent.getAccountId());
        assertEquals("OPTIONS", t.getString("to"));
    }

    // ---------------------------------------------------------------- WebSocket

    /** A socket whose text messages land in a queue. */
    private static final class Socket implements WebSocket.Listener {
        final BlockingQueue<JsonObject> messages = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();
        WebSocket ws;
        String nonce;

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
        JsonObject hello = s.next();
        assertEquals("hello", hello.getString("op"));
        s.nonce = hello.getString("nonce");
        return s;
    }

    @Test
    void optionAndChainChannelsCarryTheServicesTickers() throws Exception {
        createChain();
        Socket s = socket();
        s.send(new JsonObject().put("op", "subscribe").put("channel", "chain").put("market", "DOGE"));
        assertEquals("UNKNOWN_UNDERLYING", s.next().getJsonObject("error").getString("code"));
        s.send(new JsonObject().put("op", "subscribe").put("channel", "option").put("market", "BTC-USDT"));
        assertEquals("UNKNOWN_CHANNEL", s.next().getJsonObject("error").getString("code"));
        s.send(new JsonObject().put("op", "subscribe").put("channel", "option").put("market", "NOPE"));
        assertEquals("UNKNOWN_MARKET", s.next().getJsonObject("error").getString("code"));
        s.send(new JsonObject().put("op", "subscribe").put("channel", "mark").put("market", CALL));
        assertEquals("UNKNOWN_CHANNEL", s.next().getJsonObject("error").getString("code"));

        s.send(new JsonObject().put("op", "subscribe").put("channel", "option").put("market", CALL));
        assertEquals("subscribed", s.next().getString("op"));
        s.send(new JsonObject().put("op", "subscribe").put("channel", "chain").put("market", "BTC"));
        assertEquals("subscribed", s.next().getString("op"));
        s.send(new JsonObject().put("op", "subscribe").put("channel", "liquidations").put("market", CALL));
        assertEquals("subscribed", s.next().getString("op"));
        Thread.sleep(200);   // the hub's listeners register asynchronously
        vertx.eventBus().publish(Addresses.option(CALL), Buffer.buffer(ticker(CALL).toByteArray()));
        JsonObject option = s.next();
        assertEquals("option", option.getString("channel"));
        assertEquals("1500.5", option.getJsonObject("data").getString("markPrice"));
        vertx.eventBus().publish(Addresses.chain("BTC"), Buffer.buffer(Chain.newBuilder().setUnderlying("BTC")
                .setExpiryMs(EXPIRY).addTickers(ticker(CALL)).build().toByteArray()));
        JsonObject chain = s.next();
        assertEquals("chain", chain.getString("channel"));
        assertEquals(CALL, chain.getJsonObject("data").getJsonArray("tickers").getJsonObject(0).getString("market"));
    }

    @Test
    void thePrivateStreamCarriesOnlyTheCallersOptionPositions() throws Exception {
        createChain();
        Socket s = socket();
        s.send(login(s));
        JsonObject login = s.next();
        assertEquals(ACCOUNT, login.getLong("accountId"), login.encode());
        Thread.sleep(200);
        EventBatcher batcher = new EventBatcher(vertx, "options", "options-1");
        CompletableFuture<Void> turn = new CompletableFuture<>();
        vertx.getOrCreateContext().runOnContext(v -> {
            batcher.journalSequence(1);
            batcher.add(Addresses.account(8), AccountEvent.newBuilder().setAccountId(8)
                    .setOptionPosition(position(8).toBuilder().setSize(-5_000_000)).build().toByteArray());
            batcher.add(Addresses.account(ACCOUNT), AccountEvent.newBuilder().setAccountId(ACCOUNT)
                    .setOptionPosition(position(ACCOUNT)).build().toByteArray());
            turn.complete(null);
        });
        turn.get(5, TimeUnit.SECONDS);
        JsonObject event = s.next();
        assertEquals("private", event.getString("channel"));
        assertEquals("option_position", event.getString("type"));
        assertEquals("0.01", event.getJsonObject("data").getString("size"), "account 8's short never shows");
        assertNull(s.messages.poll(300, TimeUnit.MILLISECONDS));
    }

    /** The login message for this socket: it signs the nonce the socket's hello gave. */
    private static JsonObject login(Socket s) {
        String ts = Long.toString(System.currentTimeMillis());
        return new JsonObject().put("op", "login").put("apiKey", KEY).put("timestamp", Long.parseLong(ts))
                .put("signature", Signatures.sign(SECRET, Signatures.loginPayload(s.nonce, ts)));
    }
}
