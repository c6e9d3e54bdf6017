package io.trademesh.gateway.api;

import io.trademesh.gateway.routing.MarketCatalog;
import io.trademesh.proto.common.Asset;
import io.trademesh.proto.common.Market;
import io.trademesh.proto.common.MatchingMode;
import io.trademesh.proto.common.Product;
import io.trademesh.platform.trading.MarketSpec;
import io.trademesh.proto.options.CreateChainRequest;
import io.trademesh.proto.options.SetVolSliceRequest;
import io.trademesh.proto.options.UnderlyingParams;
import io.trademesh.proto.options.VolSlice;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;

/**
 * The operator's option requests (JSON, decimal strings) turned into options-service's
 * messages. What cannot be right whatever the service's state is refused here with a 400 and
 * a reason, so nothing reaches the service: an unknown asset, a strike that is not a whole
 * number of the quote asset, a volatility outside (0, 10], a tick and contract size whose
 * premiums would not be whole units. The rest (a chain that exists, calendar arbitrage in a
 * slice) is the service's to judge.
 */
public final class OptionsInput {

    /**
     * The reasons of a refused chain and slice: options-service's own (INVALID_MARKET,
     * INVALID_SURFACE, INVALID_PARAMS), so a client sees one code for one mistake whether the
     * gateway or the service caught it.
     */
    static final String CHAIN = "INVALID_MARKET";
    static final String SURFACE = "INVALID_SURFACE";

    /** Volatilities and margin ratios travel with 9 decimals (options.proto's _e9). */
    static final int RATIO = 9;
    private static final long ONE = 1_000_000_000L;
    /** options.proto's VolSlice: each volatility in (0, 10]. */
    static final long MAX_VOL_E9 = 10 * ONE;
    /** options.proto's defaults for what an operator leaves out of an underlying's parameters. */
    static final int DEFAULT_LIQUIDATION_FEE_BPS = 50;
    static final int DEFAULT_PRICE_BAND_BPS = 5_000;
    static final int DEFAULT_BAND_FLOOR_BPS = 100;
    /** options.proto's default settlement window (the index averaged over its last 30 minutes). */
    static final long DEFAULT_SETTLEMENT_WINDOW_MS = 30 * 60_000L;

    private OptionsInput() {
    }

