package io.trademesh.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.trademesh.gateway.routing.Backends;
import io.trademesh.gateway.routing.MarketCatalog;
import io.trademesh.proto.common.Asset;
import io.trademesh.proto.common.Market;
import io.trademesh.proto.common.OptionTerms;
import io.trademesh.proto.common.Product;
import io.trademesh.proto.options.CreateChainRequest;
import io.trademesh.proto.options.SetVolSliceRequest;
import io.trademesh.proto.options.UnderlyingParams;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The operator's option requests as the gateway reads them: good ones become exactly the
 * service's messages at the markets' scales; bad strikes, volatilities, ratios, expiries and
 * unknown assets are refused with a 400 and a reason before anything is sent.
 */
class OptionsInputTest {

    private static final long NOW = 1_700_000_000_000L;
    private static final long EXPIRY = NOW + 7 * 86_400_000L;

    private Vertx vertx;
    private MarketCatalog catalog;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        catalog = new MarketCatalog(vertx, new Backends(vertx, 1_000));
        // The demo's BTC-USDT: prices at 2 decimals, BTC 8, USDT 6; the index follows its book.
        catalog.put(Market.newBuilder().setSymbol("BTC-USDT").setProduct(Product.PRODUCT_SPOT)
                .setBase(Asset.newBuilder().setSymbol("BTC").setDecimals(8))
                .setQuote(Asset.newBuilder().setSymbol("USDT").setDecimals(6))
                .setPriceScale(2).setTickSize(1).setLotSize(10_000).setMaxQuantity(10_000_000_000L)
                .setMaxPrice(100_000_000L).build(), "127.0.0.1:1");
    }

    @AfterEach
    void stop() {
        vertx.close().await();
    }

    private static JsonObject chainBody() {
        return new JsonObject().put("underlying", "BTC").put("quote", "USDT").put("expiry", EXPIRY)
                .put("strikes", new JsonArray().add("70000").add("60000").add("65000"))
                .put("contractSize", "0.01").put("tickSize", "0.1").put("makerFeeBps", 2).put("takerFeeBps", 5);
    }

    private static void refused(String code, Executable parse) {
        ApiError e = assertThrows(ApiError.class, parse);
        assertEquals(400, e.status(), e.getMessage());
        assertEquals(code, e.code(), e.getMessage());
    }

    @Test
    void aChainIsBuiltAtTheScaleOfTheMarketItsIndexFollows() {
        CreateChainRequest r = OptionsInput.chain(chainBody(), catalog, NOW);
        Market t = r.getTemplate();
        assertEquals(Product.PRODUCT_OPTIONS, t.getProduct());
        assertEquals("BTC", t.getBase().getSymbol());
        assertEquals(8, t.getBase().getDecimals());
        assertEquals("USDT", t.getQuote().getSymbol());
        assertEquals(6, t.getQuote().getDecimals());
        assertEquals(2, t.getPriceScale());
        assertEquals(10, t.getTickSize());                 // 0.1 at 2 decimals
        assertEquals(1_000_000, t.getLotSize());           // 0.01 BTC
        assertEquals(1_000_000, t.getMinQuantity());       // one contract unless told
        assertEquals(2, t.getMakerFeeBps());
        assertEquals(5, t.getTakerFeeBps());
        assertEquals(EXPIRY, r.getExpiryMs());
        assertEquals(List.of(6_000_000L, 6_500_000L, 7_000_000L), r.getStrikesList(), "ascending, price units");
        assertEquals(0, r.getSettlementWindowMs(), "the service's default");
        assertEquals(10_000_000_000L, t.getMaxQuantity(), "the BTC-USDT market's bounds unless told");
        assertEquals(100_000_000L, t.getMaxPrice());
    }

    @Test
    void anExpiryMayBeAnIsoDateTime() {
        CreateChainRequest r = OptionsInput.chain(chainBody().put("expiry", "2030-01-04T08:00:00Z"), catalog, NOW);
        assertEquals(1_893_744_000_000L, r.getExpiryMs());
        assertEquals(1_893_744_000_000L, OptionsInput.expiry("2030-01-04T09:00:00+01:00", "X"));
    }

    @Test
    void anExistingChainsScaleWinsOverTheSpotMarkets() {
        catalog.put(Market.newBuilder().setSymbol("BTC-20300104-60000-C").setProduct(Product.PRODUCT_OPTIONS)
                .setBase(Asset.newBuilder().setSymbol("BTC").setDecimals(8))
                .setQuote(Asset.newBuilder().setSymbol("USDT").setDecimals(6)).setPriceScale(4)
                .setOption(OptionTerms.newBuilder().setCall(true).setStrike(600_000_000L)).build(), "127.0.0.1:2");
        // At 4 decimals BTC-USDT's 1,000,000 x 100 BTC no longer fits 63 bits: a smaller maxQuantity does.
        CreateChainRequest r = OptionsInput.chain(chainBody().put("maxQuantity", "1"), catalog, NOW);
        assertEquals(4, r.getTemplate().getPriceScale());
        assertEquals(10_000_000_000L, r.getTemplate().getMaxPrice(), "BTC-USDT's 1,000,000 at 4 decimals");
        assertEquals(600_000_000L, r.getStrikes(0));
    }

    @Test
    void badStrikesAreRefused() {
        refused("INVALID_MARKET", () -> OptionsInput.chain(chainBody().put("strikes", new JsonArray().add("60000.5")),
                catalog, NOW));   // not a whole number of USDT: instruments are named by it
        refused("INVALID_MARKET", () -> OptionsInput.chain(chainBody().put("strikes", new JsonArray().add("0")),
                catalog, NOW));
        refused("INVALID_MARKET", () -> OptionsInput.chain(chainBody().put("strikes", new JsonArray().add("-60000")),
                catalog, NOW));
        refused("INVALID_MARKET", () -> OptionsInput.chain(chainBody().put("strikes", new JsonArray().add("60000.001")),
                catalog, NOW));   // finer than the price scale
        refused("INVALID_MARKET", () -> OptionsInput.chain(chainBody().put("strikes", new JsonArray().add(60000)),
                catalog, NOW));   // a number, not a decimal string
        refused("INVALID_MARKET", () -> OptionsInput.chain(chainBody()
                .put("strikes", new JsonArray().add("60000").add("60000.00")), catalog, NOW));
        refused("INVALID_MARKET", () -> OptionsInput.chain(chainBody().put("strikes", new JsonArray()), catalog, NOW));
        refused("INVALID_MARKET", () -> OptionsInput.chain(chainBody()
                .put("strikes", new JsonArray().add("99999999999999999999")), catalog, NOW));
    }

    @Test
    void unknownAssetsAreRefused() {
        refused("UNKNOWN_ASSET", () -> OptionsInput.chain(chainBody().put("underlying", "DOGE"), catalog, NOW));
        refused("UNKNOWN_ASSET", () -> OptionsInput.chain(chainBody().put("quote", "EUR"), catalog, NOW));
        refused("UNKNOWN_ASSET", () -> OptionsInput.underlying("DOGE", params(), catalog));
        refused("UNKNOWN_ASSET", () -> OptionsInput.volSlice("DOGE", slice(), catalog));
        refused("INVALID_MARKET", () -> OptionsInput.chain(chainBody().put("quote", "BTC"), catalog, NOW));
    }

    @Test
    void badTermsAreRefused() {
        // 0.01 x 0.00000001 BTC is 1e-10 USDT: no whole number of units.
        refused("INVALID_MARKET", () -> OptionsInput.chain(chainBody().put("tickSize", "0.01")
                .put("contractSize", "0.00000001"), catalog, NOW));
        refused("INVALID_MARKET", () -> OptionsInput.chain(chainBody().put("tickSize", "0"), catalog, NOW));
        refused("INVALID_MARKET", () -> OptionsInput.chain(chainBody().put("tickSize", "0.001"), catalog, NOW));
        refused("INVALID_MARKET", () -> OptionsInput.chain(chainBody().put("contractSize", "0.000000001"), catalog,
                NOW));
        refused("INVALID_MARKET", () -> OptionsInput.chain(chainBody().put("minQuantity", "0.015"), catalog, NOW));
        refused("INVALID_MARKET", () -> OptionsInput.chain(chainBody().put("minQuantity", "1").put("maxQuantity", "0.5"),
                catalog, NOW));
        refused("INVALID_MARKET", () -> OptionsInput.chain(chainBody().put("settlementWindowMs", 60_000L)
                .put("settlementSampleMs", 120_000L), catalog, NOW));
    }

    @Test
    void boundsAndFeesAreCheckedAsThePlatformChecksAMarket() {
        refused("INVALID_MARKET", () -> OptionsInput.chain(chainBody().put("strikes", new JsonArray()
                .add("1000001")), catalog, NOW));   // above maxPrice
        refused("INVALID_MARKET", () -> OptionsInput.chain(chainBody().put("makerFeeBps", 6), catalog, NOW));
        refused("INVALID_MARKET", () -> OptionsInput.chain(chainBody().put("maxPrice", "92233720368547758")
                .put("maxQuantity", "1000"), catalog, NOW));   // maxPrice x maxQuantity beyond 63 bits
        refused("INVALID_MARKET", () -> OptionsInput.chain(chainBody().put("settlementSampleMs", 50L), catalog, NOW));
        refused("INVALID_MARKET", () -> OptionsInput.chain(chainBody().put("settlementWindowMs", 90_000_000L),
                catalog, NOW));
        assertEquals(200_000_000L, OptionsInput.chain(chainBody().put("maxPrice", "2000000").put("maxQuantity", "5"),
                catalog, NOW).getTemplate().getMaxPrice());
        catalog.put(Market.newBuilder().setSymbol("ETH-USDT").setProduct(Product.PRODUCT_SPOT)
                .setBase(Asset.newBuilder().setSymbol("ETH").setDecimals(8))
                .setQuote(Asset.newBuilder().setSymbol("USDT").setDecimals(6)).setPriceScale(2).build(), "127.0.0.1:1");
        refused("INVALID_MARKET", () -> OptionsInput.chain(chainBody().put("underlying", "ETH"), catalog, NOW));
    }

    @Test
    void badExpiriesAreRefused() {
        refused("INVALID_MARKET", () -> OptionsInput.chain(chainBody().put("expiry", NOW - 1), catalog, NOW));
        refused("INVALID_MARKET", () -> OptionsInput.chain(chainBody().put("expiry", "next friday"), catalog, NOW));
        refused("INVALID_MARKET", () -> OptionsInput.chain(chainBody().put("expiry", "2030-01-04"), catalog, NOW));
        refused("INVALID_MARKET", () -> OptionsInput.chain(chainBody().put("expiry", 1.5), catalog, NOW));
        refused("INVALID_MARKET", () -> OptionsInput.chain(chainBody().put("expiry", 0), catalog, NOW));
    }

    private static JsonObject params() {
        return new JsonObject().put("quote", "USDT").put("initialBase", "0.15").put("initialFloor", "0.10")
                .put("maintenance", "0.075");
    }

    @Test
    void underlyingParamsBecomeNineDecimalRatiosWithTheDocumentedDefaults() {
        UnderlyingParams p = OptionsInput.underlying("BTC", params(), catalog);
        assertEquals("BTC", p.getUnderlying());
        assertEquals("USDT", p.getQuote());
        assertEquals(150_000_000L, p.getInitialBaseE9());
        assertEquals(100_000_000L, p.getInitialFloorE9());
        assertEquals(75_000_000L, p.getMaintenanceE9());
        assertEquals(50, p.getLiquidationFeeBps());
        assertEquals(5_000, p.getPriceBandBps());
        assertEquals(100, p.getBandFloorBps());
        assertEquals(25, OptionsInput.underlying("BTC", params().put("liquidationFeeBps", 25), catalog)
                .getLiquidationFeeBps());
    }

    @Test
    void badRatiosAreRefused() {
        refused("INVALID_PARAMS", () -> OptionsInput.underlying("BTC", params().put("initialBase", "1.5"), catalog));
        refused("INVALID_PARAMS", () -> OptionsInput.underlying("BTC", params().put("maintenance", "0"), catalog));
        refused("INVALID_PARAMS", () -> OptionsInput.underlying("BTC", params().put("initialFloor", "0.1234567891"),
                catalog));
        refused("INVALID_PARAMS", () -> OptionsInput.underlying("BTC", params().put("initialFloor", 0.1), catalog));
        // maintenance above the initial floor, or the floor above the base: never a consistent rule
        refused("INVALID_PARAMS", () -> OptionsInput.underlying("BTC", params().put("maintenance", "0.11"), catalog));
        refused("INVALID_PARAMS", () -> OptionsInput.underlying("BTC", params().put("initialFloor", "0.2"), catalog));
        refused("INVALID_PARAMS", () -> OptionsInput.underlying("USDT", params(), catalog));
    }

    private static JsonObject slice() {
        return new JsonObject().put("quote", "USDT").put("expiry", EXPIRY).put("points", new JsonArray()
                .add(point("70000", "0.75")).add(point("60000", "0.75")).add(point("65000", "0.6")));
    }

    private static JsonObject point(String strike, String vol) {
        return new JsonObject().put("strike", strike).put("vol", vol);
    }

    @Test
    void aSliceIsSortedByStrikeWithNineDecimalVols() {
        SetVolSliceRequest r = OptionsInput.volSlice("BTC", slice(), catalog);
        assertEquals("BTC", r.getUnderlying());
        assertEquals("USDT", r.getQuote());
        assertEquals(EXPIRY, r.getSlice().getExpiryMs());
        assertEquals(List.of(6_000_000L, 6_500_000L, 7_000_000L), r.getSlice().getStrikesList());
        assertEquals(List.of(750_000_000L, 600_000_000L, 750_000_000L), r.getSlice().getVolsE9List());
    }

    @Test
    void badVolsAreRefused() {
        for (String vol : new String[] {"0", "10.5", "0.1234567891", "-0.5", "", "55%"}) {
            refused("INVALID_SURFACE", () -> OptionsInput.volSlice("BTC", slice().put("points", new JsonArray()
                    .add(point("60000", vol))), catalog));
        }
        refused("INVALID_SURFACE", () -> OptionsInput.volSlice("BTC", slice().put("points", new JsonArray()
                .add(new JsonObject().put("strike", "60000").put("vol", 0.5))), catalog));
        refused("INVALID_SURFACE", () -> OptionsInput.volSlice("BTC", slice().put("points", new JsonArray()), catalog));
        refused("INVALID_SURFACE", () -> OptionsInput.volSlice("BTC", slice().put("points", new JsonArray().add("x")),
                catalog));
        assertEquals(10_000_000_000L, OptionsInput.volSlice("BTC", slice().put("points", new JsonArray()
                .add(point("60000", "10"))), catalog).getSlice().getVolsE9(0), "10 (1000%) is the top");
    }

    @Test
    void badSliceStrikesAreRefused() {
        refused("INVALID_SURFACE", () -> OptionsInput.volSlice("BTC", slice().put("points", new JsonArray()
                .add(point("60000", "0.5")).add(point("60000.0", "0.6"))), catalog));
        refused("INVALID_SURFACE", () -> OptionsInput.volSlice("BTC", slice().put("points", new JsonArray()
                .add(point("0", "0.5"))), catalog));
        refused("INVALID_SURFACE", () -> OptionsInput.volSlice("BTC", slice().put("points", new JsonArray()
                .add(point("60000.001", "0.5"))), catalog));
        refused("INVALID_SURFACE", () -> OptionsInput.volSlice("BTC", slice().put("expiry", "soon"), catalog));
    }
}
