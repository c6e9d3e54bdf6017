package io.trademesh.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Validator;
import io.vertx.openapi.contract.OpenAPIContract;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The hand-written order check gives the contract's verdict: for generated bodies, valid and
 * broken in every way a property can be, {@link NewOrderShape} accepts exactly what the
 * OpenAPI schema of placeOrder accepts, apart from its two documented, stricter refusals.
 */
class NewOrderShapeProperties {

    private static Vertx vertx;
    private static Validator schema;

    @BeforeContainer
    static void loadContract() {
        vertx = Vertx.vertx();
        OpenAPIContract contract = OpenAPIContract.from(vertx, "openapi.yaml").await();
        schema = contract.getSchemaRepository().validator(contract.operation("placeOrder")
                .getRequestBody().getContent().get("application/json").getSchema());
    }

    @AfterContainer
    static void close() {
        vertx.close().await();
    }

    private static final List<String> KEYS = List.of("market", "side", "type", "timeInForce", "price", "quantity",
            "quoteQuantity", "clientOrderId", "expireAt", "selfTradePrevention");

    @Property(tries = 3000)
    void sameVerdictAsTheSchema(@ForAll("bodies") JsonObject generated) {
        // Through JSON text, so the values have the types the gateway's parser gives them.
        JsonObject body = new JsonObject(generated.encode());
        boolean schemaSays = schema.validate(body).getValid();
        String handSays = NewOrderShape.check(body);
        Statistics.label("schema").collect(schemaSays ? "valid" : "invalid");
        Statistics.label("schema").coverage(c -> c.check("valid").percentage(p -> p > 5));
        if (body.getValue("expireAt") instanceof Number n
                && new java.math.BigDecimal(n.toString()).compareTo(java.math.BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            assertNotNull(handSays, "an expireAt beyond 64 bits is refused (a deliberate difference)");
            return;
        }
        if (body.stream().anyMatch(e -> e.getValue() instanceof String v && v.endsWith("\n"))) {
            assertNotNull(handSays, "a trailing line break is refused (a deliberate difference)");
            return;
        }
        assertEquals(schemaSays, handSays == null, () -> body.encode() + ": schema " + schemaSays + ", hand " + handSays);
    }

    @Provide
    Arbitrary<JsonObject> bodies() {
        Arbitrary<Map.Entry<String, Object>> entry = Combinators.combine(
                Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(12, Arbitraries.of(KEYS)),
                        net.jqwik.api.Tuple.of(1, Arbitraries.of("foo", "Price", "", "market "))),
                Arbitraries.integers().between(0, 7)).flatAs((key, junk) ->
                (junk == 0 ? junk() : valid(key)).map(v -> (Map.Entry<String, Object>) new java.util.AbstractMap.SimpleEntry<String, Object>(key, v)));
        // Mostly on top of a valid market and side, so that valid bodies are common too.
        return Combinators.combine(Arbitraries.of(true, true, true, false), entry.list().ofMaxSize(6))
                .as((base, entries) -> {
                    JsonObject o = base ? new JsonObject().put("market", "BTC-USDT").put("side", "SELL") : new JsonObject();
                    entries.forEach(e -> o.put(e.getKey(), e.getValue()));
                    return o;
                }).edgeCases(c -> c.add(new JsonObject().put("market", "BTC-USDT").put("side", "BUY")));
    }

    private static Arbitrary<Object> valid(String key) {
        return switch (key) {
            case "market", "clientOrderId" -> Arbitraries.of("BTC-USDT", "a", "x".repeat(64), "A.b_c:d-1");
            case "side" -> Arbitraries.of("BUY", "SELL");
            case "type" -> Arbitraries.of("LIMIT", "MARKET");
            case "timeInForce" -> Arbitraries.of("GTC", "GTD", "IOC", "FOK", "POST_ONLY");
            case "selfTradePrevention" -> Arbitraries.of("EXPIRE_TAKER", "EXPIRE_MAKER", "EXPIRE_BOTH", "NONE");
            case "price", "quantity", "quoteQuantity" -> Arbitraries.of("0", "1", "29950.5", "0.000000000000000001",
                    "9999999999999999999", "1." + "0".repeat(18));
            case "expireAt" -> Arbitraries.of(1L, 1_795_300_817_368L, Long.MAX_VALUE);
            default -> junk();
        };
    }

    private static Arbitrary<Object> junk() {
        return Arbitraries.oneOf(
                Arbitraries.of("", " ", "buy", "Buy", "1.", ".5", "-1", "1e5", "+1", "1 ", "x".repeat(65),
                        "BTC USDT", "BTC-USDT\n", "1.5\n", "BUY\n", "99999999999999999999", "1." + "0".repeat(19), "éé", "GTC ", "null"),
                Arbitraries.of(0, -5, 1, 7, Integer.MAX_VALUE, -1L, Long.MAX_VALUE, Long.MIN_VALUE),
                Arbitraries.of(1.5, 1.0, 0.0, -2.0, 1e20, 123.0),
                Arbitraries.of(new BigInteger("18446744073709551616"), BigInteger.TWO.pow(63)),
                Arbitraries.of(true, false),
                Arbitraries.of(new JsonObject(), new JsonArray().add("BUY"), new JsonObject().put("a", 1)),
                Arbitraries.just(null));
    }
}
