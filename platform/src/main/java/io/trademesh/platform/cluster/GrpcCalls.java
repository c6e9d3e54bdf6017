package io.trademesh.platform.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxException;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import io.vertx.grpc.client.InvalidStatusException;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import java.util.concurrent.TimeUnit;

/**
 * Unary gRPC calls with a deadline, whose failures say what the other side answered: a
 * non-OK status fails with {@link RemoteStatusException} (status and message), anything
 * else (no connection, reset, deadline) with the transport's own exception.
 */
public final class GrpcCalls {

    /** The other side answered with a non-OK status. */
    public static final class RemoteStatusException extends VertxException {
        private static final long serialVersionUID = 1L;
        private final GrpcStatus status;
        private final String statusMessage;

        public RemoteStatusException(GrpcStatus status, String statusMessage) {
            super(status + (statusMessage == null || statusMessage.isEmpty() ? "" : ": " + statusMessage), true);
            this.status = status;
            this.statusMessage = statusMessage == null ? "" : statusMessage;
        }

        public GrpcStatus status() {
            return status;
        }

        public String statusMessage() {
            return statusMessage;
        }

        /** The machine-readable reason that starts the message ("REASON: detail"), or the status name. */
        public String reason() {
            int colon = statusMessage.indexOf(':');
            return colon > 0 ? statusMessage.substring(0, colon) : status.name();
        }
    }

    private GrpcCalls() {
    }

    /** Parses a service's "host:port" gRPC endpoint, as the directories hold it. */
    public static SocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("endpoint '" + hostPort + "' is not host:port");
        }
        return SocketAddress.inetSocketAddress(Integer.parseInt(hostPort.substring(colon + 1)),
                hostPort.substring(0, colon));
    }

    /** A client whose calls carry their deadline to the server and are cancelled when it passes. */
    public static GrpcClient client(Vertx vertx, int connectTimeoutMs) {
        return GrpcClient.client(vertx, new GrpcClientOptions().setScheduleDeadlineAutomatically(true),
                new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false)
                        .setConnectTimeout(connectTimeoutMs));
    }

    public static <Req, Resp> Future<Resp> unary(GrpcClient client, SocketAddress address,
                                                 ServiceMethod<Resp, Req> method, Req request, long timeoutMs) {
        return client.request(address, method).compose(req -> {
            req.timeout(timeoutMs, TimeUnit.MILLISECONDS);
            return req.send(request).compose(resp -> resp.last().recover(e -> {
                GrpcStatus status = resp.status();
                if (status != null && status != GrpcStatus.OK) {
                    return Future.failedFuture(new RemoteStatusException(status, resp.statusMessage()));
                }
                return Future.failedFuture(e);
            }));
        }).recover(e -> e instanceof InvalidStatusException s
                ? Future.failedFuture(new RemoteStatusException(s.actualStatus(), ""))
                : Future.failedFuture(e))
                .timeout(timeoutMs + 500, TimeUnit.MILLISECONDS);
    }
}
