package io.trademesh.gateway.api;

import io.trademesh.platform.errors.ReasonCategory;
import io.trademesh.proto.trading.OrderReply;
import io.vertx.core.VertxException;

/** A refusal with its HTTP status and machine-readable code; the body is {"code","message"}. */
public final class ApiError extends VertxException {
    private static final long serialVersionUID = 1L;

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
}
