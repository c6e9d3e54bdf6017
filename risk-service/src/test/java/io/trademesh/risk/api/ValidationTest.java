package io.trademesh.risk.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Edge checks: IP allowlist entries and free text. */
class ValidationTest {

    @Test
    void ipAllowlistEntriesAreAddressesOrCidrBlocks() {
        for (String ok : new String[] {"127.0.0.1", "10.0.0.0/8", "0.0.0.0/0", "203.0.113.7/32", "::1",
                "2001:db8::/32", "fe80::1ff:fe23:4567:890a", "::ffff:192.0.2.1", "2001:db8::/128"}) {
            assertTrue(Validation.ipOrCidr(ok), ok);
        }
        for (String bad : new String[] {"", "localhost", "example.com", "1.2.3", "256.1.1.1", "10.0.0.0/33",
                "10.0.0.0/", "10.0.0.0/-1", "2001:db8::/129", "2001:db8:::1", "::g", "1.2.3.4/8/8", " 1.2.3.4",
                ".1::"}) {
            assertFalse(Validation.ipOrCidr(bad), bad);
        }
    }

    @Test
    void namesAndLabelsAreShortPrintableText() {
        assertTrue(Validation.text("Desk 7 — market making", false));
        assertFalse(Validation.text("", false));
        assertTrue(Validation.text("", true));
        assertFalse(Validation.text("   ", false));
        assertFalse(Validation.text("tab\there", false));
        assertFalse(Validation.text("x".repeat(65), false));
        assertTrue(Validation.text("x".repeat(64), false));
    }
}
