package io.trademesh.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.RequestValidator;
import io.vertx.openapi.validation.impl.RequestParameterImpl;
import io.vertx.openapi.validation.impl.ValidatableRequestImpl;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The gateway's own contract and the validator its router runs: what a trader reads for each kind of mistake. */
class ContractMessagesTest {

    private static Vertx vertx;
    private static RequestValidator validator;

    @BeforeAll
    static void loadContract() throws Exception {
        vertx = Vertx.vertx();
        OpenAPIContract contract = OpenAPIContract.from(vertx, "openapi.yaml").toCompletionStage()
                .toCompletableFuture().get(30, TimeUnit.SECONDS);
        validator = RequestValidator.create(vertx, contract);
    }

    @AfterAll
    static void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** What a body sent to {@code operation} is refused with. */
    private static String refusal(String operation, String body) throws Exception {
        return refusal(operation, Map.of(), body);
    }

    private static String refusal(String operation, Map<String, RequestParameter> query, String body)
            throws Exception {
        var request = new ValidatableRequestImpl(Map.of(), Map.of(), Map.of(), query,
                body == null ? null : new RequestParameterImpl(Buffer.buffer(body)),
                body == null ? null : "application/json");
        try {
            validator.validate(request, operation).toCompletionStage().toCompletableFuture().get(10,
                    TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return ContractMessages.of(e.getCause());
        }
        throw new AssertionError("the contract took " + body);
    }

    private static final String ORDER = "\"market\":\"BTC-USDT\",\"type\":\"LIMIT\",\"quantity\":\"1\"";

    @Test
    void aValueOutsideAnEnumNamesTheValuesItMayTake() throws Exception {
        assertEquals("side must be one of BUY, SELL",
                refusal("placeOrder", "{" + ORDER + ",\"side\":\"BUYX\",\"price\":\"1\"}"));
        assertEquals("timeInForce must be one of GTC, GTD, IOC, FOK, POST_ONLY", refusal("placeOrder",
                "{" + ORDER + ",\"side\":\"BUY\",\"price\":\"1\",\"timeInForce\":\"GTX\"}"));
    }

    @Test
    void aBadDecimalSaysWhatADecimalLooksLike() throws Exception {
        assertEquals("price must be a decimal string such as \"29000.5\" (at most 19 digits before the point and 18"
                + " after)", refusal("placeOrder", "{" + ORDER + ",\"side\":\"BUY\",\"price\":\"1.x\"}"));
    }

    @Test
    void aNumberWhereAStringBelongsSaysSo() throws Exception {
        assertEquals("price must be a string, not a number",
                refusal("placeOrder", "{" + ORDER + ",\"side\":\"BUY\",\"price\":1}"));
    }

    @Test
    void anUnknownFieldAndAMissingOneAreNamed() throws Exception {
        assertEquals("extra is not a field of this request",
                refusal("placeOrder", "{" + ORDER + ",\"side\":\"BUY\",\"price\":\"1\",\"extra\":1}"));
        assertEquals("market is required", refusal("placeOrder",
                "{\"side\":\"BUY\",\"type\":\"LIMIT\",\"price\":\"1\",\"quantity\":\"1\"}"));
    }

    @Test
    void anOrderInABatchIsNamedByItsPlace() throws Exception {
        String good = "{" + ORDER + ",\"side\":\"BUY\",\"price\":\"1\"}";
        String bad = "{" + ORDER + ",\"side\":\"SELL\",\"price\":\"-1\"}";
        String said = refusal("placeOrders", "{\"orders\":[" + good + "," + bad + "]}");
        assertTrue(said.startsWith("orders[1].price must be a decimal string"), said);
    }

    @Test
    void aParameterFindingIsPassedOnAsTheValidatorSaysIt() throws Exception {
        String said = refusal("cancelOrders", Map.of("market", new RequestParameterImpl("BTC-USDT"),
                "orderIds", new RequestParameterImpl("1,x")), null);
        assertTrue(said.contains("orderIds"), said);
    }

    /** Order entry checks its body by hand (NewOrderShape, for speed); a trader reads the same words there. */
    @Test
    void theOrderRoutesHandCheckSaysWhatTheContractSays() throws Exception {
        for (String body : List.of("{" + ORDER + ",\"side\":\"BUYX\",\"price\":\"1\"}",
                "{" + ORDER + ",\"side\":\"BUY\",\"price\":\"1.x\"}",
                "{" + ORDER + ",\"side\":\"BUY\",\"price\":\"1\",\"timeInForce\":\"GTX\"}",
                "{\"side\":\"BUY\",\"type\":\"LIMIT\",\"price\":\"1\",\"quantity\":\"1\"}")) {
            assertEquals(refusal("placeOrder", body), NewOrderShape.check(new JsonObject(body)), body);
        }
        assertEquals("extra is not a field of an order",
                NewOrderShape.check(new JsonObject("{" + ORDER + ",\"side\":\"BUY\",\"extra\":1}")));
    }

    @Test
    void fieldPathsReadAsAProgrammerWritesThem() {
        assertEquals("", ContractMessages.field("#"));
        assertEquals("side", ContractMessages.field("#/side"));
        assertEquals("orders[3].price", ContractMessages.field("#/orders/3/price"));
    }
}
