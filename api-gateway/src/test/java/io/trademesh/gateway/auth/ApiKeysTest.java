package io.trademesh.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.trademesh.gateway.routing.Backends;
import io.trademesh.gateway.routing.ServiceEndpoints;
import io.trademesh.platform.cluster.ServiceDirectory;
import io.trademesh.platform.errors.Refusals;
import io.trademesh.proto.risk.ApiKey;
import io.trademesh.proto.risk.AuthKeyReply;
import io.trademesh.proto.risk.AuthKeyRequest;
import io.trademesh.proto.risk.RiskServiceGrpcService;
import io.trademesh.proto.risk.RiskServiceService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServer;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The key cache against a stand-in risk-service that counts how often it is asked, and can be made to fail. */
class ApiKeysTest {

    private static final String GOOD = "0123456789abcdef01234567";

    private Vertx vertx;
    private final AtomicInteger asked = new AtomicInteger();
    /** The stand-in answers UNAVAILABLE, as a service that is shutting down does. */
    private volatile boolean unavailable;
    private HttpServer server;
    private Backends backends;
    private ServiceEndpoints endpoints;
    private ApiKeys keys;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        GrpcServer grpc = GrpcServer.server(vertx);
        grpc.addService(RiskServiceGrpcService.of(new RiskServiceService() {
            @Override
            public Future<AuthKeyReply> getAuthKey(AuthKeyRequest r) {
                asked.incrementAndGet();
                if (unavailable) {
                    return Refusals.failed(GrpcStatus.UNAVAILABLE, "UNAVAILABLE", "shutting down");
                }
                return GOOD.equals(r.getApiKey())
                        ? Future.succeededFuture(AuthKeyReply.newBuilder().setSecret("s")
                        .setKey(ApiKey.newBuilder().setApiKey(GOOD).setAccountId(7)).build())
                        : Refusals.failed(GrpcStatus.NOT_FOUND, "UNKNOWN_API_KEY", "no API key " + r.getApiKey());
            }
        }));
        server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0)
                .setHttp2ClearTextEnabled(true)).requestHandler(grpc).listen().await();
        new ServiceDirectory(vertx).register(new ServiceDirectory.Instance("risk-service", "risk-1",
                "127.0.0.1:" + server.actualPort())).await();
        endpoints = new ServiceEndpoints(vertx);
        endpoints.refresh("risk-service").await();
        backends = new Backends(vertx, 2_000);
        keys = new ApiKeys(backends, endpoints, 20, ApiKeys.TTL_MS, ApiKeys.MAX_STALE_MS);
    }

    @AfterEach
    void stop() {
        vertx.close().await();
    }

    @Test
    void aFloodOfMadeUpKeysNeitherReachesRiskTwiceNorEvictsAGoodKey() {
        assertNotNull(keys.lookup(GOOD).await());
        assertEquals(1, asked.get());
        for (int i = 0; i < 50; i++) {   // more than the cache holds
            assertNull(keys.lookup(String.format("%024x", i + 1)).await());
        }
        assertEquals(51, asked.get());
        assertNotNull(keys.lookup(GOOD).await());
        assertEquals(51, asked.get(), "the good key is still cached");
        assertNull(keys.lookup(String.format("%024x", 50)).await());
        assertEquals(51, asked.get(), "a recent unknown key is remembered as unknown");
    }

    @Test
    void aKeyNotOfTheFormRiskServiceGivesIsUnknownWithoutAsking() {
        assertNull(keys.lookup("not a key!").await());
        assertNull(keys.lookup(GOOD.toUpperCase(java.util.Locale.ROOT)).await());
        assertEquals(0, asked.get());
    }

    @Test
    void aForgottenKeyIsAskedForAgain() {
        keys.lookup(GOOD).await();
        keys.forget(GOOD);
        keys.lookup(GOOD).await();
        assertEquals(2, asked.get());
        keys.forgetAccount(7);
        keys.lookup(GOOD).await();
        assertEquals(3, asked.get());
    }

    @Test
    void whileRiskServiceIsGoneAKeyFetchedRecentlyStillSignsButNoOtherDoes() throws Exception {
        keys = new ApiKeys(backends, endpoints, 20, 50, 60_000);
        AuthKeyReply fetched = keys.lookup(GOOD).await();
        server.close().await();   // killed: connections are refused
        Thread.sleep(100);        // past the TTL, so the key is asked for again
        assertEquals(fetched, keys.lookup(GOOD).await(), "the key as last fetched");
        assertThrows(RuntimeException.class, () -> keys.lookup("0123456789abcdef0123456f").await(),
                "a key not fetched before the outage is not guessed at");
        keys.forget(GOOD);        // revoked before risk-service went down: the announcement holds
        assertThrows(RuntimeException.class, () -> keys.lookup(GOOD).await());
        assertEquals(1, asked.get());
    }

    @Test
    void aKeyFetchedLongerAgoThanTheStaleLimitIsRefusedWhileRiskServiceDoesNotAnswer() throws Exception {
        keys = new ApiKeys(backends, endpoints, 20, 50, 300);
        assertNotNull(keys.lookup(GOOD).await());
        unavailable = true;
        Thread.sleep(100);
        assertNotNull(keys.lookup(GOOD).await(), "inside the stale limit");
        assertEquals(2, asked.get());
        assertNotNull(keys.lookup(GOOD).await());
        assertEquals(2, asked.get(), "asked again a TTL later, not by every request meanwhile");
        Thread.sleep(300);
        assertThrows(RuntimeException.class, () -> keys.lookup(GOOD).await(), "past it");
        unavailable = false;
        assertNotNull(keys.lookup(GOOD).await(), "fetched afresh once it answers");
        assertEquals(4, asked.get());
        keys.forgetAccount(7);    // a suspension announced: not used stale either
        unavailable = true;
        assertThrows(RuntimeException.class, () -> keys.lookup(GOOD).await());
    }
}
