package io.trademesh.risk.api;

import io.trademesh.platform.engine.Outcome;
import io.trademesh.risk.store.ProtoMapping;
import io.trademesh.risk.store.TransferIds;
import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.trademesh.platform.engine.CommandShard;
import io.trademesh.proto.risk.Account;
import io.trademesh.proto.risk.AccountLimits;
import io.trademesh.platform.errors.Refusals;
import io.trademesh.proto.risk.AccountList;
import io.trademesh.proto.risk.AuditReport;
import io.trademesh.proto.risk.AuditRequest;
import io.trademesh.proto.risk.ApiKey;
import io.trademesh.proto.risk.ApiKeyList;
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
import io.trademesh.proto.risk.IndexPriceList;
import io.trademesh.proto.risk.ListAccountsRequest;
import io.trademesh.proto.risk.ListApiKeysRequest;
import io.trademesh.proto.risk.ListTransfersRequest;
import io.trademesh.proto.risk.Permission;
import io.trademesh.proto.risk.Portfolio;
import io.trademesh.proto.risk.PortfolioRequest;
import io.trademesh.proto.risk.RevokeApiKeyRequest;
import io.trademesh.proto.risk.RiskCommand;
import io.trademesh.proto.risk.RiskServiceService;
import io.trademesh.proto.risk.SetIndexPriceRequest;
import io.trademesh.proto.risk.SetLimitsRequest;
import io.trademesh.proto.risk.StoreApiKey;
import io.trademesh.proto.risk.SuspendAccountRequest;
import io.trademesh.proto.risk.Transfer;
import io.trademesh.proto.risk.TransferList;
import io.trademesh.proto.risk.TransferRequest;
import io.trademesh.proto.wallet.Wallet;
import io.trademesh.proto.risk.WalletBalances;
import io.trademesh.risk.engine.ApiKeyRecord;
import io.trademesh.risk.engine.RiskEngine;
import io.trademesh.risk.engine.RiskRejectReason;
import io.trademesh.risk.engine.WalletKind;
import java.util.ArrayList;
import java.util.List;
import io.trademesh.risk.store.RiskStateMachine;
import io.trademesh.risk.store.SecretBox;
import io.vertx.core.Future;
import io.vertx.grpc.common.GrpcStatus;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * risk-service's gRPC API. Checks what can be checked without the state (shapes, ids,
 * sizes) and refuses it with a status whose message starts with a reason code; draws API
 * key ids and secrets and seals the secrets before anything is journaled; the rest goes to
 * the shard. A refusal that is a normal outcome (insufficient funds) is a reply
 * ({@code applied = false}); unknown things are NOT_FOUND, suspended accounts
 * FAILED_PRECONDITION.
 */
public final class RiskGrpcService extends RiskServiceService {

    private static final Logger LOG = Logger.getLogger(RiskGrpcService.class.getName());
    private static final HexFormat HEX = HexFormat.of();
    private static final int KEY_ID_BYTES = 12;
    private static final int SECRET_BYTES = 32;
    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 1_000;
    /** How long CreateTransfer waits for the transfer's steps before answering where it stands. */
    private static final long CREATE_TRANSFER_WAIT_MS = 5_000;

    private final CommandShard<RiskStateMachine, RiskCommand, Outcome> shard;
    private final SecretBox secrets;
    private final SecureRandom random;
    private final TransferDriver driver;
    private final WalletClients wallets;
    private final IndexPrices prices;
    private final SolvencyAuditor auditor;

    public RiskGrpcService(CommandShard<RiskStateMachine, RiskCommand, Outcome> shard, SecretBox secrets,
                           SecureRandom random, TransferDriver driver, WalletClients wallets, IndexPrices prices,
                           SolvencyAuditor auditor) {
        this.shard = shard;
        this.secrets = secrets;
        this.random = random;
        this.driver = driver;
        this.wallets = wallets;
        this.prices = prices;
        this.auditor = auditor;
    }

