package io.trademesh.platform.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every request through the router is timed under its method and status; the active count returns to zero. */
class HttpServerMetersTest {

    private final Vertx vertx = Vertx.vertx();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @AfterEach
    void tearDown() throws Exception {
        await(vertx.close());
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void timesEachRequestByMethodAndStatusAndCountsNoInventedMethodOnItsOwn() throws Exception {
        Router router = Router.router(vertx);
        HttpServerMeters meters = new HttpServerMeters(registry, "api");
        router.route().handler(meters);
        Promise<Void> slowAnswered = Promise.promise();
        router.get("/ok").handler(rc -> rc.response().end("ok"));
        router.post("/refused").handler(rc -> rc.response().setStatusCode(400).end());
        router.get("/slow").handler(rc -> {
            assertEquals(1.0, registry.get("http.server.active.requests").tag("server", "api").gauge().value());
            vertx.setTimer(20, id -> rc.response().end().onComplete(slowAnswered));
        });
        HttpServer server = await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
        int port = server.actualPort();

        for (int i = 0; i < 3; i++) {
            assertEquals(200, send(port, "GET", "/ok"));
        }
        assertEquals(400, send(port, "POST", "/refused"));
        assertEquals(404, send(port, "DELETE", "/nowhere"));
        assertEquals(405, send(port, "BREW", "/ok"));
        assertEquals(405, send(port, "SPILL", "/ok"));
        assertEquals(200, send(port, "GET", "/slow"));
        await(slowAnswered.future());
        // A request is recorded when its answer has been written, which can be just after the client reads it.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while ((recorded() < 8 || registry.get("http.server.active.requests").gauge().value() != 0)
                && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }

        assertEquals(4, timer("GET", "200").count());
        assertEquals(1, timer("POST", "400").count());
        assertEquals(1, timer("DELETE", "404").count());
        assertEquals(2, timer("OTHER", "405").count(), "invented methods share one meter");
        assertNull(registry.find("http.server.requests").tag("method", "BREW").timer());
        assertTrue(timer("GET", "200").max(TimeUnit.MILLISECONDS) >= 15, "the slow answer is timed to its end");
        assertEquals(0.0, registry.get("http.server.active.requests").gauge().value());
        assertSame(meters.timer(HttpMethod.GET, 200), meters.timer(HttpMethod.GET, 200), "registered once");
    }

    @Test
    void aRequestThatBecomesAWebSocketIsNotLeftCountedAsActive() throws Exception {
        Router router = Router.router(vertx);
        router.route().handler(new HttpServerMeters(registry, "api"));
        router.get("/ws").handler(rc -> rc.request().toWebSocket());
        HttpServer server = await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
        io.vertx.core.http.WebSocketClient client = vertx.createWebSocketClient();
        io.vertx.core.http.WebSocket ws = await(client.connect(server.actualPort(), "127.0.0.1", "/ws"));
        assertEquals(0.0, registry.get("http.server.active.requests").gauge().value(), "while the socket is open");
        await(ws.close());
        assertEquals(0.0, registry.get("http.server.active.requests").gauge().value(), "after it closed");
        // Without the upgrade check the gauge stayed at 1 for ever (seen on a live gateway).
        assertEquals(404, send(server.actualPort(), "GET", "/nowhere"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (recorded() < 1 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(1, timer("GET", "404").count());
        assertEquals(0.0, registry.get("http.server.active.requests").gauge().value());
    }

    private long recorded() {
        return registry.find("http.server.requests").timers().stream().mapToLong(Timer::count).sum();
    }

    private Timer timer(String method, String code) {
        return registry.get("http.server.requests").tag("server", "api").tag("method", method).tag("code", code)
                .timer();
    }

    /**
     * One request from the JDK's client, which, unlike Vert.x's, this test drives from its own
     * thread without a context: with Vert.x's client, about one run in twenty-five lost its first
     * answer (connection open, nothing queued, both event loops idle).
     */
    private static int send(int port, String method, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
