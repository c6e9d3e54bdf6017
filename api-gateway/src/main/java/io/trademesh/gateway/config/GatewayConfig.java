package io.trademesh.gateway.config;

import io.trademesh.platform.config.ConfigException;
import java.util.Map;

/**
 * The gateway's own settings, beyond the platform's, read once from the environment:
 * <pre>
 * OPERATOR_TOKEN                 (required)  secret for /v1/admin, in the X-OPERATOR-TOKEN header; 16+ chars
 * RATE_LIMIT_WEIGHT_PER_MINUTE   6000        request weight per API key (or client address) per minute
 * RATE_LIMIT_ORDERS_PER_SECOND   100         order commands per API key per second
 * RATE_LIMIT_AUTH_FAILURES_PER_MINUTE 60     failed authentications per client address per minute;
 *                                            past it, that address's signed requests get 429
 * MAX_BODY_BYTES                 16384       larger request bodies are refused with 413
 * BACKEND_TIMEOUT_MS             2000        a call to a service fails (503) after this
 * WS_WRITE_QUEUE_BYTES           524288      per socket: past this a slow client gets a book resync,
 *                                            or is disconnected if private events cannot go out
 * </pre>
 * Limits are per gateway replica: N replicas allow up to N times these.
 */
public record GatewayConfig(String operatorToken, int weightPerMinute, int ordersPerSecond,
                            int authFailuresPerMinute, int maxBodyBytes, long backendTimeoutMs, int wsWriteQueueBytes) {

    public static GatewayConfig from(Map<String, String> env) {
        String token = env.get("OPERATOR_TOKEN");
        if (token == null || token.isBlank()) {
            throw new ConfigException("OPERATOR_TOKEN is required: the secret operators send in X-OPERATOR-TOKEN");
        }
        if (token.trim().length() < 16) {
            throw new ConfigException("OPERATOR_TOKEN is too short (at least 16 characters)");
        }
        return new GatewayConfig(token.trim(),
                intVar(env, "RATE_LIMIT_WEIGHT_PER_MINUTE", 6000, 1, 10_000_000),
                intVar(env, "RATE_LIMIT_ORDERS_PER_SECOND", 100, 1, 1_000_000),
                intVar(env, "RATE_LIMIT_AUTH_FAILURES_PER_MINUTE", 60, 1, 1_000_000),
                intVar(env, "MAX_BODY_BYTES", 16_384, 256, 10_485_760),
                intVar(env, "BACKEND_TIMEOUT_MS", 2000, 50, 60_000),
                intVar(env, "WS_WRITE_QUEUE_BYTES", 512 * 1024, 4096, 64 * 1024 * 1024));
    }

    private static int intVar(Map<String, String> env, String name, int dflt, int min, int max) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n < min || n > max) {
                throw new ConfigException(name + "=" + v.trim() + " is out of range (expected " + min + ".." + max + ")");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ConfigException(name + "='" + v.trim() + "' is not a whole number (expected " + min + ".." + max
                    + ")");
        }
    }
}
