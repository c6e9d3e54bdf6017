package io.trademesh.risk.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The audit's arithmetic against a real RiskEngine and a spot wallet described by its
 * answer: exact before, during and after every step of transfers both ways, including a
 * spot step applied but not yet journaled by risk-service, and off by exactly what was
 * moved behind the ledger's back.
 */
class SolvencyAuditTest {

    private final RiskEngine risk = new RiskEngine();
    private long now = 1_000;
    private long account;
    /** Spot's USDT holdings and the wallet transfer ids it has applied. */
    private long spotUsdt;
    private final java.util.Set<String> spotApplied = new java.util.HashSet<>();

    private SolvencyAudit.Result audit() {
        Map<WalletKind, SolvencyAudit.ProductAnswer> answers = new EnumMap<>(WalletKind.class);
        TreeMap<String, SolvencyAudit.Holdings> holdings = new TreeMap<>();
        holdings.put("USDT", new SolvencyAudit.Holdings(spotUsdt - 7, 5, 2, 0, 0, 0));
        answers.put(WalletKind.SPOT, new SolvencyAudit.ProductAnswer(holdings, Set.copyOf(spotApplied)));
        return SolvencyAudit.audit(risk.auditBase(), answers);
    }

    private SolvencyAudit.AssetLine usdt(SolvencyAudit.Result r) {
        return r.assets().stream().filter(a -> a.asset().equals("USDT")).findFirst().orElseThrow();
    }

    private void assertBalanced(long inFlight) {
        SolvencyAudit.Result r = audit();
        assertTrue(r.balanced(), r.toString());
        assertEquals(inFlight, usdt(r).inFlight(), r.toString());
    }

    @Test
    void exactThroughEveryStepOfTransfersBothWays() {
        account = risk.createAccount(now, "a").value().id();
        assertTrue(risk.deposit(now, "d1", account, "USDT", 1_000).value().applied());
        assertTrue(risk.withdraw(now, "w1", account, "USDT", 100).value().applied());
        assertBalanced(0);

        // FUNDING -> SPOT 300: intent, funding debited, spot credited (not yet journaled by risk), recorded.
        risk.createTransfer(now, "t1", account, "USDT", 300, WalletKind.FUNDING, WalletKind.SPOT);
        assertBalanced(0);
        risk.applyLocalStep(now, "t1", TransferStep.DEBIT_SOURCE);
        assertBalanced(300);
        spotUsdt += 300;
        spotApplied.add("t1:credit");
        assertBalanced(0);
        risk.applyRemoteStep(now, "t1", TransferStep.CREDIT_DESTINATION, true, "");
        assertBalanced(0);
        assertEquals(0, audit().transfersInFlight());

        // SPOT -> FUNDING 120: spot debited before risk journals it, then funding credited.
        risk.createTransfer(now, "t2", account, "USDT", 120, WalletKind.SPOT, WalletKind.FUNDING);
        spotUsdt -= 120;
        spotApplied.add("t2:debit");
        assertBalanced(120);
        risk.applyRemoteStep(now, "t2", TransferStep.DEBIT_SOURCE, true, "");
        assertBalanced(120);
        risk.applyLocalStep(now, "t2", TransferStep.CREDIT_DESTINATION);
        assertBalanced(0);

        // FUNDING -> SPOT refused by spot: refunded to funding.
        risk.createTransfer(now, "t3", account, "USDT", 50, WalletKind.FUNDING, WalletKind.SPOT);
        risk.applyLocalStep(now, "t3", TransferStep.DEBIT_SOURCE);
        risk.applyRemoteStep(now, "t3", TransferStep.CREDIT_DESTINATION, false, "REFUSED");
        assertBalanced(50);
        risk.applyLocalStep(now, "t3", TransferStep.REFUND_SOURCE);
        assertBalanced(0);
    }

    @Test
    void moneyMovedBehindTheLedgersBackIsTheDifference() {
        account = risk.createAccount(now, "a").value().id();
        risk.deposit(now, "d1", account, "USDT", 1_000);
        spotUsdt += 17; // credited in spot with no transfer behind it
        SolvencyAudit.Result r = audit();
        assertTrue(r.complete());
        assertFalse(r.balanced());
        assertEquals(17, usdt(r).difference());
        assertEquals(1_017, usdt(r).funding() + usdt(r).products().get(WalletKind.SPOT).total());
    }

    @Test
    void aProductThatDoesNotAnswerMakesTheAuditIncomplete() {
        account = risk.createAccount(now, "a").value().id();
        risk.deposit(now, "d1", account, "USDT", 1_000);
        Map<WalletKind, SolvencyAudit.ProductAnswer> answers = new EnumMap<>(WalletKind.class);
        answers.put(WalletKind.SPOT, null);
        SolvencyAudit.Result r = SolvencyAudit.audit(risk.auditBase(), answers);
        assertFalse(r.complete());
        assertFalse(r.balanced());
        assertEquals(java.util.List.of(WalletKind.SPOT), r.missing());
    }
}
