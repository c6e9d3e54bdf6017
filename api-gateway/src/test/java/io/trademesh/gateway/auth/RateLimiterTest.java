package io.trademesh.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RateLimiterTest {

    @Test
    void failedAuthenticationsAreCountedPerAddressAndResetEachMinute() {
        RateLimiter limiter = new RateLimiter(1000, 10, 3);
        long t = 120_000;
        for (int i = 0; i < 3; i++) {
            assertTrue(limiter.authAttempt("10.0.0.1", t).allowed());
            limiter.authFailed("10.0.0.1", t);
        }
        RateLimiter.Decision refused = limiter.authAttempt("10.0.0.1", t + 1_000);
        assertFalse(refused.allowed());
        assertEquals(59, refused.retryAfterSeconds());
        assertTrue(limiter.authAttempt("10.0.0.2", t).allowed(), "another address is not affected");
        assertTrue(limiter.authAttempt("10.0.0.1", t + 60_000).allowed(), "a new minute starts afresh");
    }

    @Test
    void theOrderLimitNamesItsOneSecondWindow() {
        RateLimiter limiter = new RateLimiter(1000, 2, 3);
        assertTrue(limiter.acquire("k", 1, 2, 5_000).allowed());
        RateLimiter.Decision d = limiter.acquire("k", 1, 1, 5_100);
        assertFalse(d.allowed());
        assertEquals("orders/second", d.limitName());
        assertEquals(2, d.limit());
        assertEquals(1, d.windowSeconds());
        assertEquals(60, limiter.acquire("k", 1, 0, 5_200).windowSeconds());
    }

    @Test
    void aSignatureIsFirstUsedOnce() {
        SeenSignatures seen = new SeenSignatures();
        String sig = "ab".repeat(32);
        assertTrue(seen.firstUse(sig, 1_000_500));
        assertFalse(seen.firstUse(sig, 1_000_500));
        assertFalse(seen.firstUse(sig.toUpperCase(java.util.Locale.ROOT), 1_000_900), "case does not make it new");
        assertTrue(seen.firstUse("cd".repeat(32), 1_000_500));
        // 64 s later the slot is reused for another second: the old signature is outside every window by then.
        assertTrue(seen.firstUse(sig, 1_064_500));
    }
}
