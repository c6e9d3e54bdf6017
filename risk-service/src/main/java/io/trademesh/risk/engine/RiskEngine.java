package io.trademesh.risk.engine;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * risk-service's state machine: accounts, API keys, funding wallets, transfers, limits and
 * operator index prices. Deterministic: time comes in with each command, nothing reads a
 * clock or draws randomness, and every map that is iterated has a defined order, so the
 * same commands give the same state and the same snapshot bytes.
 *
 * <p>The engine owns one wallet of each transfer (funding) and keeps the other wallet's
 * answers (spot) as they are journaled; it never calls out.
 *
 * <h2>Snapshot</h2>
 * <pre>
 * int magic "RISK", int version
 * long lastAccountId
 * accounts      int n, n x (long id, utf name, byte status, long createdAtMs)                ascending id
 * api keys      int n, n x (utf id, long account, int permissions, int m, m x utf ip, utf label,
 *                           int len, len x byte sealedSecret, bool revoked, long createdAtMs)  ascending id
 * funding       int n, n x (long account, int m, m x (utf asset, long available))          ascending
 * operations    int n, n x (utf id, bool deposit, long account, utf asset, long amount,
 *                           bool applied, byte reason (-1 = none))                           ascending id
 * totals        int n, n x (utf asset, long deposited, long withdrawn)                       ascending asset
 * transfers     int n, n x (utf id, long account, utf asset, long amount, byte from, byte to, byte state,
 *                           utf reason, bool blocked, long createdAtMs, long updatedAtMs)   creation order
 * limits        int n, n x (long account, int maxOpenOrders, long maxOrderNotional, bool killSwitch,
 *                           utf notionalAsset (version 2))
 * prices        int n, n x (utf asset, utf quote, long price, int scale, long timestampMs)   ascending asset
 * </pre>
 * Enum values are written as their ordinals: the enums only ever grow at the end.
 */
public final class RiskEngine {

    /** Spot's fee account: never a user. */
    public static final long FEE_ACCOUNT = 0;
    /** Active (not revoked) keys one account may hold. */
    public static final int MAX_ACTIVE_KEYS_PER_ACCOUNT = 32;

    private static final int SNAPSHOT_MAGIC = 0x5249534B; // "RISK"
    /** 2: limits carry their notional asset (1 had none: read as ""). */
    private static final int SNAPSHOT_VERSION = 2;

    private long lastAccountId;
    private final TreeMap<Long, Account> accounts = new TreeMap<>();
    private final TreeMap<String, ApiKeyRecord> keys = new TreeMap<>();
    private final TreeMap<Long, TreeMap<String, Long>> funding = new TreeMap<>();
    private final TreeMap<String, FundingOperation> operations = new TreeMap<>();
    /** asset -> {deposited, withdrawn}. */
    private final TreeMap<String, long[]> totals = new TreeMap<>();
    /** Every transfer, in creation order. */
    private final LinkedHashMap<String, Transfer> transfers = new LinkedHashMap<>();
    /**
     * Every wallet a completed transfer named (derived from the transfers, not in the snapshot).
     * Money reaches a product only by transfer, so a product wallet outside it holds nothing and
     * the audit need not ask it: a product not deployed yet, or a transfer to it that failed,
     * leaves no audit incomplete.
     */
    private final java.util.EnumSet<WalletKind> walletsUsed = java.util.EnumSet.noneOf(WalletKind.class);
    private final TreeMap<Long, Limits> limits = new TreeMap<>();
    private final TreeMap<String, OperatorPrice> operatorPrices = new TreeMap<>();

    // Derived from the above (rebuilt on restore, not in the snapshot).
    private final Map<Long, TreeSet<String>> keysByAccount = new HashMap<>();
    private final Map<Long, List<String>> transfersByAccount = new HashMap<>();
    /** Every transfer id in creation order, so the all-accounts listing (account 0) reads only what it returns. */
    private final List<String> transferIds = new ArrayList<>();
    /** Transfers not finished yet (blocked ones included), in creation order. */
    private final LinkedHashSet<String> open = new LinkedHashSet<>();
    /** Transfers with a step to take, in creation order. */
    private final LinkedHashSet<String> unfinished = new LinkedHashSet<>();

