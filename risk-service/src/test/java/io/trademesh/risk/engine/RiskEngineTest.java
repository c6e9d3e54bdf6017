package io.trademesh.risk.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The engine alone: accounts, keys, funding idempotency, the transfer state machine, snapshots. */
class RiskEngineTest {

    private final RiskEngine engine = new RiskEngine();
    private long now = 1_000;

    private long account() {
        return engine.createAccount(now++, "trader").value().id();
    }

    private Result<ApiKeyRecord> key(String id, long account) {
        return engine.createApiKey(now++, id, account, Permission.READ.bit | Permission.TRADE.bit,
                List.of("10.0.0.0/8"), "bot", new byte[] {1, 2, 3});
    }

    private void deposit(long account, String asset, long amount) {
        assertTrue(engine.deposit(now++, "dep-" + now, account, asset, amount).value().applied());
    }

    @Test
    void accountsGetIdsFromOneAndAreSuspendedAndReactivated() {
        assertEquals(1, account());
        assertEquals(2, account());
        Account a = engine.account(1);
        assertEquals(AccountStatus.ACTIVE, a.status());
        assertEquals("trader", a.name());

        assertEquals(AccountStatus.SUSPENDED, engine.setSuspended(now, 1, true).value().status());
        assertEquals(AccountStatus.SUSPENDED, engine.setSuspended(now, 1, true).value().status());
        assertEquals(AccountStatus.SUSPENDED, engine.account(1).status());
        assertEquals(AccountStatus.ACTIVE, engine.setSuspended(now, 1, false).value().status());
        assertTrue(engine.setSuspended(now, 9, true).refusedBecause(RiskRejectReason.UNKNOWN_ACCOUNT));
        assertNull(engine.account(RiskEngine.FEE_ACCOUNT));
        assertEquals(List.of(1L, 2L), engine.accounts().stream().map(Account::id).toList());
    }

    @Test
    void apiKeysAreCreatedListedRevokedAndLimited() {
        long a = account();
        ApiKeyRecord k = key("k-1", a).value();
        assertTrue(k.has(Permission.READ) && k.has(Permission.TRADE) && !k.has(Permission.TRANSFER));
        assertEquals(List.of("10.0.0.0/8"), k.ipAllowlist());
        assertTrue(key("k-1", a).refusedBecause(RiskRejectReason.API_KEY_EXISTS));
        assertTrue(key("k-x", 77).refusedBecause(RiskRejectReason.UNKNOWN_ACCOUNT));

        engine.setSuspended(now, a, true);
        assertTrue(key("k-2", a).refusedBecause(RiskRejectReason.ACCOUNT_SUSPENDED));
        engine.setSuspended(now, a, false);

        for (int i = 2; i <= RiskEngine.MAX_ACTIVE_KEYS_PER_ACCOUNT; i++) {
            assertTrue(key("k-" + i, a).ok());
        }
        assertTrue(key("k-over", a).refusedBecause(RiskRejectReason.API_KEY_LIMIT));
        Result<ApiKeyRecord> revoked = engine.revokeApiKey(now, "k-1");
        assertTrue(revoked.value().revoked());
        assertFalse(revoked.duplicate());
        assertTrue(engine.revokeApiKey(now, "k-1").duplicate());
        assertTrue(engine.revokeApiKey(now, "nope").refusedBecause(RiskRejectReason.UNKNOWN_API_KEY));
        assertTrue(key("k-over", a).ok(), "a revoked key frees its slot");
        assertEquals(RiskEngine.MAX_ACTIVE_KEYS_PER_ACCOUNT + 1, engine.apiKeys(a).size());
        assertTrue(engine.apiKey("k-1").revoked());
    }

