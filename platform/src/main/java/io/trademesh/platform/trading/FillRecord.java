package io.trademesh.platform.trading;

import io.trademesh.matching.Side;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** One side of a trade, as the account that traded it sees it. */
public record FillRecord(int marketId, long tradeId, long marketSequence, long orderId, long accountId, Side side,
                         long price, long quantity, long fee, boolean maker, long timestampMs) {

    void write(DataOutput out) throws IOException {
        out.writeInt(marketId);
        out.writeLong(tradeId);
        out.writeLong(marketSequence);
        out.writeLong(orderId);
        out.writeLong(accountId);
        out.writeByte(side.ordinal());
        out.writeLong(price);
        out.writeLong(quantity);
        out.writeLong(fee);
        out.writeBoolean(maker);
        out.writeLong(timestampMs);
    }

    static FillRecord read(DataInput in) throws IOException {
        return new FillRecord(in.readInt(), in.readLong(), in.readLong(), in.readLong(), in.readLong(),
                Side.values()[in.readByte()], in.readLong(), in.readLong(), in.readLong(), in.readBoolean(),
                in.readLong());
    }
}
