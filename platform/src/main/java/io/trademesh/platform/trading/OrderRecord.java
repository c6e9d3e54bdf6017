package io.trademesh.platform.trading;

import io.trademesh.matching.DoneReason;
import io.trademesh.matching.OrderType;
import io.trademesh.matching.SelfTradePrevention;
import io.trademesh.matching.Side;
import io.trademesh.matching.TimeInForce;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** An order as {@link OrderBookView} remembers it, open or in an account's history. */
public final class OrderRecord {
    public long orderId;
    public long accountId;
    public int marketId;
    public String clientOrderId = "";
    public Side side;
    public OrderType type;
    public TimeInForce timeInForce;
    public SelfTradePrevention stp;
    public long price;
    public long quantity;
    public long quoteQuantity;
    public long filledQuantity;
    public long expireAtMs;
    public OrderState state = OrderState.NEW;
    /** Why it is done (null while open). */
    public DoneReason doneReason;
    public long createdAtMs;
    public long updatedAtMs;
    /** Links in its account's list of open orders ({@link OrderBookView}); not part of the snapshot. */
    OrderRecord accountPrev;
    OrderRecord accountNext;

    void write(DataOutput out) throws IOException {
        out.writeLong(orderId);
        out.writeLong(accountId);
        out.writeInt(marketId);
        out.writeUTF(clientOrderId);
        out.writeByte(side.ordinal());
        out.writeByte(type.ordinal());
        out.writeByte(timeInForce.ordinal());
        out.writeByte(stp.ordinal());
        out.writeLong(price);
        out.writeLong(quantity);
        out.writeLong(quoteQuantity);
        out.writeLong(filledQuantity);
        out.writeLong(expireAtMs);
        out.writeByte(state.ordinal());
        out.writeByte(doneReason == null ? -1 : doneReason.ordinal());
        out.writeLong(createdAtMs);
        out.writeLong(updatedAtMs);
    }

    static OrderRecord read(DataInput in) throws IOException {
        OrderRecord r = new OrderRecord();
        r.orderId = in.readLong();
        r.accountId = in.readLong();
        r.marketId = in.readInt();
        r.clientOrderId = in.readUTF();
        r.side = Side.values()[in.readByte()];
        r.type = OrderType.values()[in.readByte()];
        r.timeInForce = TimeInForce.values()[in.readByte()];
        r.stp = SelfTradePrevention.values()[in.readByte()];
        r.price = in.readLong();
        r.quantity = in.readLong();
        r.quoteQuantity = in.readLong();
        r.filledQuantity = in.readLong();
        r.expireAtMs = in.readLong();
        r.state = OrderState.values()[in.readByte()];
        int reason = in.readByte();
        r.doneReason = reason < 0 ? null : DoneReason.values()[reason];
        r.createdAtMs = in.readLong();
        r.updatedAtMs = in.readLong();
        return r;
    }
}