    @Test
    void depositsAndWithdrawalsApplyOncePerOperationId() {
        long a = account();
        Result<FundingResult> first = engine.deposit(now, "op-1", a, "USDT", 100);
        assertTrue(first.value().applied());
        assertEquals(100, first.value().balance());
        Result<FundingResult> again = engine.deposit(now, "op-1", a, "USDT", 100);
        assertTrue(again.duplicate());
        assertEquals(100, again.value().balance());
        assertTrue(engine.deposit(now, "op-1", a, "USDT", 999).refusedBecause(RiskRejectReason.OPERATION_ID_CONFLICT));
        assertTrue(engine.withdraw(now, "op-1", a, "USDT", 100).refusedBecause(
                RiskRejectReason.OPERATION_ID_CONFLICT));

        Result<FundingResult> tooMuch = engine.withdraw(now, "w-1", a, "USDT", 150);
        assertFalse(tooMuch.value().applied());
        assertEquals(RiskRejectReason.INSUFFICIENT_FUNDS, tooMuch.value().operation().reason());
        assertEquals(100, engine.fundingBalance(a, "USDT"));
        engine.deposit(now, "op-2", a, "USDT", 100);
        Result<FundingResult> retried = engine.withdraw(now, "w-1", a, "USDT", 150);
        assertTrue(retried.duplicate());
        assertFalse(retried.value().applied(), "a retry gets the first answer");

        assertTrue(engine.withdraw(now, "w-2", a, "USDT", 40).value().applied());
        assertEquals(160, engine.fundingBalance(a, "USDT"));
        assertEquals(200, engine.deposited("USDT"));
        assertEquals(40, engine.withdrawn("USDT"));
        assertEquals(160, engine.fundingTotal("USDT"));
    }

    @Test
    void unknownAndSuspendedAccountsAreRefusedWithoutRecordingTheOperation() {
        long a = account();
        assertTrue(engine.deposit(now, "op-1", 42, "BTC", 5).refusedBecause(RiskRejectReason.UNKNOWN_ACCOUNT));
        engine.setSuspended(now, a, true);
        assertTrue(engine.deposit(now, "op-1", a, "BTC", 5).refusedBecause(RiskRejectReason.ACCOUNT_SUSPENDED));
        assertTrue(engine.withdraw(now, "op-2", a, "BTC", 5).refusedBecause(RiskRejectReason.ACCOUNT_SUSPENDED));
        engine.setSuspended(now, a, false);
        Result<FundingResult> later = engine.deposit(now, "op-1", a, "BTC", 5);
        assertFalse(later.duplicate());
        assertTrue(later.value().applied());
    }

    @Test
    void theAuditAsksOnlyTheWalletsCompletedTransfersNamedAlsoAfterARestore() throws Exception {
        long a = account();
        deposit(a, "USDT", 1_000);
        assertEquals(java.util.Set.of(), engine.auditBase().walletsUsed());
        engine.createTransfer(now++, "u1", a, "USDT", 300, WalletKind.FUNDING, WalletKind.MONEY_MARKET);
        engine.applyLocalStep(now++, "u1", TransferStep.DEBIT_SOURCE);
        assertEquals(java.util.Set.of(), engine.auditBase().walletsUsed(), "in flight until it completes");
        engine.applyRemoteStep(now++, "u1", TransferStep.CREDIT_DESTINATION, true, "");
        assertEquals(java.util.Set.of(WalletKind.FUNDING, WalletKind.MONEY_MARKET), engine.auditBase().walletsUsed());
        // a transfer the destination refused is refunded and leaves its wallet unasked
        engine.createTransfer(now++, "u2", a, "USDT", 1, WalletKind.FUNDING, WalletKind.SPOT);
        engine.applyLocalStep(now++, "u2", TransferStep.DEBIT_SOURCE);
        engine.applyRemoteStep(now++, "u2", TransferStep.CREDIT_DESTINATION, false, "UNKNOWN_ASSET");
        assertEquals(java.util.Set.of(WalletKind.FUNDING, WalletKind.MONEY_MARKET), engine.auditBase().walletsUsed());
        RiskEngine restored = new RiskEngine();
        restored.readSnapshot(new DataInputStream(new ByteArrayInputStream(snapshot(engine))));
        assertEquals(engine.auditBase().walletsUsed(), restored.auditBase().walletsUsed());
    }

