package io.trademesh.platform.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Per-request meters for one HTTP server, installed as its router's first handler:
 * {@code http_server_requests_seconds{server, method, code}} (count, sum and max of the time
 * to the end of the answer) and {@code http_server_active_requests{server}}.
 *
 * <p>These replace Vert.x's own HTTP server metrics, which look up five meters by their tags
 * on every request: 8-10% of the gateway's time per order in a profile, and about 1 KB of
 * garbage per request. Here each (method, status) pair's timer is registered once and then
 * read from an array. Methods outside the usual five are counted as {@code OTHER}, so a
 * client cannot grow the registry by inventing methods.
 */
public final class HttpServerMeters implements Handler<RoutingContext> {

    private static final HttpMethod[] METHODS = {HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE,
            HttpMethod.HEAD};
    private static final String OTHER = "OTHER";
    private static final int STATUSES = 600;

    private final MeterRegistry registry;
    private final String server;
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicReferenceArray<Timer> timers = new AtomicReferenceArray<>((METHODS.length + 1) * STATUSES);

    /** @param server the {@code server} tag, telling this service's HTTP servers apart (e.g. api, management) */
    public HttpServerMeters(MeterRegistry registry, String server) {
        this.registry = registry;
        this.server = server;
        registry.gauge("http.server.active.requests", Tags.of("server", server), active);
    }

    @Override
    public void handle(RoutingContext rc) {
        long start = System.nanoTime();
        HttpMethod method = rc.request().method();
        // A request that becomes a WebSocket never ends as a request (its end handler does not
        // run): it is not counted as active, or the gauge would only ever grow. A refused
        // upgrade ends as usual and is timed like any answer.
        boolean upgrade = rc.request().headers().contains(HttpHeaders.UPGRADE);
        if (!upgrade) {
            active.incrementAndGet();
        }
        rc.addEndHandler(ended -> {
            if (!upgrade) {
                active.decrementAndGet();
            }
            timer(method, rc.response().getStatusCode()).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        });
        rc.next();
    }

    /** The timer of one method and status, registered on first use (a race registers the same meter twice: harmless). */
    Timer timer(HttpMethod method, int status) {
        int m = methodIndex(method);
        int code = status >= 100 && status < STATUSES ? status : 0;
        int slot = m * STATUSES + code;
        Timer t = timers.get(slot);
        if (t == null) {
            t = Timer.builder("http.server.requests").tag("server", server)
                    .tag("method", m < METHODS.length ? METHODS[m].name() : OTHER)
                    .tag("code", code == 0 ? "unknown" : Integer.toString(code))
                    .register(registry);
            timers.set(slot, t);
        }
        return t;
    }

    private static int methodIndex(HttpMethod method) {
        for (int i = 0; i < METHODS.length; i++) {
            if (METHODS[i].equals(method)) {
                return i;
            }
        }
        return METHODS.length;
    }
}
