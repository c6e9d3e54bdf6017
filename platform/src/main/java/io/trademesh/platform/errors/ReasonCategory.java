package io.trademesh.platform.errors;

/**
 * What kind of refusal a reason code is, and so the one gRPC status every service answers
 * it with and the one HTTP status the gateway gives it. Every service's reason codes
 * ({@link ReasonCode}) name their category; nothing else maps reasons to statuses
 * ({@link Refusals} turns a category into a gRPC status and back). Plain Java, so engines
 * can name their categories without Vert.x.
 */
public enum ReasonCategory {
    /** The request itself is wrong (a bad field, a price off the tick): INVALID_ARGUMENT, 400. */
    INVALID(3, 400),
    /** What it names does not exist (an order, an account, a market): NOT_FOUND, 404. */
    NOT_FOUND(5, 404),
    /** It clashes with what exists (an id used for something else): ALREADY_EXISTS, 409. */
    CONFLICT(6, 409),
    /** Well formed, but the state refuses it (funds, limits, a kill switch, a suspended account): FAILED_PRECONDITION, 400. */
    REFUSED(9, 400),
    /** A collision that a retry resolves: ABORTED, 409. */
    RETRY(10, 409),
    /** Not offered (yet), e.g. a wallet whose product is not open: UNIMPLEMENTED, 400 (the client asked for it). */
    UNSUPPORTED(12, 400);

    private final int grpcCode;
    private final int httpStatus;

    ReasonCategory(int grpcCode, int httpStatus) {
        this.grpcCode = grpcCode;
        this.httpStatus = httpStatus;
    }

    /** The gRPC status code (as numbered by gRPC) refusals of this category carry. */
    public int grpcCode() {
        return grpcCode;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** The category of a refusal's gRPC status code, or null for a code no refusal uses (a failure). */
    public static ReasonCategory ofGrpcCode(int code) {
        for (ReasonCategory c : values()) {
            if (c.grpcCode == code) {
                return c;
            }
        }
        return code == 11 ? INVALID : null;   // OUT_OF_RANGE
    }
}
