package io.trademesh.platform.trading;

import io.trademesh.proto.risk.AccountLimits;
import io.trademesh.proto.risk.RiskControl;
import io.trademesh.proto.trading.SetAccountLimits;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * risk-service's limits on accounts as an order-book engine keeps them: per account a cap
 * on open orders, a cap on one order's notional, and the kill switch. Set only by journaled
 * commands (so the refusals they cause replay exactly); an account without limits has no
 * entry. Deterministic, single-threaded, like the engine that owns it.
 */
public final class RiskLimits {

    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(RiskLimits.class.getName());

    /**
     * One account's limits; 0 = no cap. The notional cap counts in {@code notionalAsset} and
     * caps orders of markets quoted in it ("" caps every market in its quote units: limits
     * journaled before the asset was).
     */
    public record Limits(int maxOpenOrders, long maxOrderNotional, String notionalAsset, boolean killSwitch) {
        boolean none() {
            return maxOpenOrders == 0 && maxOrderNotional == 0 && !killSwitch;
        }
    }

    /** Why a new order is refused by the limits. */
    public enum Breach {
        KILL_SWITCH,
        OPEN_ORDER_LIMIT,
        ORDER_NOTIONAL_LIMIT
    }

    private final Long2ObjectHashMap<Limits> byAccount = new Long2ObjectHashMap<>();

    /** The account's limits, or null when it has none. */
    public Limits get(long accountId) {
        return byAccount.get(accountId);
    }

    /** Sets an account's limits (negative caps count as none); all zero and no kill switch removes them. */
    public void set(long accountId, int maxOpenOrders, long maxOrderNotional, String notionalAsset,
                    boolean killSwitch) {
        Limits l = of(maxOpenOrders, maxOrderNotional, notionalAsset, killSwitch);
        if (l.none()) {
            byAccount.remove(accountId);
        } else {
            byAccount.put(accountId, l);
        }
    }

    /** Whether risk-service's {@code wanted} limits differ from what the engine holds: then journal them. */
    public boolean differ(AccountLimits wanted) {
        Limits want = of(wanted.getMaxOpenOrders(), wanted.getMaxOrderNotional(), wanted.getNotionalAsset(),
                wanted.getKillSwitch());
        Limits have = byAccount.get(wanted.getAccountId());
        return want.none() ? have != null : !want.equals(have);
    }

    /**
     * The limits of risk-service's {@code control} that differ from what the engine holds, as
     * the command each product journals (logged: an operator sees when a limit takes effect).
     */
    public java.util.List<SetAccountLimits> changes(RiskControl control) {
        java.util.List<SetAccountLimits> out = new java.util.ArrayList<>();
        for (AccountLimits l : control.getLimitsList()) {
            if (differ(l)) {
                LOG.info("risk limits for account " + l.getAccountId() + ": max open orders " + l.getMaxOpenOrders()
                        + ", max order notional " + l.getMaxOrderNotional() + " " + l.getNotionalAsset()
                        + ", kill switch " + l.getKillSwitch());
                out.add(SetAccountLimits.newBuilder().setAccountId(l.getAccountId())
                        .setMaxOpenOrders(l.getMaxOpenOrders()).setMaxOrderNotional(l.getMaxOrderNotional())
                        .setNotionalAsset(l.getNotionalAsset()).setKillSwitch(l.getKillSwitch()).build());
            }
        }
        return out;
    }

    private static Limits of(int maxOpenOrders, long maxOrderNotional, String notionalAsset, boolean killSwitch) {
        long cap = Math.max(0, maxOrderNotional);
        return new Limits(Math.max(0, maxOpenOrders), cap, cap > 0 && notionalAsset != null ? notionalAsset : "",
                killSwitch);
    }

    /**
     * What the limits say about a new order of {@code accountId}, which has {@code openOrders}
     * open and whose notional is {@code notional} in {@code quoteAsset}, its market's quote
     * asset: null when allowed.
     */
    public Breach check(long accountId, int openOrders, long notional, String quoteAsset) {
        Limits l = byAccount.get(accountId);
        if (l == null) {
            return null;
        }
        if (l.killSwitch()) {
            return Breach.KILL_SWITCH;
        }
        if (l.maxOpenOrders() > 0 && openOrders >= l.maxOpenOrders()) {
            return Breach.OPEN_ORDER_LIMIT;
        }
        if (l.maxOrderNotional() > 0 && notional > l.maxOrderNotional()
                && (l.notionalAsset().isEmpty() || l.notionalAsset().equals(quoteAsset))) {
            return Breach.ORDER_NOTIONAL_LIMIT;
        }
        return null;
    }

    /** Whether the account has an open-order cap (so the caller counts its open orders only then). */
    public boolean capsOpenOrders(long accountId) {
        Limits l = byAccount.get(accountId);
        return l != null && l.maxOpenOrders() > 0;
    }

    /** {@code int n: (long account, int maxOpenOrders, long maxOrderNotional, UTF notionalAsset, bool killSwitch)*}, ascending. */
    public void write(DataOutput out) throws IOException {
        long[] accounts = new long[byAccount.size()];
        int i = 0;
        for (Long2ObjectHashMap<Limits>.KeyIterator it = byAccount.keySet().iterator(); it.hasNext(); ) {
            accounts[i++] = it.nextLong();
        }
        Arrays.sort(accounts);
        out.writeInt(accounts.length);
        for (long account : accounts) {
            Limits l = byAccount.get(account);
            out.writeLong(account);
            out.writeInt(l.maxOpenOrders());
            out.writeLong(l.maxOrderNotional());
            out.writeUTF(l.notionalAsset());
            out.writeBoolean(l.killSwitch());
        }
    }

    /** @param withNotionalAsset false for a layout written before the notional asset was (read as "") */
    public void read(DataInput in, boolean withNotionalAsset) throws IOException {
        byAccount.clear();
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            byAccount.put(in.readLong(), new Limits(in.readInt(), in.readLong(),
                    withNotionalAsset ? in.readUTF() : "", in.readBoolean()));
        }
    }
}