    // ================================================================ accounts

    public Result<Account> createAccount(long nowMs, String name) {
        Account a = new Account(++lastAccountId, name, AccountStatus.ACTIVE, nowMs);
        accounts.put(a.id(), a);
        return Result.ok(a);
    }

    /** Suspends or reactivates; doing it twice is the same as once. */
    public Result<Account> setSuspended(long nowMs, long accountId, boolean suspended) {
        Account a = accounts.get(accountId);
        if (a == null) {
            return Result.refused(RiskRejectReason.UNKNOWN_ACCOUNT);
        }
        Account next = a.withStatus(suspended ? AccountStatus.SUSPENDED : AccountStatus.ACTIVE);
        accounts.put(accountId, next);
        return Result.ok(next);
    }

    public Account account(long accountId) {
        return accounts.get(accountId);
    }

    /** Every account, ascending id. */
    public List<Account> accounts() {
        return List.copyOf(accounts.values());
    }

    private RiskRejectReason usable(long accountId) {
        Account a = accounts.get(accountId);
        if (a == null) {
            return RiskRejectReason.UNKNOWN_ACCOUNT;
        }
        return a.active() ? null : RiskRejectReason.ACCOUNT_SUSPENDED;
    }

    // ================================================================ API keys

    /** Adds a key whose id and sealed secret were drawn at the edge. */
    public Result<ApiKeyRecord> createApiKey(long nowMs, String keyId, long accountId, int permissions,
                                             List<String> ipAllowlist, String label, byte[] sealedSecret) {
        RiskRejectReason bad = usable(accountId);
        if (bad != null) {
            return Result.refused(bad);
        }
        if (keys.containsKey(keyId)) {
            return Result.refused(RiskRejectReason.API_KEY_EXISTS);
        }
        if (activeKeys(accountId) >= MAX_ACTIVE_KEYS_PER_ACCOUNT) {
            return Result.refused(RiskRejectReason.API_KEY_LIMIT);
        }
        ApiKeyRecord k = new ApiKeyRecord(keyId, accountId, permissions & Permission.ALL, ipAllowlist, label,
                sealedSecret.clone(), false, nowMs);
        keys.put(keyId, k);
        keysByAccount.computeIfAbsent(accountId, id -> new TreeSet<>()).add(keyId);
        return Result.ok(k);
    }

    /** Revokes a key; revoking a revoked key answers it again. */
    public Result<ApiKeyRecord> revokeApiKey(long nowMs, String keyId) {
        ApiKeyRecord k = keys.get(keyId);
        if (k == null) {
            return Result.refused(RiskRejectReason.UNKNOWN_API_KEY);
        }
        if (k.revoked()) {
            return Result.again(k);
        }
        ApiKeyRecord revoked = k.revoke();
        keys.put(keyId, revoked);
        return Result.ok(revoked);
    }

    public ApiKeyRecord apiKey(String keyId) {
        return keys.get(keyId);
    }

    /** The account's keys, revoked ones included, ascending id. */
    public List<ApiKeyRecord> apiKeys(long accountId) {
        TreeSet<String> ids = keysByAccount.get(accountId);
        if (ids == null) {
            return List.of();
        }
        List<ApiKeyRecord> out = new ArrayList<>(ids.size());
        ids.forEach(id -> out.add(keys.get(id)));
        return out;
    }

    private int activeKeys(long accountId) {
        int n = 0;
        for (ApiKeyRecord k : apiKeys(accountId)) {
            if (!k.revoked()) {
                n++;
            }
        }
        return n;
    }

    // ================================================================ funding wallet

    /**
     * Adds {@code amount} to the account's funding wallet, once per operation id. A repeated
     * operation id gets the first answer again ({@code duplicate}); one used for a different
     * request is refused. Unknown and suspended accounts are refused and nothing is recorded,
     * so the operation can be retried once the account is usable.
     */
    public Result<FundingResult> deposit(long nowMs, String operationId, long accountId, String asset, long amount) {
        return funding(operationId, true, accountId, asset, amount);
    }

