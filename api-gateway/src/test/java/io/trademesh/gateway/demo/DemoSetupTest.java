package io.trademesh.gateway.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The demo option chain's expiry and smile. */
class DemoSetupTest {

    private static long ms(String iso) {
        return Instant.parse(iso).toEpochMilli();
    }

    @Test
    void theChainExpiresOnTheNextFridayAtLeastTwoDaysAway() {
        assertEquals(ms("2030-01-04T08:00:00Z"), DemoSetup.optionExpiry(ms("2030-01-01T00:00:00Z")));
        assertEquals(ms("2030-01-11T08:00:00Z"), DemoSetup.optionExpiry(ms("2030-01-02T10:00:00Z")), "1d22h is too close");
        assertEquals(ms("2030-01-11T08:00:00Z"), DemoSetup.optionExpiry(ms("2030-01-04T07:00:00Z")));
        assertEquals(ms("2030-01-18T08:00:00Z"), DemoSetup.optionExpiry(ms("2030-01-11T08:00:00Z")));
    }

    @Test
    void theSmileIsSixtyAtTheMoneyAndSeventyFiveAtTheWings() {
        assertEquals("0.6", DemoSetup.smile(30_000));
        assertEquals("0.6094", DemoSetup.smile(29_000));
        assertEquals("0.6094", DemoSetup.smile(31_000));
        assertEquals("0.75", DemoSetup.smile(26_000));
        assertEquals("0.75", DemoSetup.smile(34_000));
    }
}