    @Test
    void fundingToSpotTakesItsStepsAndCompletes() {
        long a = account();
        deposit(a, "USDT", 1_000);
        Transfer t = engine.createTransfer(now++, "t1", a, "USDT", 300, WalletKind.FUNDING, WalletKind.SPOT).value();
        assertEquals(TransferState.PENDING, t.state());
        assertEquals(TransferStep.DEBIT_SOURCE, t.nextStep());
        assertEquals(WalletKind.FUNDING, t.walletOf(TransferStep.DEBIT_SOURCE));
        assertEquals("t1:credit", t.walletTransferId(TransferStep.CREDIT_DESTINATION));
        assertEquals(1_000, engine.fundingBalance(a, "USDT"), "an intent moves nothing");

        // A spot answer for the wrong step, or a local step for spot's wallet, changes nothing.
        assertTrue(engine.applyRemoteStep(now, "t1", TransferStep.DEBIT_SOURCE, true, "").duplicate());
        assertTrue(engine.applyLocalStep(now, "t1", TransferStep.CREDIT_DESTINATION).duplicate());

        t = engine.applyLocalStep(now++, "t1", TransferStep.DEBIT_SOURCE).value();
        assertEquals(TransferState.DEBITED, t.state());
        assertEquals(700, engine.fundingBalance(a, "USDT"));
        assertEquals(300, engine.inFlight("USDT"));
        assertTrue(engine.applyLocalStep(now, "t1", TransferStep.DEBIT_SOURCE).duplicate(), "debited once");
        assertEquals(700, engine.fundingBalance(a, "USDT"));

        t = engine.applyRemoteStep(now++, "t1", TransferStep.CREDIT_DESTINATION, true, "").value();
        assertEquals(TransferState.COMPLETED, t.state());
        assertNull(t.nextStep());
        assertEquals(0, engine.inFlight("USDT"));
        assertEquals(0, engine.unfinishedCount());
        assertTrue(engine.applyRemoteStep(now, "t1", TransferStep.CREDIT_DESTINATION, true, "").duplicate());
        assertTrue(t.updatedAtMs() > t.createdAtMs());
    }

    @Test
    void aRefusedCreditIsRefundedToTheSource() {
        long a = account();
        deposit(a, "DOGE", 50);
        engine.createTransfer(now, "t2", a, "DOGE", 20, WalletKind.FUNDING, WalletKind.SPOT);
        engine.applyLocalStep(now, "t2", TransferStep.DEBIT_SOURCE);
        Transfer t = engine.applyRemoteStep(now, "t2", TransferStep.CREDIT_DESTINATION, false, "UNKNOWN_ASSET").value();
        assertEquals(TransferState.REFUNDING, t.state());
        assertEquals("UNKNOWN_ASSET", t.reason());
        assertEquals(TransferStep.REFUND_SOURCE, t.nextStep());
        assertEquals(20, engine.inFlight("DOGE"));
        assertEquals(30, engine.fundingBalance(a, "DOGE"));

        t = engine.applyLocalStep(now, "t2", TransferStep.REFUND_SOURCE).value();
        assertEquals(TransferState.REFUNDED, t.state());
        assertEquals("UNKNOWN_ASSET", t.reason());
        assertEquals(50, engine.fundingBalance(a, "DOGE"));
        assertEquals(0, engine.inFlight("DOGE"));
    }

    @Test
    void aSpotToFundingTransferCreditsTheFundingWallet() {
        long a = account();
        engine.createTransfer(now, "t3", a, "BTC", 7, WalletKind.SPOT, WalletKind.FUNDING);
        Transfer t = engine.applyRemoteStep(now, "t3", TransferStep.DEBIT_SOURCE, true, "").value();
        assertEquals(TransferState.DEBITED, t.state());
        assertEquals(7, engine.inFlight("BTC"));
        t = engine.applyLocalStep(now, "t3", TransferStep.CREDIT_DESTINATION).value();
        assertEquals(TransferState.COMPLETED, t.state());
        assertEquals(7, engine.fundingBalance(a, "BTC"));
    }

