package io.trademesh.risk.api;

import io.trademesh.risk.store.ProtoMapping;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trademesh.proto.risk.CreateAccountRequest;
import io.trademesh.proto.risk.FundingRequest;
import io.trademesh.proto.risk.LocalTransferStep;
import io.trademesh.proto.risk.RemoteTransferStep;
import io.trademesh.proto.risk.RiskCommand;
import io.trademesh.proto.risk.TransferRequest;
import io.trademesh.proto.wallet.Wallet;
import io.trademesh.proto.journal.JournalRecord;
import io.trademesh.risk.engine.RiskEngine;
import io.trademesh.risk.engine.Transfer;
import io.trademesh.risk.engine.TransferStep;
import io.trademesh.risk.engine.WalletKind;
import io.trademesh.risk.store.RiskStateMachine;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Random scripts of deposits, withdrawals, transfers both ways (some too large, some in an
 * asset spot does not know), transfer steps taken in any order, spot answers that get lost
 * and are asked again: at every quiet moment and after settling, for every asset, funding
 * wallets + spot wallets + transfers in flight = deposits - withdrawals; every transfer ends
 * COMPLETED, FAILED or REFUNDED; and replaying the journal into a fresh state machine gives
 * the same snapshot bytes.
 */
class TransferConservationProperties {

    private static final String[] ASSETS = {"USDT", "BTC", "DOGE"};
    private static final Set<String> SPOT_ASSETS = Set.of("USDT", "BTC");
    private static final int ACCOUNTS = 3;

    /** spot-service's wallet semantics: idempotent by wallet transfer id, unknown assets refused. */
    static final class SimulatedSpot {
        record Answer(boolean applied, String reason) {
        }

        private final Map<String, Long> wallets = new HashMap<>();
        private final Map<String, Answer> seen = new HashMap<>();

        Answer apply(String id, boolean credit, long account, String asset, long amount) {
            Answer before = seen.get(id);
            if (before != null) {
                return before;
            }
            String key = account + "/" + asset;
            long balance = wallets.getOrDefault(key, 0L);
            Answer a;
            if (!SPOT_ASSETS.contains(asset)) {
                a = new Answer(false, "UNKNOWN_ASSET");
            } else if (!credit && balance < amount) {
                a = new Answer(false, "INSUFFICIENT_FUNDS");
            } else {
                wallets.put(key, credit ? balance + amount : balance - amount);
                a = new Answer(true, "");
            }
            seen.put(id, a);
            return a;
        }

        long total(String asset) {
            long sum = 0;
            for (Map.Entry<String, Long> e : wallets.entrySet()) {
                if (e.getKey().endsWith("/" + asset)) {
                    sum += e.getValue();
                }
            }
            return sum;
        }
    }

    /** One try: its own journal, engine and spot. */
    private static final class Scenario {
        private final List<JournalRecord> journal = new ArrayList<>();
        private final RiskStateMachine live = new RiskStateMachine();
        private final SimulatedSpot spot = new SimulatedSpot();
        private final Set<String> lostAnswers = new HashSet<>();
        private long now = 1_700_000_000_000L;
        private int ids;

        private void submit(RiskCommand command) {
            now += 7;
            journal.add(JournalRecord.newBuilder().setSequence(journal.size() + 1).setTimestampMicros(now * 1000)
                    .setCommand(command.toByteString()).build());
            live.apply(now, command, true);
        }

