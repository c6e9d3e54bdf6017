package io.trademesh.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

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

/** The key cache against a stand-in risk-service that counts how often it is asked. */
class ApiKeysTest {

    private static final String GOOD = "0123456789abcdef01234567";

    private Vertx vertx;
    private final AtomicInteger asked = new AtomicInteger();
    private ApiKeys keys;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        GrpcServer grpc = GrpcServer.server(vertx);
        grpc.addService(RiskServiceGrpcService.of(new RiskServiceService() {
            @Override
            public Future<AuthKeyReply> getAuthKey(AuthKeyRequest r) {
                asked.incrementAndGet();
                return GOOD.equals(r.getApiKey())
                        ? Future.succeededFuture(AuthKeyReply.newBuilder().setSecret("s")
                        .setKey(ApiKey.newBuilder().setApiKey(GOOD).setAccountId(7)).build())
                        : Refusals.failed(GrpcStatus.NOT_FOUND, "UNKNOWN_API_KEY", "no API key " + r.getApiKey());
            }
        }));
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0)
                .setHttp2ClearTextEnabled(true)).requestHandler(grpc).listen().await();
        new ServiceDirectory(vertx).register(new ServiceDirectory.Instance("risk-service", "risk-1",
                "127.0.0.1:" + server.actualPort())).await();
        ServiceEndpoints endpoints = new ServiceEndpoints(vertx);
        endpoints.refresh("risk-service").await();
        keys = new ApiKeys(new Backends(vertx, 2_000), endpoints, 20);
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
}