    /**
     * A chain's CreateChainRequest: the instruments' common terms at the assets' decimals as
     * the markets know them, the strikes ascending. {@code nowMs} refuses an expiry already past.
     */
    public static CreateChainRequest chain(JsonObject j, MarketCatalog catalog, long nowMs) {
        String underlying = j.getString("underlying");
        String quote = j.getString("quote");
        if (underlying == null || quote == null || underlying.equals(quote)) {
            throw invalid("a chain names its underlying and a different quote asset");
        }
        int bd = assetDecimals(catalog, underlying);
        int qd = assetDecimals(catalog, quote);
        int ps = priceScale(catalog, underlying, quote);
        long expiry = expiry(j.getValue("expiry"), CHAIN);
        if (expiry <= nowMs) {
            throw invalid("expiry " + expiry + " is not in the future");
        }
        long tick = positive(j, "tickSize", ps, "the premium tick in " + quote);
        long lot = positive(j, "contractSize", bd, "the contract size in " + underlying);
        // Unless told, the limits of the market the index follows: the venue's bounds for this pair.
        MarketCatalog.Entry pair = pair(catalog, underlying, quote);
        long min = j.containsKey("minQuantity") ? positive(j, "minQuantity", bd, "in " + underlying) : lot;
        long max = j.containsKey("maxQuantity") ? positive(j, "maxQuantity", bd, "in " + underlying)
                : pair == null ? 0 : pair.market().getMaxQuantity() / lot * lot;
        long maxPrice = j.containsKey("maxPrice") ? positive(j, "maxPrice", ps, "in " + quote)
                : pair == null ? 0 : rescale(pair.market().getMaxPrice(), pair.market().getPriceScale(), ps);
        if (max <= 0 || maxPrice <= 0) {
            throw invalid("maxQuantity and maxPrice are required: no market trades " + underlying + " against "
                    + quote + " to take them from");
        }
        if (min % lot != 0 || max % lot != 0 || max < min) {
            throw invalid("minQuantity and maxQuantity are multiples of the contract size, and maxQuantity is at"
                    + " least minQuantity");
        }
        int maker = j.getInteger("makerFeeBps", 0);
        int taker = j.getInteger("takerFeeBps", 0);
        if (maker > taker) {
            // A resting order could pay more than was set aside for it.
            throw invalid("makerFeeBps is at most takerFeeBps");
        }
        long window = j.getLong("settlementWindowMs", 0L);
        long sample = j.getLong("settlementSampleMs", 0L);
        long effectiveWindow = window == 0 ? DEFAULT_SETTLEMENT_WINDOW_MS : window;
        if ((window != 0 && (window < 1_000 || window > 86_400_000L))
                || (sample != 0 && (sample < 100 || sample > effectiveWindow))) {
            throw invalid("settlementWindowMs is 1 s .. 1 day, settlementSampleMs 100 ms .. the window");
        }
        Market template = Market.newBuilder()
                .setProduct(Product.PRODUCT_OPTIONS)
                .setBase(Asset.newBuilder().setSymbol(underlying).setDecimals(bd))
                .setQuote(Asset.newBuilder().setSymbol(quote).setDecimals(qd))
                .setPriceScale(ps)
                .setTickSize(tick)
                .setLotSize(lot)
                .setMinQuantity(min)
                .setMaxQuantity(max)
                .setMaxPrice(maxPrice)
                .setMakerFeeBps(maker)
                .setTakerFeeBps(taker)
                .setMatchingMode(MatchingMode.MATCHING_MODE_CONTINUOUS)
                .setMaxOpenOrdersPerAccount(j.getInteger("maxOpenOrdersPerAccount", 1000))
                .build();
        // The platform's own rule for a market (tick x lot whole quote units, maxPrice x maxQuantity in 63 bits).
        String bad = MarketSpec.inconsistency(template);
        if (bad != null) {
            throw invalid(bad);
        }
        CreateChainRequest.Builder r = CreateChainRequest.newBuilder().setTemplate(template).setExpiryMs(expiry)
                .setSettlementWindowMs(window).setSettlementSampleMs(sample);
        long whole = pow10(ps);
        for (long strike : ascending(j.getJsonArray("strikes"), ps, quote)) {
            if (strike % whole != 0) {
                throw invalid("strike " + Decimals.format(strike, ps) + " is not a whole number of " + quote
                        + " (instruments are named by it)");
            }
            if (strike > maxPrice) {
                throw invalid("strike " + Decimals.format(strike, ps) + " is above maxPrice "
                        + Decimals.format(maxPrice, ps));
            }
            r.addStrikes(strike);
        }
        return r.build();
    }

    /** The market trading {@code underlying} against {@code quote} that is not an option (the index's), or null. */
    private static MarketCatalog.Entry pair(MarketCatalog catalog, String underlying, String quote) {
        MarketCatalog.Entry named = catalog.get(underlying + "-" + quote);
        if (named != null && isPair(named, underlying, quote)) {
            return named;
        }
        return catalog.all().stream().filter(e -> isPair(e, underlying, quote))
                .min(Comparator.comparing(e -> e.market().getSymbol())).orElse(null);
    }

    private static boolean isPair(MarketCatalog.Entry e, String underlying, String quote) {
        return e.market().getProduct() != Product.PRODUCT_OPTIONS && e.market().getBase().getSymbol().equals(underlying)
                && e.market().getQuote().getSymbol().equals(quote);
    }