    @Test
    void aRefusedDebitFailsTheTransferAndMovesNothing() {
        long a = account();
        deposit(a, "USDT", 10);
        engine.createTransfer(now, "t4", a, "USDT", 11, WalletKind.FUNDING, WalletKind.SPOT);
        Transfer t = engine.applyLocalStep(now, "t4", TransferStep.DEBIT_SOURCE).value();
        assertEquals(TransferState.FAILED, t.state());
        assertEquals("INSUFFICIENT_FUNDS", t.reason());
        assertEquals(10, engine.fundingBalance(a, "USDT"));

        engine.createTransfer(now, "t5", a, "USDT", 11, WalletKind.SPOT, WalletKind.FUNDING);
        t = engine.applyRemoteStep(now, "t5", TransferStep.DEBIT_SOURCE, false, "INSUFFICIENT_FUNDS").value();
        assertEquals(TransferState.FAILED, t.state());
        assertEquals(10, engine.fundingBalance(a, "USDT"));
        assertEquals(0, engine.unfinishedCount());
    }

    @Test
    void aTransferIdMovesMoneyOnce() {
        long a = account();
        long b = account();
        deposit(a, "USDT", 100);
        Transfer first = engine.createTransfer(now, "same", a, "USDT", 60, WalletKind.FUNDING, WalletKind.SPOT)
                .value();
        Result<Transfer> again = engine.createTransfer(now + 5, "same", a, "USDT", 60, WalletKind.FUNDING,
                WalletKind.SPOT);
        assertTrue(again.duplicate());
        assertEquals(first, again.value());
        assertTrue(engine.createTransfer(now, "same", b, "USDT", 1, WalletKind.FUNDING, WalletKind.SPOT)
                .refusedBecause(RiskRejectReason.TRANSFER_ID_CONFLICT));
        // The same id with another amount or direction is not a retry: refused, not answered with the first.
        assertTrue(engine.createTransfer(now, "same", a, "USDT", 5, WalletKind.FUNDING, WalletKind.SPOT)
                .refusedBecause(RiskRejectReason.TRANSFER_ID_CONFLICT));
        assertTrue(engine.createTransfer(now, "same", a, "USDT", 60, WalletKind.SPOT, WalletKind.FUNDING)
                .refusedBecause(RiskRejectReason.TRANSFER_ID_CONFLICT));
        assertEquals(1, engine.unfinishedCount());
        engine.setSuspended(now, b, true);
        assertTrue(engine.createTransfer(now, "other", b, "USDT", 1, WalletKind.FUNDING, WalletKind.SPOT)
                .refusedBecause(RiskRejectReason.ACCOUNT_SUSPENDED));
        assertTrue(engine.createTransfer(now, "other", 99, "USDT", 1, WalletKind.FUNDING, WalletKind.SPOT)
                .refusedBecause(RiskRejectReason.UNKNOWN_ACCOUNT));
        assertEquals(List.of(first), engine.transfers(a, 10));
        assertEquals(List.of(), engine.transfers(b, 10));
    }

    @Test
    void aRefusedRefundBlocksTheTransferForAnOperator() {
        long a = account();
        engine.createTransfer(now, "t6", a, "BTC", 5, WalletKind.SPOT, WalletKind.FUNDING);
        engine.applyRemoteStep(now, "t6", TransferStep.DEBIT_SOURCE, true, "");
        // The funding wallet is at its maximum: the credit overflows and is refused.
        engine.deposit(now, "huge", a, "BTC", Long.MAX_VALUE);
        Transfer t = engine.applyLocalStep(now, "t6", TransferStep.CREDIT_DESTINATION).value();
        assertEquals(TransferState.REFUNDING, t.state());
        t = engine.applyRemoteStep(now, "t6", TransferStep.REFUND_SOURCE, false, "BALANCE_OVERFLOW").value();
        assertEquals(TransferState.REFUNDING, t.state());
        assertTrue(t.blocked());
        assertEquals("REFUND_REFUSED:BALANCE_OVERFLOW", t.reason());
        assertNull(t.nextStep());
        assertEquals(0, engine.unfinishedCount());
        assertEquals(5, engine.inFlight("BTC"), "still counted as in flight");
    }

