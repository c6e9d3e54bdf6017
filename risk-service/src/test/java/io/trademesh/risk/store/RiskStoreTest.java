package io.trademesh.risk.store;

import io.trademesh.platform.engine.Outcome;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.trademesh.platform.engine.CommandShard;
import io.trademesh.platform.store.JournalStore;
import io.trademesh.platform.store.RecoveryResult;
import io.trademesh.platform.store.Snapshot;
import io.trademesh.proto.journal.JournalRecord;
import io.trademesh.proto.risk.AccountLimits;
import io.trademesh.proto.risk.CreateAccountRequest;
import io.trademesh.proto.risk.FundingRequest;
import io.trademesh.proto.risk.IndexPrice;
import io.trademesh.proto.risk.LocalTransferStep;
import io.trademesh.proto.risk.Permission;
import io.trademesh.proto.risk.RemoteTransferStep;
import io.trademesh.proto.risk.RiskCommand;
import io.trademesh.proto.risk.SetIndexPriceRequest;
import io.trademesh.proto.risk.SetLimitsRequest;
import io.trademesh.proto.risk.StoreApiKey;
import io.trademesh.proto.risk.SuspendAccountRequest;
import io.trademesh.proto.risk.TransferRequest;
import io.trademesh.proto.risk.TransferStep;
import io.trademesh.proto.wallet.Wallet;
import io.trademesh.risk.api.RiskShard;
import io.trademesh.risk.engine.ApiKeyRecord;
import io.trademesh.risk.engine.TransferState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live path against a real RocksDB: commands through the platform's single writer into
 * the journal, a snapshot in the middle, then recovery into a fresh state machine gives the
 * same snapshot bytes (from the snapshot + tail, and from the journal alone); an API key's
 * secret is in neither the journal nor the snapshot, and opens back from what is stored.
 */
class RiskStoreTest {

    @TempDir
    Path dir;