    /** Takes {@code amount} from the funding wallet, once per operation id; INSUFFICIENT_FUNDS changes nothing. */
    public Result<FundingResult> withdraw(long nowMs, String operationId, long accountId, String asset, long amount) {
        return funding(operationId, false, accountId, asset, amount);
    }

    private Result<FundingResult> funding(String operationId, boolean deposit, long accountId, String asset,
                                          long amount) {
        FundingOperation seen = operations.get(operationId);
        if (seen != null) {
            if (!seen.sameRequest(deposit, accountId, asset, amount)) {
                return Result.refused(RiskRejectReason.OPERATION_ID_CONFLICT);
            }
            return Result.again(new FundingResult(seen, fundingBalance(accountId, asset)));
        }
        RiskRejectReason bad = usable(accountId);
        if (bad != null) {
            return Result.refused(bad);
        }
        long balance = fundingBalance(accountId, asset);
        long[] total = totals.get(asset);
        RiskRejectReason reason = null;
        if (deposit) {
            long deposited = total == null ? 0 : total[0];
            if (balance > Long.MAX_VALUE - amount || deposited > Long.MAX_VALUE - amount) {
                reason = RiskRejectReason.BALANCE_OVERFLOW;
            }
        } else {
            long withdrawn = total == null ? 0 : total[1];
            if (balance < amount) {
                reason = RiskRejectReason.INSUFFICIENT_FUNDS;
            } else if (withdrawn > Long.MAX_VALUE - amount) {
                reason = RiskRejectReason.BALANCE_OVERFLOW;
            }
        }
        if (reason == null) {
            balance = setFunding(accountId, asset, deposit ? balance + amount : balance - amount);
            long[] t = totals.computeIfAbsent(asset, a -> new long[2]);
            t[deposit ? 0 : 1] += amount;
        }
        FundingOperation op = new FundingOperation(deposit, accountId, asset, amount, reason == null, reason);
        operations.put(operationId, op);
        return Result.ok(new FundingResult(op, balance));
    }

    public long fundingBalance(long accountId, String asset) {
        TreeMap<String, Long> w = funding.get(accountId);
        Long v = w == null ? null : w.get(asset);
        return v == null ? 0 : v;
    }

    /** The account's funding wallet: asset -> available, ascending asset. */
    public SortedMap<String, Long> fundingBalances(long accountId) {
        TreeMap<String, Long> w = funding.get(accountId);
        return w == null ? Collections.emptySortedMap() : Collections.unmodifiableSortedMap(w);
    }

    private long setFunding(long accountId, String asset, long value) {
        funding.computeIfAbsent(accountId, id -> new TreeMap<>()).put(asset, value);
        return value;
    }

    /** Units of {@code asset} deposited, ever. */
    public long deposited(String asset) {
        long[] t = totals.get(asset);
        return t == null ? 0 : t[0];
    }

    /** Units of {@code asset} withdrawn, ever. */
    public long withdrawn(String asset) {
        long[] t = totals.get(asset);
        return t == null ? 0 : t[1];
    }

    /** Every asset ever deposited, ascending. */
    public Set<String> assets() {
        return Collections.unmodifiableSet(totals.keySet());
    }

    /** Sum of every funding wallet's {@code asset}. */
    public long fundingTotal(String asset) {
        long sum = 0;
        for (TreeMap<String, Long> w : funding.values()) {
            Long v = w.get(asset);
            sum += v == null ? 0 : v;
        }
        return sum;
    }

    /** Deposits, withdrawals, funding totals and the open transfers, as the solvency audit needs them. */
    public SolvencyAudit.Base auditBase() {
        TreeMap<String, SolvencyAudit.AssetBase> assets = new TreeMap<>();
        TreeMap<String, Long> held = new TreeMap<>();
        for (TreeMap<String, Long> w : funding.values()) {
            w.forEach((asset, v) -> held.merge(asset, v, Math::addExact));
        }
        TreeSet<String> all = new TreeSet<>(totals.keySet());
        all.addAll(held.keySet());
        for (String asset : all) {
            assets.put(asset, new SolvencyAudit.AssetBase(deposited(asset), withdrawn(asset),
                    held.getOrDefault(asset, 0L)));
        }
        List<Transfer> openTransfers = new ArrayList<>(open.size());
        for (String id : open) {
            openTransfers.add(transfers.get(id));
        }
        return new SolvencyAudit.Base(assets, List.copyOf(openTransfers), transfers.size(),
                java.util.Set.copyOf(walletsUsed));
    }

