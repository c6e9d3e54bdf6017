package io.trademesh.platform.errors;

import io.vertx.core.Future;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;

/**
 * Refusals as gRPC errors, the one way every service writes them (a status and the message
 * "REASON: detail", whose reason the gateway passes on), and gRPC statuses back as categories.
 */
public final class Refusals {

    private Refusals() {
    }

    /** The refusal as a gRPC error: its category's status, the message "REASON: detail". */
    public static StatusException of(ReasonCode reason, String detail) {
        return of(status(reason.category()), reason.name(), detail);
    }

    /** A refusal whose code is not a constant of a reason enum (an edge check's): give its status. */
    public static StatusException of(GrpcStatus status, String reason, String detail) {
        return new StatusException(status, reason + ": " + detail);
    }

    /** {@link #of(GrpcStatus, String, String)} as a failed future, for a gRPC handler to return. */
    public static <T> Future<T> failed(GrpcStatus status, String reason, String detail) {
        return Future.failedFuture(of(status, reason, detail));
    }

    private static GrpcStatus status(ReasonCategory category) {
        return GrpcStatus.valueOf(category.grpcCode());
    }

    /** The category a service's gRPC status stands for, or null for a failure that is no refusal. */
    public static ReasonCategory category(GrpcStatus status) {
        return status == null ? null : ReasonCategory.ofGrpcCode(status.code);
    }
}
