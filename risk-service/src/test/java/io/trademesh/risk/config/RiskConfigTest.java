package io.trademesh.risk.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trademesh.platform.config.ConfigException;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** RISK_SECRET_KEY: required, base64, 32 bytes; every error is one line naming it and never its value. */
class RiskConfigTest {

    private static String fails(Map<String, String> env) {
        ConfigException e = assertThrows(ConfigException.class, () -> RiskConfig.from(env));
        assertTrue(e.getMessage().startsWith("RISK_SECRET_KEY "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        return e.getMessage();
    }

    @Test
    void aKeyOf32BytesIsTaken() {
        byte[] key = new byte[32];
        key[5] = 42;
        RiskConfig c = RiskConfig.from(Map.of("RISK_SECRET_KEY", " " + Base64.getEncoder().encodeToString(key) + " "));
        assertArrayEquals(key, c.secretKey());
        assertFalse(c.toString().contains(Base64.getEncoder().encodeToString(key)));
    }

    @Test
    void missingBlankMalformedAndShortKeysStopStartUp() {
        assertTrue(fails(Map.of()).contains("is required"));
        assertTrue(fails(Map.of("RISK_SECRET_KEY", "  ")).contains("is required"));
        String notBase64 = fails(Map.of("RISK_SECRET_KEY", "not*base64!"));
        assertTrue(notBase64.contains("not valid base64"));
        assertFalse(notBase64.contains("not*base64!"), "the value is a secret: never echoed");
        String shortKey = Base64.getEncoder().encodeToString(new byte[16]);
        String tooShort = fails(Map.of("RISK_SECRET_KEY", shortKey));
        assertEquals("RISK_SECRET_KEY decodes to 16 bytes (expected 32: base64 of 32 random bytes,"
                + " e.g. openssl rand -base64 32)", tooShort);
    }
}
