package io.trademesh.gateway.routing;

import io.trademesh.gateway.EventLoops;
import io.trademesh.gateway.api.ApiError;
import io.trademesh.platform.cluster.GrpcCalls;
import io.trademesh.proto.trading.OrderEntryGrpcClient;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import io.vertx.grpc.client.InvalidStatusException;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * gRPC clients to the services, one circuit breaker per instance endpoint. A call that
 * times out, cannot connect or finds the breaker open fails fast as 503; a service's own
 * refusal (NOT_FOUND, INVALID_ARGUMENT ...) is an answer, not a failure of the instance,
 * and does not trip the breaker.
 */
public final class Backends {

    private static final Logger LOG = Logger.getLogger(Backends.class.getName());

    /** The clients of one instance endpoint. */
    public static final class Endpoint {
        private final Vertx vertx;
        private final String address;
        private final OrderEntryGrpcClient trading;   // for the order stream; unary calls go through unary()
        private final CircuitBreaker breaker;
        private final long timeoutMs;
        private final GrpcClient grpc;
        private final SocketAddress socket;
        private final Map<Context, OrderStreamClient> orderStreams = new ConcurrentHashMap<>();
        private volatile OrderStreamClient offContext;

        Endpoint(Vertx vertx, String address, GrpcClient grpc, SocketAddress socket, CircuitBreaker breaker,
                 long timeoutMs) {
            this.vertx = vertx;
            this.grpc = grpc;
            this.socket = socket;
            this.trading = OrderEntryGrpcClient.create(grpc, socket);
            this.address = address;
            this.breaker = breaker;
            this.timeoutMs = timeoutMs;
        }

        /**
         * One unary call, keeping the service's status message ("REASON: detail") on a
         * refusal, which the generated clients drop: the trader sees the service's reason.
         */
        public <Req, Resp> Future<Resp> unary(ServiceMethod<Resp, Req> method, Req request) {
            return grpc.request(socket, method).compose(req -> req.end(request).compose(v -> req.response()
                    .compose(resp -> resp.last().recover(err -> {
                        GrpcStatus st = resp.status();
                        return Future.failedFuture(st != null && st != GrpcStatus.OK
                                ? new ServiceRefusal(st, resp.statusMessage() == null ? "" : resp.statusMessage())
                                : err);
                    }))));
        }





        /**
         * Order entry to this spot instance over the order stream of the calling event loop.
         * Each HTTP request runs on a duplicate of its event loop's context, so the stream
         * belongs to the underlying (root) context: one stream per event loop, not per request.
         */
        public OrderStreamClient orders() {
            Context ctx = Vertx.currentContext();
            if (ctx != null) {
                return orderStreams.computeIfAbsent(EventLoops.root(ctx),
                        c -> new OrderStreamClient(vertx, c, trading, address, timeoutMs));
            }
            OrderStreamClient shared = offContext;
            if (shared == null) {
                synchronized (this) {
                    if (offContext == null) {
                        offContext = new OrderStreamClient(vertx, vertx.getOrCreateContext(), trading, address,
                                timeoutMs);
                    }
                    shared = offContext;
                }
            }
            return shared;
        }
    }

    private final Vertx vertx;
    private final GrpcClient grpc;
    private final long timeoutMs;
    private final Map<String, Endpoint> endpoints = new ConcurrentHashMap<>();
    private final Map<String, String> lastFailure = new ConcurrentHashMap<>();   // for the breaker's log line

    public Backends(Vertx vertx, long timeoutMs) {
        this.vertx = vertx;
        // Replies can be large (deep books, market orders with many fills): 16 MiB, not gRPC's 256 KiB.
        this.grpc = GrpcClient.client(vertx, new GrpcClientOptions().setMaxMessageSize(16 << 20));
        this.timeoutMs = timeoutMs;
    }

    private Endpoint endpoint(String address) {
        return endpoints.computeIfAbsent(address, a -> {
            SocketAddress socket = GrpcCalls.address(a);
            // No breaker timeout: it would set a timer per call. Unary calls time out by their own
            // deadline (call), order-stream commands by the stream's periodic expiry (order).
            CircuitBreaker breaker = CircuitBreaker.create("backend-" + a, vertx, new CircuitBreakerOptions()
                    .setTimeout(-1).setMaxFailures(5).setResetTimeout(2_000).setFallbackOnFailure(false))
                    .openHandler(v -> LOG.warning("circuit to " + a + " open: calls fail fast for 2 s (last failure: "
                            + lastFailure.get(a) + ")"))
                    .closeHandler(v -> LOG.info("circuit to " + a + " closed again"));
            return new Endpoint(vertx, a, grpc, socket, breaker, timeoutMs);
        });
    }

