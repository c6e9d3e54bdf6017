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

    private static AccountLimits wanted(long account, int open, long notional, String asset, boolean kill) {
        return AccountLimits.newBuilder().setAccountId(account).setMaxOpenOrders(open).setMaxOrderNotional(notional)
                .setNotionalAsset(asset).setKillSwitch(kill).build();
    }

    @Test
    void capsAreCheckedInOrderKillSwitchFirst() {
        assertNull(limits.check(7, 1_000, Long.MAX_VALUE, "USDT"), "no limits, nothing refused");
        limits.set(7, 2, 500, "USDT", false);
        assertNull(limits.check(7, 1, 500, "USDT"));
        assertEquals(RiskLimits.Breach.OPEN_ORDER_LIMIT, limits.check(7, 2, 1, "USDT"));
        assertEquals(RiskLimits.Breach.ORDER_NOTIONAL_LIMIT, limits.check(7, 0, 501, "USDT"));
        limits.set(7, 2, 500, "USDT", true);
        assertEquals(RiskLimits.Breach.KILL_SWITCH, limits.check(7, 0, 0, "USDT"));
        assertTrue(limits.capsOpenOrders(7));
        limits.set(7, 0, -3, "USDT", false);
        assertNull(limits.get(7), "all zero and no kill switch: no entry");
    }

    @Test
    void theNotionalCapCountsInItsAssetOnly() {
        limits.set(7, 0, 500, "USDT", false);
        assertEquals(RiskLimits.Breach.ORDER_NOTIONAL_LIMIT, limits.check(7, 0, 501, "USDT"));
        assertNull(limits.check(7, 0, 10_000, "BTC"), "a market quoted in BTC is not capped by a USDT cap");
        limits.set(8, 0, 500, "", false);
        assertEquals(RiskLimits.Breach.ORDER_NOTIONAL_LIMIT, limits.check(8, 0, 501, "BTC"),
                "a cap journaled before the asset was caps every market");
    }

    @Test
    void onlyWhatDiffersFromRiskServiceIsJournaled() {
        assertFalse(limits.differ(wanted(7, 0, 0, "", false)), "none wanted, none held");
        assertTrue(limits.differ(wanted(7, 5, 0, "", false)));
        limits.set(7, 5, 0, "", false);
        assertFalse(limits.differ(wanted(7, 5, 0, "", false)));
        assertFalse(limits.differ(wanted(7, 5, -1, "USDT", false)), "a negative cap is no cap, whatever its asset");
        assertTrue(limits.differ(wanted(7, 0, 0, "", false)), "lifted limits must reach the engine too");
        assertTrue(limits.differ(wanted(7, 5, 0, "", true)));
        limits.set(7, 5, 100, "USDT", false);
        assertTrue(limits.differ(wanted(7, 5, 100, "USDC", false)), "another asset is another cap");
    }

    @Test
    void aSnapshotRestoresTheSameLimitsAndBytes() throws IOException {
        limits.set(9, 1, 2, "USDT", false);
        limits.set(3, 0, 0, "", true);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        limits.write(new DataOutputStream(bytes));
        RiskLimits restored = new RiskLimits();
        restored.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), true);
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        restored.write(new DataOutputStream(again));
        assertArrayEquals(bytes.toByteArray(), again.toByteArray());
        assertEquals(new RiskLimits.Limits(1, 2, "USDT", false), restored.get(9));
        assertEquals(RiskLimits.Breach.KILL_SWITCH, restored.check(3, 0, 0, "USDT"));
    }
}
