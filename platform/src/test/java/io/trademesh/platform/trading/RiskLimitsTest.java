package io.trademesh.platform.trading;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trademesh.proto.risk.AccountLimits;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class RiskLimitsTest {

    private final RiskLimits limits = new RiskLimits();

    private static AccountLimits wanted(long account, int open, long notional, boolean kill) {
        return AccountLimits.newBuilder().setAccountId(account).setMaxOpenOrders(open).setMaxOrderNotional(notional)
                .setKillSwitch(kill).build();
    }

    @Test
    void capsAreCheckedInOrderKillSwitchFirst() {
        assertNull(limits.check(7, 1_000, Long.MAX_VALUE), "no limits, nothing refused");
        limits.set(7, 2, 500, false);
        assertNull(limits.check(7, 1, 500));
        assertEquals(RiskLimits.Breach.OPEN_ORDER_LIMIT, limits.check(7, 2, 1));
        assertEquals(RiskLimits.Breach.ORDER_NOTIONAL_LIMIT, limits.check(7, 0, 501));
        limits.set(7, 2, 500, true);
        assertEquals(RiskLimits.Breach.KILL_SWITCH, limits.check(7, 0, 0));
        assertTrue(limits.capsOpenOrders(7));
        limits.set(7, 0, -3, false);
        assertNull(limits.get(7), "all zero and no kill switch: no entry");
    }

    @Test
    void onlyWhatDiffersFromRiskServiceIsJournaled() {
        assertFalse(limits.differ(wanted(7, 0, 0, false)), "none wanted, none held");
        assertTrue(limits.differ(wanted(7, 5, 0, false)));
        limits.set(7, 5, 0, false);
        assertFalse(limits.differ(wanted(7, 5, 0, false)));
        assertFalse(limits.differ(wanted(7, 5, -1, false)), "a negative cap is no cap");
        assertTrue(limits.differ(wanted(7, 0, 0, false)), "lifted limits must reach the engine too");
        assertTrue(limits.differ(wanted(7, 5, 0, true)));
    }

    @Test
    void aSnapshotRestoresTheSameLimitsAndBytes() throws IOException {
        limits.set(9, 1, 2, false);
        limits.set(3, 0, 0, true);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        limits.write(new DataOutputStream(bytes));
        RiskLimits restored = new RiskLimits();
        restored.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        restored.write(new DataOutputStream(again));
        assertArrayEquals(bytes.toByteArray(), again.toByteArray());
        assertEquals(new RiskLimits.Limits(1, 2, false), restored.get(9));
        assertEquals(RiskLimits.Breach.KILL_SWITCH, restored.check(3, 0, 0));
    }
}
