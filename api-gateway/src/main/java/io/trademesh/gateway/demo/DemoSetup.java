package io.trademesh.gateway.demo;

import io.trademesh.gateway.auth.Signatures;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Seeds a fresh local mesh through the gateway's own API, the way an operator would:
 * markets BTC-USDT and ETH-USDT, futures BTC-PERP (funding every minute) and a dated
 * BTC contract, money-market pools for USDT, BTC and ETH, BTC options in USDT expiring next
 * Friday (when options-service serves them), a demo account with a read/trade/transfer key and money
 * in its funding wallet, and a market-maker account that keeps a few resting orders on
 * the books so there is something to trade against, and lends in every pool. Run by {@code ./mesh start}; doing
 * it again creates nothing twice (markets exist, deposits are idempotent, the keys are kept in
 * {@code demo.env} and {@code demo-maker.env} and created only once), and puts back the maker's
 * quotes that trading has taken.
 *
 * <pre>  java -cp api-gateway.jar io.trademesh.gateway.demo.DemoSetup http://127.0.0.1:8080 run/secrets</pre>
 */
public final class DemoSetup {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    private final String gateway;
    private final String operatorToken;

    private DemoSetup(String gateway, String operatorToken) {
        this.gateway = gateway;
        this.operatorToken = operatorToken;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: DemoSetup <gateway-url> <secrets-dir>");
            System.exit(2);
        }
        Path secrets = Path.of(args[1]);
        DemoSetup setup = new DemoSetup(args[0], Files.readString(secrets.resolve("operator-token")).trim());
        setup.run(secrets.resolve("demo.env"));
    }

    private void run(Path demoEnv) throws Exception {
        market("BTC-USDT", "BTC", 8, "0.0001", "100", "1000000");
        market("ETH-USDT", "ETH", 8, "0.001", "1000", "100000");
        futures("BTC-PERP", new JsonObject().put("kind", "PERPETUAL").put("fundingIntervalMs", DEMO_FUNDING_MS));
        long expiry = datedExpiry(System.currentTimeMillis());
        String dated = "BTC-" + DATED.format(Instant.ofEpochMilli(expiry));
        futures(dated, new JsonObject().put("kind", "DATED").put("expiry", expiry));
        pool("USDT", 6, "0.9", "0", "0.04", "0.6", "0.1", "0.8", "0.85", "0.05");
        pool("BTC", 8, "0.45", "0", "0.04", "3", "0.2", "0.7", "0.75", "0.1");
        pool("ETH", 8, "0.8", "0", "0.03", "0.8", "0.15", "0.8", "0.825", "0.05");
        long optionExpiry = optionExpiry(System.currentTimeMillis());
        boolean options = optionChain(optionExpiry);
        String chain = options ? ", BTC options expiring " + DATED.format(Instant.ofEpochMilli(optionExpiry)) : "";
        Path makerEnv = demoEnv.resolveSibling("demo-maker.env");
        if (Files.exists(demoEnv)) {
            if (knownKey(demoEnv)) {
                System.out.println("demo: markets BTC-USDT, ETH-USDT, BTC-PERP, " + dated + chain
                        + "; the demo key is in " + demoEnv);
                topUpQuotes(makerEnv, dated, options ? optionExpiry : -1);
                return;
            }
            System.out.println("demo: " + demoEnv + " holds a key this mesh does not know (was run/data removed?);"
                    + " creating the demo accounts again");
        }
        JsonObject demo = account("demo");
        JsonObject key = key(demo.getLong("accountId"));
        for (String[] d : new String[][] {{"USDT", "100000"}, {"BTC", "2"}, {"ETH", "20"}}) {
            deposit(demo.getLong("accountId"), d[0], d[1], "demo-" + d[0]);
        }
        JsonObject maker = account("demo-maker");
        JsonObject makerKey = key(maker.getLong("accountId"));
        for (String[] d : new String[][] {{"USDT", "1000000"}, {"BTC", "20"}, {"ETH", "200"}}) {
            deposit(maker.getLong("accountId"), d[0], d[1], "maker-" + d[0]);
            signed(makerKey, "POST", "/v1/transfers", new JsonObject().put("transferId", "maker-" + d[0])
                    .put("asset", d[0]).put("amount", d[1]).put("from", "FUNDING").put("to", "SPOT"));
        }
        for (String asset : new String[] {"USDT", "BTC", "ETH"}) {
            awaitTransfer(makerKey, "maker-" + asset);
        }
        for (Ladder l : spotLadders()) {
            quote(makerKey, l, new JsonArray(), "");
        }
        signed(makerKey, "POST", "/v1/transfers", new JsonObject().put("transferId", "maker-futures")
                .put("asset", "USDT").put("amount", "500000").put("from", "SPOT").put("to", "FUTURES"));
        awaitTransfer(makerKey, "maker-futures");
        awaitIndex("BTC-PERP");
        for (Ladder l : futuresLadders(dated)) {
            quote(makerKey, l, new JsonArray(), "");
        }
        // The maker also lends: liquidity in every pool, so the demo account can borrow at once.
        for (String[] d : new String[][] {{"USDT", "500000"}, {"BTC", "10"}, {"ETH", "100"}}) {
            deposit(maker.getLong("accountId"), d[0], d[1], "maker-lend-" + d[0]);
            signed(makerKey, "POST", "/v1/transfers", new JsonObject().put("transferId", "maker-lend-" + d[0])
                    .put("asset", d[0]).put("amount", d[1]).put("from", "FUNDING").put("to", "MONEY_MARKET"));
            awaitTransfer(makerKey, "maker-lend-" + d[0]);
            signed(makerKey, "POST", "/v1/lending/supply", new JsonObject().put("asset", d[0]).put("amount", d[1]));
        }
        if (options) {
            options = optionsMaker(maker.getLong("accountId"), makerKey, optionExpiry);
        }
        // The maker's key is kept too (never printed): a later start tops up the quotes trading took.
        writeKey(makerEnv, maker.getLong("accountId"), makerKey);
        writeKey(demoEnv, demo.getLong("accountId"), key);
        System.out.println("demo: account " + demo.getLong("accountId") + " with 100000 USDT, 2 BTC, 20 ETH in its"
                + " funding wallet; a market maker quotes BTC-USDT and BTC-PERP around 30000, " + dated
                + " around 30100 and ETH-USDT around 2000, and lends 500000 USDT, 10 BTC and 100 ETH in the"
                + " money market" + (options ? "; it quotes the " + DATED.format(Instant.ofEpochMilli(optionExpiry))
                + " BTC 29000 put, 30000 call and put, and 31000 call" : ""));
        System.out.println("demo: API key (shown once, kept in " + demoEnv + "):");
        System.out.println("  DEMO_API_KEY=" + key.getString("apiKey"));
        System.out.println("  DEMO_API_SECRET=" + key.getString("secret"));
    }

    /** The demo perpetual funds every minute, so a trader sees funding paid within the first few minutes. */
    private static final long DEMO_FUNDING_MS = 60_000;
    private static final DateTimeFormatter DATED = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);

    /** The next 25th of a month at 08:00 UTC at least a week away: the demo dated contract's expiry. */
    static long datedExpiry(long nowMs) {
        ZonedDateTime t = Instant.ofEpochMilli(nowMs).atZone(ZoneOffset.UTC).withDayOfMonth(25).withHour(8)
                .withMinute(0).withSecond(0).withNano(0);
        while (t.toInstant().toEpochMilli() < nowMs + 7L * 24 * 3_600_000) {
            t = t.plusMonths(1);
        }
        return t.toInstant().toEpochMilli();
    }

    /** The demo's BTC option strikes, around the demo's index (the BTC-USDT book, quoted around 30000). */
    private static final long[] OPTION_STRIKES = {26_000, 27_000, 28_000, 29_000, 30_000, 31_000, 32_000, 33_000, 34_000};
    private static final long ATM = 30_000;

    /** The next Friday 08:00 UTC at least two days away: the demo option chain's expiry (a weekly, as venues list). */
    static long optionExpiry(long nowMs) {
        ZonedDateTime t = Instant.ofEpochMilli(nowMs).atZone(ZoneOffset.UTC)
                .with(TemporalAdjusters.nextOrSame(DayOfWeek.FRIDAY)).withHour(8).withMinute(0).withSecond(0)
                .withNano(0);
        while (t.toInstant().toEpochMilli() < nowMs + 2L * 24 * 3_600_000) {
            t = t.plusWeeks(1);
        }
        return t.toInstant().toEpochMilli();
    }

    /** The demo's smile: 0.60 at the money, rising with the square of the distance to 0.75 four strikes out. */
    static String smile(long strike) {
        double d = Math.abs(strike - ATM) / 4_000.0;
        return BigDecimal.valueOf(0.60 + 0.15 * Math.min(1, d * d)).setScale(4, RoundingMode.HALF_UP)
                .stripTrailingZeros().toPlainString();
    }

    private static String optionSymbol(long expiry, long strike, boolean call) {
        return "BTC-" + DATED.format(Instant.ofEpochMilli(expiry)) + "-" + strike + (call ? "-C" : "-P");
    }

    /**
     * BTC's option margin parameters (a = 0.15, b = 0.10, c = 0.075), a chain in USDT expiring
     * at {@code expiry} and its volatility slice. Options are the newest product: when
     * options-service does not serve them (yet), this says so and the rest of the demo goes on.
     */
    private boolean optionChain(long expiry) throws Exception {
        JsonArray strikes = new JsonArray();
        JsonArray points = new JsonArray();
        for (long k : OPTION_STRIKES) {
            strikes.add(Long.toString(k));
            points.add(new JsonObject().put("strike", Long.toString(k)).put("vol", smile(k)));
        }
        // The chain first: an underlying exists for options-service once it has a chain.
        HttpResponse<String> r = admin("POST", "/v1/admin/options/chains", new JsonObject().put("underlying", "BTC")
                .put("quote", "USDT").put("expiry", expiry).put("strikes", strikes).put("contractSize", "0.01")
                .put("tickSize", "0.1").put("makerFeeBps", 2).put("takerFeeBps", 5));
        if (r.statusCode() != 200 && r.statusCode() != 409) {
            System.out.println("demo: no options: creating the BTC chain: " + r.statusCode() + " " + r.body());
            return false;
        }
        r = admin("PUT", "/v1/admin/options/underlyings/BTC", new JsonObject().put("quote", "USDT")
                .put("initialBase", "0.15").put("initialFloor", "0.10").put("maintenance", "0.075"));
        if (r.statusCode() != 200) {
            System.out.println("demo: no options: BTC's option parameters: " + r.statusCode() + " " + r.body());
            return false;
        }
        r = admin("PUT", "/v1/admin/options/surfaces/BTC", new JsonObject().put("quote", "USDT").put("expiry", expiry)
                .put("points", points));
        if (r.statusCode() != 200) {
            System.out.println("demo: no options: the BTC volatility slice: " + r.statusCode() + " " + r.body());
            return false;
        }
        return true;
    }

    /**
     * The maker's options: money in its OPTIONS wallet, then bids and asks around the mark on
     * the at-the-money call and put, the 31000 call and the 29000 put, so a trader can buy (or
     * sell) at once. Best effort like {@link #optionChain}: a failure is reported, not fatal.
     */
    private boolean optionsMaker(long makerId, JsonObject makerKey, long expiry) throws Exception {
        try {
            deposit(makerId, "USDT", "200000", "maker-options-USDT");
            signed(makerKey, "POST", "/v1/transfers", new JsonObject().put("transferId", "maker-options")
                    .put("asset", "USDT").put("amount", "200000").put("from", "FUNDING").put("to", "OPTIONS"));
            awaitTransfer(makerKey, "maker-options");
            for (String symbol : makerOptions(expiry)) {
                quoteOption(makerKey, symbol, awaitOptionMark(symbol), false, false, "");
            }
            return true;
        } catch (IllegalStateException e) {
            System.out.println("demo: the option market maker could not quote: " + e.getMessage());
            return false;
        }
    }

    /** The instrument's mark once the index and the volatility slice have priced it. */
    private BigDecimal awaitOptionMark(String symbol) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(gateway + "/v1/options/tickers/"
                    + symbol)).timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                JsonObject t = new JsonObject(r.body());
                BigDecimal mark = new BigDecimal(t.getString("markPrice", "0"));
                if (t.getBoolean("indexFresh", false) && mark.signum() > 0) {
                    return mark;
                }
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("no mark for " + symbol + " within 30 s");
    }

    /**
     * Three bids and three asks, 3%, 6% and 9% of the mark away (inside the price band), 0.1 BTC
     * each, on the 0.1 tick; a side already quoted ({@code skipBids}, {@code skipAsks}) is left
     * alone. How many were placed.
     */
    private int quoteOption(JsonObject key, String market, BigDecimal mark, boolean skipBids, boolean skipAsks,
                            String idSuffix) throws Exception {
        int placed = 0;
        for (int i = 1; i <= 3; i++) {
            BigDecimal away = mark.multiply(BigDecimal.valueOf(3L * i, 2));
            BigDecimal bid = mark.subtract(away).setScale(1, RoundingMode.DOWN);
            BigDecimal ask = mark.add(away).setScale(1, RoundingMode.UP);
            for (String side : new String[] {"BUY", "SELL"}) {
                BigDecimal price = "BUY".equals(side) ? bid : ask;
                if (price.signum() <= 0 || ("BUY".equals(side) ? skipBids : skipAsks)) {
                    continue;
                }
                signed(key, "POST", "/v1/orders", new JsonObject().put("market", market).put("side", side)
                        .put("type", "LIMIT").put("price", price.toPlainString()).put("quantity", "0.1")
                        .put("clientOrderId", "demo-" + market + "-" + side + "-" + i + idSuffix));
                placed++;
            }
        }
        return placed;
    }

    /** A linear BTC contract in USDT with the venue's usual brackets (409 when it exists). */
    private void futures(String symbol, JsonObject terms) throws Exception {
        JsonArray brackets = new JsonArray()
                .add(new JsonObject().put("notionalCap", "50000").put("maxLeverage", 50).put("maintenanceMarginBps", 40))
                .add(new JsonObject().put("notionalCap", "250000").put("maxLeverage", 20).put("maintenanceMarginBps", 50))
                .add(new JsonObject().put("notionalCap", "1000000").put("maxLeverage", 10).put("maintenanceMarginBps", 100))
                .add(new JsonObject().put("notionalCap", "5000000").put("maxLeverage", 5).put("maintenanceMarginBps", 250));
        HttpResponse<String> r = admin("POST", "/v1/admin/markets", new JsonObject().put("product", "FUTURES")
                .put("symbol", symbol).put("base", "BTC").put("baseDecimals", 8)
                .put("quote", "USDT").put("quoteDecimals", 6).put("priceScale", 2)
                .put("tickSize", "0.01").put("lotSize", "0.0001").put("minQuantity", "0.0001").put("maxQuantity", "100")
                .put("maxPrice", "1000000").put("makerFeeBps", 2).put("takerFeeBps", 5).put("priceBandBps", 2000)
                .put("futures", terms.put("impactNotional", "1000").put("brackets", brackets)));
        if (r.statusCode() != 200 && r.statusCode() != 409) {
            throw new IllegalStateException("creating " + symbol + " failed: " + r.body());
        }
    }

    /** A money-market pool with the venue's usual terms (409 when it exists). */
    private void pool(String asset, int decimals, String optimal, String base, String slope1, String slope2,
                      String reserveFactor, String ltv, String threshold, String bonus) throws Exception {
        HttpResponse<String> r = admin("POST", "/v1/admin/lending/pools", new JsonObject().put("asset", asset)
                .put("decimals", decimals).put("optimalUtilization", optimal).put("baseRate", base)
                .put("slope1", slope1).put("slope2", slope2).put("reserveFactor", reserveFactor).put("ltv", ltv)
                .put("liquidationThreshold", threshold).put("liquidationBonus", bonus).put("protocolShare", "0.1"));
        if (r.statusCode() != 200 && r.statusCode() != 409) {
            throw new IllegalStateException("creating the " + asset + " pool failed: " + r.body());
        }
    }

    /** Waits until the contract's index price has arrived (it follows the BTC-USDT book through risk-service). */
    private void awaitIndex(String contract) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(gateway + "/v1/futures/" + contract
                    + "/mark")).timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200 && new JsonObject(r.body()).getBoolean("indexFresh", false)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("no index price for " + contract + " within 30 s");
    }

    /** Whether the key in an existing key file is one risk-service still has. */
    private boolean knownKey(Path env) throws Exception {
        JsonObject key = readKey(env);
        return key.containsKey("apiKey") && key.containsKey("secret")
                && signedRequest(key, "GET", "/v1/balances", null).statusCode() != 401;
    }

    /** A key file as {@code demo.env} holds it: DEMO_ACCOUNT_ID, DEMO_API_KEY, DEMO_API_SECRET. */
    private static JsonObject readKey(Path env) throws IOException {
        JsonObject key = new JsonObject();
        for (String line : Files.readAllLines(env)) {
            if (line.startsWith("DEMO_API_KEY=")) {
                key.put("apiKey", line.substring("DEMO_API_KEY=".length()));
            } else if (line.startsWith("DEMO_API_SECRET=")) {
                key.put("secret", line.substring("DEMO_API_SECRET=".length()));
            }
        }
        return key;
    }

    private static void writeKey(Path env, long accountId, JsonObject key) throws IOException {
        Files.writeString(env, "DEMO_ACCOUNT_ID=" + accountId + "\nDEMO_API_KEY=" + key.getString("apiKey")
                + "\nDEMO_API_SECRET=" + key.getString("secret") + "\n");
        Files.setPosixFilePermissions(env, PosixFilePermissions.fromString("rw-------"));
    }

    /**
     * On a later start: puts back the maker's quotes that trading has taken, so the walkthrough
     * finds something to trade against. A ladder level is placed again only when the maker has
     * no open order at that price and side; an option side only when the maker has no open
     * order on it. Best effort: what cannot be placed (the maker's money used up, a market
     * gone) is reported, and the start goes on.
     */
    private void topUpQuotes(Path makerEnv, String dated, long optionExpiry) throws Exception {
        if (!Files.exists(makerEnv) || !knownKey(makerEnv)) {
            System.out.println("demo: the market maker's key is not kept in this mesh (made by an older build), so"
                    + " its quotes are not topped up; './mesh stop && rm -rf run && ./mesh start' begins a fresh demo");
            return;
        }
        JsonObject key = readKey(makerEnv);
        int placed = 0;
        try {
            List<Ladder> ladders = new ArrayList<>(spotLadders());
            ladders.addAll(futuresLadders(dated));
            for (Ladder l : ladders) {
                placed += quote(key, l, openOrders(key, l.market()), freshIdSuffix());
            }
            if (optionExpiry > 0) {
                for (String symbol : makerOptions(optionExpiry)) {
                    placed += topUpOption(key, symbol);
                }
            }
        } catch (IllegalStateException e) {
            System.out.println("demo: the market maker could not top up its quotes: " + e.getMessage());
        }
        System.out.println(placed == 0 ? "demo: the market maker's quotes are all in place"
                : "demo: the market maker put back " + placed + " quote(s) that trading had taken");
    }

    /** The maker's open orders in {@code market}. */
    private JsonArray openOrders(JsonObject key, String market) throws Exception {
        HttpResponse<String> r = signedRequest(key, "GET", "/v1/orders/open", "market=" + market, null);
        if (r.statusCode() != 200) {
            throw new IllegalStateException("listing the maker's orders in " + market + ": " + r.statusCode() + " "
                    + r.body());
        }
        return new JsonArray(r.body());
    }

    private static boolean hasOrder(JsonArray open, String side, BigDecimal price) {
        for (Object o : open) {
            JsonObject order = (JsonObject) o;
            if (side.equals(order.getString("side"))
                    && (price == null || price.compareTo(new BigDecimal(order.getString("price"))) == 0)) {
                return true;
            }
        }
        return false;
    }

    /** The maker's option quotes on the sides of {@code symbol} where it has no open order, at today's mark. */
    private int topUpOption(JsonObject key, String symbol) throws Exception {
        JsonArray open = openOrders(key, symbol);
        boolean bids = hasOrder(open, "BUY", null);
        boolean asks = hasOrder(open, "SELL", null);
        return bids && asks ? 0 : quoteOption(key, symbol, awaitOptionMark(symbol), bids, asks, freshIdSuffix());
    }

    /** Client ids of earlier quotes stay taken for a day after they fill: a top-up needs new ones. */
    private static String freshIdSuffix() {
        return "-" + System.currentTimeMillis();
    }

    private void market(String symbol, String base, int baseDecimals, String lot, String maxQty, String maxPrice)
            throws Exception {
        HttpResponse<String> r = admin("POST", "/v1/admin/markets", new JsonObject()
                .put("symbol", symbol).put("base", base).put("baseDecimals", baseDecimals)
                .put("quote", "USDT").put("quoteDecimals", 6).put("priceScale", 2)
                .put("tickSize", "0.01").put("lotSize", lot).put("minQuantity", lot).put("maxQuantity", maxQty)
                .put("maxPrice", maxPrice).put("makerFeeBps", 10).put("takerFeeBps", 20).put("priceBandBps", 2000));
        if (r.statusCode() != 200 && r.statusCode() != 409) {
            throw new IllegalStateException("creating " + symbol + " failed: " + r.body());
        }
    }

    // Accounts and keys are sent once: a 503 after a timeout may have created one already.
    private JsonObject account(String name) throws Exception {
        return ok(HTTP.send(adminRequest("POST", "/v1/admin/accounts", new JsonObject().put("name", name)),
                HttpResponse.BodyHandlers.ofString()));
    }

    private JsonObject key(long accountId) throws Exception {
        return ok(HTTP.send(adminRequest("POST", "/v1/admin/accounts/" + accountId + "/keys", new JsonObject()
                .put("permissions", new JsonArray().add("read").add("trade").add("transfer")).put("label", "demo")),
                HttpResponse.BodyHandlers.ofString()));
    }

    private void deposit(long accountId, String asset, String amount, String id) throws Exception {
        ok(admin("POST", "/v1/admin/deposits", new JsonObject().put("operationId", id).put("accountId", accountId)
                .put("asset", asset).put("amount", amount)));
    }

    /** The maker's quotes in one market: five levels each side of {@code mid}, {@code step} apart. */
    private record Ladder(String market, long mid, long step, String quantity) {
    }

    private static List<Ladder> spotLadders() {
        return List.of(new Ladder("BTC-USDT", 30_000, 10, "0.05"), new Ladder("ETH-USDT", 2_000, 1, "0.5"));
    }

    private static List<Ladder> futuresLadders(String dated) {
        return List.of(new Ladder("BTC-PERP", 30_000, 10, "0.05"), new Ladder(dated, 30_100, 10, "0.05"));
    }

    /** The options the maker quotes: the at-the-money call and put, the 31000 call and the 29000 put. */
    private static List<String> makerOptions(long expiry) {
        return List.of(optionSymbol(expiry, ATM, true), optionSymbol(expiry, ATM, false),
                optionSymbol(expiry, ATM + 1_000, true), optionSymbol(expiry, ATM - 1_000, false));
    }

    /**
     * The ladder's resting bids and asks, but none where {@code open} already holds the maker's
     * order at that price and side; how many were placed.
     */
    private int quote(JsonObject key, Ladder ladder, JsonArray open, String idSuffix) throws Exception {
        String market = ladder.market();
        int placed = 0;
        for (int i = 1; i <= 5; i++) {
            for (String side : new String[] {"BUY", "SELL"}) {
                long price = "BUY".equals(side) ? ladder.mid() - i * ladder.step() : ladder.mid() + i * ladder.step();
                if (hasOrder(open, side, BigDecimal.valueOf(price))) {
                    continue;
                }
                // A client order id makes a retried order idempotent: a repeat gets the open one back.
                signed(key, "POST", "/v1/orders", new JsonObject().put("market", market).put("side", side)
                        .put("type", "LIMIT").put("price", Long.toString(price)).put("quantity", ladder.quantity())
                        .put("clientOrderId", "demo-" + market + "-" + side + "-" + i + idSuffix));
                placed++;
            }
        }
        return placed;
    }

    /** An idempotent admin request (market creation, deposits by operation id), retried while 503. */
    private HttpResponse<String> admin(String method, String path, JsonObject body) throws IOException,
            InterruptedException {
        return retried(() -> adminRequest(method, path, body));
    }

    private HttpRequest adminRequest(String method, String path, JsonObject body) {
        return HttpRequest.newBuilder(URI.create(gateway + path)).timeout(Duration.ofSeconds(10))
                .header("content-type", "application/json").header("X-OPERATOR-TOKEN", operatorToken)
                .method(method, HttpRequest.BodyPublishers.ofString(body.encode())).build();
    }

    /**
     * Sends, and again while the answer is 503 for up to 30 s: just after start, a service
     * the gateway has only begun to reach may still be warming up behind an open breaker.
     * Only for requests that are safe to repeat.
     */
    private static HttpResponse<String> retried(Supplier<HttpRequest> request) throws IOException,
            InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            HttpResponse<String> r = HTTP.send(request.get(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 503 || System.currentTimeMillis() > deadline) {
                return r;
            }
            Thread.sleep(500);
        }
    }

    /** Transfers settle in the background (risk-service debits, then credits spot): wait for it. */
    private void awaitTransfer(JsonObject key, String transferId) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            String state = signed(key, "GET", "/v1/transfers/" + transferId, null).getString("state");
            if ("COMPLETED".equals(state)) {
                return;
            }
            if ("FAILED".equals(state) || "REFUNDED".equals(state)) {
                throw new IllegalStateException("transfer " + transferId + " " + state);
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("transfer " + transferId + " did not complete in 30 s");
    }

    private JsonObject signed(JsonObject key, String method, String path, JsonObject body) throws Exception {
        return ok(signedRequest(key, method, path, body));
    }

    private HttpResponse<String> signedRequest(JsonObject key, String method, String path, JsonObject body)
            throws IOException, InterruptedException {
        return signedRequest(key, method, path, "", body);
    }

    private HttpResponse<String> signedRequest(JsonObject key, String method, String path, String params,
                                               JsonObject body) throws IOException, InterruptedException {
        return retried(() -> {   // signed afresh on each try: the timestamp must be recent
            String query = (params.isEmpty() ? "" : params + "&") + "timestamp=" + System.currentTimeMillis();
            String text = body == null ? "" : body.encode();
            String signature = Signatures.sign(key.getString("secret"), Signatures.payload(method, path, query, text));
            return HttpRequest.newBuilder(URI.create(gateway + path + "?" + query + "&signature=" + signature))
                    .timeout(Duration.ofSeconds(10)).header("content-type", "application/json")
                    .header("X-API-KEY", key.getString("apiKey"))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(text)).build();
        });
    }

    private static JsonObject ok(HttpResponse<String> r) {
        if (r.statusCode() != 200) {
            throw new IllegalStateException(r.request().uri().getPath() + " failed: " + r.statusCode() + " " + r.body());
        }
        return new JsonObject(r.body());
    }
}
