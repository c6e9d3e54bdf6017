package io.trademesh.futures.engine;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * A contract's futures terms (the book's are its MarketSpec). Rates named E8 are parts per
 * 10^8: 0.01% = 10_000.
 *
 * @param expiryMs           dated: when it settles
 * @param fundingIntervalMs  perpetual: between settlements, aligned to the epoch (8 h: 00:00, 08:00, 16:00 UTC)
 * @param interestRateE8     perpetual: per funding interval
 * @param fundingCapE8       perpetual: the largest |rate|
 * @param impactNotional     quote units walked into each side of the book for the impact prices
 * @param settlementWindowMs dated: the index is averaged over this before expiry
 * @param liquidationFeeBps  of a liquidated notional, to the insurance fund
 */
public record FuturesTerms(ContractKind kind, long expiryMs, long fundingIntervalMs, long interestRateE8,
                           long fundingCapE8, long impactNotional, long settlementWindowMs, int liquidationFeeBps,
                           MarginBrackets brackets) {

    public static final long E8 = 100_000_000L;
    public static final long MIN_FUNDING_INTERVAL_MS = 60_000;
    /** The premium is clamped this close to the interest rate: 0.05%. */
    public static final long INTEREST_CLAMP_E8 = 50_000;

    /** Why these terms cannot be a contract at {@code nowMs}, or null when they can. */
    public String invalid(long nowMs) {
        if (kind == null || brackets == null) {
            return "kind and brackets are required";
        }
        if (impactNotional <= 0 || liquidationFeeBps < 0 || liquidationFeeBps > 1_000) {
            return "impact notional must be positive and the liquidation fee 0..1000 bps";
        }
        if (kind == ContractKind.PERPETUAL) {
            if (fundingIntervalMs < MIN_FUNDING_INTERVAL_MS || fundingIntervalMs > 24L * 3_600_000
                    || (24L * 3_600_000) % fundingIntervalMs != 0) {
                return "funding interval must divide a day and be at least a minute";
            }
            if (fundingCapE8 <= 0 || fundingCapE8 >= E8 || Math.abs(interestRateE8) > fundingCapE8) {
                return "funding cap must be in (0, 100%) and cover the interest rate";
            }
        } else if (expiryMs <= nowMs || settlementWindowMs <= 0 || settlementWindowMs > 24L * 3_600_000) {
            return "a dated contract expires in the future and averages over up to a day";
        }
        return null;
    }

    public void write(DataOutput out) throws IOException {
        out.writeInt(kind.ordinal());
        out.writeLong(expiryMs);
        out.writeLong(fundingIntervalMs);
        out.writeLong(interestRateE8);
        out.writeLong(fundingCapE8);
        out.writeLong(impactNotional);
        out.writeLong(settlementWindowMs);
        out.writeInt(liquidationFeeBps);
        out.writeInt(brackets.size());
        for (int k = 0; k < brackets.size(); k++) {
            out.writeLong(brackets.cap(k));
            out.writeInt(brackets.maxLeverage(k));
            out.writeInt(brackets.mmrBps(k));
        }
    }

    public static FuturesTerms read(DataInput in) throws IOException {
        ContractKind kind = ContractKind.values()[in.readInt()];
        long expiry = in.readLong();
        long interval = in.readLong();
        long interest = in.readLong();
        long cap = in.readLong();
        long impact = in.readLong();
        long window = in.readLong();
        int liqFee = in.readInt();
        int n = in.readInt();
        long[] caps = new long[n];
        int[] lev = new int[n];
        int[] mmr = new int[n];
        for (int k = 0; k < n; k++) {
            caps[k] = in.readLong();
            lev[k] = in.readInt();
            mmr[k] = in.readInt();
        }
        return new FuturesTerms(kind, expiry, interval, interest, cap, impact, window, liqFee,
                MarginBrackets.of(caps, lev, mmr));
    }
}