    @Test
    void transfersAreListedNewestFirstAndUnfinishedOldestFirst() throws Exception {
        long a = account();
        for (int i = 0; i < 5; i++) {
            engine.createTransfer(now++, "t" + i, a, "USDT", 1, WalletKind.SPOT, WalletKind.FUNDING);
        }
        assertEquals(List.of("t4", "t3"), engine.transfers(a, 2).stream().map(Transfer::id).toList());
        assertEquals(List.of("t4", "t3", "t2"), engine.transfers(RiskEngine.FEE_ACCOUNT, 3).stream()
                .map(Transfer::id).toList());
        assertEquals(List.of("t0", "t1"), engine.unfinishedTransfers(2).stream().map(Transfer::id).toList());
        assertEquals(List.of("t1", "t2"), engine.unfinishedTransfers(2, t -> !t.id().equals("t0")).stream()
                .map(Transfer::id).toList(), "what the sweep leaves out takes no place in its batch");
        // The order a listing reads is rebuilt from the snapshot, not stored in it.
        RiskEngine restored = new RiskEngine();
        restored.readSnapshot(new DataInputStream(new ByteArrayInputStream(snapshot(engine))));
        assertEquals(List.of("t4", "t3", "t2"), restored.transfers(RiskEngine.FEE_ACCOUNT, 3).stream()
                .map(Transfer::id).toList());
        assertEquals(List.of("t1", "t0"), restored.transfers(a, 10).subList(3, 5).stream().map(Transfer::id)
                .toList());
    }

    @Test
    void limitsAndOperatorPricesAreKept() {
        long a = account();
        assertTrue(engine.setLimits(now, new Limits(9, 1, 1, false, "USDT")).refusedBecause(RiskRejectReason.UNKNOWN_ACCOUNT));
        Limits l = new Limits(a, 10, 5_000, true, "USDT");
        assertEquals(l, engine.setLimits(now, l).value());
        assertEquals(List.of(l), engine.limits());
        OperatorPrice p = engine.setOperatorPrice(1234, "BTC", "USDT", 3_000_000, 2);
        assertEquals(1234, p.timestampMs());
        assertEquals(List.of(p), engine.operatorPrices());
    }

    @Test
    void aSnapshotRestoresTheSameStateByteForByte() throws IOException {
        long a = account();
        account();
        engine.setSuspended(now, 2, true);
        key("k-1", a);
        engine.revokeApiKey(now, "k-1");
        key("k-2", a);
        deposit(a, "USDT", 1_000);
        engine.withdraw(now, "w-1", a, "USDT", 5_000);
        engine.createTransfer(now, "t1", a, "USDT", 100, WalletKind.FUNDING, WalletKind.SPOT);
        engine.applyLocalStep(now, "t1", TransferStep.DEBIT_SOURCE);
        engine.createTransfer(now, "t2", a, "BTC", 1, WalletKind.SPOT, WalletKind.FUNDING);
        engine.setLimits(now, new Limits(a, 3, 0, false, ""));
        engine.setOperatorPrice(now, "BTC", "USDT", 42, 0);

        byte[] bytes = snapshot(engine);
        RiskEngine restored = new RiskEngine();
        restored.readSnapshot(new DataInputStream(new ByteArrayInputStream(bytes)));
        assertArrayEquals(bytes, snapshot(restored));
        assertEquals(engine.apiKeys(a).stream().map(k -> k.keyId() + ":" + k.revoked()).toList(),
                restored.apiKeys(a).stream().map(k -> k.keyId() + ":" + k.revoked()).toList());
        assertArrayEquals(new byte[] {1, 2, 3}, restored.apiKey("k-2").sealedSecret());
        assertEquals(engine.unfinishedTransfers(10), restored.unfinishedTransfers(10));
        assertEquals(100, restored.inFlight("USDT"));
        // Ids go on from where they were.
        assertEquals(3, restored.createAccount(now, "next").value().id());
    }

    static byte[] snapshot(RiskEngine e) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        e.writeSnapshot(out);
        out.flush();
        return bytes.toByteArray();
    }
}
