package io.trademesh.gateway.routing;

import io.trademesh.gateway.api.ApiError;
import io.trademesh.proto.risk.RiskServiceGrpcClient;
import io.trademesh.proto.spot.SpotServiceGrpcClient;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.InvalidStatusException;
import io.vertx.grpc.common.GrpcStatus;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * gRPC clients to the services, one circuit breaker per instance endpoint. A call that
 * times out, cannot connect or finds the breaker open fails fast as 503; a service's own
 * refusal (NOT_FOUND, INVALID_ARGUMENT ...) is an answer, not a failure of the instance,
 * and does not trip the breaker.
 */
public final class Backends {

    /** The clients of one instance endpoint. */
    public record Endpoint(String address, SpotServiceGrpcClient spot, RiskServiceGrpcClient risk,
                           CircuitBreaker breaker) {
    }

    private final Vertx vertx;
    private final GrpcClient grpc;
    private final long timeoutMs;
    private final Map<String, Endpoint> endpoints = new ConcurrentHashMap<>();

    public Backends(Vertx vertx, long timeoutMs) {
        this.vertx = vertx;
        this.grpc = GrpcClient.client(vertx);
        this.timeoutMs = timeoutMs;
    }

    private Endpoint endpoint(String address) {
        return endpoints.computeIfAbsent(address, a -> {
            int colon = a.lastIndexOf(':');
            SocketAddress socket = SocketAddress.inetSocketAddress(Integer.parseInt(a.substring(colon + 1)),
                    a.substring(0, colon));
            CircuitBreaker breaker = CircuitBreaker.create("backend-" + a, vertx, new CircuitBreakerOptions()
                    .setTimeout(timeoutMs).setMaxFailures(5).setResetTimeout(2_000).setFallbackOnFailure(false));
            return new Endpoint(a, SpotServiceGrpcClient.create(grpc, socket), RiskServiceGrpcClient.create(grpc, socket),
                    breaker);
        });
    }

    /** Calls the instance at {@code address} through its breaker. */
    public <T> Future<T> call(String address, Function<Endpoint, Future<T>> call) {
        Endpoint e = endpoint(address);
        Future<Object> guarded = e.breaker().execute(promise -> call.apply(e).onComplete(ar -> {
            if (ar.succeeded()) {
                promise.complete(ar.result());
            } else if (isAnswer(ar.cause())) {
                promise.complete(new Refusal(ar.cause()));
            } else {
                promise.fail(ar.cause());
            }
        }));
        return guarded.transform(ar -> {
            if (ar.failed()) {
                return Future.failedFuture(ApiError.unavailable("service at " + address + " is unavailable ("
                        + ar.cause().getMessage() + ")"));
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
        if (t instanceof InvalidStatusException s) {
            GrpcStatus st = s.actualStatus();
            return st != GrpcStatus.UNAVAILABLE && st != GrpcStatus.DEADLINE_EXCEEDED && st != GrpcStatus.UNKNOWN
                    && st != GrpcStatus.INTERNAL;
        }
        return false;
    }

    /** The gRPC status of a service's refusal, or null when {@code t} is not one. */
    public static GrpcStatus statusOf(Throwable t) {
        return t instanceof InvalidStatusException s ? s.actualStatus() : null;
    }
}
