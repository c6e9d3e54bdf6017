package io.trademesh.risk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trademesh.platform.testsupport.ChildJvm;
import io.trademesh.platform.testsupport.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A missing or malformed RISK_SECRET_KEY stops start-up: one line naming it, exit code 2, nothing joined. */
class RiskConfigProcessTest {

    @TempDir
    Path dir;

    private String startWith(String name, String secretKey) throws Exception {
        Path work = Files.createDirectories(dir.resolve(name));
        int[] ports = FreePorts.take(3);
        ChildJvm jvm = ChildJvm.start(RiskServiceMain.class, Map.of(
                "RISK_SECRET_KEY", secretKey,
                "HTTP_PORT", Integer.toString(ports[0]),
                "GRPC_PORT", Integer.toString(ports[1]),
                "CLUSTER_PORT", Integer.toString(ports[2]),
                "CLUSTER_MEMBERS", "127.0.0.1:" + ports[2],
                "DATA_DIR", work.resolve("data").toString()), work);
        try {
            assertEquals(2, jvm.waitForExit(60, TimeUnit.SECONDS), jvm.stderrText());
            return jvm.stderrText();
        } finally {
            jvm.close();
        }
    }

    @Test
    void aMissingKeyStopsStartUpWithOneLine() throws Exception {
        String err = startWith("missing", "");
        assertTrue(err.contains("config error: RISK_SECRET_KEY is required: base64 of 32 random bytes"), err);
        assertFalse(err.contains("joined cluster"), err);
    }

    @Test
    void aMalformedKeyStopsStartUpWithoutEchoingIt() throws Exception {
        String err = startWith("malformed", "c2hvcnQ=");
        assertTrue(err.contains("config error: RISK_SECRET_KEY decodes to 5 bytes (expected 32"), err);
        assertFalse(err.contains("c2hvcnQ="), "the key is never printed");
    }
}
