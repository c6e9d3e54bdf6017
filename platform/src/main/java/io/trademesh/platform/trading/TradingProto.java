package io.trademesh.platform.trading;

import io.trademesh.matching.DoneReason;
import io.trademesh.matching.OrderType;
import io.trademesh.matching.SelfTradePrevention;
import io.trademesh.matching.Side;
import io.trademesh.matching.TimeInForce;
import io.trademesh.proto.common.Fill;
import io.trademesh.proto.common.Order;
import io.trademesh.proto.common.OrderStatus;

/**
 * Between the order-book engines' plain Java types ({@code matching}, the read model) and
 * the protobuf vocabulary of {@code proto/}: sides, order types, time in force, self-trade
 * prevention, order statuses, orders and fills. The same for every order-book product.
 */
public final class TradingProto {

    private TradingProto() {
    }

    /** null for an unspecified or unknown side: the book refuses it as malformed. */
    public static Side side(io.trademesh.proto.common.Side s) {
        return switch (s) {
            case SIDE_BUY -> Side.BUY;
            case SIDE_SELL -> Side.SELL;
            default -> null;
        };
    }

    public static io.trademesh.proto.common.Side side(Side s) {
        return s == Side.BUY ? io.trademesh.proto.common.Side.SIDE_BUY : io.trademesh.proto.common.Side.SIDE_SELL;
    }

    /** Unspecified means limit. */
    public static OrderType type(io.trademesh.proto.common.OrderType t) {
        return switch (t) {
            case ORDER_TYPE_MARKET -> OrderType.MARKET;
            case ORDER_TYPE_LIMIT, ORDER_TYPE_UNSPECIFIED -> OrderType.LIMIT;
            default -> null;
        };
    }

    public static io.trademesh.proto.common.OrderType type(OrderType t) {
        return t == OrderType.MARKET ? io.trademesh.proto.common.OrderType.ORDER_TYPE_MARKET
                : io.trademesh.proto.common.OrderType.ORDER_TYPE_LIMIT;
    }

    /** Unspecified means the type's default (GTC for limit, IOC for market): null. */
    public static TimeInForce timeInForce(io.trademesh.proto.common.TimeInForce t) {
        return switch (t) {
            case TIME_IN_FORCE_GTC -> TimeInForce.GTC;
            case TIME_IN_FORCE_GTD -> TimeInForce.GTD;
            case TIME_IN_FORCE_IOC -> TimeInForce.IOC;
            case TIME_IN_FORCE_FOK -> TimeInForce.FOK;
            case TIME_IN_FORCE_POST_ONLY -> TimeInForce.POST_ONLY;
            default -> null;
        };
    }

    public static io.trademesh.proto.common.TimeInForce timeInForce(TimeInForce t) {
        return switch (t) {
            case GTC -> io.trademesh.proto.common.TimeInForce.TIME_IN_FORCE_GTC;
            case GTD -> io.trademesh.proto.common.TimeInForce.TIME_IN_FORCE_GTD;
            case IOC -> io.trademesh.proto.common.TimeInForce.TIME_IN_FORCE_IOC;
            case FOK -> io.trademesh.proto.common.TimeInForce.TIME_IN_FORCE_FOK;
            case POST_ONLY -> io.trademesh.proto.common.TimeInForce.TIME_IN_FORCE_POST_ONLY;
        };
    }

    public static SelfTradePrevention stp(io.trademesh.proto.common.SelfTradePrevention s) {
        return switch (s) {
            case STP_EXPIRE_MAKER -> SelfTradePrevention.EXPIRE_MAKER;
            case STP_EXPIRE_BOTH -> SelfTradePrevention.EXPIRE_BOTH;
            case STP_NONE -> SelfTradePrevention.NONE;
            default -> SelfTradePrevention.EXPIRE_TAKER;
        };
    }

    public static io.trademesh.proto.common.SelfTradePrevention stp(SelfTradePrevention s) {
        return switch (s) {
            case EXPIRE_TAKER -> io.trademesh.proto.common.SelfTradePrevention.STP_EXPIRE_TAKER;
            case EXPIRE_MAKER -> io.trademesh.proto.common.SelfTradePrevention.STP_EXPIRE_MAKER;
            case EXPIRE_BOTH -> io.trademesh.proto.common.SelfTradePrevention.STP_EXPIRE_BOTH;
            case NONE -> io.trademesh.proto.common.SelfTradePrevention.STP_NONE;
        };
    }

    public static OrderStatus status(OrderRecord r) {
        return switch (r.state) {
            case NEW -> OrderStatus.ORDER_STATUS_NEW;
            case PARTIALLY_FILLED -> OrderStatus.ORDER_STATUS_PARTIALLY_FILLED;
            case FILLED -> OrderStatus.ORDER_STATUS_FILLED;
            case CANCELLED -> OrderStatus.ORDER_STATUS_CANCELLED;
            case EXPIRED -> OrderStatus.ORDER_STATUS_EXPIRED;
            case REJECTED -> OrderStatus.ORDER_STATUS_REJECTED;
        };
    }

    public static Order order(OrderRecord r, String market) {
        return Order.newBuilder()
                .setOrderId(r.orderId)
                .setClientOrderId(r.clientOrderId)
                .setAccountId(r.accountId)
                .setMarket(market)
                .setSide(side(r.side))
                .setType(type(r.type))
                .setTimeInForce(timeInForce(r.timeInForce))
                .setPrice(r.price)
                .setQuantity(r.quantity)
                .setFilledQuantity(r.filledQuantity)
                .setQuoteQuantity(r.quoteQuantity)
                .setExpireAtMs(r.expireAtMs)
                .setStp(stp(r.stp))
                .setStatus(status(r))
                .setCreatedAtMs(r.createdAtMs)
                .setUpdatedAtMs(r.updatedAtMs)
                .build();
    }

    /** An account's own side of a trade: the counterparty's account and fee are not shown. */
    public static Fill fill(FillRecord f, String market, String feeAsset) {
        Fill.Builder b = Fill.newBuilder()
                .setMarket(market)
                .setFeeAsset(feeAsset)
                .setMarketSequence(f.marketSequence())
                .setTradeId(f.tradeId())
                .setPrice(f.price())
                .setQuantity(f.quantity())
                .setTimestampMs(f.timestampMs());
        if (f.maker()) {
            b.setMakerOrderId(f.orderId()).setMakerAccountId(f.accountId()).setMakerFee(f.fee())
                    .setTakerSide(f.side() == Side.BUY ? io.trademesh.proto.common.Side.SIDE_SELL
                            : io.trademesh.proto.common.Side.SIDE_BUY);
        } else {
            b.setTakerOrderId(f.orderId()).setTakerAccountId(f.accountId()).setTakerFee(f.fee())
                    .setTakerSide(side(f.side()));
        }
        return b.build();
    }

    private static final java.util.Map<String, io.trademesh.proto.trading.RejectReason> REJECT_REASONS =
            new java.util.HashMap<>();

    static {
        for (io.trademesh.proto.trading.RejectReason r : io.trademesh.proto.trading.RejectReason.values()) {
            if (r != io.trademesh.proto.trading.RejectReason.UNRECOGNIZED) {
                REJECT_REASONS.put(r.name().substring("REJECT_".length()), r);
            }
        }
    }

    /** The proto enum of an order refusal's reason code; unspecified for a code it does not list. */
    public static io.trademesh.proto.trading.RejectReason rejectReason(String code) {
        return REJECT_REASONS.getOrDefault(code, io.trademesh.proto.trading.RejectReason.REJECT_REASON_UNSPECIFIED);
    }
}
