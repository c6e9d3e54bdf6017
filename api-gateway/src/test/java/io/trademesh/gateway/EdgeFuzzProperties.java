package io.trademesh.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trademesh.gateway.auth.Signatures;
import io.trademesh.futures.FuturesServiceMain;
import io.trademesh.risk.RiskServiceMain;
import io.trademesh.spot.SpotServiceMain;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Generated requests against the real gateway with real services behind it: paths (the
 * contract's and made-up ones, with hostile path parameters), methods, query strings,
 * headers, bodies and WebSocket frames, unsigned, signed, badly signed and with the
 * operator token. For every one: no 5xx, a {@code {code, message}} body on every refusal,
 * no internal address or exception text, no circuit breaker opened (spot and risk-service
 * still answer), and after a refusal the trader's balances and the book are as before.
 */
class EdgeFuzzProperties {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static Path dir;
    private static TestMesh mesh;
    private static MeshFixture fixture;
    private static TraderClient alice;
    private static int port;

    @BeforeContainer
    static void startMesh() throws Exception {
        dir = Files.createTempDirectory("edge-fuzz");
        Map<String, Class<?>> services = new LinkedHashMap<>();
        services.put("risk-service", RiskServiceMain.class);
        services.put("spot-service", SpotServiceMain.class);
        services.put("futures-service", FuturesServiceMain.class);
        services.put("moneymarket-service", io.trademesh.moneymarket.MoneyMarketServiceMain.class);
        services.put("options-service", io.trademesh.options.OptionsServiceMain.class);
        services.put("marketdata-service", io.trademesh.marketdata.MarketDataServiceMain.class);
        services.put("api-gateway", ApiGatewayMain.class);
        mesh = new TestMesh(dir, services);
        mesh.members.get("api-gateway").env.putAll(Map.of("RATE_LIMIT_WEIGHT_PER_MINUTE", "10000000",
                "RATE_LIMIT_ORDERS_PER_SECOND", "100000", "RATE_LIMIT_AUTH_FAILURES_PER_MINUTE", "1000000"));
        mesh.start();
        port = mesh.httpPort("api-gateway");
        fixture = new MeshFixture(port);
        fixture.createMarket();
        fixture.createPerpetual("BTC-PERP");
        java.net.http.HttpResponse<String> pool = fixture.operator.operator("POST", "/v1/admin/lending/pools",
                new JsonObject().put("asset", "USDT").put("optimalUtilization", "0.8").put("slope1", "0.04")
                        .put("slope2", "0.75").put("reserveFactor", "0.1").put("ltv", "0.75")
                        .put("liquidationThreshold", "0.8").put("liquidationBonus", "0.05").encode());
        org.junit.jupiter.api.Assertions.assertEquals(200, pool.statusCode(), pool.body());
        java.net.http.HttpResponse<String> chain = fixture.operator.operator("POST", "/v1/admin/options/chains",
                new JsonObject().put("underlying", "BTC").put("quote", "USDT")
                        .put("expiry", System.currentTimeMillis() + 7 * 86_400_000L)
                        .put("strikes", new JsonArray().add("30000")).put("contractSize", "0.01")
                        .put("tickSize", "1").put("makerFeeBps", 0).put("takerFeeBps", 0).encode());
        org.junit.jupiter.api.Assertions.assertEquals(200, chain.statusCode(), chain.body());
        alice = fixture.fundedTrader("alice", "USDT", "100000");
        // A resting order, so the book is not empty.
        alice.signed("POST", "/v1/orders", "", new JsonObject().put("market", "BTC-USDT").put("side", "BUY")
                .put("type", "LIMIT").put("price", "100").put("quantity", "0.01").encode());
    }

    @AfterContainer
    static void stopMesh() throws Exception {
        if (mesh != null) {
            mesh.close();
        }
        if (dir != null) {
            MeshFixture.delete(dir);
        }
    }

    // ---------------------------------------------------------------- REST

    /** How a probe authenticates. */
    enum Auth { NONE, SIGNED, BAD_SIGNATURE, MADE_UP_KEY, OPERATOR, WRONG_OPERATOR }

    record Probe(String method, String path, String query, String body, String contentType, Auth auth) {
    }

    private static final List<String> TEMPLATES = List.of(
            "/v1/markets", "/v1/markets/{m}/book", "/v1/markets/{m}/ticker", "/v1/markets/{m}/trades",
            "/v1/orders", "/v1/orders/batch", "/v1/orders/open", "/v1/orders/history", "/v1/orders/{id}",
            "/v1/fills", "/v1/balances", "/v1/portfolio", "/v1/transfers", "/v1/transfers/{id}",
            "/v1/admin/accounts", "/v1/admin/accounts/{n}/suspend", "/v1/admin/accounts/{n}/keys",
            "/v1/admin/accounts/{n}/limits", "/v1/admin/keys/{id}", "/v1/admin/deposits", "/v1/admin/withdrawals",
            "/v1/admin/markets", "/v1/admin/index-prices", "/v1/admin/audit", "/v1/nope", "/v1", "/", "/metrics",
            "/v1/futures/account", "/v1/futures/positions", "/v1/futures/leverage", "/v1/futures/insurance",
            "/v1/futures/{m}/mark", "/v1/futures/{m}/funding", "/v1/futures/{m}", "/v1/futures/{m}/mark/x",
            "/v1/futures/margin-mode", "/v1/futures/margin", "/v1/futures/conditional-orders",
            "/v1/lending/pools", "/v1/lending/account", "/v1/lending/supply", "/v1/lending/borrow",
            "/v1/lending/at-risk", "/v1/lending/liquidations", "/v1/admin/lending/pools", "/v1/lending/{m}",
            "/v1/options/account", "/v1/options/insurance", "/v1/options/chains/{m}", "/v1/options/tickers/{m}",
            "/v1/options/underlyings/{m}", "/v1/admin/options/chains", "/v1/admin/options/underlyings/{m}",
            "/v1/admin/options/surfaces/{m}", "/v1/markets/{m}/candles", "/v1/markets/{m}/trades/history",
            "/v1/markets/{m}/ticker/24h", "/v1/tickers/24h", "/v1/pools/{m}/rates", "/v1/markets/{m}/funding",
            "/v1/markets/{m}/marks", "/v1/../v1/portfolio", "/v1//orders");

    /** Path parameters and query values an attacker tries first. */
    private static final List<String> HOSTILE = List.of("BTC-USDT", "DOGE-USDT", "1e1", "1e3", "10.0", "-1", "0",
            "99999999999999999999", "9223372036854775808", "18446744073709551616", "c:", "c:abc", "c:" + "x".repeat(80),
            "abc", "", " ", "%00", "../..", "null", "true", "[]", "{}", "1,2,3", "0x10", "1_000", "\u00e9\u4e2d",
            "<script>", "' OR 1=1 --", "a".repeat(300), "1000", "5", "SPOT", "FUTURES", "FUNDING", "USDT", "BTC",
            "MONEY_MARKET", "1.3");

    private static final List<String> QUERY_KEYS = List.of("limit", "depth", "market", "orderIds", "wallet", "maxHealth",
            "recvWindow", "timestamp", "signature", "x", "interval", "from", "to", "price", "expiry", "quote", "asset");

    private static final List<String> FIELDS = List.of("market", "side", "type", "price", "quantity", "quoteQuantity",
            "timeInForce", "clientOrderId", "orders", "transferId", "asset", "amount", "from", "to", "operationId",
            "accountId", "name", "suspended", "permissions", "label", "ipAllowlist", "maxOpenOrders",
            "maxOrderNotional", "notionalAsset", "killSwitch", "symbol", "base", "quote", "baseDecimals",
            "quoteDecimals", "priceScale", "tickSize", "lotSize", "maxQuantity", "maxPrice", "product", "all",
            "enabled", "category", "debtAsset", "collateralAsset", "decimals", "ltv", "liquidationThreshold",
            "optimalUtilization", "slope1", "slope2", "reserveFactor", "liquidationBonus", "supplyCap", "id",
            "clientActionId", "underlying", "expiry", "strikes", "contractSize", "initialBase", "initialFloor",
            "maintenance", "points", "vol", "strike", "reduceOnly");

    private static Arbitrary<Object> jsonValue() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of(HOSTILE).map(s -> (Object) s)),
                Tuple.of(2, Arbitraries.longs().map(l -> (Object) l)),
                Tuple.of(1, Arbitraries.of(new java.math.BigInteger("99999999999999999999"), 1e300, -0.5, 1.5)
                        .map(n -> (Object) n)),
                Tuple.of(1, Arbitraries.of(true, false).map(b -> (Object) b)),
                Tuple.of(1, Arbitraries.of(new JsonArray(), new JsonArray().add("read").add("nope"),
                        new JsonArray().add(new JsonObject().put("market", "BTC-USDT"))).map(a -> (Object) a)),
                Tuple.of(1, Arbitraries.just(new JsonObject().put("nested", new JsonObject()))));
    }

    private static Arbitrary<String> body() {
        Arbitrary<String> object = Combinators.combine(Arbitraries.of(FIELDS), jsonValue())
                .as((k, v) -> Map.entry(k, v)).list().ofMaxSize(8).map(entries -> {
                    JsonObject o = new JsonObject();
                    entries.forEach(e -> o.put(e.getKey(), e.getValue()));
                    return o.encode();
                });
        Arbitrary<String> validOrder = Arbitraries.of("BUY", "SELL").map(side -> new JsonObject()
                .put("market", "BTC-USDT").put("side", side).put("type", "LIMIT").put("price", "1")
                .put("quantity", "0.0001").encode());
        return Arbitraries.frequencyOf(
                Tuple.of(6, object),
                Tuple.of(1, validOrder),
                Tuple.of(2, Arbitraries.just((String) null)),
                Tuple.of(2, Arbitraries.of("not json", "{", "[1,2]", "\"text\"", "null", "{\"a\":", "\u0000",
                        "{\"orders\":[{}]}", "{\"orders\":" + "[".repeat(2000) + "}")),
                Tuple.of(1, Arbitraries.strings().ofMaxLength(200)));
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** An operation of the contract: its method, path, the query parameters it reads, and who may call it. */
    record Endpoint(String method, String path, List<String> query, Auth auth) {
    }

    private static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint("GET", "/v1/markets", List.of(), Auth.NONE),
            new Endpoint("GET", "/v1/markets/{m}/book", List.of("depth"), Auth.NONE),
            new Endpoint("GET", "/v1/markets/{m}/ticker", List.of(), Auth.NONE),
            new Endpoint("GET", "/v1/markets/{m}/trades", List.of("limit"), Auth.NONE),
            new Endpoint("POST", "/v1/orders", List.of(), Auth.SIGNED),
            new Endpoint("POST", "/v1/orders/batch", List.of(), Auth.SIGNED),
            new Endpoint("DELETE", "/v1/orders/batch", List.of("market", "orderIds"), Auth.SIGNED),
            new Endpoint("GET", "/v1/orders/open", List.of("limit", "market"), Auth.SIGNED),
            new Endpoint("GET", "/v1/orders/history", List.of("limit", "market"), Auth.SIGNED),
            new Endpoint("GET", "/v1/orders/{id}", List.of("market"), Auth.SIGNED),
            new Endpoint("PATCH", "/v1/orders/{id}", List.of(), Auth.SIGNED),
            new Endpoint("DELETE", "/v1/orders/{id}", List.of("market"), Auth.SIGNED),
            new Endpoint("DELETE", "/v1/orders", List.of("market"), Auth.SIGNED),
            new Endpoint("GET", "/v1/fills", List.of("limit", "market"), Auth.SIGNED),
            new Endpoint("GET", "/v1/balances", List.of("wallet"), Auth.SIGNED),
            new Endpoint("GET", "/v1/portfolio", List.of(), Auth.SIGNED),
            new Endpoint("POST", "/v1/transfers", List.of(), Auth.SIGNED),
            new Endpoint("GET", "/v1/transfers", List.of("limit"), Auth.SIGNED),
            new Endpoint("GET", "/v1/transfers/{id}", List.of(), Auth.SIGNED),
            new Endpoint("POST", "/v1/admin/accounts", List.of(), Auth.OPERATOR),
            new Endpoint("POST", "/v1/admin/accounts/{n}/suspend", List.of(), Auth.OPERATOR),
            new Endpoint("POST", "/v1/admin/accounts/{n}/keys", List.of(), Auth.OPERATOR),
            new Endpoint("PUT", "/v1/admin/accounts/{n}/limits", List.of(), Auth.OPERATOR),
            new Endpoint("DELETE", "/v1/admin/keys/{id}", List.of(), Auth.OPERATOR),
            new Endpoint("POST", "/v1/admin/deposits", List.of(), Auth.OPERATOR),
            new Endpoint("POST", "/v1/admin/withdrawals", List.of(), Auth.OPERATOR),
            new Endpoint("POST", "/v1/admin/markets", List.of(), Auth.OPERATOR),
            new Endpoint("POST", "/v1/admin/index-prices", List.of(), Auth.OPERATOR),
            new Endpoint("GET", "/v1/admin/audit", List.of(), Auth.OPERATOR),
            new Endpoint("GET", "/v1/futures/account", List.of(), Auth.SIGNED),
            new Endpoint("GET", "/v1/futures/conditional-orders", List.of("market"), Auth.SIGNED),
            new Endpoint("PUT", "/v1/futures/margin-mode", List.of(), Auth.SIGNED),
            new Endpoint("POST", "/v1/futures/margin", List.of(), Auth.SIGNED),
            new Endpoint("GET", "/v1/futures/positions", List.of("market"), Auth.SIGNED),
            new Endpoint("PUT", "/v1/futures/leverage", List.of(), Auth.SIGNED),
            new Endpoint("GET", "/v1/futures/insurance", List.of(), Auth.NONE),
            new Endpoint("GET", "/v1/futures/{m}/mark", List.of(), Auth.NONE),
            new Endpoint("GET", "/v1/futures/{m}/funding", List.of("limit"), Auth.NONE),
            new Endpoint("GET", "/v1/lending/pools", List.of(), Auth.NONE),
            new Endpoint("GET", "/v1/options/account", List.of("asset"), Auth.SIGNED),
            new Endpoint("GET", "/v1/options/insurance", List.of("asset"), Auth.NONE),
            new Endpoint("GET", "/v1/options/chains/{m}", List.of("expiry", "quote"), Auth.NONE),
            new Endpoint("GET", "/v1/options/tickers/{m}", List.of(), Auth.NONE),
            new Endpoint("GET", "/v1/options/underlyings/{m}", List.of("quote"), Auth.NONE),
            new Endpoint("POST", "/v1/admin/options/chains", List.of(), Auth.OPERATOR),
            new Endpoint("PUT", "/v1/admin/options/underlyings/{m}", List.of(), Auth.OPERATOR),
            new Endpoint("PUT", "/v1/admin/options/surfaces/{m}", List.of(), Auth.OPERATOR),
            new Endpoint("GET", "/v1/markets/{m}/candles", List.of("interval", "from", "to", "limit", "price"),
                    Auth.NONE),
            new Endpoint("GET", "/v1/markets/{m}/trades/history", List.of("from", "to", "limit"), Auth.NONE),
            new Endpoint("GET", "/v1/markets/{m}/ticker/24h", List.of(), Auth.NONE),
            new Endpoint("GET", "/v1/tickers/24h", List.of(), Auth.NONE),
            new Endpoint("GET", "/v1/pools/{m}/rates", List.of("from", "to", "limit"), Auth.NONE),
            new Endpoint("GET", "/v1/markets/{m}/funding", List.of("from", "to", "limit"), Auth.NONE),
            new Endpoint("GET", "/v1/markets/{m}/marks", List.of("from", "to", "limit"), Auth.NONE),
            new Endpoint("GET", "/v1/lending/account", List.of(), Auth.SIGNED),
            new Endpoint("POST", "/v1/lending/supply", List.of(), Auth.SIGNED),
            new Endpoint("POST", "/v1/lending/withdraw", List.of(), Auth.SIGNED),
            new Endpoint("POST", "/v1/lending/borrow", List.of(), Auth.SIGNED),
            new Endpoint("POST", "/v1/lending/repay", List.of(), Auth.SIGNED),
            new Endpoint("PUT", "/v1/lending/collateral", List.of(), Auth.SIGNED),
            new Endpoint("PUT", "/v1/lending/category", List.of(), Auth.SIGNED),
            new Endpoint("GET", "/v1/lending/at-risk", List.of("limit", "maxHealth"), Auth.SIGNED),
            new Endpoint("POST", "/v1/lending/liquidations", List.of(), Auth.SIGNED),
            new Endpoint("POST", "/v1/admin/lending/pools", List.of(), Auth.OPERATOR),
            new Endpoint("PUT", "/v1/admin/lending/pools", List.of(), Auth.OPERATOR),
            new Endpoint("PUT", "/v1/admin/lending/categories", List.of(), Auth.OPERATOR));

    /** Numbers as an attacker writes them: what the contract's validator let through to a parse that threw. */
    private static final List<String> NUMBERS = List.of("1e1", "1e3", "10.0", "99999999999999999999", "-1", "0",
            "1.5", "0x1F", "5");

    /** Mostly real markets and hostile numbers, so that the paths that reach a service are tried often. */
    private static Arbitrary<String> parameter() {
        return Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.of("BTC-USDT", "BTC-PERP")),
                Tuple.of(6, Arbitraries.of(NUMBERS)),
                Tuple.of(3, Arbitraries.of(HOSTILE)));
    }

    private static Arbitrary<Auth> anyAuth() {
        return Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.of(Auth.SIGNED)),
                Tuple.of(3, Arbitraries.of(Auth.NONE)), Tuple.of(3, Arbitraries.of(Auth.OPERATOR)),
                Tuple.of(1, Arbitraries.of(Auth.BAD_SIGNATURE, Auth.MADE_UP_KEY, Auth.WRONG_OPERATOR)));
    }

    private static Arbitrary<String> anyMethod() {
        return Arbitraries.of("GET", "GET", "POST", "POST", "PUT", "PATCH", "DELETE", "DELETE", "OPTIONS", "HEAD");
    }

    private static Arbitrary<String> contentType() {
        return Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.of("application/json")),
                Tuple.of(3, Arbitraries.of("")), Tuple.of(1, Arbitraries.of("text/plain",
                        "application/json; charset=utf-16", "multipart/form-data; boundary=x",
                        "application/x-www-form-urlencoded")));
    }

    /** Escapes no decoder accepts, sent raw (never encoded). */
    private static final List<String> RAW = List.of("%zz", "%", "%G1", "%e9", "a%2", "%00");

    /** A query of {@code keys}, each present or not, with hostile values, and now and then a stray one. */
    private static Arbitrary<String> query(List<String> keys) {
        Arbitrary<String> own = Combinators.combine(Arbitraries.of(keys.isEmpty() ? QUERY_KEYS : keys), parameter())
                .as((k, v) -> k + "=" + encode(v));
        Arbitrary<String> stray = Combinators.combine(Arbitraries.of(QUERY_KEYS), parameter())
                .as((k, v) -> k + "=" + encode(v));
        Arbitrary<String> raw = Combinators.combine(Arbitraries.of(QUERY_KEYS), Arbitraries.of(RAW))
                .as((k, v) -> k + "=" + v);
        return Arbitraries.frequencyOf(Tuple.of(6, own), Tuple.of(1, stray), Tuple.of(1, raw)).list().ofMaxSize(3)
                .map(l -> String.join("&", l));
    }

    /** Mostly the contract's operations with their own method and credentials and hostile input; some anything. */
    @Provide
    Arbitrary<Probe> probes() {
        Arbitrary<Probe> operations = Arbitraries.of(ENDPOINTS).flatMap(e -> Combinators.combine(
                Arbitraries.frequencyOf(Tuple.of(9, Arbitraries.just(e.method())), Tuple.of(1, anyMethod())),
                parameter().map(p -> e.path().replaceAll("\\{[a-z]+}", encode(p))),
                query(e.query()), body(), contentType(),
                Arbitraries.frequencyOf(Tuple.of(7, Arbitraries.just(e.auth())), Tuple.of(3, anyAuth())))
                .as(Probe::new));
        Arbitrary<String> path = Combinators.combine(Arbitraries.of(TEMPLATES), parameter())
                .as((t, p) -> t.replaceAll("\\{[a-z]+}", encode(p)));
        Arbitrary<Probe> anything = Combinators.combine(anyMethod(), path, query(List.of()), body(), contentType(),
                anyAuth()).as(Probe::new);
        return Arbitraries.frequencyOf(Tuple.of(4, operations), Tuple.of(1, anything));
    }

    /** What came back: the status and the body. */
    record Answer(int status, String body) {
    }

    /**
     * A query that does not decode is a JSON 400 on every route, with or without credentials:
     * also on the order routes matched ahead of the contract's router, where matching a path
     * parameter decodes the query before any handler runs (a plain-text 400, found by the
     * property below).
     */
    @Example
    void anUndecodableQueryIsAJson400OnEveryRoute() throws Exception {
        for (Auth auth : new Auth[] {Auth.NONE, Auth.SIGNED}) {
            for (String[] r : new String[][] {{"DELETE", "/v1/orders/5"}, {"DELETE", "/v1/orders/batch"},
                    {"POST", "/v1/orders"}, {"POST", "/v1/orders/batch"}, {"GET", "/v1/orders/5"},
                    {"GET", "/v1/markets/BTC-USDT/book"}, {"POST", "/v1/transfers"}}) {
                Probe p = new Probe(r[0], r[1], "market=%zz", r[0].equals("POST") ? "{}" : null,
                        "application/json", auth);
                Answer a = send(p);
                assertEquals(400, a.status(), p + " -> " + a);
                assertEquals("INVALID_REQUEST", new JsonObject(a.body()).getString("code"), p + " -> " + a);
            }
        }
    }

    @Property(tries = 500)
    void noInputGetsA5xxALeakOrChangesStateWhenRefused(@ForAll("probes") Probe p) throws Exception {
        String before = state();
        Answer r = send(p);
        String what = p + " -> " + r.status() + " " + r.body();
        boolean productAbsent = r.status() == 503 && r.body().contains("-service is not running")
                && !r.body().contains("spot-service") && !r.body().contains("risk-service");
        assertTrue(r.status() < 500 || productAbsent, "a 5xx: " + what);
        EdgeSecurityTest.assertNoLeak(r.body());
        if (r.status() >= 400 && !"HEAD".equals(p.method())) {
            JsonObject error = new JsonObject(r.body());
            assertTrue(error.getValue("code") instanceof String && error.getValue("message") instanceof String,
                    "no {code, message}: " + what);
        }
        String after = state();   // spot and risk-service still answer: no breaker opened
        if (r.status() >= 400) {
            assertEquals(before, after, "a refused request changed state: " + what);
        }
    }

    /** Alice's spot and funding balances and the book, read through the gateway: each read must succeed. */
    private static String state() throws Exception {
        HttpResponse<String> book = TestMesh.get(port, "/v1/markets/BTC-USDT/book?depth=1000");
        assertEquals(200, book.statusCode(), "the book: " + book.body());
        HttpResponse<String> portfolio = alice.signed("GET", "/v1/portfolio", "", null);
        assertEquals(200, portfolio.statusCode(), "the portfolio: " + portfolio.body());
        JsonObject b = new JsonObject(book.body());
        b.remove("timestamp");
        JsonObject held = new JsonObject(portfolio.body());
        if (held.getJsonObject("lending") != null) {
            held.getJsonObject("lending").remove("timestamp");   // as of the read, not state
        }
        return b.encode() + held.encode();
    }

    private static Answer send(Probe p) throws Exception {
        String query = p.query();
        if (p.auth() == Auth.SIGNED || p.auth() == Auth.BAD_SIGNATURE || p.auth() == Auth.MADE_UP_KEY) {
            query = (query.isEmpty() ? "" : query + "&") + "timestamp=" + System.currentTimeMillis();
            String signature = p.auth() == Auth.BAD_SIGNATURE ? "0".repeat(64)
                    : Signatures.sign(alice.secret, Signatures.payload(p.method(), p.path(), query, p.body()));
            query += "&signature=" + signature;
        }
        String target = p.path() + (query.isEmpty() ? "" : "?" + query);
        URI uri;
        try {
            uri = URI.create("http://127.0.0.1:" + port + target);
        } catch (IllegalArgumentException notAUri) {
            return sendRaw(p, target);   // a bad escape the JDK's client refuses to send
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(10))
                .method(p.method(), p.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(p.body()));
        if (!p.contentType().isEmpty()) {
            b.header("content-type", p.contentType());
        }
        switch (p.auth()) {
            case SIGNED, BAD_SIGNATURE -> b.header("X-API-KEY", alice.apiKey);
            case MADE_UP_KEY -> b.header("X-API-KEY", "0123456789abcdef0123456" + (char) ('0' + p.path().length() % 10));
            case OPERATOR -> b.header("X-OPERATOR-TOKEN", TestMesh.OPERATOR_TOKEN);
            case WRONG_OPERATOR -> b.header("X-OPERATOR-TOKEN", "not-the-operator-token");
            default -> { }
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body());
    }

    /** The probe over a plain socket, its request target exactly as given. */
    private static Answer sendRaw(Probe p, String target) throws Exception {
        StringBuilder req = new StringBuilder(p.method() + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Connection: close\r\n");
        byte[] body = p.body() == null ? new byte[0] : p.body().getBytes(StandardCharsets.UTF_8);
        if (!p.contentType().isEmpty()) {
            req.append("content-type: ").append(p.contentType()).append("\r\n");
        }
        switch (p.auth()) {
            case SIGNED, BAD_SIGNATURE -> req.append("X-API-KEY: ").append(alice.apiKey).append("\r\n");
            case OPERATOR -> req.append("X-OPERATOR-TOKEN: ").append(TestMesh.OPERATOR_TOKEN).append("\r\n");
            default -> { }
        }
        req.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(req.toString().getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().write(body);
            String all = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(all.substring(9, 12));
            int split = all.indexOf("\r\n\r\n");
            return new Answer(status, split < 0 ? "" : all.substring(split + 4));
        }
    }

    // ---------------------------------------------------------------- WebSocket

    @Provide
    Arbitrary<List<String>> frames() {
        Arbitrary<String> op = Arbitraries.of("subscribe", "unsubscribe", "login", "order", "cancel", "ping", "nope",
                "");
        Arbitrary<String> message = Combinators.combine(op, Combinators.combine(Arbitraries.of(
                                "channel", "market", "apiKey", "timestamp", "signature", "id", "orderId", "side", "type",
                                "price", "quantity"), jsonValue()).as((k, v) -> Map.entry(k, v)).list().ofMaxSize(6))
                .as((o, entries) -> {
                    JsonObject m = new JsonObject().put("op", o);
                    entries.forEach(e -> m.put(e.getKey(), e.getValue()));
                    return m.encode();
                });
        return Arbitraries.frequencyOf(
                Tuple.of(8, message),
                Tuple.of(1, Arbitraries.of("not json", "[]", "{}", "{\"op\":1}", "\"x\"", "{\"op\":\"subscribe\","
                        + "\"channel\":\"book\",\"market\":\"BTC-USDT\"}")),
                Tuple.of(1, Arbitraries.strings().ofMaxLength(100))).list().ofMinSize(1).ofMaxSize(8);
    }

    @Property(tries = 60)
    void noSocketMessageGetsAnInternalErrorOrKillsTheSocket(@ForAll("frames") List<String> frames) throws Exception {
        String before = state();
        try (TraderClient.Socket ws = new TraderClient.Socket(port)) {
            ws.login(alice);
            for (String f : frames) {
                ws.ws.sendText(f, true).get(5, TimeUnit.SECONDS);
            }
            ws.send(new JsonObject().put("op", "ping"));
            ws.await(m -> "pong".equals(m.getString("op")));   // the socket still serves
            assertFalse(ws.closed.isDone(), "closed: " + ws.closed.getNow(""));
            for (JsonObject m : ws.messages) {
                JsonObject error = m.getValue("error") instanceof JsonObject e ? e : null;
                if (error != null) {
                    assertTrue(error.getValue("code") instanceof String && error.getValue("message") instanceof String,
                            m.encode());
                    assertFalse("INTERNAL".equals(error.getString("code")), frames + " -> " + m.encode());
                    assertFalse(m.encode().contains("Exception") || m.encode().contains("127.0.0.1"), m.encode());
                }
            }
        }
        if (frames.stream().noneMatch(f -> f.contains("\"order\"") || f.contains("\"cancel\""))) {
            assertEquals(before, state(), "frames without orders changed state: " + frames);
        }
    }
}
