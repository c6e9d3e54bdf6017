package io.trademesh.options.engine;

import io.trademesh.options.pricing.ShortMargin;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * An underlying's rules, set by the operator: the seller's margin ratios ({@link ShortMargin},
 * at 9 decimals), the liquidation fee, and the price band around the mark that limit orders
 * must keep to: {@code mark +- max(mark x priceBandBps, index x bandFloorBps)}.
 */
public record UnderlyingTerms(long initialBase, long initialFloor, long maintenance, int liquidationFeeBps,
                              int priceBandBps, int bandFloorBps) {

    public static final int BPS = 10_000;
    public static final UnderlyingTerms DEFAULT = new UnderlyingTerms(150_000_000L, 100_000_000L, 75_000_000L,
            50, 5_000, 100);

    /** Why these terms cannot be used, or null. */
    public String invalid() {
        String bad = ShortMargin.invalid(initialBase, initialFloor, maintenance);
        if (bad != null) {
            return bad;
        }
        if (liquidationFeeBps < 0 || liquidationFeeBps > 1_000) {
            return "liquidation fee must be 0 .. 1000 bps";
        }
        if (priceBandBps < 1 || priceBandBps > BPS || bandFloorBps < 0 || bandFloorBps > BPS) {
            return "price band must be 1 .. 10000 bps and its floor 0 .. 10000 bps";
        }
        return null;
    }

    public void write(DataOutput out) throws IOException {
        out.writeLong(initialBase);
        out.writeLong(initialFloor);
        out.writeLong(maintenance);
        out.writeInt(liquidationFeeBps);
        out.writeInt(priceBandBps);
        out.writeInt(bandFloorBps);
    }

    public static UnderlyingTerms read(DataInput in) throws IOException {
        return new UnderlyingTerms(in.readLong(), in.readLong(), in.readLong(), in.readInt(), in.readInt(),
                in.readInt());
    }
}
