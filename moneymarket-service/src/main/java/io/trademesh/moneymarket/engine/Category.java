package io.trademesh.moneymarket.engine;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * An efficiency-mode category (for example stablecoins): an account that chooses it may
 * borrow only the category's assets, and its collateral in the category counts at the
 * category's terms instead of the pool's.
 */
public record Category(int id, String name, long ltv, long liquidationThreshold, long liquidationBonus) {

    public String invalid() {
        if (id <= 0 || id > 255) {
            return "category id must be 1-255";
        }
        if (name == null || !name.matches("[A-Za-z0-9 ._-]{1,32}")) {
            return "category name must be 1-32 of [A-Za-z0-9 ._-]";
        }
        return PoolTerms.riskTerms(ltv, liquidationThreshold, liquidationBonus);
    }

    void write(DataOutput out) throws IOException {
        out.writeInt(id);
        out.writeUTF(name);
        out.writeLong(ltv);
        out.writeLong(liquidationThreshold);
        out.writeLong(liquidationBonus);
    }

    static Category read(DataInput in) throws IOException {
        return new Category(in.readInt(), in.readUTF(), in.readLong(), in.readLong(), in.readLong());
    }
}
