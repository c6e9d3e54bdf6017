package io.trademesh.gateway;

import io.micrometer.core.instrument.Gauge;
import io.trademesh.gateway.api.RequestAuth;
import io.trademesh.gateway.api.RestApi;
import io.trademesh.gateway.auth.ApiKeys;
import io.trademesh.gateway.auth.RateLimiter;
import io.trademesh.gateway.config.GatewayConfig;
import io.trademesh.gateway.routing.Backends;
import io.trademesh.gateway.routing.MarketCatalog;
import io.trademesh.gateway.routing.ServiceEndpoints;
import io.trademesh.gateway.ws.WsServer;
import io.trademesh.platform.boot.ServiceModule;
import io.trademesh.platform.boot.ServiceRuntime;
import io.trademesh.platform.config.ServiceDefaults;
import io.trademesh.platform.store.Snapshot;
import io.trademesh.platform.store.StateMachine;
import io.trademesh.platform.store.StoreException;
import io.trademesh.proto.journal.JournalRecord;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import com.google.protobuf.InvalidProtocolBufferException;
import io.trademesh.gateway.api.ApiError;
import io.trademesh.gateway.api.Responses;
import io.trademesh.platform.events.Addresses;
import io.trademesh.proto.risk.AuthChange;
import io.trademesh.proto.events.EventReplayGrpcClient;
import io.trademesh.platform.events.GapFiller;
import java.util.concurrent.atomic.AtomicBoolean;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.logging.Logger;

/**
 * The traders' edge: REST under /v1 (validated against the OpenAPI contract), the
 * WebSocket at /v1/ws, signed requests, rate limits, and routing to the owning service.
 * Stateless: it keeps no store, only caches (markets, keys) that it refreshes.
 */
public final class ApiGateway implements ServiceModule {

    private static final Logger LOG = Logger.getLogger(ApiGateway.class.getName());
    private static final long REFRESH_MS = 1_000;
    /** How long filling an event gap may take before the followed streams are told to resync instead. */
    private static final long REPLAY_TIMEOUT_MS = 3_000;
    /**
     * The services the gateway routes to, found in the service directory. marketdata-service
     * serves only history and 24-hour tickers: while it is absent those answer 503, nothing else.
     */
    private static final String[] SERVICES = {"risk-service", "spot-service", "futures-service", "options-service",
            "moneymarket-service", "marketdata-service"};
    private GatewayConfig config;

    @Override
    public ServiceDefaults defaults() {
        return ServiceDefaults.API_GATEWAY;
    }

    @Override
    public boolean hasStore() {
        return false;
    }

    @Override
    public StateMachine stateMachine() {
        return new StateMachine() {
            @Override
            public void restore(long sequence, byte[] state) {
                throw new StoreException("the gateway keeps no state");
            }

            @Override
            public void replay(JournalRecord record) {
                throw new StoreException("the gateway keeps no state");
            }
        };
    }

    /** The gateway's own variables, checked before the cluster join: a bad one is exit code 2. */
    @Override
    public void configure() {
        config = GatewayConfig.from(System.getenv());
    }

    @Override
    public Future<Void> start(ServiceRuntime rt) {
        // Until the API is mounted every /v1 request gets a 503 to retry, never a 404 a client takes as final.
        AtomicBoolean apiReady = new AtomicBoolean();
        rt.router().route("/v1/*").handler(rc -> {
            if (apiReady.get()) {
                rc.next();
            } else {
                rc.response().putHeader("Retry-After", "1");
                Responses.error(rc, new ApiError(503, "STARTING", "the gateway is starting; retry in a second"));
            }
        });
        Backends backends = new Backends(rt.vertx(), config.backendTimeoutMs());
        MarketCatalog catalog = new MarketCatalog(rt.vertx(), backends);
        ServiceEndpoints services = new ServiceEndpoints(rt.vertx());
        RateLimiter limiter = new RateLimiter(config.weightPerMinute(), config.ordersPerSecond(),
                config.authFailuresPerMinute());
        ApiKeys keys = new ApiKeys(backends, services);
        RequestAuth auth = new RequestAuth(keys, limiter);
        // Missed event batches are asked of the instance that published them (its short name + "-service").
        GapFiller.Replayer replayer = (service, request) -> {
            String endpoint = services.endpoint(service + "-service", request.getSourceInstance());
            return endpoint == null ? Future.failedFuture("instance " + request.getSourceInstance()
                    + " is not in the service directory") : backends.unaryUnguarded(endpoint,
                    EventReplayGrpcClient.Replay, request, REPLAY_TIMEOUT_MS);
        };
        WsServer ws = new WsServer(rt.vertx(), catalog, backends, auth, config.wsWriteQueueBytes(), replayer,
                rt.registry());
        Gauge.builder("gateway.websocket.sessions", ws, WsServer::sessions).register(rt.registry());
        Gauge.builder("gateway.websocket.streams", ws, WsServer::streams).register(rt.registry());
        rt.vertx().eventBus().<Buffer>consumer(Addresses.AUTH_CHANGES, m -> authChanged(m.body(), keys, ws));

        rt.router().get(WsServer.PATH).handler(rc -> rc.request().toWebSocket().onSuccess(ws::connected));
        RestApi api = new RestApi(config, catalog, backends, services, auth);
        rt.vertx().setPeriodic(REFRESH_MS, id -> {
            services.refresh(SERVICES);
            catalog.refresh();
            limiter.sweep(System.currentTimeMillis());
        });
        return services.refresh(SERVICES)
                .compose(v -> catalog.refresh())
                .compose(v -> api.mount(rt.vertx(), rt.router(), contract()))
                .onSuccess(v -> {
                    apiReady.set(true);
                    LOG.info("api-gateway serving /v1 and " + WsServer.PATH + " on port " + rt.config().httpPort());
                });
    }

    /**
     * A key revoked or an account suspended: forget what is cached and close the sockets
     * logged in with it, on this replica (risk-service tells every replica).
     */
    private static void authChanged(Buffer body, ApiKeys keys, WsServer ws) {
        AuthChange change;
        try {
            change = AuthChange.parseFrom(body.getBytes());
        } catch (InvalidProtocolBufferException e) {
            LOG.warning("undecodable message on " + Addresses.AUTH_CHANGES + ": " + e.getMessage());
            return;
        }
        if (!change.getApiKey().isEmpty()) {
            keys.forget(change.getApiKey());
            ws.closeKey(change.getApiKey(), "API key revoked");
        } else {
            keys.forgetAccount(change.getAccountId());
            if (change.getSuspended()) {
                ws.closeAccount(change.getAccountId(), "account suspended");
            }
        }
    }

    private static String contract() {
        try (InputStream in = ApiGateway.class.getResourceAsStream("/openapi.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("openapi.yaml missing from the gateway jar", e);
        }
    }

    @Override
    public Future<Snapshot> snapshot() {
        return Future.succeededFuture(new Snapshot(0, new byte[0]));
    }
}
