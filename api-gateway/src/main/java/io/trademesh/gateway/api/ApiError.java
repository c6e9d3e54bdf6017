package io.trademesh.gateway.api;

import io.trademesh.gateway.routing.Backends;
import io.trademesh.gateway.routing.ServiceRefusal;
import io.trademesh.platform.errors.ReasonCategory;
import io.trademesh.platform.errors.Refusals;
import io.trademesh.proto.trading.OrderReply;
import io.vertx.core.VertxException;
import io.vertx.grpc.common.GrpcStatus;

/**
 * A refusal with its HTTP status and machine-readable code; the body is {"code","message"}.
 * {@link #of} is the one mapping from anything that can fail a request to what the trader
 * sees, for REST and the WebSocket alike.
 */
public final class ApiError extends VertxException {
    private static final long serialVersionUID = 1L;

    private static final java.util.regex.Pattern REASON = java.util.regex.Pattern.compile("[A-Z][A-Z0-9_]{1,63}");

    private final int status;
    private final String code;

    public ApiError(int status, String code, String message) {
        super(message, true);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public static ApiError badRequest(String code, String message) {
        return new ApiError(400, code, message);
    }

    public static ApiError notFound(String code, String message) {
        return new ApiError(404, code, message);
    }

    /** An order the engine refused: its reason code, with the HTTP status of the reason's category. */
    public static ApiError refused(OrderReply reply) {
        ReasonCategory category = ReasonCategory.ofGrpcCode(reply.getRejectStatus());
        return new ApiError(category == null ? 400 : category.httpStatus(), reply.getRejectReason(),
                "order refused: " + reply.getRejectReason());
    }

    public static ApiError unavailable(String message) {
        return new ApiError(503, "SERVICE_UNAVAILABLE", message);
    }

    /**
     * The trader-facing error for a failure: its own if it is one; a service's refusal with
     * the service's reason and message and its category's status; anything else without its
     * text (which may name internals), as 503 for a service that failed and 500 otherwise.
     */
    public static ApiError of(Throwable t) {
        if (t instanceof ApiError e) {
            return e;
        }
        if (t instanceof io.vertx.ext.web.handler.HttpException h && h.getStatusCode() >= 400
                && h.getStatusCode() < 500) {
            // Vert.x web's own refusal of a request it cannot read (a bad %-escape in the query, say).
            return new ApiError(h.getStatusCode(), "INVALID_REQUEST", "the request is malformed");
        }
        GrpcStatus st = Backends.statusOf(t);
        if (st == null) {
            return new ApiError(500, "INTERNAL", "internal error");
        }
        ReasonCategory refusal = Refusals.category(st);
        if (refusal != null) {
            // A service's own refusal reads "REASON: detail"; anything else (gRPC's "Method not found: ..."
            // from a service that does not offer the call yet) is answered by its category alone.
            return t instanceof ServiceRefusal r && r.reason() != null && REASON.matcher(r.reason()).matches()
                    ? new ApiError(refusal.httpStatus(), r.reason(), r.getMessage())
                    : new ApiError(refusal.httpStatus(), refusal.name(), refusal == ReasonCategory.UNSUPPORTED
                    ? "the service does not offer this yet" : "refused by the service");
        }
        return switch (st) {
            case RESOURCE_EXHAUSTED -> new ApiError(429, "RATE_LIMITED", "the service is overloaded; retry shortly");
            case PERMISSION_DENIED, UNAUTHENTICATED -> new ApiError(403, "PERMISSION_DENIED", "refused");
            default -> unavailable("the service failed; retry shortly");
        };
    }
}
