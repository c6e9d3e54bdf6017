package io.trademesh.platform.errors;

/**
 * A machine-readable reason a service refused something: implemented by each service's
 * reason enum, whose constant names are the codes clients see. A refusal's gRPC status and
 * HTTP status come from its {@link ReasonCategory}, and from nowhere else.
 */
public interface ReasonCode {

    String name();

    ReasonCategory category();
}
