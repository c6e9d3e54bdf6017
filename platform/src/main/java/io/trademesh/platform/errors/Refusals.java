package io.trademesh.platform.errors;

import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;

/** Reason codes as gRPC errors, and gRPC statuses back as categories: the one mapping. */
public final class Refusals {

    private Refusals() {
    }

    /** The refusal as a gRPC error: its category's status, the message "REASON: detail". */
    public static StatusException of(ReasonCode reason, String detail) {
        return of(reason.category(), reason.name(), detail);
    }

    /** A refusal whose code is not (yet) a constant of an enum: give its category. */
    public static StatusException of(ReasonCategory category, String reason, String detail) {
        return new StatusException(status(category), reason + ": " + detail);
    }

    public static GrpcStatus status(ReasonCategory category) {
        return GrpcStatus.valueOf(category.grpcCode());
    }

    /** The category a service's gRPC status stands for, or null for a failure that is no refusal. */
    public static ReasonCategory category(GrpcStatus status) {
        return status == null ? null : ReasonCategory.ofGrpcCode(status.code);
    }
}
