package io.trademesh.futures.engine;

import io.trademesh.matching.OrderType;
import io.trademesh.matching.SelfTradePrevention;
import io.trademesh.matching.Side;
import io.trademesh.matching.TimeInForce;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * An order the engine holds until its trigger: stop, take-profit or trailing stop, on the
 * mark or the last trade price. Journaled state: the trailing stop's activation and best
 * price are in the snapshot, so replay triggers exactly what the live run triggered.
 */
public final class ConditionalOrder {

    public enum Kind { STOP, TAKE_PROFIT, TRAILING_STOP }

    /** What became of it: held, fired (the order it placed has its own id), or dropped. */
    public enum Status { HELD, TRIGGERED, REJECTED, CANCELLED, EXPIRED }

    final long id;
    final long accountId;
    final Contract contract;
    final String clientOrderId;
    final Side side;
    final OrderType type;
    final TimeInForce timeInForce;
    final long price;
    final long quantity;
    final SelfTradePrevention stp;
    final boolean reduceOnly;
    final boolean closePosition;
    final Kind kind;
    final long triggerPrice;
    final boolean byLastPrice;
    final int callbackBps;
    final long createdMs;
    boolean activated;
    long extreme;

    ConditionalOrder(long id, long accountId, Contract contract, String clientOrderId, Side side, OrderType type,
                     TimeInForce timeInForce, long price, long quantity, SelfTradePrevention stp, boolean reduceOnly,
                     boolean closePosition, Kind kind, long triggerPrice, boolean byLastPrice, int callbackBps,
                     long createdMs) {
        this.id = id;
        this.accountId = accountId;
        this.contract = contract;
        this.clientOrderId = clientOrderId == null ? "" : clientOrderId;
        this.side = side;
        this.type = type;
        this.timeInForce = timeInForce;
        this.price = price;
        this.quantity = quantity;
        this.stp = stp;
        this.reduceOnly = reduceOnly;
        this.closePosition = closePosition;
        this.kind = kind;
        this.triggerPrice = triggerPrice;
        this.byLastPrice = byLastPrice;
        this.callbackBps = callbackBps;
        this.createdMs = createdMs;
        this.activated = kind != Kind.TRAILING_STOP || triggerPrice == 0;
    }

    /**
     * Whether the order fires at {@code p}, updating a trailing stop's activation and best
     * price first. A stop buys when the price rises to its trigger and sells when it falls to
     * it; a take-profit the other way round; a trailing stop sells when the price has fallen
     * {@code callbackBps} from its highest since activation (buys when risen from its lowest).
     */
    boolean firesAt(long p) {
        if (p <= 0) {
            return false;
        }
        boolean buy = side == Side.BUY;
        switch (kind) {
            case STOP:
                return buy ? p >= triggerPrice : p <= triggerPrice;
            case TAKE_PROFIT:
                return buy ? p <= triggerPrice : p >= triggerPrice;
            default:
                if (!activated) {
                    if (buy ? p > triggerPrice : p < triggerPrice) {
                        return false;
                    }
                    activated = true;
                    extreme = p;
                }
                extreme = extreme == 0 ? p : buy ? Math.min(extreme, p) : Math.max(extreme, p);
                long move = extreme * callbackBps / MarginBrackets.BPS;
                return buy ? p >= extreme + move : p <= extreme - move;
        }
    }

    public long id() {
        return id;
    }

    public long accountId() {
        return accountId;
    }

    public Contract contract() {
        return contract;
    }

    public String clientOrderId() {
        return clientOrderId;
    }

    public Side side() {
        return side;
    }

    public OrderType type() {
        return type;
    }

    public TimeInForce timeInForce() {
        return timeInForce;
    }

    public long price() {
        return price;
    }

    public long quantity() {
        return quantity;
    }

    public SelfTradePrevention stp() {
        return stp;
    }

    public boolean reduceOnly() {
        return reduceOnly;
    }

    public Kind kind() {
        return kind;
    }

    public long triggerPrice() {
        return triggerPrice;
    }

    public boolean byLastPrice() {
        return byLastPrice;
    }

    public int callbackBps() {
        return callbackBps;
    }

    public boolean activated() {
        return activated;
    }

    public long extreme() {
        return extreme;
    }

    public long createdMs() {
        return createdMs;
    }

    void write(DataOutput out) throws IOException {
        out.writeLong(id);
        out.writeLong(accountId);
        out.writeUTF(clientOrderId);
        out.writeInt(side.ordinal());
        out.writeInt(type.ordinal());
        out.writeInt(timeInForce.ordinal());
        out.writeLong(price);
        out.writeLong(quantity);
        out.writeInt(stp.ordinal());
        out.writeBoolean(reduceOnly);
        out.writeBoolean(closePosition);
        out.writeInt(kind.ordinal());
        out.writeLong(triggerPrice);
        out.writeBoolean(byLastPrice);
        out.writeInt(callbackBps);
        out.writeLong(createdMs);
        out.writeBoolean(activated);
        out.writeLong(extreme);
    }

    static ConditionalOrder read(DataInput in, Contract contract) throws IOException {
        ConditionalOrder o = new ConditionalOrder(in.readLong(), in.readLong(), contract, in.readUTF(),
                Side.values()[in.readInt()], OrderType.values()[in.readInt()], TimeInForce.values()[in.readInt()],
                in.readLong(), in.readLong(), SelfTradePrevention.values()[in.readInt()], in.readBoolean(),
                in.readBoolean(), Kind.values()[in.readInt()], in.readLong(), in.readBoolean(), in.readInt(),
                in.readLong());
        o.activated = in.readBoolean();
        o.extreme = in.readLong();
        return o;
    }
}
