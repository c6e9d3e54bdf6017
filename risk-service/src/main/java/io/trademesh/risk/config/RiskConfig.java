package io.trademesh.risk.config;

import io.trademesh.platform.config.ConfigException;
import java.util.Base64;
import java.util.Map;

/**
 * risk-service's own configuration, read once from the environment at start-up, next to the
 * platform's {@link io.trademesh.platform.config.ServiceConfig}. A bad value throws
 * {@link ConfigException} whose one-line message names the variable (never its value: it is
 * a secret); the launcher prints it as {@code config error: ...} and exits 2.
 *
 * <pre>
 * variable          default      meaning
 * RISK_SECRET_KEY   (required)   base64 of 32 random bytes: the AES-256 key that seals API key
 *                                secrets in the journal and snapshots (e.g. openssl rand -base64 32)
 * </pre>
 */
public record RiskConfig(byte[] secretKey) {

    public static final String SECRET_KEY_VAR = "RISK_SECRET_KEY";
    private static final int KEY_BYTES = 32;

    public static RiskConfig fromEnvironment() {
        return from(System.getenv());
    }

    public static RiskConfig from(Map<String, String> env) {
        String raw = env.get(SECRET_KEY_VAR);
        if (raw == null || raw.isBlank()) {
            throw new ConfigException(SECRET_KEY_VAR + " is required: base64 of " + KEY_BYTES
                    + " random bytes, the key that encrypts API key secrets (e.g. openssl rand -base64 32)");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(raw.trim());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(SECRET_KEY_VAR + " is not valid base64 (expected base64 of " + KEY_BYTES
                    + " random bytes, e.g. openssl rand -base64 32)");
        }
        if (key.length != KEY_BYTES) {
            throw new ConfigException(SECRET_KEY_VAR + " decodes to " + key.length + " bytes (expected "
                    + KEY_BYTES + ": base64 of " + KEY_BYTES + " random bytes, e.g. openssl rand -base64 32)");
        }
        return new RiskConfig(key);
    }

    @Override
    public String toString() {
        return "RiskConfig[secretKey=(hidden)]";
    }
}
