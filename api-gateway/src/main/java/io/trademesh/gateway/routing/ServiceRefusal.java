package io.trademesh.gateway.routing;

import io.vertx.core.VertxException;
import io.vertx.grpc.common.GrpcStatus;

/**
 * A service's refusal of one command, with the status and the message ("REASON: detail")
 * it gave, as the order stream reports them per command.
 */
public final class ServiceRefusal extends VertxException {

    private final GrpcStatus status;

    public ServiceRefusal(GrpcStatus status, String message) {
        super(message, true);
        this.status = status;
    }

    public GrpcStatus status() {
        return status;
    }

    /** The reason code the message starts with, or null when it has none. */
    public String reason() {
        String m = getMessage();
        int colon = m == null ? -1 : m.indexOf(':');
        return colon > 0 ? m.substring(0, colon) : null;
    }
}