    /**
     * An underlying's margin rule and checks. {@code a}, {@code b}, {@code c} are fractions of
     * the index in (0, 1], with c <= b <= a: a maintenance above the initial floor would make a
     * short that just met its initial margin liquidatable at once.
     */
    public static UnderlyingParams underlying(String underlying, JsonObject j, MarketCatalog catalog) {
        String quote = j.getString("quote");
        assetDecimals(catalog, underlying);
        assetDecimals(catalog, quote);
        if (underlying.equals(quote)) {
            throw ApiError.badRequest("INVALID_PARAMS", "the quote asset differs from the underlying");
        }
        long a = fraction(j, "initialBase");
        long b = fraction(j, "initialFloor");
        long c = fraction(j, "maintenance");
        if (b > a || c > b) {
            throw ApiError.badRequest("INVALID_PARAMS", "need maintenance <= initialFloor <= initialBase");
        }
        return UnderlyingParams.newBuilder().setUnderlying(underlying).setQuote(quote)
                .setInitialBaseE9(a).setInitialFloorE9(b).setMaintenanceE9(c)
                .setLiquidationFeeBps(j.getInteger("liquidationFeeBps", DEFAULT_LIQUIDATION_FEE_BPS))
                .setPriceBandBps(j.getInteger("priceBandBps", DEFAULT_PRICE_BAND_BPS))
                .setBandFloorBps(j.getInteger("bandFloorBps", DEFAULT_BAND_FLOOR_BPS))
                .build();
    }

    /** One expiry's volatility points, strikes ascending, at the underlying's price scale. */
    public static SetVolSliceRequest volSlice(String underlying, JsonObject j, MarketCatalog catalog) {
        String quote = j.getString("quote");
        assetDecimals(catalog, underlying);
        assetDecimals(catalog, quote);
        int ps = priceScale(catalog, underlying, quote);
        long expiry = expiry(j.getValue("expiry"), SURFACE);
        JsonArray points = j.getJsonArray("points");
        if (points == null || points.isEmpty()) {
            throw ApiError.badRequest(SURFACE, "a slice has at least one point");
        }
        Map<Long, Long> byStrike = new TreeMap<>();
        for (Object o : points) {
            if (!(o instanceof JsonObject p)) {
                throw ApiError.badRequest(SURFACE, "each point is {strike, vol}");
            }
            long strike = strike(p.getValue("strike"), ps, quote, SURFACE);
            Long vol = p.getValue("vol") instanceof String s ? Decimals.parse(s, RATIO) : null;
            if (vol == null || vol <= 0 || vol > MAX_VOL_E9) {
                throw ApiError.badRequest(SURFACE, "vol " + p.getValue("vol") + " must be a decimal in (0, 10]"
                        + " with at most 9 decimals (0.55 is 55% a year)");
            }
            if (byStrike.put(strike, vol) != null) {
                throw ApiError.badRequest(SURFACE, "strike " + Decimals.format(strike, ps)
                        + " appears twice in the slice");
            }
        }
        VolSlice.Builder slice = VolSlice.newBuilder().setExpiryMs(expiry);
        byStrike.forEach((strike, vol) -> slice.addStrikes(strike).addVolsE9(vol));
        return SetVolSliceRequest.newBuilder().setUnderlying(underlying).setQuote(quote).setSlice(slice).build();
    }

    /**
     * The price scale of an underlying's options in {@code quote}. Every chain of an underlying
     * shares one, since its volatility surface's strikes are in those units: an existing
     * chain's; else that of the market trading the underlying against the quote (whose book
     * the index follows, so index, strikes and premiums need no rescaling); else the quote
     * asset's decimals.
     */
    public static int priceScale(MarketCatalog catalog, String underlying, String quote) {
        MarketCatalog.Entry chain = instruments(catalog, underlying, quote).findFirst().orElse(null);
        if (chain != null) {
            return chain.market().getPriceScale();
        }
        MarketCatalog.Entry pair = pair(catalog, underlying, quote);
        return pair != null ? pair.market().getPriceScale() : assetDecimals(catalog, quote);
    }

