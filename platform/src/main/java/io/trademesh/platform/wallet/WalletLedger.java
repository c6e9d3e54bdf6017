package io.trademesh.platform.wallet;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * A product service's wallets and the one way money enters or leaves them from outside:
 * credits and debits by transfer id (risk-service's transfers), each applied at most once.
 * Trading moves money between wallets inside the service through {@link #wallets()}; this
 * class is the service's border.
 *
 * <h2>Idempotency ledger</h2>
 * Every answered transfer id is remembered with its answer, so a retry gets the first
 * answer and changes nothing; a reused id with another account, asset, amount or direction
 * is refused ({@link WalletRefusal#TRANSFER_ID_MISMATCH}) and not remembered. An id without
 * a transfer is refused and not remembered. Ids are kept for {@code retentionMs} of the
 * command clock after their first answer (default 7 days), then forgotten, oldest first,
 * when the owner calls {@link #expire} inside a later command: risk-service records each
 * answer within seconds and never retries a step older than {@link #DEFAULT_RETENTION_MS}
 * minus a day, so a forgotten id is never asked again.
 *
 * <p>Deterministic and single-threaded, like the engine that owns it.
 */
public final class WalletLedger {

    public static final long DEFAULT_RETENTION_MS = 7L * 24 * 60 * 60 * 1000;

    private final Wallets wallets = new Wallets();
    private final long venueAccount;
    private final long retentionMs;
    private final Map<String, Outcome> byId = new HashMap<>();
    /** The same outcomes in the order they were first answered. */
    private final ArrayDeque<Outcome> byAge = new ArrayDeque<>();

    /**
     * @param venueAccount the venue's own account (fees), which transfers may not touch
     */
    public WalletLedger(long venueAccount, long retentionMs) {
        if (retentionMs <= 0) {
            throw new IllegalArgumentException("retention must be positive");
        }
        this.venueAccount = venueAccount;
        this.retentionMs = retentionMs;
    }

    public WalletLedger(long venueAccount) {
        this(venueAccount, DEFAULT_RETENTION_MS);
    }

    /**
     * The answer to one credit or debit. {@code refusal} null: applied. {@code duplicate}: the
     * first answer to this id, given again; nothing changed now.
     */
    public record Outcome(String transferId, long accountId, int assetId, long amount, boolean credit,
                          WalletRefusal refusal, long answeredAtMs, boolean duplicate) {
        public boolean applied() {
            return refusal == null;
        }

        boolean sameRequest(long accountId, int assetId, long amount, boolean credit) {
            return this.accountId == accountId && this.assetId == assetId && this.amount == amount
                    && this.credit == credit;
        }

        Outcome again() {
            return new Outcome(transferId, accountId, assetId, amount, credit, refusal, answeredAtMs, true);
        }
    }

    public Wallets wallets() {
        return wallets;
    }

    /** Adds {@code amount} to the account's available {@code assetId} (-1: unknown asset), once per id. */
    public Outcome credit(long nowMs, String transferId, long accountId, int assetId, long amount) {
        return transfer(nowMs, transferId, accountId, assetId, amount, true);
    }

    /** Takes {@code amount} from the account's available {@code assetId} (-1: unknown asset), once per id. */
    public Outcome debit(long nowMs, String transferId, long accountId, int assetId, long amount) {
        return transfer(nowMs, transferId, accountId, assetId, amount, false, Long.MAX_VALUE);
    }

    /**
     * A debit that may take at most {@code limit} (what the product leaves free, e.g. margin
     * not in use): above it, refused as INSUFFICIENT_FUNDS and remembered like any answer.
     */
    public Outcome debit(long nowMs, String transferId, long accountId, int assetId, long amount, long limit) {
        return transfer(nowMs, transferId, accountId, assetId, amount, false, limit);
    }

    private Outcome transfer(long nowMs, String transferId, long accountId, int assetId, long amount,
                             boolean credit) {
        return transfer(nowMs, transferId, accountId, assetId, amount, credit, Long.MAX_VALUE);
    }

    private Outcome transfer(long nowMs, String transferId, long accountId, int assetId, long amount,
                             boolean credit, long limit) {
        if (transferId == null || transferId.isEmpty()) {
            return new Outcome(transferId, accountId, assetId, amount, credit, WalletRefusal.INVALID_TRANSFER, nowMs,
                    false);
        }
        Outcome seen = byId.get(transferId);
        if (seen != null) {
            return seen.sameRequest(accountId, assetId, amount, credit) ? seen.again()
                    : new Outcome(transferId, accountId, assetId, amount, credit, WalletRefusal.TRANSFER_ID_MISMATCH,
                    nowMs, false);
        }
        WalletRefusal refusal = null;
        if (accountId == venueAccount) {
            refusal = WalletRefusal.INVALID_ACCOUNT;
        } else if (assetId < 0) {
            refusal = WalletRefusal.UNKNOWN_ASSET;
        } else if (amount <= 0) {
            refusal = WalletRefusal.INVALID_AMOUNT;
        } else if (!credit && amount > limit) {
            refusal = WalletRefusal.INSUFFICIENT_FUNDS;
        } else if (credit ? !wallets.credit(accountId, assetId, amount) : !wallets.debit(accountId, assetId, amount)) {
            refusal = credit ? WalletRefusal.BALANCE_OVERFLOW : WalletRefusal.INSUFFICIENT_FUNDS;
        }
        Outcome answer = new Outcome(transferId, accountId, assetId, amount, credit, refusal, nowMs, false);
        byId.put(transferId, answer);
        byAge.addLast(answer);
        return answer;
    }

    /** Forgets the ids answered {@code retentionMs} or more before {@code nowMs}. */
    public void expire(long nowMs) {
        Outcome oldest;
        while ((oldest = byAge.peekFirst()) != null && nowMs - oldest.answeredAtMs >= retentionMs) {
            byAge.removeFirst();
            byId.remove(oldest.transferId);
        }
    }

    /** Whether a credit or debit under this id was applied (and is still remembered). */
    public boolean applied(String transferId) {
        Outcome o = byId.get(transferId);
        return o != null && o.applied();
    }

    /**
     * Per asset id, what the service holds: traders' available and locked (the venue account
     * excluded) and the venue account's total as fees. Each array has one slot per asset.
     */
    public void totals(long[] available, long[] locked, long[] fees) {
        wallets.forEachAccount((account, w) -> {
            for (int asset = 0; asset < available.length && asset < Wallets.assets(w); asset++) {
                int at = Wallets.availableSlot(asset);
                if (account == venueAccount) {
                    fees[asset] = Math.addExact(fees[asset], Math.addExact(w[at], w[at + 1]));
                } else {
                    available[asset] = Math.addExact(available[asset], w[at]);
                    locked[asset] = Math.addExact(locked[asset], w[at + 1]);
                }
            }
        });
    }

    /**
     * <pre>
     *   wallets (see Wallets.write)
     *   int n: (UTF id, long account, int asset, long amount, bool credit, int refusal or -1, long answeredAtMs)*
     *          oldest first
     * </pre>
     */
    public void write(DataOutput out) throws IOException {
        wallets.write(out);
        out.writeInt(byAge.size());
        for (Outcome o : byAge) {
            out.writeUTF(o.transferId);
            out.writeLong(o.accountId);
            out.writeInt(o.assetId);
            out.writeLong(o.amount);
            out.writeBoolean(o.credit);
            out.writeInt(o.refusal == null ? -1 : o.refusal.ordinal());
            out.writeLong(o.answeredAtMs);
        }
    }

    public void read(DataInput in) throws IOException {
        wallets.read(in);
        byId.clear();
        byAge.clear();
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            String id = in.readUTF();
            long account = in.readLong();
            int asset = in.readInt();
            long amount = in.readLong();
            boolean credit = in.readBoolean();
            int refusal = in.readInt();
            remember(new Outcome(id, account, asset, amount, credit,
                    refusal < 0 ? null : WalletRefusal.values()[refusal], in.readLong(), false));
        }
    }

    /**
     * Restores an older snapshot layout's parts: the wallets now, with no ids remembered; the
     * ids then through {@link #remember}, oldest first.
     */
    public void readWalletsOnly(DataInput in) throws IOException {
        wallets.read(in);
        byId.clear();
        byAge.clear();
    }

    /** Adds a remembered answer read from an older snapshot layout. It moves no money. */
    public void remember(Outcome answer) {
        byId.put(answer.transferId, answer);
        byAge.addLast(answer);
    }

    /**
     * Starts every remembered id's retention window at {@code nowMs}: for ids kept under rules
     * that forgot nothing, when the engine adopts retention (a journaled command, so replay
     * does the same).
     */
    public void restartWindows(long nowMs) {
        ArrayDeque<Outcome> all = new ArrayDeque<>(byAge);
        byAge.clear();
        for (Outcome o : all) {
            Outcome restamped = new Outcome(o.transferId, o.accountId, o.assetId, o.amount, o.credit, o.refusal,
                    Math.max(o.answeredAtMs, nowMs), false);
            byId.put(o.transferId, restamped);
            byAge.addLast(restamped);
        }
    }
}
