package io.trademesh.platform.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class LoggingTest {

    @Test
    void micrometersWarningAboutVertxsOwnDuplicateGaugeIsDroppedAndOthersAreKept() {
        Logging.configure();
        Logger logger = Logger.getLogger("io.micrometer.core.instrument.MeterRegistry");
        List<String> seen = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                seen.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(capture);
        try {
            logger.log(Level.WARNING, "This Gauge has been already registered (MeterId{name='vertx.eventbus.pending',"
                    + " tags=[tag(side=remote)]}), the registration will be ignored.");
            logger.log(Level.WARNING, "This Gauge has been already registered (MeterId{name='trademesh.orders',"
                    + " tags=[]}), the registration will be ignored.");
            logger.log(Level.WARNING, "something else");
        } finally {
            logger.removeHandler(capture);
        }
        assertEquals(List.of("This Gauge has been already registered (MeterId{name='trademesh.orders', tags=[]}),"
                + " the registration will be ignored.", "something else"), seen);
    }
}