    /** Units of {@code asset} out of a source wallet and not yet in a destination: DEBITED or REFUNDING. */
    public long inFlight(String asset) {
        long sum = 0;
        for (String id : open) {
            Transfer t = transfers.get(id);
            if (t.asset().equals(asset) && t.state().inFlight()) {
                sum += t.amount();
            }
        }
        return sum;
    }

    // ================================================================ transfers

    /**
     * Persists a transfer's intent (PENDING). The same request again (a retry) answers the
     * existing transfer ({@code duplicate}) and moves nothing; the same id for another account
     * or another asset, amount or pair of wallets is refused: it is not a retry of that transfer.
     */
    public Result<Transfer> createTransfer(long nowMs, String transferId, long accountId, String asset, long amount,
                                           WalletKind from, WalletKind to) {
        Transfer seen = transfers.get(transferId);
        if (seen != null) {
            boolean retry = seen.accountId() == accountId && seen.asset().equals(asset) && seen.amount() == amount
                    && seen.from() == from && seen.to() == to;
            return retry ? Result.again(seen) : Result.refused(RiskRejectReason.TRANSFER_ID_CONFLICT);
        }
        RiskRejectReason bad = usable(accountId);
        if (bad != null) {
            return Result.refused(bad);
        }
        if (from == to || amount <= 0) {
            throw new IllegalArgumentException("transfer " + transferId + " from " + from + " to " + to
                    + " of " + amount + " passed the edge's checks");
        }
        Transfer t = new Transfer(transferId, accountId, asset, amount, from, to, TransferState.PENDING, "", false,
                nowMs, nowMs);
        transfers.put(transferId, t);
        transfersByAccount.computeIfAbsent(accountId, id -> new ArrayList<>()).add(transferId);
        transferIds.add(transferId);
        open.add(transferId);
        unfinished.add(transferId);
        return Result.ok(t);
    }

    /**
     * Applies {@code step} on the funding wallet, which this engine owns. A step that does not
     * match the transfer's state (already taken, or not for the funding wallet) changes nothing
     * and answers the transfer as it is ({@code duplicate}).
     */
    public Result<Transfer> applyLocalStep(long nowMs, String transferId, TransferStep step) {
        Transfer t = transfers.get(transferId);
        if (t == null) {
            return Result.refused(RiskRejectReason.UNKNOWN_TRANSFER);
        }
        if (t.nextStep() != step || t.walletOf(step) != WalletKind.FUNDING) {
            return Result.again(t);
        }
        long balance = fundingBalance(t.accountId(), t.asset());
        Transfer next;
        switch (step) {
            case DEBIT_SOURCE -> {
                if (balance < t.amount()) {
                    next = t.next(TransferState.FAILED, RiskRejectReason.INSUFFICIENT_FUNDS.name(), false, nowMs);
                } else {
                    setFunding(t.accountId(), t.asset(), balance - t.amount());
                    next = t.next(TransferState.DEBITED, "", false, nowMs);
                }
            }
            case CREDIT_DESTINATION -> {
                if (balance > Long.MAX_VALUE - t.amount()) {
                    next = t.next(TransferState.REFUNDING, RiskRejectReason.BALANCE_OVERFLOW.name(), false, nowMs);
                } else {
                    setFunding(t.accountId(), t.asset(), balance + t.amount());
                    next = t.next(TransferState.COMPLETED, "", false, nowMs);
                }
            }
            case REFUND_SOURCE -> {
                if (balance > Long.MAX_VALUE - t.amount()) {
                    next = t.next(TransferState.REFUNDING, "REFUND_REFUSED:" + RiskRejectReason.BALANCE_OVERFLOW,
                            true, nowMs);
                } else {
                    setFunding(t.accountId(), t.asset(), balance + t.amount());
                    next = t.next(TransferState.REFUNDED, t.reason(), false, nowMs);
                }
            }
            default -> throw new IllegalStateException("unknown step " + step);
        }
        return Result.ok(update(next));
    }

