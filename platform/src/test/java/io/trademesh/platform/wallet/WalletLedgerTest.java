package io.trademesh.platform.wallet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class WalletLedgerTest {

    private static final long VENUE = 0;
    private final WalletLedger ledger = new WalletLedger(VENUE, 1_000);

    @Test
    void aTransferIdMovesMoneyOnceAndEveryRetryGetsTheFirstAnswer() {
        WalletLedger.Outcome first = ledger.credit(10, "t1", 7, 0, 500);
        assertTrue(first.applied());
        assertFalse(first.duplicate());
        WalletLedger.Outcome again = ledger.credit(20, "t1", 7, 0, 500);
        assertTrue(again.applied());
        assertTrue(again.duplicate());
        assertEquals(500, ledger.wallets().available(7, 0));

        WalletLedger.Outcome refused = ledger.debit(30, "t2", 7, 0, 501);
        assertEquals(WalletRefusal.INSUFFICIENT_FUNDS, refused.refusal());
        ledger.credit(31, "t3", 7, 0, 100);
        WalletLedger.Outcome stillRefused = ledger.debit(32, "t2", 7, 0, 501);
        assertEquals(WalletRefusal.INSUFFICIENT_FUNDS, stillRefused.refusal(), "the first answer, not a new try");
        assertTrue(stillRefused.duplicate());
        assertEquals(600, ledger.wallets().available(7, 0));
        assertTrue(ledger.applied("t1"));
        assertFalse(ledger.applied("t2"));
    }

    @Test
    void aReusedIdWithAnotherRequestIsRefusedAndNotRemembered() {
        ledger.credit(10, "t1", 7, 0, 500);
        for (WalletLedger.Outcome o : new WalletLedger.Outcome[] {
            ledger.credit(11, "t1", 8, 0, 500),      // another account
            ledger.credit(11, "t1", 7, 1, 500),      // another asset
            ledger.credit(11, "t1", 7, 0, 499),      // another amount
            ledger.debit(11, "t1", 7, 0, 500)}) {    // the other direction
            assertEquals(WalletRefusal.TRANSFER_ID_MISMATCH, o.refusal());
            assertFalse(o.duplicate());
        }
        assertEquals(500, ledger.wallets().available(7, 0));
        assertEquals(0, ledger.wallets().available(8, 0));
        assertTrue(ledger.credit(12, "t1", 7, 0, 500).duplicate(), "the original request is still a duplicate");
    }

    @Test
    void badRequestsAreRefusedWithTheirReason() {
        assertEquals(WalletRefusal.INVALID_TRANSFER, ledger.credit(1, "", 7, 0, 1).refusal());
        assertEquals(WalletRefusal.INVALID_TRANSFER, ledger.credit(1, null, 7, 0, 1).refusal());
        assertFalse(ledger.credit(2, "", 7, 0, 1).duplicate(), "no id, nothing remembered");
        assertEquals(WalletRefusal.INVALID_ACCOUNT, ledger.credit(1, "a", VENUE, 0, 1).refusal());
        assertEquals(WalletRefusal.UNKNOWN_ASSET, ledger.credit(1, "b", 7, -1, 1).refusal());
        assertEquals(WalletRefusal.INVALID_AMOUNT, ledger.credit(1, "c", 7, 0, 0).refusal());
        assertEquals(WalletRefusal.INVALID_AMOUNT, ledger.debit(1, "d", 7, 0, -5).refusal());
        ledger.credit(1, "e", 7, 0, Long.MAX_VALUE);
        assertEquals(WalletRefusal.BALANCE_OVERFLOW, ledger.credit(1, "f", 7, 0, 1).refusal());
        assertEquals(Long.MAX_VALUE, ledger.wallets().available(7, 0));
    }

    @Test
    void idsAreForgottenOnceTheRetentionWindowHasPassed() {
        ledger.credit(100, "t1", 7, 0, 5);
        ledger.credit(600, "t2", 7, 0, 5);
        ledger.expire(1_099);
        assertTrue(ledger.applied("t1") && ledger.applied("t2"));
        ledger.expire(1_100);

        assertFalse(ledger.applied("t1"));
        assertTrue(ledger.applied("t2"));
        ledger.expire(1_600);
        assertFalse(ledger.credit(1_600, "t2", 7, 0, 5).duplicate(), "a forgotten id is a new request");
        assertEquals(15, ledger.wallets().available(7, 0));
    }

    @Test
    void idsKeptUnderOlderRulesGetTheirWholeWindowFromWhenRetentionStarts() {
        ledger.remember(new WalletLedger.Outcome("old", 7, 0, 5, true, null, 0, false));   // an old layout: no time
        ledger.restartWindows(50_000);
        ledger.expire(50_999);
        assertTrue(ledger.applied("old"), "its window runs from the restart, not from time 0");
        assertTrue(ledger.credit(50_999, "old", 7, 0, 5).duplicate());
        ledger.expire(51_000);
        assertFalse(ledger.applied("old"));
    }

    @Test
    void totalsSplitTradersFromTheVenueAccount() {
        ledger.credit(1, "a", 7, 0, 100);
        ledger.credit(1, "b", 8, 0, 50);
        ledger.credit(1, "c", 8, 1, 9);
        ledger.wallets().lock(8, 0, 20);
        ledger.wallets().receive(VENUE, 0, 3);
        long[] available = new long[2];
        long[] locked = new long[2];
        long[] fees = new long[2];
        ledger.totals(available, locked, fees);
        assertArrayEquals(new long[] {130, 9}, available);
        assertArrayEquals(new long[] {20, 0}, locked);
        assertArrayEquals(new long[] {3, 0}, fees);
    }

    @Test
    void aSnapshotRestoresWalletsAndIdsAndWritesTheSameBytes() throws IOException {
        ledger.credit(1, "a", 7, 0, 100);
        ledger.debit(2, "b", 7, 0, 1_000);
        ledger.credit(3, "c", 9, 2, 7);
        byte[] bytes = write(ledger);
        WalletLedger restored = new WalletLedger(VENUE, 1_000);
        restored.read(new DataInputStream(new ByteArrayInputStream(bytes)));
        assertArrayEquals(bytes, write(restored));
        assertTrue(restored.debit(4, "b", 7, 0, 1_000).duplicate());
        assertEquals(7, restored.wallets().available(9, 2));
        restored.expire(1_002);
        assertFalse(restored.applied("a"), "the window runs from the original answer");
        WalletLedger.Outcome afterWindow = restored.debit(5, "b", 7, 0, 1_000);
        assertFalse(afterWindow.duplicate(), "a forgotten id is a new request");
        assertEquals(WalletRefusal.INSUFFICIENT_FUNDS, afterWindow.refusal());
    }

    private static byte[] write(WalletLedger l) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        l.write(new DataOutputStream(bytes));
        return bytes.toByteArray();
    }
}
