package io.trademesh.platform.boot;

import java.io.IOException;
import java.io.InputStream;
import java.util.logging.LogManager;

/**
 * One-line JUL logs (time, level, logger, message) with Hazelcast quietened to WARNING,
 * from {@code trademesh-logging.properties}, unless the operator gave their own file with
 * {@code -Djava.util.logging.config.file}.
 */
public final class Logging {

    private Logging() {
    }

    public static void configure() {
        if (System.getProperty("java.util.logging.config.file") != null) {
            return;
        }
        try (InputStream in = Logging.class.getResourceAsStream("/trademesh-logging.properties")) {
            if (in != null) {
                LogManager.getLogManager().readConfiguration(in);
            }
        } catch (IOException e) {
            System.err.println("could not read trademesh-logging.properties: " + e.getMessage());
        }
    }
}