    private Vertx vertx;
    private final SecretBox box = new SecretBox(new byte[32], new SecureRandom());
    private final String secret = HexFormat.of().formatHex(new byte[] {(byte) 0xde, (byte) 0xad, 1, 2, 3, 4, 5, 6,
            7, 8, 9, 10, 11, 12, 13, 14});

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void tearDown() throws Exception {
        await(vertx.close());
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    private static RiskCommand funding(boolean deposit, String op, long account, String asset, long amount) {
        FundingRequest f = FundingRequest.newBuilder().setOperationId(op).setAccountId(account).setAsset(asset)
                .setAmount(amount).build();
        return deposit ? RiskCommand.newBuilder().setDeposit(f).build() : RiskCommand.newBuilder().setWithdraw(f)
                .build();
    }

    private List<RiskCommand> firstHalf() {
        List<RiskCommand> c = new ArrayList<>();
        c.add(RiskCommand.newBuilder().setCreateAccount(CreateAccountRequest.newBuilder().setName("alice")).build());
        c.add(RiskCommand.newBuilder().setCreateAccount(CreateAccountRequest.newBuilder().setName("bob")).build());
        c.add(RiskCommand.newBuilder().setCreateApiKey(StoreApiKey.newBuilder().setApiKey("0123456789abcdef01234567")
                .setAccountId(1).addPermissions(Permission.PERMISSION_READ).addPermissions(Permission.PERMISSION_TRADE)
                .addIpAllowlist("192.168.0.0/16").setLabel("bot")
                .setSealedSecret(ByteString.copyFrom(box.seal("0123456789abcdef01234567", secret)))).build());
        c.add(funding(true, "d1", 1, "USDT", 10_000));
        c.add(funding(true, "d1", 1, "USDT", 10_000));
        c.add(funding(false, "w1", 1, "USDT", 50_000));
        c.add(RiskCommand.newBuilder().setCreateTransfer(TransferRequest.newBuilder().setTransferId("t1")
                .setAccountId(1).setAsset("USDT").setAmount(4_000).setFrom(Wallet.WALLET_FUNDING)
                .setTo(Wallet.WALLET_SPOT)).build());
        c.add(RiskCommand.newBuilder().setLocalTransferStep(LocalTransferStep.newBuilder().setTransferId("t1")
                .setStep(TransferStep.TRANSFER_STEP_DEBIT_SOURCE)).build());
        return c;
    }

    private List<RiskCommand> secondHalf() {
        List<RiskCommand> c = new ArrayList<>();
        c.add(RiskCommand.newBuilder().setRemoteTransferStep(RemoteTransferStep.newBuilder().setTransferId("t1")
                .setStep(TransferStep.TRANSFER_STEP_CREDIT_DESTINATION).setApplied(false)
                .setRejectReason("UNKNOWN_ASSET")).build());
        c.add(RiskCommand.newBuilder().setCreateTransfer(TransferRequest.newBuilder().setTransferId("t2")
                .setAccountId(2).setAsset("BTC").setAmount(3).setFrom(Wallet.WALLET_SPOT)
                .setTo(Wallet.WALLET_FUNDING)).build());
        c.add(RiskCommand.newBuilder().setSuspendAccount(SuspendAccountRequest.newBuilder().setAccountId(2)
                .setSuspended(true)).build());
        c.add(RiskCommand.newBuilder().setSetLimits(SetLimitsRequest.newBuilder().setLimits(AccountLimits
                .newBuilder().setAccountId(1).setMaxOpenOrders(5).setKillSwitch(true))).build());
        c.add(RiskCommand.newBuilder().setSetIndexPrice(SetIndexPriceRequest.newBuilder().setPrice(IndexPrice
                .newBuilder().setAsset("BTC").setQuote("USDT").setPrice(3_000_000).setPriceScale(2))).build());
        c.add(funding(false, "w2", 1, "USDT", 1_000));
        return c;
    }

    @Test
    void recoveryReplaysToTheSameBytesAndTheSecretIsNeverStoredInClear() throws Exception {
        Path data = dir.resolve("data");
        RiskStateMachine live = new RiskStateMachine();
        byte[] liveState;
        byte[] midSnapshot;
        try (JournalStore store = JournalStore.open("risk-service", data, new SimpleMeterRegistry())) {
            store.recover(live);
            CommandShard<RiskStateMachine, RiskCommand, Outcome> shard =
                    RiskShard.create(vertx, vertx.getOrCreateContext(), live, store, p -> { });
            for (RiskCommand c : firstHalf()) {
                await(shard.submit(c));
            }
            Snapshot mid = await(shard.snapshot(RiskStateMachine::snapshot));
            await(store.writeSnapshot(mid));
            midSnapshot = mid.state();
            List<Outcome> outcomes = new ArrayList<>();
            for (RiskCommand c : secondHalf()) {
                outcomes.add(await(shard.submit(c)));
            }
            assertEquals(1, outcomes.get(3).events().size(), "limits go out on risk.control");
            assertTrue(outcomes.get(4).reply() instanceof io.trademesh.proto.risk.IndexPrice, "the operator price");
            liveState = await(shard.snapshot(RiskStateMachine::snapshot)).state();
            await(shard.stop());
        }
        TransferState t1 = live.engine().transfer("t1").state();
        assertEquals(TransferState.REFUNDING, t1);
        assertEquals(5_000, live.engine().fundingBalance(1, "USDT"));

        // From the snapshot and the journal after it.
        RiskStateMachine recovered = new RiskStateMachine();
        List<JournalRecord> journaled = new ArrayList<>();
        try (JournalStore store = JournalStore.open("risk-service", data, new SimpleMeterRegistry())) {
            RecoveryResult r = store.recover(recovered);
            assertEquals(8, r.snapshotSequence());
            assertEquals(6, r.replayed());
            store.forEachJournalValue(1, (seq, record) -> journaled.add(record));
        }
        assertArrayEquals(liveState, recovered.snapshot(14).state());
        assertEquals(14, journaled.size());

        // From the journal alone, replayed into a fresh machine.
        RiskStateMachine replayed = new RiskStateMachine();
        for (JournalRecord record : journaled) {
            replayed.replay(record);
        }
        assertArrayEquals(liveState, replayed.snapshot(14).state());

        // The secret is not in the journal nor in any snapshot, in hex or in raw bytes.
        byte[] hex = secret.getBytes(StandardCharsets.UTF_8);
        byte[] raw = HexFormat.of().parseHex(secret);
        for (JournalRecord record : journaled) {
            byte[] command = record.toByteArray();
            assertFalse(contains(command, hex) || contains(command, raw), "journal holds the secret");
        }
        for (byte[] state : List.of(midSnapshot, liveState)) {
            assertFalse(contains(state, hex) || contains(state, raw), "snapshot holds the secret");
        }
        // ... but it opens back from what is stored, for that key id only.
        ApiKeyRecord key = recovered.engine().apiKey("0123456789abcdef01234567");
        assertEquals(secret, box.open(key.keyId(), key.sealedSecret()));
        assertThrows(GeneralSecurityException.class, () -> box.open("ffffffffffffffffffffffff", key.sealedSecret()));
        assertTrue(contains(midSnapshot, key.sealedSecret()), "the sealed secret is what the snapshot keeps");
    }

    @Test
    void replayingTheSameJournalTwiceGivesTheSameBytes() throws Exception {
        Path data = dir.resolve("again");
        RiskStateMachine live = new RiskStateMachine();
        try (JournalStore store = JournalStore.open("risk-service", data, new SimpleMeterRegistry())) {
            store.recover(live);
            CommandShard<RiskStateMachine, RiskCommand, Outcome> shard =
                    RiskShard.create(vertx, vertx.getOrCreateContext(), live, store, p -> { });
            List<RiskCommand> all = new ArrayList<>(firstHalf());
            all.addAll(secondHalf());
            for (RiskCommand c : all) {
                await(shard.submit(c));
            }
            await(shard.stop());
        }
        byte[] liveBytes = live.snapshot(14).state();
        for (int i = 0; i < 2; i++) {
            RiskStateMachine fresh = new RiskStateMachine();
            try (JournalStore store = JournalStore.open("risk-service", data, new SimpleMeterRegistry())) {
                assertEquals(14, store.recover(fresh).replayed());
            }
            assertArrayEquals(liveBytes, fresh.snapshot(14).state());
        }
    }

    static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