    /**
     * Records what the other wallet's owner answered for {@code step}. A result that does not
     * match the transfer's state (a late or repeated answer) changes nothing ({@code duplicate}).
     */
    public Result<Transfer> applyRemoteStep(long nowMs, String transferId, TransferStep step, boolean applied,
                                            String rejectReason) {
        Transfer t = transfers.get(transferId);
        if (t == null) {
            return Result.refused(RiskRejectReason.UNKNOWN_TRANSFER);
        }
        if (t.nextStep() != step || t.walletOf(step) == WalletKind.FUNDING) {
            return Result.again(t);
        }
        Transfer next = switch (step) {
            case DEBIT_SOURCE -> applied ? t.next(TransferState.DEBITED, "", false, nowMs)
                    : t.next(TransferState.FAILED, rejectReason, false, nowMs);
            case CREDIT_DESTINATION -> applied ? t.next(TransferState.COMPLETED, "", false, nowMs)
                    : t.next(TransferState.REFUNDING, rejectReason, false, nowMs);
            case REFUND_SOURCE -> applied ? t.next(TransferState.REFUNDED, t.reason(), false, nowMs)
                    : t.next(TransferState.REFUNDING, "REFUND_REFUSED:" + rejectReason, true, nowMs);
        };
        return Result.ok(update(next));
    }

    /**
     * A completed transfer moved money into its destination (and out of its source): from then
     * on the audit asks both. Until then the audit counts an open transfer's money as in flight
     * wherever a wallet it does not ask would hold it, so the sums stay exact.
     */
    private void markUsed(Transfer t) {
        if (t.state() == TransferState.COMPLETED) {
            walletsUsed.add(t.from());
            walletsUsed.add(t.to());
        }
    }

    private Transfer update(Transfer t) {
        transfers.put(t.id(), t);
        markUsed(t);
        if (t.state().terminal()) {
            open.remove(t.id());
        }
        if (t.nextStep() == null) {
            unfinished.remove(t.id());
        }
        return t;
    }

    public Transfer transfer(String transferId) {
        return transfers.get(transferId);
    }

    /** The account's transfers, newest first, at most {@code limit}; every account's when {@code accountId} is 0. */
    public List<Transfer> transfers(long accountId, int limit) {
        List<Transfer> out = new ArrayList<>(Math.min(limit, 1024));
        List<String> ids = accountId == FEE_ACCOUNT ? transferIds
                : transfersByAccount.getOrDefault(accountId, List.of());
        for (int i = ids.size() - 1; i >= 0 && out.size() < limit; i--) {
            out.add(transfers.get(ids.get(i)));
        }
        return out;
    }

    /** Transfers with a step still to take, oldest first. */
    public List<Transfer> unfinishedTransfers(int limit) {
        return unfinishedTransfers(limit, t -> true);
    }

    /** Transfers with a step still to take that {@code take} accepts, oldest first. */
    public List<Transfer> unfinishedTransfers(int limit, java.util.function.Predicate<Transfer> take) {
        List<Transfer> out = new ArrayList<>(Math.min(limit, unfinished.size()));
        for (String id : unfinished) {
            if (out.size() >= limit) {
                break;
            }
            Transfer t = transfers.get(id);
            if (take.test(t)) {
                out.add(t);
            }
        }
        return out;
    }

    public int unfinishedCount() {
        return unfinished.size();
    }

    // ================================================================ limits and prices

    public Result<Limits> setLimits(long nowMs, Limits l) {
        if (!accounts.containsKey(l.accountId())) {
            return Result.refused(RiskRejectReason.UNKNOWN_ACCOUNT);
        }
        limits.put(l.accountId(), l);
        return Result.ok(l);
    }

    /** Every account's limits, ascending account. */
    public List<Limits> limits() {
        return List.copyOf(limits.values());
    }

