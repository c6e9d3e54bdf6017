package io.trademesh.bench.matching;

import io.trademesh.matching.CommandType;
import io.trademesh.matching.DoneReason;
import io.trademesh.matching.MatchingSink;
import io.trademesh.matching.OrderType;
import io.trademesh.matching.RejectReason;
import io.trademesh.matching.SelfTradePrevention;
import io.trademesh.matching.Side;
import io.trademesh.matching.TimeInForce;

/** Counts events in a measured loop; benchmarks return the counts so nothing is optimised away. */
public class CountingSink implements MatchingSink {

    public long events;
    public long filledQuantity;

    @Override
    public void onAccepted(final int marketId, final long sequence, final long orderId, final long accountId,
                           final long clientOrderId, final Side side, final OrderType type,
                           final TimeInForce timeInForce, final SelfTradePrevention stp, final long price,
                           final long quantity, final long quoteQuantity, final long expireAtMs) {
        events++;
    }

    @Override
    public void onRejected(final int marketId, final long sequence, final CommandType command,
                           final long orderId, final long accountId, final long clientOrderId,
                           final RejectReason reason, final long existingOrderId) {
        events++;
    }

    @Override
    public void onAmended(final int marketId, final long sequence, final long orderId, final long accountId,
                          final long clientOrderId, final long price, final long quantity,
                          final long leavesQuantity, final boolean keptPriority) {
        events++;
    }

    @Override
    public void onFill(final int marketId, final long sequence, final long tradeId, final long price,
                       final long quantity, final Side takerSide, final long makerOrderId,
                       final long makerAccountId, final long makerFee, final long takerOrderId,
                       final long takerAccountId, final long takerFee, final boolean auction) {
        events++;
        filledQuantity += quantity;
    }

    @Override
    public void onDone(final int marketId, final long sequence, final long orderId, final long accountId,
                       final long clientOrderId, final DoneReason reason, final long filledQuantity,
                       final long remainingQuantity, final long remainingQuote) {
        events++;
    }

    @Override
    public void onBookDelta(final int marketId, final long sequence, final Side side, final long price,
                            final long totalQuantity, final int orderCount) {
        events++;
    }

    @Override
    public void onAuction(final int marketId, final long sequence, final long price, final long quantity) {
        events++;
    }
}
