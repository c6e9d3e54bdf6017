package io.trademesh.gateway.ws;

import io.trademesh.platform.events.GapFiller;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.trademesh.gateway.api.RequestAuth;
import io.trademesh.gateway.routing.Backends;
import io.trademesh.gateway.routing.MarketCatalog;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The WebSocket endpoint {@code /v1/ws}: the upgrade comes through the router, each socket gets a {@link WsSession}
 * per socket, and pings every socket every {@link #PING_INTERVAL_MS} (a socket that
 * stops answering is closed by the pong timeout).
 */
public final class WsServer {

    public static final String PATH = "/v1/ws";
    static final long PING_INTERVAL_MS = 20_000;
    static final long PONG_TIMEOUT_MS = 60_000;
    /** How often logged-in sockets' keys are checked again: the key cache's lifetime. */
    static final long RECHECK_INTERVAL_MS = 5_000;

    private final Vertx vertx;
    private final StreamHub hub;
    private final MarketCatalog catalog;
    private final Backends backends;
    private final BookSnapshots snapshots;
    private final RequestAuth auth;
    private final Set<WsSession> sessions = ConcurrentHashMap.newKeySet();
    private final int writeQueueBytes;
    private final Counter resyncs;
    private final Counter slowDisconnects;

    /** @param writeQueueBytes how much each socket may have waiting to be written (WS_WRITE_QUEUE_BYTES) */
    public WsServer(Vertx vertx, MarketCatalog catalog, Backends backends, RequestAuth auth, int writeQueueBytes,
                    GapFiller.Replayer replayer, MeterRegistry registry) {
        this.vertx = vertx;
        this.writeQueueBytes = writeQueueBytes;
        this.resyncs = Counter.builder("gateway.websocket.book.resyncs")
                .description("book snapshots sent again to sockets that fell behind or saw a gap").register(registry);
        this.slowDisconnects = Counter.builder("gateway.websocket.slow.disconnects")
                .description("sockets closed because their private events could not be written").register(registry);
        this.hub = new StreamHub(vertx, replayer, registry);
        this.catalog = catalog;
        this.backends = backends;
        this.snapshots = new BookSnapshots(backends);
        this.auth = auth;
        vertx.setPeriodic(PING_INTERVAL_MS, id -> sessions.forEach(WsSession::ping));
        vertx.setPeriodic(RECHECK_INTERVAL_MS, id -> sessions.forEach(WsSession::recheck));
    }

    public void connected(ServerWebSocket ws) {
        WsSession session = new WsSession(ws, vertx, hub, catalog, backends, snapshots, auth, writeQueueBytes,
                resyncs::increment, slowDisconnects::increment);
        sessions.add(session);
        long[] lastPong = {System.currentTimeMillis()};
        ws.pongHandler(b -> lastPong[0] = System.currentTimeMillis());
        long timer = vertx.setPeriodic(PING_INTERVAL_MS, id -> {
            if (System.currentTimeMillis() - lastPong[0] > PONG_TIMEOUT_MS && !ws.isClosed()) {
                ws.close((short) 1001, "no pong for " + PONG_TIMEOUT_MS / 1000 + " s");
            }
        });
        ws.closeHandler(v -> {
            vertx.cancelTimer(timer);
            session.close();
            sessions.remove(session);
        });
    }

    /** Closes every socket logged in with {@code apiKey}, which was revoked. */
    public void closeKey(String apiKey, String reason) {
        sessions.forEach(s -> s.closeIfLoggedIn(apiKey, Long.MIN_VALUE, reason));
    }

    /** Closes every socket logged in as {@code accountId}, which was suspended. */
    public void closeAccount(long accountId, String reason) {
        sessions.forEach(s -> s.closeIfLoggedIn(null, accountId, reason));
    }

    public int sessions() {
        return sessions.size();
    }

    public int streams() {
        return hub.activeStreams();
    }
}