    public Limits limits(long accountId) {
        return limits.get(accountId);
    }

    /** The operator's price for {@code asset}, stamped with the command time. */
    public OperatorPrice setOperatorPrice(long nowMs, String asset, String quote, long price, int priceScale) {
        OperatorPrice p = new OperatorPrice(asset, quote, price, priceScale, nowMs);
        operatorPrices.put(asset, p);
        return p;
    }

    /** Every operator price, ascending asset. */
    public List<OperatorPrice> operatorPrices() {
        return List.copyOf(operatorPrices.values());
    }

    // ================================================================ snapshot

    public void writeSnapshot(DataOutput out) throws IOException {
        out.writeInt(SNAPSHOT_MAGIC);
        out.writeInt(SNAPSHOT_VERSION);
        out.writeLong(lastAccountId);
        out.writeInt(accounts.size());
        for (Account a : accounts.values()) {
            out.writeLong(a.id());
            out.writeUTF(a.name());
            out.writeByte(a.status().ordinal());
            out.writeLong(a.createdAtMs());
        }
        out.writeInt(keys.size());
        for (ApiKeyRecord k : keys.values()) {
            out.writeUTF(k.keyId());
            out.writeLong(k.accountId());
            out.writeInt(k.permissions());
            out.writeInt(k.ipAllowlist().size());
            for (String ip : k.ipAllowlist()) {
                out.writeUTF(ip);
            }
            out.writeUTF(k.label());
            out.writeInt(k.sealedSecret().length);
            out.write(k.sealedSecret());
            out.writeBoolean(k.revoked());
            out.writeLong(k.createdAtMs());
        }
        out.writeInt(funding.size());
        for (Map.Entry<Long, TreeMap<String, Long>> e : funding.entrySet()) {
            out.writeLong(e.getKey());
            out.writeInt(e.getValue().size());
            for (Map.Entry<String, Long> b : e.getValue().entrySet()) {
                out.writeUTF(b.getKey());
                out.writeLong(b.getValue());
            }
        }
        out.writeInt(operations.size());
        for (Map.Entry<String, FundingOperation> e : operations.entrySet()) {
            FundingOperation op = e.getValue();
            out.writeUTF(e.getKey());
            out.writeBoolean(op.deposit());
            out.writeLong(op.accountId());
            out.writeUTF(op.asset());
            out.writeLong(op.amount());
            out.writeBoolean(op.applied());
            out.writeByte(op.reason() == null ? -1 : op.reason().ordinal());
        }
        out.writeInt(totals.size());
        for (Map.Entry<String, long[]> e : totals.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeLong(e.getValue()[0]);
            out.writeLong(e.getValue()[1]);
        }
        out.writeInt(transfers.size());
        for (Transfer t : transfers.values()) {
            out.writeUTF(t.id());
            out.writeLong(t.accountId());
            out.writeUTF(t.asset());
            out.writeLong(t.amount());
            out.writeByte(t.from().ordinal());
            out.writeByte(t.to().ordinal());
            out.writeByte(t.state().ordinal());
            out.writeUTF(t.reason());
            out.writeBoolean(t.blocked());
            out.writeLong(t.createdAtMs());
            out.writeLong(t.updatedAtMs());
        }
        out.writeInt(limits.size());
        for (Limits l : limits.values()) {
            out.writeLong(l.accountId());
            out.writeInt(l.maxOpenOrders());
            out.writeLong(l.maxOrderNotional());
            out.writeBoolean(l.killSwitch());
            out.writeUTF(l.notionalAsset());
        }
        out.writeInt(operatorPrices.size());
        for (OperatorPrice p : operatorPrices.values()) {
            out.writeUTF(p.asset());
            out.writeUTF(p.quote());
            out.writeLong(p.price());
            out.writeInt(p.priceScale());
            out.writeLong(p.timestampMs());
        }
    }