        /** Takes the next step of {@code t}; with {@code lose}, spot applies it but the answer never arrives. */
        private void step(Transfer t, boolean lose) {
            TransferStep step = t.nextStep();
            if (t.walletOf(step) == WalletKind.FUNDING) {
                submit(RiskCommand.newBuilder().setLocalTransferStep(LocalTransferStep.newBuilder()
                        .setTransferId(t.id()).setStep(ProtoMapping.step(step))).build());
                return;
            }
            SimulatedSpot.Answer a = spot.apply(t.walletTransferId(step), step != TransferStep.DEBIT_SOURCE,
                    t.accountId(), t.asset(), t.amount());
            if (lose) {
                lostAnswers.add(t.id());
                return;
            }
            lostAnswers.remove(t.id());
            submit(RiskCommand.newBuilder().setRemoteTransferStep(RemoteTransferStep.newBuilder()
                    .setTransferId(t.id()).setStep(ProtoMapping.step(step)).setApplied(a.applied())
                    .setRejectReason(a.reason())).build());
        }

        private void checkConservation() {
            RiskEngine e = live.engine();
            for (String asset : ASSETS) {
                assertEquals(e.deposited(asset) - e.withdrawn(asset),
                        e.fundingTotal(asset) + spot.total(asset) + e.inFlight(asset), asset);
            }
        }

        void run(List<Integer> script) throws Exception {
            for (int i = 0; i < ACCOUNTS; i++) {
                submit(RiskCommand.newBuilder().setCreateAccount(CreateAccountRequest.newBuilder().setName("a" + i))
                        .build());
            }
            for (int x : script) {
                int kind = x % 6;
                long account = (x / 6) % ACCOUNTS + 1;
                String asset = ASSETS[(x / 18) % ASSETS.length];
                long amount = (x / 54) % 400 + 1;
                switch (kind) {
                    case 0 -> submit(RiskCommand.newBuilder().setDeposit(FundingRequest.newBuilder()
                            .setOperationId("op-" + (x % 50)).setAccountId(account).setAsset(asset)
                            .setAmount(amount * 3)).build());
                    case 1 -> submit(RiskCommand.newBuilder().setWithdraw(FundingRequest.newBuilder()
                            .setOperationId("wd-" + ids++).setAccountId(account).setAsset(asset).setAmount(amount))
                            .build());
                    case 2, 3 -> submit(RiskCommand.newBuilder().setCreateTransfer(TransferRequest.newBuilder()
                            .setTransferId((x % 7 == 0 && ids > 0) ? "t-" + (ids - 1) : "t-" + ids++)
                            .setAccountId(account).setAsset(asset).setAmount(amount)
                            .setFrom(kind == 2 ? Wallet.WALLET_FUNDING : Wallet.WALLET_SPOT)
                            .setTo(kind == 2 ? Wallet.WALLET_SPOT : Wallet.WALLET_FUNDING)).build());
                    default -> {
                        List<Transfer> open = live.engine().unfinishedTransfers(Integer.MAX_VALUE);
                        if (!open.isEmpty()) {
                            step(open.get((x / 6) % open.size()), kind == 5 && (x / 36) % 3 == 0);
                        }
                    }
                }
                if (lostAnswers.isEmpty()) {
                    checkConservation();
                }
            }
            // Settle: the driver takes every remaining step, asking spot again for lost answers.
            for (int round = 0; round < 4; round++) {
                for (Transfer t : live.engine().unfinishedTransfers(Integer.MAX_VALUE)) {
                    step(t, false);
                }
            }
            assertEquals(0, live.engine().unfinishedCount());
            assertTrue(lostAnswers.isEmpty());
            for (Transfer t : live.engine().transfers(RiskEngine.FEE_ACCOUNT, Integer.MAX_VALUE)) {
                assertTrue(t.state().terminal(), t.toString());
            }
            checkConservation();

            RiskStateMachine replayed = new RiskStateMachine();
            for (JournalRecord r : journal) {
                replayed.replay(r);
            }
            assertArrayEquals(live.snapshot(journal.size()).state(), replayed.snapshot(journal.size()).state());
        }
    }

    @Property(tries = 150)
    void moneyIsConservedEveryTransferEndsAndReplayIsDeterministic(
            @ForAll @Size(max = 80) List<@IntRange(min = 0, max = Integer.MAX_VALUE) Integer> script) throws Exception {
        new Scenario().run(script);
    }
}