    // ---------------------------------------------------------------- helpers

    private static <T> Future<T> invalid(String reason, String detail) {
        return Refusals.failed(GrpcStatus.INVALID_ARGUMENT, reason, detail);
    }

    /** The engine's refusals as statuses: each reason's category gives the status (platform Refusals). */
    private static <T> Future<T> refused(RiskRejectReason reason, String about) {
        String detail = switch (reason) {
            case UNKNOWN_ACCOUNT -> "no account " + about;
            case ACCOUNT_SUSPENDED -> "account " + about + " is suspended";
            case UNKNOWN_API_KEY -> "no API key " + about;
            case API_KEY_EXISTS -> "drawn key id is taken; try again";
            case API_KEY_LIMIT -> "account " + about + " holds " + RiskEngine.MAX_ACTIVE_KEYS_PER_ACCOUNT
                    + " active keys; revoke one first";
            case OPERATION_ID_CONFLICT -> "operation id " + about + " was used for a different deposit or withdrawal";
            case TRANSFER_ID_CONFLICT -> "account " + about + ": that transfer id names another transfer (a retry"
                    + " repeats its asset, amount, from and to)";
            case UNKNOWN_TRANSFER -> "no transfer " + about;
            case INSUFFICIENT_FUNDS, BALANCE_OVERFLOW -> about;
        };
        return Future.failedFuture(Refusals.of(reason, detail));
    }

    @SuppressWarnings("unchecked")
    private <T extends Message> Future<T> command(RiskCommand command, String about) {
        return shard.submit(command).compose(o -> o.refused() ? refused((RiskRejectReason) o.refusal(), about)
                : Future.succeededFuture((T) o.reply()));
    }

    private static String badAccount(long accountId) {
        return accountId == RiskEngine.FEE_ACCOUNT ? "account_id is required (0 is not an account)" : null;
    }

    private Future<io.trademesh.risk.engine.Account> existingAccount(long accountId) {
        return shard.query(m -> m.engine().account(accountId)).compose(a -> a != null ? Future.succeededFuture(a)
                : refused(RiskRejectReason.UNKNOWN_ACCOUNT, Long.toString(accountId)));
    }

    private static int limit(int requested) {
        return requested <= 0 ? DEFAULT_LIMIT : Math.min(requested, MAX_LIMIT);
    }

    // ---------------------------------------------------------------- accounts

    @Override
    public Future<Account> createAccount(CreateAccountRequest r) {
        if (!Validation.text(r.getName(), false)) {
            return invalid("INVALID_NAME", "name must be 1-64 characters, not blank, no control characters");
        }
        return command(RiskCommand.newBuilder().setCreateAccount(r).build(), r.getName());
    }

    @Override
    public Future<Account> suspendAccount(SuspendAccountRequest r) {
        String bad = badAccount(r.getAccountId());
        if (bad != null) {
            return invalid("INVALID_ACCOUNT", bad);
        }
        return command(RiskCommand.newBuilder().setSuspendAccount(r).build(), Long.toString(r.getAccountId()));
    }

    @Override
    public Future<Account> getAccount(GetAccountRequest r) {
        String bad = badAccount(r.getAccountId());
        if (bad != null) {
            return invalid("INVALID_ACCOUNT", bad);
        }
        return existingAccount(r.getAccountId()).map(ProtoMapping::account);
    }

    @Override
    public Future<AccountList> listAccounts(ListAccountsRequest r) {
        return shard.query(m -> {
            AccountList.Builder b = AccountList.newBuilder();
            m.engine().accounts().forEach(a -> b.addAccounts(ProtoMapping.account(a)));
            return b.build();
        });
    }

    // ---------------------------------------------------------------- API keys