    /** Replaces all state with the snapshot's. */
    public void readSnapshot(DataInput in) throws IOException {
        if (in.readInt() != SNAPSHOT_MAGIC) {
            throw new IOException("not a risk-service snapshot");
        }
        int version = in.readInt();
        if (version < 1 || version > SNAPSHOT_VERSION) {
            throw new IOException("risk snapshot version " + version + " is unknown to this build");
        }
        clear();
        lastAccountId = in.readLong();
        for (int i = in.readInt(); i > 0; i--) {
            Account a = new Account(in.readLong(), in.readUTF(), enumOf(AccountStatus.values(), in.readByte()),
                    in.readLong());
            accounts.put(a.id(), a);
        }
        for (int i = in.readInt(); i > 0; i--) {
            String id = in.readUTF();
            long account = in.readLong();
            int permissions = in.readInt();
            List<String> ips = new ArrayList<>();
            for (int j = in.readInt(); j > 0; j--) {
                ips.add(in.readUTF());
            }
            String label = in.readUTF();
            byte[] sealed = new byte[in.readInt()];
            in.readFully(sealed);
            ApiKeyRecord k = new ApiKeyRecord(id, account, permissions, ips, label, sealed, in.readBoolean(),
                    in.readLong());
            keys.put(id, k);
            keysByAccount.computeIfAbsent(account, a -> new TreeSet<>()).add(id);
        }
        for (int i = in.readInt(); i > 0; i--) {
            long account = in.readLong();
            TreeMap<String, Long> w = new TreeMap<>();
            for (int j = in.readInt(); j > 0; j--) {
                w.put(in.readUTF(), in.readLong());
            }
            funding.put(account, w);
        }
        for (int i = in.readInt(); i > 0; i--) {
            String id = in.readUTF();
            boolean deposit = in.readBoolean();
            long account = in.readLong();
            String asset = in.readUTF();
            long amount = in.readLong();
            boolean applied = in.readBoolean();
            byte reason = in.readByte();
            operations.put(id, new FundingOperation(deposit, account, asset, amount, applied,
                    reason < 0 ? null : enumOf(RiskRejectReason.values(), reason)));
        }
        for (int i = in.readInt(); i > 0; i--) {
            totals.put(in.readUTF(), new long[] {in.readLong(), in.readLong()});
        }
        for (int i = in.readInt(); i > 0; i--) {
            Transfer t = new Transfer(in.readUTF(), in.readLong(), in.readUTF(), in.readLong(),
                    enumOf(WalletKind.values(), in.readByte()), enumOf(WalletKind.values(), in.readByte()),
                    enumOf(TransferState.values(), in.readByte()), in.readUTF(), in.readBoolean(), in.readLong(),
                    in.readLong());
            transfers.put(t.id(), t);
            markUsed(t);
            transfersByAccount.computeIfAbsent(t.accountId(), a -> new ArrayList<>()).add(t.id());
            transferIds.add(t.id());
            if (!t.state().terminal()) {
                open.add(t.id());
            }
            if (t.nextStep() != null) {
                unfinished.add(t.id());
            }
        }
        for (int i = in.readInt(); i > 0; i--) {
            Limits l = new Limits(in.readLong(), in.readInt(), in.readLong(), in.readBoolean(),
                    version >= 2 ? in.readUTF() : "");
            limits.put(l.accountId(), l);
        }
        for (int i = in.readInt(); i > 0; i--) {
            OperatorPrice p = new OperatorPrice(in.readUTF(), in.readUTF(), in.readLong(), in.readInt(),
                    in.readLong());
            operatorPrices.put(p.asset(), p);
        }
    }

    private void clear() {
        lastAccountId = 0;
        accounts.clear();
        keys.clear();
        funding.clear();
        operations.clear();
        totals.clear();
        transfers.clear();
        walletsUsed.clear();
        limits.clear();
        operatorPrices.clear();
        keysByAccount.clear();
        transfersByAccount.clear();
        transferIds.clear();
        open.clear();
        unfinished.clear();
    }

    private static <E extends Enum<E>> E enumOf(E[] values, int ordinal) throws IOException {
        if (ordinal < 0 || ordinal >= values.length) {
            throw new IOException("risk snapshot holds an unknown " + values.getClass().getComponentType()
                    .getSimpleName() + " " + ordinal);
        }
        return values[ordinal];
    }
}
