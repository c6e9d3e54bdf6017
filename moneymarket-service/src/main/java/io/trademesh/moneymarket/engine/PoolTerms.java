package io.trademesh.moneymarket.engine;

import static io.trademesh.moneymarket.engine.RateModel.ONE;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * An operator's terms for one pool (ratios and yearly rates at 9 decimals, caps in asset
 * units, 0 for none). See {@link RateModel} for the rate curve.
 */
public record PoolTerms(String asset, int decimals, long optimalUtilization, long baseRate, long slope1,
                        long slope2, long reserveFactor, long ltv, long liquidationThreshold, long liquidationBonus,
                        long protocolShare, long supplyCap, long borrowCap, boolean collateralEnabled,
                        boolean borrowEnabled, int category) {

    /** What makes these terms unusable, said plainly, or null. */
    public String invalid() {
        if (asset == null || !asset.matches("[A-Z0-9]{1,16}")) {
            return "asset must be 1-16 of [A-Z0-9]";
        }
        if (decimals < 0 || decimals > 18) {
            return "asset decimals must be 0-18";
        }
        if (optimalUtilization <= 0 || optimalUtilization >= ONE) {
            return "optimal utilisation must be in (0, 1)";
        }
        if (baseRate < 0 || slope1 < 0 || slope2 < 0) {
            return "rates and slopes must not be negative";
        }
        if (baseRate > RateModel.MAX_RATE || slope1 > RateModel.MAX_RATE || slope2 > RateModel.MAX_RATE
                || baseRate + slope1 + slope2 > RateModel.MAX_RATE) {
            return "base rate + slope1 + slope2 must be at most 10 (1000% a year)";
        }
        if (reserveFactor < 0 || reserveFactor >= ONE) {
            return "reserve factor must be in [0, 1)";
        }
        String bad = riskTerms(ltv, liquidationThreshold, liquidationBonus);
        if (bad != null) {
            return bad;
        }
        if (protocolShare < 0 || protocolShare > ONE) {
            return "protocol share must be in [0, 1]";
        }
        if (supplyCap < 0 || borrowCap < 0) {
            return "caps must not be negative (0: none)";
        }
        if (category < 0 || category > 255) {
            return "category must be 0 (none) to 255";
        }
        return null;
    }

    /**
     * The collateral terms' rule, shared with efficiency-mode categories: ltv < threshold <= 1,
     * and a liquidation at the threshold with the bonus never seizes more than the collateral.
     */
    static String riskTerms(long ltv, long threshold, long bonus) {
        if (ltv < 0 || threshold <= 0 || threshold > ONE) {
            return "ltv must be >= 0 and the liquidation threshold in (0, 1]";
        }
        if (ltv >= threshold) {
            return "ltv must be below the liquidation threshold";
        }
        if (bonus < 0 || bonus > ONE / 2) {
            return "liquidation bonus must be in [0, 0.5]";
        }
        if (RateModel.times(threshold, ONE + bonus) > ONE) {
            return "liquidation threshold x (1 + bonus) must be at most 1, or a liquidation could seize more than"
                    + " the collateral at the threshold";
        }
        return null;
    }

    void write(DataOutput out) throws IOException {
        out.writeUTF(asset);
        out.writeInt(decimals);
        for (long v : new long[] {optimalUtilization, baseRate, slope1, slope2, reserveFactor, ltv,
                liquidationThreshold, liquidationBonus, protocolShare, supplyCap, borrowCap}) {
            out.writeLong(v);
        }
        out.writeBoolean(collateralEnabled);
        out.writeBoolean(borrowEnabled);
        out.writeInt(category);
    }

    static PoolTerms read(DataInput in) throws IOException {
        String asset = in.readUTF();
        int decimals = in.readInt();
        long[] v = new long[11];
        for (int i = 0; i < v.length; i++) {
            v[i] = in.readLong();
        }
        return new PoolTerms(asset, decimals, v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10],
                in.readBoolean(), in.readBoolean(), in.readInt());
    }
}
