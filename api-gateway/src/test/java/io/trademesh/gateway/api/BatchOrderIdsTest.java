package io.trademesh.gateway.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A batch cancel's orderIds: what is taken, and a refusal that names the fault. */
class BatchOrderIdsTest {

    private static String refusal(String ids) {
        ApiError e = assertThrows(ApiError.class, () -> OrderRoutes.batchOrderIds(ids));
        assertEquals(400, e.status());
        assertEquals("INVALID_REQUEST", e.code());
        return e.getMessage();
    }

    @Test
    void takesOneToTwentyIdsOfUpToNineteenDigits() {
        assertArrayEquals(new long[] {7}, OrderRoutes.batchOrderIds("7"));
        assertArrayEquals(new long[] {1, 22, Long.MAX_VALUE}, OrderRoutes.batchOrderIds("1,22,9223372036854775807"));
        assertEquals(20, OrderRoutes.batchOrderIds("1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20").length);
    }

    @Test
    void eachRefusalSaysWhatIsWrong() {
        assertTrue(refusal(null).contains("orderIds is required"));
        assertTrue(refusal("").contains("orderIds is required"));
        assertTrue(refusal("1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21").contains("holds 21 ids; at most 20"));
        String tooLong = refusal("5,12345678901234567890");
        assertTrue(tooLong.contains("id 2") && tooLong.contains("12345678901234567890")
                && tooLong.contains("1 to 19 digits"), tooLong);
        assertTrue(refusal("1,,2").contains("id 2 (\"\")"), refusal("1,,2"));
        assertTrue(refusal("1,x").contains("id 2 (\"x\")"));
        assertTrue(refusal("1,").contains("id 2"));
        assertTrue(refusal("-1").contains("id 1"));
        String huge = refusal("9".repeat(500));
        assertTrue(huge.length() < 200, "a long id is not echoed whole: " + huge);
    }
}