    /** The option instruments the catalog knows on {@code underlying} (in {@code quote}, unless null or empty), by symbol. */
    public static java.util.stream.Stream<MarketCatalog.Entry> instruments(MarketCatalog catalog, String underlying,
                                                                          String quote) {
        return catalog.all().stream()
                .filter(e -> e.market().getProduct() == Product.PRODUCT_OPTIONS
                        && e.market().getBase().getSymbol().equals(underlying)
                        && (quote == null || quote.isEmpty() || e.market().getQuote().getSymbol().equals(quote)))
                .sorted(Comparator.comparing(e -> e.market().getSymbol()));
    }

    /**
     * An expiry: ms since epoch, or an ISO-8601 date-time with its offset ("2026-12-25T08:00:00Z");
     * else a 400 with {@code code}.
     */
    public static long expiry(Object value, String code) {
        if (value instanceof Integer || value instanceof Long) {
            long ms = ((Number) value).longValue();
            if (ms > 0) {
                return ms;
            }
        } else if (value instanceof String s) {
            try {
                return OffsetDateTime.parse(s).toInstant().toEpochMilli();
            } catch (DateTimeParseException | ArithmeticException e) {
                // refused below
            }
        }
        throw ApiError.badRequest(code, "expiry is ms since epoch or an ISO-8601 date-time with its"
                + " offset, e.g. 2026-12-25T08:00:00Z");
    }

    /** The strikes, each positive at the price scale, ascending and distinct. */
    private static long[] ascending(JsonArray strikes, int ps, String quote) {
        if (strikes == null || strikes.isEmpty()) {
            throw invalid("a chain has at least one strike");
        }
        long[] out = new long[strikes.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = strike(strikes.getValue(i), ps, quote, CHAIN);
        }
        java.util.Arrays.sort(out);
        for (int i = 1; i < out.length; i++) {
            if (out[i] == out[i - 1]) {
                throw invalid("strike " + Decimals.format(out[i], ps) + " appears twice");
            }
        }
        return out;
    }

    private static long strike(Object value, int ps, String quote, String code) {
        Long v = value instanceof String s ? Decimals.parse(s, ps) : null;
        if (v == null || v <= 0) {
            throw ApiError.badRequest(code, "strike " + value + " must be a positive decimal string of "
                    + quote + " with at most " + ps + " decimals");
        }
        return v;
    }

    /** The decimals of an asset some market trades, or a 400: options are on assets the venue knows. */
    static int assetDecimals(MarketCatalog catalog, String asset) {
        int d = asset == null ? -1 : catalog.decimals(asset);
        if (d < 0) {
            throw ApiError.badRequest("UNKNOWN_ASSET", "no market trades " + asset + ": options are on an asset the"
                    + " venue trades, in one it trades");
        }
        return d;
    }

    private static long positive(JsonObject j, String field, int scale, String what) {
        Object value = j.getValue(field);
        Long v = value instanceof String s ? Decimals.parse(s, scale) : null;
        if (v == null || v <= 0) {
            throw invalid(field + " (" + what + ") must be a positive decimal string"
                    + " with at most " + scale + " decimals");
        }
        return v;
    }

    /** A fraction in (0, 1] as _e9. */
    private static long fraction(JsonObject j, String field) {
        Object value = j.getValue(field);
        Long v = value instanceof String s ? Decimals.parse(s, RATIO) : null;
        if (v == null || v <= 0 || v > ONE) {
            throw ApiError.badRequest("INVALID_PARAMS", field + " must be a decimal string in (0, 1] with at most 9"
                    + " decimals (0.15 is 15% of the index)");
        }
        return v;
    }

    /** A chain the service could never create: its reason for that, INVALID_MARKET. */
    private static ApiError invalid(String message) {
        return ApiError.badRequest(CHAIN, message);
    }

    /** {@code value} at {@code from} decimals, at {@code to} (rounded down); 0 when it does not fit. */
    private static long rescale(long value, int from, int to) {
        try {
            return to >= from ? Math.multiplyExact(value, pow10(to - from)) : value / pow10(from - to);
        } catch (ArithmeticException tooBig) {
            return 0;
        }
    }

    private static long pow10(int n) {
        long p = 1;
        for (int i = 0; i < n; i++) {
            p *= 10;
        }
        return p;
    }
}