    @Override
    public Future<CreateApiKeyReply> createApiKey(CreateApiKeyRequest r) {
        String bad = badAccount(r.getAccountId());
        if (bad != null) {
            return invalid("INVALID_ACCOUNT", bad);
        }
        if (r.getPermissionsCount() == 0) {
            return invalid("INVALID_PERMISSION", "give at least one of READ, TRADE, TRANSFER");
        }
        for (Permission p : r.getPermissionsList()) {
            if (ProtoMapping.permission(p) == null) {
                return invalid("INVALID_PERMISSION", "permissions are READ, TRADE or TRANSFER, not " + p);
            }
        }
        if (r.getIpAllowlistCount() > Validation.MAX_ALLOWLIST) {
            return invalid("INVALID_IP_ALLOWLIST", "at most " + Validation.MAX_ALLOWLIST + " entries");
        }
        for (String ip : r.getIpAllowlistList()) {
            if (!Validation.ipOrCidr(ip)) {
                return invalid("INVALID_IP_ALLOWLIST", "'" + ip + "' is not an IPv4/IPv6 address or CIDR block");
            }
        }
        if (!Validation.text(r.getLabel(), true)) {
            return invalid("INVALID_LABEL", "label must be at most 64 characters, no control characters");
        }
        String keyId = HEX.formatHex(randomBytes(KEY_ID_BYTES));
        String secret = HEX.formatHex(randomBytes(SECRET_BYTES));
        StoreApiKey store = StoreApiKey.newBuilder()
                .setApiKey(keyId)
                .setAccountId(r.getAccountId())
                .addAllPermissions(r.getPermissionsList())
                .addAllIpAllowlist(r.getIpAllowlistList())
                .setLabel(r.getLabel())
                .setSealedSecret(ByteString.copyFrom(secrets.seal(keyId, secret)))
                .build();
        return this.<ApiKey>command(RiskCommand.newBuilder().setCreateApiKey(store).build(),
                        Long.toString(r.getAccountId()))
                .map(key -> CreateApiKeyReply.newBuilder().setKey(key).setSecret(secret).build());
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    @Override
    public Future<ApiKey> revokeApiKey(RevokeApiKeyRequest r) {
        if (!Validation.API_KEY_ID.matcher(r.getApiKey()).matches()) {
            return invalid("INVALID_API_KEY", "api_key must be 24 lower-case hex characters");
        }
        return command(RiskCommand.newBuilder().setRevokeApiKey(r).build(), r.getApiKey());
    }

    @Override
    public Future<ApiKeyList> listApiKeys(ListApiKeysRequest r) {
        String bad = badAccount(r.getAccountId());
        if (bad != null) {
            return invalid("INVALID_ACCOUNT", bad);
        }
        return existingAccount(r.getAccountId()).compose(a -> shard.query(m -> {
            ApiKeyList.Builder b = ApiKeyList.newBuilder();
            m.engine().apiKeys(r.getAccountId()).forEach(k -> b.addKeys(ProtoMapping.apiKey(k)));
            return b.build();
        }));
    }

    private record KeyAndStatus(ApiKeyRecord key, io.trademesh.risk.engine.AccountStatus status) {
    }

    @Override
    public Future<AuthKeyReply> getAuthKey(AuthKeyRequest r) {
        if (!Validation.API_KEY_ID.matcher(r.getApiKey()).matches()) {
            return invalid("INVALID_API_KEY", "api_key must be 24 lower-case hex characters");
        }
        return shard.query(m -> {
            ApiKeyRecord k = m.engine().apiKey(r.getApiKey());
            return k == null ? null : new KeyAndStatus(k, m.engine().account(k.accountId()).status());
        }).compose(ks -> {
            if (ks == null) {
                return refused(RiskRejectReason.UNKNOWN_API_KEY, r.getApiKey());
            }
            if (ks.key().revoked()) {
                return Refusals.failed(GrpcStatus.FAILED_PRECONDITION, "API_KEY_REVOKED", "API key " + r.getApiKey()
                        + " is revoked");
            }
            String secret;
            try {
                secret = secrets.open(ks.key().keyId(), ks.key().sealedSecret());
            } catch (GeneralSecurityException e) {
                LOG.log(Level.SEVERE, "the secret of API key " + ks.key().keyId() + " does not decrypt with the"
                        + " configured RISK_SECRET_KEY (was the key changed?): " + e.getMessage());
                return Refusals.failed(GrpcStatus.INTERNAL, "SECRET_UNREADABLE",
                        "the key's secret cannot be decrypted with this service's RISK_SECRET_KEY");
            }
            return Future.succeededFuture(AuthKeyReply.newBuilder()
                    .setKey(ProtoMapping.apiKey(ks.key()))
                    .setSecret(secret)
                    .setAccountStatus(ProtoMapping.status(ks.status()))
                    .build());
        });
    }

    // ---------------------------------------------------------------- funding wallet

    @Override
    public Future<FundingReply> deposit(FundingRequest r) {
        Future<FundingReply> bad = checkFunding(r);
        return bad != null ? bad : command(RiskCommand.newBuilder().setDeposit(r).build(), fundingAbout(r));
    }

    @Override
    public Future<FundingReply> withdraw(FundingRequest r) {
        Future<FundingReply> bad = checkFunding(r);
        return bad != null ? bad : command(RiskCommand.newBuilder().setWithdraw(r).build(), fundingAbout(r));
    }

    /** What an engine refusal of this request is about: the account, and the operation id. */
    private static String fundingAbout(FundingRequest r) {
        return r.getAccountId() + " (operation " + r.getOperationId() + ")";
    }

    /** The refusal of a malformed request, else null. */
    private static <T> Future<T> checkFunding(FundingRequest r) {
        if (!Validation.OPERATION_ID.matcher(r.getOperationId()).matches()) {
            return invalid("INVALID_OPERATION_ID", "operation_id must be 1-128 of [A-Za-z0-9._:-]");
        }
        return checkMovement(r.getAccountId(), r.getAsset(), r.getAmount());
    }

    /** An account, an asset and a positive amount: what every movement of money names. */
    private static <T> Future<T> checkMovement(long accountId, String asset, long amount) {
        String bad = badAccount(accountId);
        if (bad != null) {
            return invalid("INVALID_ACCOUNT", bad);
        }
        if (!Validation.ASSET.matcher(asset).matches()) {
            return invalid("INVALID_ASSET", "asset must be 1-16 of [A-Z0-9]");
        }
        if (amount <= 0) {
            return invalid("INVALID_AMOUNT", "amount must be positive");
        }
        return null;
    }

    // ---------------------------------------------------------------- transfers

    @Override
    public Future<Transfer> createTransfer(TransferRequest r) {
        if (!Validation.TRANSFER_ID.matcher(r.getTransferId()).matches()) {
            return invalid("INVALID_TRANSFER_ID", "transfer_id must be 1-100 of [A-Za-z0-9._-]");
        }
        Future<Transfer> bad = checkMovement(r.getAccountId(), r.getAsset(), r.getAmount());
        if (bad != null) {
            return bad;
        }
        for (Wallet w : new Wallet[] {r.getFrom(), r.getTo()}) {
            if (w == Wallet.WALLET_UNSPECIFIED || w == Wallet.UNRECOGNIZED) {
                return invalid("INVALID_WALLET", "from and to must each name a wallet");
            }
        }
        if (r.getFrom() == r.getTo()) {
            return invalid("INVALID_TRANSFER", "from and to are the same wallet");
        }
        // A transfer made before ids were scoped answers a retry of its own id, and moves nothing again.
        return shard.query(m -> TransferIds.legacy(m.engine(), r.getAccountId(), r.getTransferId())).compose(old -> {
            String internalId = old != null ? old.id() : TransferIds.scoped(r.getAccountId(), r.getTransferId());
            Future<Transfer> created = old != null ? Future.succeededFuture(ProtoMapping.transfer(old))
                    : this.<Transfer>command(RiskCommand.newBuilder().setCreateTransfer(r.toBuilder()
                            .setTransferId(internalId)).build(), about(r));
            return created.compose(t -> isTerminal(t) ? Future.succeededFuture(t)
                    : driver.drive(internalId)
                            .timeout(CREATE_TRANSFER_WAIT_MS, TimeUnit.MILLISECONDS)
                            .map(ProtoMapping::transfer)
                            .recover(e -> currentTransfer(r.getAccountId(), r.getTransferId())));
        });
    }

    private static String about(TransferRequest r) {
        return r.getAccountId() + " (transfer " + r.getTransferId() + ")";
    }

    private static boolean isTerminal(Transfer t) {
        return switch (t.getState()) {
            case TRANSFER_STATE_COMPLETED, TRANSFER_STATE_FAILED, TRANSFER_STATE_REFUNDED -> true;
            default -> false;
        };
    }

    private Future<Transfer> currentTransfer(long accountId, String transferId) {
        return shard.query(m -> TransferIds.find(m.engine(), accountId, transferId)).compose(t -> t == null
                ? refused(RiskRejectReason.UNKNOWN_TRANSFER, transferId)
                : Future.succeededFuture(ProtoMapping.transfer(t)));
    }

    @Override
    public Future<Transfer> getTransfer(GetTransferRequest r) {
        if (!Validation.TRANSFER_ID.matcher(r.getTransferId()).matches()) {
            return invalid("INVALID_TRANSFER_ID", "transfer_id must be 1-100 of [A-Za-z0-9._-]");
        }
        if (r.getAccountId() == RiskEngine.FEE_ACCOUNT) {
            return invalid("INVALID_ACCOUNT", "account_id is required: transfer ids are per account");
        }
        return currentTransfer(r.getAccountId(), r.getTransferId());
    }

    @Override
    public Future<TransferList> listTransfers(ListTransfersRequest r) {
        Future<?> known = r.getAccountId() == RiskEngine.FEE_ACCOUNT ? Future.succeededFuture()
                : existingAccount(r.getAccountId());
        return known.compose(ok -> shard.query(m -> {
            TransferList.Builder b = TransferList.newBuilder();
            m.engine().transfers(r.getAccountId(), limit(r.getLimit())).forEach(t -> b.addTransfers(
                    ProtoMapping.transfer(t)));
            return b.build();
        }));
    }

    // ---------------------------------------------------------------- limits and prices

    @Override
    public Future<AccountLimits> setLimits(SetLimitsRequest r) {
        if (!r.hasLimits()) {
            return invalid("INVALID_LIMITS", "limits are required");
        }
        AccountLimits l = r.getLimits();
        String bad = badAccount(l.getAccountId());
        if (bad != null) {
            return invalid("INVALID_ACCOUNT", bad);
        }
        if (l.getMaxOpenOrders() < 0 || l.getMaxOrderNotional() < 0) {
            return invalid("INVALID_LIMITS", "max_open_orders and max_order_notional must not be negative");
        }
        if (l.getMaxOrderNotional() > 0 && !Validation.ASSET.matcher(l.getNotionalAsset()).matches()) {
            return invalid("INVALID_LIMITS", "max_order_notional needs its notional_asset (1-16 of [A-Z0-9])");
        }
        return command(RiskCommand.newBuilder().setSetLimits(r).build(), Long.toString(l.getAccountId()));
    }

    @Override
    public Future<IndexPrice> setIndexPrice(SetIndexPriceRequest r) {
        if (!r.hasPrice()) {
            return invalid("INVALID_PRICE", "price is required");
        }
        IndexPrice p = r.getPrice();
        if (!Validation.ASSET.matcher(p.getAsset()).matches() || !Validation.ASSET.matcher(p.getQuote()).matches()) {
            return invalid("INVALID_ASSET", "asset and quote must each be 1-16 of [A-Z0-9]");
        }
        if (p.getAsset().equals(p.getQuote())) {
            return invalid("INVALID_ASSET", "asset and quote must differ");
        }
        if (p.getPrice() <= 0 || p.getPriceScale() > Validation.MAX_PRICE_SCALE) {
            return invalid("INVALID_PRICE", "price must be positive and price_scale at most "
                    + Validation.MAX_PRICE_SCALE);
        }
        // Source and time are the service's: "operator", at the command's time.
        SetIndexPriceRequest journaled = SetIndexPriceRequest.newBuilder().setPrice(IndexPrice.newBuilder()
                .setAsset(p.getAsset()).setQuote(p.getQuote()).setPrice(p.getPrice())
                .setPriceScale(p.getPriceScale())).build();
        return command(RiskCommand.newBuilder().setSetIndexPrice(journaled).build(), p.getAsset());
    }

    @Override
    public Future<IndexPriceList> listIndexPrices(ListIndexPricesRequest r) {
        return Future.succeededFuture(IndexPriceList.newBuilder().addAllPrices(prices.all()).build());
    }

    @Override
    public Future<IndexPrice> getIndexPrice(GetIndexPriceRequest r) {
        if (!Validation.ASSET.matcher(r.getAsset()).matches()) {
            return invalid("INVALID_ASSET", "asset must be 1-16 of [A-Z0-9]");
        }
        IndexPrice p = prices.get(r.getAsset());
        return p != null ? Future.succeededFuture(p)
                : Refusals.failed(GrpcStatus.NOT_FOUND, "UNKNOWN_PRICE", "no index price for " + r.getAsset() + " yet");
    }

    // ---------------------------------------------------------------- solvency audit

    @Override
    public Future<AuditReport> audit(AuditRequest r) {
        return auditor.audit();
    }

    // ---------------------------------------------------------------- portfolio

    @Override
    public Future<Portfolio> getPortfolio(PortfolioRequest r) {
        String bad = badAccount(r.getAccountId());
        if (bad != null) {
            return invalid("INVALID_ACCOUNT", bad);
        }
        return existingAccount(r.getAccountId())
                .compose(a -> shard.query(m -> new TreeMap<>(m.engine().fundingBalances(r.getAccountId()))))
                .compose(funding -> {
                    List<Future<WalletBalances>> products = new ArrayList<>();
                    for (WalletKind kind : WalletKind.values()) {
                        if (kind != WalletKind.FUNDING) {
                            products.add(productWallet(kind, r.getAccountId()));
                        }
                    }
                    return Future.join(products).map(v -> {
                        Portfolio.Builder p = Portfolio.newBuilder().setAccountId(r.getAccountId())
                                .addWallets(fundingWallet(funding));
                        products.forEach(f -> p.addWallets(f.result()));
                        return p.build();
                    });
                });
    }

    private static WalletBalances fundingWallet(SortedMap<String, Long> funding) {
        WalletBalances.Builder b = WalletBalances.newBuilder().setWallet(ProtoMapping.wallet(WalletKind.FUNDING))
                .setAvailable(true);
        funding.forEach((asset, available) -> b.addBalances(ProtoMapping.balance(asset, available)));
        return b.build();
    }

    /** A product's balances of the account, or the wallet marked unavailable when it does not answer in time. */
    private Future<WalletBalances> productWallet(WalletKind kind, long accountId) {
        Wallet wallet = ProtoMapping.wallet(kind);
        return wallets.balances(kind, accountId)
                .timeout(WalletClients.BALANCES_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                .map(list -> WalletBalances.newBuilder().setWallet(wallet).setAvailable(true)
                        .addAllBalances(list.getBalancesList()).build())
                .otherwise(e -> WalletBalances.newBuilder().setWallet(wallet).setAvailable(false).build());
    }
}
