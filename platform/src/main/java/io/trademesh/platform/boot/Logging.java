package io.trademesh.platform.boot;

import java.io.IOException;
import java.io.InputStream;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/**
 * One-line JUL logs (time, level, logger, message) with Hazelcast quietened to WARNING,
 * from {@code trademesh-logging.properties}, unless the operator gave their own file with
 * {@code -Djava.util.logging.config.file}. One known false alarm is dropped whatever the file.
 */
public final class Logging {

    /**
     * Where Micrometer warns of a gauge registered twice. vertx-micrometer-metrics 5 registers some of its own
     * gauges twice (its issue #259), so every service warned once at start about
     * {@code vertx.eventbus.pending}; the gauge works. Held here: JUL keeps loggers only weakly, and the
     * filter lives on the logger.
     */
    private static final Logger METER_REGISTRY = Logger.getLogger("io.micrometer.core.instrument.MeterRegistry");

    private Logging() {
    }

    public static void configure() {
        if (System.getProperty("java.util.logging.config.file") == null) {
            try (InputStream in = Logging.class.getResourceAsStream("/trademesh-logging.properties")) {
                if (in != null) {
                    LogManager.getLogManager().readConfiguration(in);
                }
            } catch (IOException e) {
                System.err.println("could not read trademesh-logging.properties: " + e.getMessage());
            }
        }
        METER_REGISTRY.setFilter(Logging::notVertxDuplicateGauge); // after the reset a configuration does
    }

    /** False for Micrometer's warning that one of Vert.x's own gauges was registered twice. */
    static boolean notVertxDuplicateGauge(java.util.logging.LogRecord record) {
        String message = record.getMessage();
        return message == null || !(message.contains("has been already registered")
                && message.contains("MeterId{name='vertx."));
    }
}
