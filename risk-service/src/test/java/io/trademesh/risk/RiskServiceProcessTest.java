package io.trademesh.risk;

import io.trademesh.proto.trading.OrderEntryGrpcClient;
import static io.trademesh.risk.MeshFixture.BTC;
import static io.trademesh.risk.MeshFixture.PRICE;
import static io.trademesh.risk.MeshFixture.USDT;
import static io.trademesh.risk.MeshFixture.next;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trademesh.proto.common.Balance;
import io.trademesh.proto.common.Side;
import io.trademesh.proto.risk.Account;
import io.trademesh.proto.risk.AccountLimits;
import io.trademesh.proto.risk.AccountStatus;
import io.trademesh.proto.risk.ApiKey;
import io.trademesh.proto.risk.AuthKeyReply;
import io.trademesh.proto.risk.AuthKeyRequest;
import io.trademesh.proto.risk.CreateAccountRequest;
import io.trademesh.proto.risk.CreateApiKeyReply;
import io.trademesh.proto.risk.CreateApiKeyRequest;
import io.trademesh.proto.risk.ListIndexPricesRequest;
import io.trademesh.proto.risk.FundingReply;
import io.trademesh.proto.risk.FundingRequest;
import io.trademesh.proto.risk.GetAccountRequest;
import io.trademesh.proto.risk.GetIndexPriceRequest;
import io.trademesh.proto.risk.GetTransferRequest;
import io.trademesh.proto.risk.IndexPrice;
import io.trademesh.proto.risk.ListAccountsRequest;
import io.trademesh.proto.risk.ListApiKeysRequest;
import io.trademesh.proto.risk.ListTransfersRequest;
import io.trademesh.proto.risk.Permission;
import io.trademesh.proto.risk.Portfolio;
import io.trademesh.proto.risk.PortfolioRequest;
import io.trademesh.proto.risk.RevokeApiKeyRequest;
import io.trademesh.proto.risk.RiskControl;
import io.trademesh.proto.risk.RiskServiceGrpcClient;
import io.trademesh.proto.risk.SetIndexPriceRequest;
import io.trademesh.proto.risk.SetLimitsRequest;
import io.trademesh.proto.risk.SuspendAccountRequest;
import io.trademesh.proto.risk.Transfer;
import io.trademesh.proto.risk.TransferRequest;
import io.trademesh.proto.risk.TransferState;
import io.trademesh.proto.wallet.Wallet;
import io.trademesh.proto.risk.WalletBalances;
import io.trademesh.platform.store.JournalStore;
import io.trademesh.platform.store.StateMachine;
import io.trademesh.proto.journal.JournalRecord;
import io.trademesh.proto.risk.AssetAudit;
import io.trademesh.proto.risk.AuditReport;
import io.trademesh.proto.risk.AuditRequest;
import io.trademesh.proto.spot.SpotCommand;
import io.trademesh.proto.wallet.WalletTransferRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.trademesh.proto.wallet.BalanceList;
import io.trademesh.proto.wallet.WalletServiceGrpcClient;
import io.trademesh.proto.wallet.BalancesRequest;
import io.trademesh.proto.spot.CreateMarketRequest;
import io.trademesh.proto.trading.PlaceOrderRequest;
import io.trademesh.proto.spot.SpotServiceGrpcClient;
import io.vertx.grpc.common.GrpcStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * risk-service and spot-service as their own JVMs in one cluster with this test: the API
 * RPC by RPC, transfers both ways with spot's real wallets, the portfolio, index prices
 * from spot's book and the operator, limits on risk.control; then a stream of transfers
 * while risk-service and spot-service are each SIGKILLed and restarted: every transfer ends
 * COMPLETED, FAILED or REFUNDED once, and every asset adds up.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RiskServiceProcessTest {

    private MeshFixture mesh;

    @BeforeAll
    void startMesh(@TempDir Path dir) throws Exception {
        mesh = new MeshFixture(dir);
        assertEquals("BTC-USDT", mesh.spot(SpotServiceGrpcClient.CreateMarket, CreateMarketRequest.newBuilder()
                .setMarket(MeshFixture.btcUsdt()).build()).getLocation().getMarket());
    }

    @AfterAll
    void stopMesh() throws Exception {
        if (mesh != null) {
            mesh.stop();
        }
    }

    private long account(String name) throws Exception {
        return mesh.risk(RiskServiceGrpcClient.CreateAccount, CreateAccountRequest.newBuilder().setName(name).build())
                .getAccountId();
    }

    private static FundingRequest funding(String op, long account, String asset, long amount) {
        return FundingRequest.newBuilder().setOperationId(op).setAccountId(account).setAsset(asset).setAmount(amount)
                .build();
    }

    private static TransferRequest transfer(String id, long account, String asset, long amount, Wallet from,
                                            Wallet to) {
        return TransferRequest.newBuilder().setTransferId(id).setAccountId(account).setAsset(asset)
                .setAmount(amount).setFrom(from).setTo(to).build();
    }

    private static long balance(WalletBalances w, String asset) {
        return w.getBalancesList().stream().filter(b -> b.getAsset().equals(asset)).mapToLong(Balance::getAvailable)
                .findFirst().orElse(0);
    }

    private Portfolio portfolio(long account) throws Exception {
        Portfolio p = mesh.risk(RiskServiceGrpcClient.GetPortfolio, PortfolioRequest.newBuilder()
                .setAccountId(account).build());
        assertEquals(Wallet.WALLET_FUNDING, p.getWallets(0).getWallet());
        assertEquals(Wallet.WALLET_SPOT, p.getWallets(1).getWallet());
        return p;
    }

    @Test
    @Order(1)
    void accountsKeysFundingTransfersPortfolioPricesAndLimits() throws Exception {
        BlockingQueue<IndexPrice> btcPrices = mesh.listen("price.BTC", IndexPrice::parseFrom);
        BlockingQueue<RiskControl> control = mesh.listen("risk.control", RiskControl::parseFrom);

        // ---- accounts
        long alice = account("alice");
        long bob = account("bob");
        assertTrue(alice >= 1 && bob == alice + 1);
        Account got = mesh.risk(RiskServiceGrpcClient.GetAccount, GetAccountRequest.newBuilder().setAccountId(alice)
                .build());
        assertEquals("alice", got.getName());
        assertEquals(AccountStatus.ACCOUNT_STATUS_ACTIVE, got.getStatus());
        assertTrue(mesh.risk(RiskServiceGrpcClient.ListAccounts, ListAccountsRequest.getDefaultInstance())
                .getAccountsList().stream().map(Account::getAccountId).toList().containsAll(List.of(alice, bob)));
        mesh.riskRefuses(RiskServiceGrpcClient.CreateAccount, CreateAccountRequest.newBuilder().setName("").build(),
                GrpcStatus.INVALID_ARGUMENT, "INVALID_NAME");
        mesh.riskRefuses(RiskServiceGrpcClient.GetAccount, GetAccountRequest.newBuilder().setAccountId(9_999).build(),
                GrpcStatus.NOT_FOUND, "UNKNOWN_ACCOUNT");
        mesh.riskRefuses(RiskServiceGrpcClient.GetAccount, GetAccountRequest.newBuilder().setAccountId(0).build(),
                GrpcStatus.INVALID_ARGUMENT, "INVALID_ACCOUNT");

        // ---- API keys: the secret once in the reply, decrypted for the gateway, never stored in clear
        CreateApiKeyReply created = mesh.risk(RiskServiceGrpcClient.CreateApiKey, CreateApiKeyRequest.newBuilder()
                .setAccountId(alice).addPermissions(Permission.PERMISSION_READ)
                .addPermissions(Permission.PERMISSION_TRADE).addIpAllowlist("10.0.0.0/8").setLabel("bot").build());
        String keyId = created.getKey().getApiKey();
        String secret = created.getSecret();
        assertTrue(keyId.matches("[0-9a-f]{24}"), keyId);
        assertTrue(secret.matches("[0-9a-f]{64}"), "32 random bytes, hex");
        AuthKeyReply auth = mesh.risk(RiskServiceGrpcClient.GetAuthKey, AuthKeyRequest.newBuilder().setApiKey(keyId)
                .build());
        assertEquals(secret, auth.getSecret());
        assertEquals(alice, auth.getKey().getAccountId());
        assertEquals(List.of(Permission.PERMISSION_READ, Permission.PERMISSION_TRADE),
                auth.getKey().getPermissionsList());
        assertEquals(AccountStatus.ACCOUNT_STATUS_ACTIVE, auth.getAccountStatus());
        List<ApiKey> keys = mesh.risk(RiskServiceGrpcClient.ListApiKeys, ListApiKeysRequest.newBuilder()
                .setAccountId(alice).build()).getKeysList();
        assertEquals(List.of(created.getKey()), keys);
        mesh.riskRefuses(RiskServiceGrpcClient.CreateApiKey, CreateApiKeyRequest.newBuilder().setAccountId(alice)
                .addPermissions(Permission.PERMISSION_READ).addIpAllowlist("example.com").build(),
                GrpcStatus.INVALID_ARGUMENT, "INVALID_IP_ALLOWLIST");
        mesh.riskRefuses(RiskServiceGrpcClient.CreateApiKey, CreateApiKeyRequest.newBuilder().setAccountId(alice)
                .build(), GrpcStatus.INVALID_ARGUMENT, "INVALID_PERMISSION");
        assertTrue(mesh.risk(RiskServiceGrpcClient.RevokeApiKey, RevokeApiKeyRequest.newBuilder().setApiKey(keyId)
                .build()).getRevoked());
        mesh.riskRefuses(RiskServiceGrpcClient.GetAuthKey, AuthKeyRequest.newBuilder().setApiKey(keyId).build(),
                GrpcStatus.FAILED_PRECONDITION, "API_KEY_REVOKED");
        mesh.riskRefuses(RiskServiceGrpcClient.GetAuthKey, AuthKeyRequest.newBuilder()
                .setApiKey("000000000000000000000000").build(), GrpcStatus.NOT_FOUND, "UNKNOWN_API_KEY");

        // ---- funding wallet: idempotent by operation id; a refused withdrawal changes nothing
        FundingReply dep = mesh.risk(RiskServiceGrpcClient.Deposit, funding("a-usdt", alice, "USDT", 100_000 * USDT));
        assertTrue(dep.getApplied());
        assertEquals(100_000 * USDT, dep.getBalance().getAvailable());
        FundingReply again = mesh.risk(RiskServiceGrpcClient.Deposit, funding("a-usdt", alice, "USDT", 100_000 * USDT));
        assertTrue(again.getDuplicate());
        assertEquals(100_000 * USDT, again.getBalance().getAvailable());
        assertTrue(mesh.risk(RiskServiceGrpcClient.Deposit, funding("a-btc", alice, "BTC", 2 * BTC)).getApplied());
        FundingReply refused = mesh.risk(RiskServiceGrpcClient.Withdraw, funding("a-w1", alice, "BTC", 3 * BTC));
        assertFalse(refused.getApplied());
        assertEquals("INSUFFICIENT_FUNDS", refused.getRejectReason());
        assertEquals(2 * BTC, refused.getBalance().getAvailable());
        FundingReply withdrawn = mesh.risk(RiskServiceGrpcClient.Withdraw, funding("a-w2", alice, "USDT", 1_000 * USDT));
        assertTrue(withdrawn.getApplied());
        mesh.riskRefuses(RiskServiceGrpcClient.Deposit, funding("x-1", 9_999, "USDT", 1),
                GrpcStatus.NOT_FOUND, "UNKNOWN_ACCOUNT");
        mesh.riskRefuses(RiskServiceGrpcClient.Deposit, funding("x-2", alice, "usdt", 1),
                GrpcStatus.INVALID_ARGUMENT, "INVALID_ASSET");
        mesh.riskRefuses(RiskServiceGrpcClient.Deposit, funding("a-usdt", alice, "USDT", 5),
                GrpcStatus.ALREADY_EXISTS, "OPERATION_ID_CONFLICT");

        // ---- transfers with spot's real wallets, both ways
        Transfer toSpot = mesh.risk(RiskServiceGrpcClient.CreateTransfer,
                transfer("p-1", alice, "USDT", 40_000 * USDT, Wallet.WALLET_FUNDING, Wallet.WALLET_SPOT));
        assertEquals(TransferState.TRANSFER_STATE_COMPLETED, toSpot.getState(), toSpot.toString());
        assertEquals(TransferState.TRANSFER_STATE_COMPLETED, mesh.risk(RiskServiceGrpcClient.CreateTransfer,
                transfer("p-2", alice, "BTC", BTC, Wallet.WALLET_FUNDING, Wallet.WALLET_SPOT)).getState());
        Transfer back = mesh.risk(RiskServiceGrpcClient.CreateTransfer,
                transfer("p-3", alice, "USDT", 15_000 * USDT, Wallet.WALLET_SPOT, Wallet.WALLET_FUNDING));
        assertEquals(TransferState.TRANSFER_STATE_COMPLETED, back.getState());
        Transfer repeated = mesh.risk(RiskServiceGrpcClient.CreateTransfer,
                transfer("p-3", alice, "USDT", 15_000 * USDT, Wallet.WALLET_SPOT, Wallet.WALLET_FUNDING));
        assertEquals(back, repeated, "the same id answers the same transfer and moves nothing");
        Transfer tooMuch = mesh.risk(RiskServiceGrpcClient.CreateTransfer,
                transfer("p-4", alice, "BTC", 5 * BTC, Wallet.WALLET_SPOT, Wallet.WALLET_FUNDING));
        assertEquals(TransferState.TRANSFER_STATE_FAILED, tooMuch.getState());
        assertEquals("INSUFFICIENT_FUNDS", tooMuch.getReason());
        // Spot does not know DOGE: its credit is refused and the funding wallet gets the money back.
        assertTrue(mesh.risk(RiskServiceGrpcClient.Deposit, funding("a-doge", alice, "DOGE", 500)).getApplied());
        Transfer refunded = mesh.risk(RiskServiceGrpcClient.CreateTransfer,
                transfer("p-5", alice, "DOGE", 200, Wallet.WALLET_FUNDING, Wallet.WALLET_SPOT));
        assertEquals(TransferState.TRANSFER_STATE_REFUNDED, refunded.getState());
        assertEquals("UNKNOWN_ASSET", refunded.getReason());
        mesh.riskRefuses(RiskServiceGrpcClient.CreateTransfer,
                transfer("p-7", alice, "USDT", 1, Wallet.WALLET_SPOT, Wallet.WALLET_SPOT),
                GrpcStatus.INVALID_ARGUMENT, "INVALID_TRANSFER");
        mesh.riskRefuses(RiskServiceGrpcClient.CreateTransfer,
                transfer("p:8", alice, "USDT", 1, Wallet.WALLET_FUNDING, Wallet.WALLET_SPOT),
                GrpcStatus.INVALID_ARGUMENT, "INVALID_TRANSFER_ID");
        mesh.riskRefuses(RiskServiceGrpcClient.GetTransfer, GetTransferRequest.newBuilder().setTransferId("p-1")
                .setAccountId(bob).build(), GrpcStatus.NOT_FOUND, "UNKNOWN_TRANSFER");
        assertEquals(toSpot.getTransferId(), mesh.risk(RiskServiceGrpcClient.GetTransfer, GetTransferRequest
                .newBuilder().setTransferId("p-1").setAccountId(alice).build()).getTransferId());
        // Transfer ids are per account: bob's "p-1" is his own transfer, and alice's stays hers.
        assertTrue(mesh.risk(RiskServiceGrpcClient.Deposit, funding("b-usdt-2", bob, "USDT", 7 * USDT)).getApplied());
        Transfer bobs = mesh.risk(RiskServiceGrpcClient.CreateTransfer,
                transfer("p-1", bob, "USDT", 7 * USDT, Wallet.WALLET_FUNDING, Wallet.WALLET_SPOT));
        assertEquals(TransferState.TRANSFER_STATE_COMPLETED, bobs.getState(), bobs.toString());
        assertEquals(bob, bobs.getAccountId());
        assertEquals("p-1", bobs.getTransferId());
        assertEquals(toSpot, mesh.risk(RiskServiceGrpcClient.GetTransfer, GetTransferRequest.newBuilder()
                .setTransferId("p-1").setAccountId(alice).build()));
        assertEquals(List.of("p-5", "p-4", "p-3", "p-2", "p-1"), mesh.risk(RiskServiceGrpcClient.ListTransfers,
                ListTransfersRequest.newBuilder().setAccountId(alice).build()).getTransfersList().stream()
                .map(Transfer::getTransferId).toList());

        // ---- the portfolio: funding (local) and spot (spot's wallet contract: Balances)
        Portfolio p = portfolio(alice);
        assertTrue(p.getWallets(0).getAvailable() && p.getWallets(1).getAvailable());
        assertEquals((100_000 - 1_000 - 40_000 + 15_000) * USDT, balance(p.getWallets(0), "USDT"));
        assertEquals(BTC, balance(p.getWallets(0), "BTC"));
        assertEquals(500, balance(p.getWallets(0), "DOGE"));
        assertEquals(25_000 * USDT, balance(p.getWallets(1), "USDT"));
        assertEquals(BTC, balance(p.getWallets(1), "BTC"));
        assertEquals(0, balance(p.getWallets(1), "DOGE"));

        // ---- index price from spot's book: mid of best bid and ask
        mesh.spot(OrderEntryGrpcClient.PlaceOrder, PlaceOrderRequest.newBuilder().setAccountId(alice)
                .setMarket("BTC-USDT").setSide(Side.SIDE_BUY).setPrice(30_000 * PRICE).setQuantity(BTC / 10).build());
        mesh.spot(OrderEntryGrpcClient.PlaceOrder, PlaceOrderRequest.newBuilder().setAccountId(alice)
                .setMarket("BTC-USDT").setSide(Side.SIDE_SELL).setPrice(31_000 * PRICE).setQuantity(BTC / 10).build());
        IndexPrice fromBook = next(btcPrices, ip -> ip.getPrice() == 30_500 * PRICE, 15);
        assertEquals("spot:BTC-USDT", fromBook.getSource());
        assertEquals("USDT", fromBook.getQuote());
        assertEquals(2, fromBook.getPriceScale());
        assertTrue(mesh.risk(RiskServiceGrpcClient.ListIndexPrices, ListIndexPricesRequest.getDefaultInstance()).getPricesList()
                .contains(fromBook));

        // ---- the operator's price wins while fresh
        IndexPrice set = mesh.risk(RiskServiceGrpcClient.SetIndexPrice, SetIndexPriceRequest.newBuilder()
                .setPrice(IndexPrice.newBuilder().setAsset("BTC").setQuote("USDT").setPrice(32_000 * PRICE)
                        .setPriceScale(2).setSource("ignored").setTimestampMs(1)).build());
        assertEquals("operator", set.getSource());
        assertTrue(set.getTimestampMs() > 1);
        assertEquals(set, next(btcPrices, ip -> ip.getSource().equals("operator"), 10));
        assertEquals(set, mesh.risk(RiskServiceGrpcClient.GetIndexPrice, GetIndexPriceRequest.newBuilder()
                .setAsset("BTC").build()));
        mesh.riskRefuses(RiskServiceGrpcClient.GetIndexPrice, GetIndexPriceRequest.newBuilder().setAsset("XYZ")
                .build(), GrpcStatus.NOT_FOUND, "UNKNOWN_PRICE");

        // ---- limits: published when set, and in full every 5 s
        AccountLimits limits = AccountLimits.newBuilder().setAccountId(alice).setMaxOpenOrders(10)
                .setMaxOrderNotional(1_000_000 * USDT).setNotionalAsset("USDT").setKillSwitch(true).build();
        assertEquals(limits, mesh.risk(RiskServiceGrpcClient.SetLimits, SetLimitsRequest.newBuilder()
                .setLimits(limits).build()));
        RiskControl one = next(control, c -> !c.getAll(), 10);
        assertEquals(List.of(limits), one.getLimitsList());
        RiskControl all = next(control, c -> c.getAll() && c.getLimitsList().contains(limits), 10);
        assertTrue(all.getLimitsCount() >= 1);
        mesh.riskRefuses(RiskServiceGrpcClient.SetLimits, SetLimitsRequest.newBuilder().setLimits(limits.toBuilder()
                .setNotionalAsset("")).build(), GrpcStatus.INVALID_ARGUMENT, "INVALID_LIMITS");
        mesh.riskRefuses(RiskServiceGrpcClient.SetLimits, SetLimitsRequest.newBuilder().setLimits(limits.toBuilder()
                .setAccountId(9_999)).build(), GrpcStatus.NOT_FOUND, "UNKNOWN_ACCOUNT");

        // ---- a suspended account moves no money
        assertEquals(AccountStatus.ACCOUNT_STATUS_SUSPENDED, mesh.risk(RiskServiceGrpcClient.SuspendAccount,
                SuspendAccountRequest.newBuilder().setAccountId(bob).setSuspended(true).build()).getStatus());
        mesh.riskRefuses(RiskServiceGrpcClient.Deposit, funding("b-1", bob, "USDT", 1),
                GrpcStatus.FAILED_PRECONDITION, "ACCOUNT_SUSPENDED");
        mesh.riskRefuses(RiskServiceGrpcClient.CreateTransfer,
                transfer("b-t", bob, "USDT", 1, Wallet.WALLET_FUNDING, Wallet.WALLET_SPOT),
                GrpcStatus.FAILED_PRECONDITION, "ACCOUNT_SUSPENDED");
        mesh.riskRefuses(RiskServiceGrpcClient.CreateApiKey, CreateApiKeyRequest.newBuilder().setAccountId(bob)
                .addPermissions(Permission.PERMISSION_READ).build(), GrpcStatus.FAILED_PRECONDITION,
                "ACCOUNT_SUSPENDED");
        assertEquals(AccountStatus.ACCOUNT_STATUS_ACTIVE, mesh.risk(RiskServiceGrpcClient.SuspendAccount,
                SuspendAccountRequest.newBuilder().setAccountId(bob).setSuspended(false).build()).getStatus());

        // ---- metrics, and no secret anywhere risk-service wrote (store, logs)
        String metrics = mesh.risk.get("/metrics").body();
        assertTrue(metrics.contains("risk_transfers_total{") && metrics.contains("state=\"COMPLETED\""), metrics);
        for (String meter : List.of("risk_accounts_opened_total", "risk_accounts_suspensions_total",
                "risk_api_keys_total{action=\"created\"", "risk_api_keys_total{action=\"revoked\"",
                "risk_deposits_total", "risk_withdrawals_total{", "risk_transfers_started_total",
                "state=\"REFUNDED\"", "state=\"FAILED\"", "risk_accounts{", "risk_transfers_unfinished{")) {
            assertTrue(metrics.contains(meter), meter + " in\n" + metrics);
        }
        assertFalse(anyFileContains(mesh.riskDir, secret), "the API key secret is stored or logged in clear");
    }

    private static boolean anyFileContains(Path root, String text) throws IOException {
        byte[] needle = text.getBytes(StandardCharsets.US_ASCII);
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                byte[] content = Files.readAllBytes(f);
                if (new String(content, StandardCharsets.ISO_8859_1).contains(new String(needle,
                        StandardCharsets.ISO_8859_1))) {
                    return true;
                }
            }
        }
        return false;
    }

    // ================================================================ faults

    /** One transfer the stream issued. */
    private record Issued(String id, long account, String asset, long amount, Wallet from) {
        TransferRequest request() {
            return transfer(id, account, asset, amount, from,
                    from == Wallet.WALLET_FUNDING ? Wallet.WALLET_SPOT : Wallet.WALLET_FUNDING);
        }
    }

    @Test
    @Order(2)
    void transfersSettleExactlyOnceAcrossKillsOfRiskAndSpot() throws Exception {
        long carol = account("carol");
        long dave = account("dave");
        long[] accounts = {carol, dave};
        Map<String, Long> deposits = new HashMap<>();
        for (long a : accounts) {
            assertTrue(mesh.risk(RiskServiceGrpcClient.Deposit, funding("f-u-" + a, a, "USDT", 50_000 * USDT))
                    .getApplied());
            assertTrue(mesh.risk(RiskServiceGrpcClient.Deposit, funding("f-b-" + a, a, "BTC", 3 * BTC)).getApplied());
            deposits.merge(a + "/USDT", 50_000 * USDT, Long::sum);
            deposits.merge(a + "/BTC", 3 * BTC, Long::sum);
        }
        assertTrue(mesh.risk(RiskServiceGrpcClient.Withdraw, funding("f-w-" + carol, carol, "USDT", 5_000 * USDT))
                .getApplied());
        deposits.merge(carol + "/USDT", -5_000 * USDT, Long::sum);
        assertTrue(mesh.risk(RiskServiceGrpcClient.Deposit, funding("f-d-" + carol, carol, "DOGE", 1_000))
                .getApplied());
        deposits.merge(carol + "/DOGE", 1_000L, Long::sum);
        // An operator price (no book for ETH): journaled, so it survives the restarts below.
        IndexPrice eth = mesh.risk(RiskServiceGrpcClient.SetIndexPrice, SetIndexPriceRequest.newBuilder()
                .setPrice(IndexPrice.newBuilder().setAsset("ETH").setQuote("USDT").setPrice(2_000 * PRICE)
                        .setPriceScale(2)).build());

        // The stream: transfers both ways, some larger than any balance, one in an asset spot does not know.
        List<Issued> issued = new java.util.concurrent.CopyOnWriteArrayList<>();
        Set<String> unanswered = ConcurrentHashMap.newKeySet();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger count = new AtomicInteger();
        Random random = new Random(42);
        Thread stream = new Thread(() -> {
            int n = 0;
            while (!stop.get()) {
                long account = accounts[random.nextInt(2)];
                boolean btc = random.nextBoolean();
                String asset = btc ? "BTC" : "USDT";
                long unit = btc ? BTC / 100 : 100 * USDT;
                long amount = random.nextInt(10) == 0 ? 1_000_000 * unit : (1 + random.nextInt(20)) * unit;
                Wallet from = random.nextBoolean() ? Wallet.WALLET_FUNDING : Wallet.WALLET_SPOT;
                Issued t = n == 5 ? new Issued("s-doge", carol, "DOGE", 400, Wallet.WALLET_FUNDING)
                        : new Issued("s-" + n, account, asset, amount, from);
                n++;
                issued.add(t);
                try {
                    MeshFixture.await(mesh.riskCall(RiskServiceGrpcClient.CreateTransfer, t.request()));
                } catch (Exception e) {
                    unanswered.add(t.id());
                }
                count.incrementAndGet();
                sleep(30);
            }
        }, "transfer-stream");
        stream.start();
        int resumed;
        try {
            // risk-service dies mid-stream and comes back.
            awaitCount(count, 25);
            mesh.risk.kill();
            mesh.risk.start();
            // spot-service dies: transfers that need it wait, PENDING or DEBITED ...
            awaitCount(count, count.get() + 25);
            mesh.spot.kill();
            // The portfolio still answers, within about a second, with spot's wallet marked unavailable.
            long t0 = System.nanoTime();
            Portfolio withoutSpot = portfolio(carol);
            assertFalse(withoutSpot.getWallets(1).getAvailable());
            assertEquals(0, withoutSpot.getWallets(1).getBalancesCount());
            assertTrue(withoutSpot.getWallets(0).getAvailable());
            assertTrue(System.nanoTime() - t0 < TimeUnit.MILLISECONDS.toNanos(2_500), "portfolio waited too long");
            awaitCount(count, count.get() + 15);
            // ... and risk-service dies again while they wait: its restart must resume them from the journal.
            mesh.risk.kill();
            mesh.risk.start();
            resumed = resumedAtStart(mesh.risk.jvm().stderrText());
            awaitCount(count, count.get() + 10);
            mesh.spot.start();
            awaitCount(count, count.get() + 20);
        } finally {
            stop.set(true);
            stream.join(60_000);
        }
        assertTrue(resumed > 0, "risk-service restarted with unfinished transfers to resume");
        assertFalse(unanswered.isEmpty(), "some transfers were asked while risk-service was down");

        // A client retries what was not answered: the same id moves money at most once.
        for (Issued t : issued) {
            if (unanswered.contains(t.id())) {
                mesh.risk(RiskServiceGrpcClient.CreateTransfer, t.request());
            }
        }

        // The driver settles everything.
        Map<String, Transfer> finals = settle(issued);
        Map<String, Integer> byState = new HashMap<>();
        finals.values().forEach(t -> byState.merge(t.getState().name(), 1, Integer::sum));
        assertEquals(TransferState.TRANSFER_STATE_REFUNDED, finals.get("s-doge").getState());
        assertEquals("UNKNOWN_ASSET", finals.get("s-doge").getReason());
        assertTrue(byState.getOrDefault("TRANSFER_STATE_COMPLETED", 0) > 10, byState.toString());
        assertTrue(byState.getOrDefault("TRANSFER_STATE_FAILED", 0) > 0, byState.toString());
        System.out.println("fault stream: " + issued.size() + " transfers, " + unanswered.size()
                + " unanswered and retried, " + resumed + " resumed by the second restart; final " + byState);

        // Listed once each, for the right account.
        for (long a : accounts) {
            List<String> listed = mesh.risk(RiskServiceGrpcClient.ListTransfers, ListTransfersRequest.newBuilder()
                    .setAccountId(a).setLimit(1_000).build()).getTransfersList().stream()
                    .map(Transfer::getTransferId).filter(id -> id.startsWith("s-")).toList();
            assertEquals(listed.size(), new HashSet<>(listed).size(), "a transfer listed twice");
            assertEquals(issued.stream().filter(t -> t.account() == a).map(Issued::id).collect(
                    java.util.stream.Collectors.toSet()), new HashSet<>(listed));
        }

        // Exactly once: each account's wallets are what the final states say, and every asset adds up.
        Map<String, Long> expectedFunding = new HashMap<>(deposits);
        Map<String, Long> expectedSpot = new HashMap<>();
        for (Issued t : issued) {
            if (finals.get(t.id()).getState() == TransferState.TRANSFER_STATE_COMPLETED) {
                long signed = t.from() == Wallet.WALLET_FUNDING ? t.amount() : -t.amount();
                expectedFunding.merge(t.account() + "/" + t.asset(), -signed, Long::sum);
                expectedSpot.merge(t.account() + "/" + t.asset(), signed, Long::sum);
            }
        }
        for (String asset : List.of("USDT", "BTC", "DOGE")) {
            long inWallets = 0;
            long in = 0;
            for (long a : accounts) {
                String key = a + "/" + asset;
                Portfolio p = portfolio(a);
                assertTrue(p.getWallets(1).getAvailable(), "spot answers again");
                long funding = balance(p.getWallets(0), asset);
                BalanceList spotBalances = mesh.spot(WalletServiceGrpcClient.Balances,
                        BalancesRequest.newBuilder().setAccountId(a).build());
                long spot = spotBalances.getBalancesList().stream().filter(b -> b.getAsset().equals(asset))
                        .mapToLong(b -> b.getAvailable() + b.getLocked()).sum();
                assertEquals(expectedFunding.getOrDefault(key, 0L), funding, "funding " + key);
                assertEquals(expectedSpot.getOrDefault(key, 0L), spot, "spot " + key);
                inWallets += funding + spot;
                in += deposits.getOrDefault(key, 0L);
            }
            assertEquals(in, inWallets, "funding + spot = deposits - withdrawals for " + asset);
        }

        // The solvency audit across risk and spot agrees: nothing made or lost, nothing in flight.
        AuditReport audit = mesh.risk(RiskServiceGrpcClient.Audit, AuditRequest.getDefaultInstance());
        assertTrue(audit.getComplete() && audit.getBalanced(), audit.toString());
        assertEquals(0, audit.getTransfersInFlight());
        assertEquals(List.of("BTC", "DOGE", "USDT"), audit.getAssetsList().stream().map(AssetAudit::getAsset).toList());

        // The operator's price came back from the journal; a graceful stop and start changes nothing.
        assertEquals(eth, mesh.risk(RiskServiceGrpcClient.GetIndexPrice, GetIndexPriceRequest.newBuilder()
                .setAsset("ETH").build()));
        Portfolio before = portfolio(carol);
        assertEquals(0, mesh.risk.terminate());
        mesh.risk.start();
        assertTrue(mesh.risk.jvm().stderrText().contains("recovered from snapshot"), "SIGTERM wrote a snapshot");
        assertEquals(before, portfolio(carol));
        assertEquals(eth, mesh.risk(RiskServiceGrpcClient.GetIndexPrice, GetIndexPriceRequest.newBuilder()
                .setAsset("ETH").build()));
    }

    /**
     * Money written into spot's journal behind the ledger's back (a credit no transfer made,
     * appended while spot is stopped, applied when it recovers) is what the audit reports.
     */
    @Test
    @Order(3)
    void theAuditReportsMoneyMovedBehindTheLedgersBack() throws Exception {
        long erin = account("erin");
        assertTrue(mesh.risk(RiskServiceGrpcClient.Deposit, funding("f-erin", erin, "USDT", 1_000 * USDT))
                .getApplied());
        assertEquals(TransferState.TRANSFER_STATE_COMPLETED, mesh.risk(RiskServiceGrpcClient.CreateTransfer,
                transfer("e-1", erin, "USDT", 400 * USDT, Wallet.WALLET_FUNDING, Wallet.WALLET_SPOT)).getState());
        AuditReport before = mesh.risk(RiskServiceGrpcClient.Audit, AuditRequest.getDefaultInstance());
        assertTrue(before.getBalanced(), before.toString());

        assertEquals(0, mesh.spot.terminate());
        try (JournalStore spotStore = JournalStore.open("spot-service", mesh.spotDir.resolve("data"),
                new SimpleMeterRegistry())) {
            spotStore.recover(new StateMachine() {
                @Override
                public void restore(long sequence, byte[] state) {
                }

                @Override
                public void replay(JournalRecord record) {
                }
            });
            MeshFixture.await(spotStore.append(System.currentTimeMillis() * 1_000, SpotCommand.newBuilder()
                    .setCredit(WalletTransferRequest.newBuilder().setTransferId("behind-the-back").setAccountId(erin)
                            .setAsset("USDT").setAmount(777)).build().toByteArray()));
        }
        mesh.spot.start();

        AuditReport after = mesh.risk(RiskServiceGrpcClient.Audit, AuditRequest.getDefaultInstance());
        assertTrue(after.getComplete(), after.toString());
        assertFalse(after.getBalanced());
        AssetAudit usdt = after.getAssetsList().stream().filter(a -> a.getAsset().equals("USDT")).findFirst()
                .orElseThrow();
        assertEquals(777, usdt.getDifference());
        assertTrue(after.getAssetsList().stream().filter(a -> !a.getAsset().equals("USDT"))
                .allMatch(a -> a.getDifference() == 0), after.toString());
        assertTrue(mesh.risk.jvm().stderrText().contains("solvency audit: USDT does not add up"),
                mesh.risk.jvm().stderrTail());
        String metrics = mesh.risk.get("/metrics").body();
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("solvency_difference_units{asset=\"USDT\"")
                && l.endsWith(" 777.0")), metrics);
    }

    /** N of the start-up line "risk-service serving A account(s); N unfinished transfer(s) resumed". */
    private static int resumedAtStart(String log) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+) unfinished transfer\\(s\\) resumed")
                .matcher(log);
        assertTrue(m.find(), log);
        return Integer.parseInt(m.group(1));
    }

    /** Waits until every issued transfer is COMPLETED, FAILED or REFUNDED; their final states. */
    private Map<String, Transfer> settle(List<Issued> issued) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
        while (true) {
            Map<String, Transfer> states = new HashMap<>();
            List<String> open = new ArrayList<>();
            for (Issued t : issued) {
                Transfer now = mesh.risk(RiskServiceGrpcClient.GetTransfer, GetTransferRequest.newBuilder()
                        .setTransferId(t.id()).setAccountId(t.account()).build());
                states.put(t.id(), now);
                switch (now.getState()) {
                    case TRANSFER_STATE_COMPLETED, TRANSFER_STATE_FAILED, TRANSFER_STATE_REFUNDED -> { }
                    default -> open.add(t.id() + "=" + now.getState());
                }
            }
            if (open.isEmpty()) {
                return states;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("transfers not settled: " + open + "\n" + mesh.risk.jvm().stderrTail());
            }
            sleep(500);
        }
    }

    private static void awaitCount(AtomicInteger count, int atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (count.get() < atLeast) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the transfer stream stalled at " + count.get());
            }
            Thread.sleep(20);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