    /**
     * {@link Endpoint#unary} outside the instance's breaker, failed after {@code timeoutMs}:
     * for background work (filling event gaps) whose slowness must never make the instance's
     * order entry fail fast.
     */
    public <Req, Resp> Future<Resp> unaryUnguarded(String address, ServiceMethod<Resp, Req> method, Req request,
                                                   long timeoutMs) {
        return endpoint(address).unary(method, request).timeout(timeoutMs, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** {@link Endpoint#unary} on the instance at {@code address}, through its breaker. */
    public <Req, Resp> Future<Resp> unary(String address, ServiceMethod<Resp, Req> method, Req request) {
        return call(address, e -> e.unary(method, request));
    }

    /**
     * Calls the instance at {@code address} through its breaker. Only a failure of the
     * instance counts against the breaker: no answer in time, no connection, or an internal
     * error. A refusal is an answer, and so is anything {@code call} throws before a byte is
     * sent (a request the gateway could not build is its own fault, never the instance's).
     */
    public <T> Future<T> call(String address, Function<Endpoint, Future<T>> call) {
        return guarded(address, e -> {
            Future<T> f = call.apply(e);
            return f.timeout(timeoutMs, java.util.concurrent.TimeUnit.MILLISECONDS);
        });
    }

    /**
     * An order-entry command on the instance's order stream ({@link Endpoint#orders}), through
     * its breaker but with no timer of its own: the stream fails commands that wait past the
     * timeout in one periodic sweep, so the per-order path sets no timer.
     */
    public <T> Future<T> order(String address, Function<Endpoint, Future<T>> call) {
        return guarded(address, call);
    }

    private <T> Future<T> guarded(String address, Function<Endpoint, Future<T>> call) {
        Endpoint e = endpoint(address);
        Future<Object> guarded = e.breaker.execute(promise -> {
            Future<T> attempt;
            try {
                attempt = call.apply(e);
            } catch (RuntimeException notSent) {
                if (!(notSent instanceof ApiError)) {
                    LOG.log(Level.WARNING, "a call to " + address + " could not be built", notSent);
                }
                promise.complete(new Refusal(notSent));
                return;
            }
            attempt.onComplete(ar -> {
                if (ar.succeeded()) {
                    promise.complete(ar.result());
                } else if (isAnswer(ar.cause())) {
                    promise.complete(new Refusal(ar.cause()));
                } else {
                    promise.fail(ar.cause());
                }
            });
        });
        return guarded.transform(ar -> {
            if (ar.failed()) {
                if (!(ar.cause() instanceof OpenCircuitException)) {
                    lastFailure.put(address, String.valueOf(ar.cause()));
                }
                LOG.log(Level.FINE, "call to " + address + " failed", ar.cause());
                // The address and the cause go to the log, not to the client.
                return Future.failedFuture(ApiError.unavailable(ar.cause() instanceof OpenCircuitException
                        ? "the service is failing; calls are refused for a moment, retry shortly"
                        : "the service did not answer; retry shortly"));
            }
            if (ar.result() instanceof Refusal r) {
                return Future.failedFuture(r.cause);
            }
            @SuppressWarnings("unchecked")
            T t = (T) ar.result();
            return Future.succeededFuture(t);
        });
    }

    /** A service's refusal, carried through the breaker as a success. */
    private record Refusal(Throwable cause) {
    }

    private static boolean isAnswer(Throwable t) {
        GrpcStatus st = statusOf(t);
        return st != null && st != GrpcStatus.UNAVAILABLE && st != GrpcStatus.DEADLINE_EXCEEDED
                && st != GrpcStatus.UNKNOWN && st != GrpcStatus.INTERNAL;
    }

    /** The gRPC status of a service's refusal, or null when {@code t} is not one. */
    public static GrpcStatus statusOf(Throwable t) {
        if (t instanceof InvalidStatusException s) {
            return s.actualStatus();
        }
        return t instanceof ServiceRefusal r ? r.status() : null;
    }
}
