package io.trademesh.bench.matching;

import io.trademesh.matching.CommandType;
import io.trademesh.matching.DoneReason;
import io.trademesh.matching.MatchingSink;
import io.trademesh.matching.OrderType;
import io.trademesh.matching.RejectReason;
import io.trademesh.matching.SelfTradePrevention;
import io.trademesh.matching.Side;
import io.trademesh.matching.TimeInForce;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * For workload generators: which GTC orders rest in each market (so cancels and amends can
 * pick a live one in O(1)), whether the current command traded, and how many were refused.
 * Runs only while commands are generated, never in a measured loop.
 */
public class RestingOrders implements MatchingSink {

    /** Per market, the resting orders' ids (unordered). */
    public final List<List<Long>> open = new ArrayList<>();
    private final List<Map<Long, Integer>> position = new ArrayList<>();
    public boolean traded;
    public long rejected;

    public RestingOrders(final int markets, final int restingPerMarket) {
        for (int m = 0; m < markets; m++) {
            open.add(new ArrayList<>(restingPerMarket * 2));
            position.add(new HashMap<>(restingPerMarket * 4));
        }
    }

    @Override
    public void onAccepted(final int marketId, final long sequence, final long orderId, final long accountId,
                           final long clientOrderId, final Side side, final OrderType type,
                           final TimeInForce timeInForce, final SelfTradePrevention stp, final long price,
                           final long quantity, final long quoteQuantity, final long expireAtMs) {
        if (type == OrderType.LIMIT && timeInForce == TimeInForce.GTC) {
            position.get(marketId).put(orderId, open.get(marketId).size());
            open.get(marketId).add(orderId);
        }
    }

    @Override
    public void onRejected(final int marketId, final long sequence, final CommandType command,
                           final long orderId, final long accountId, final long clientOrderId,
                           final RejectReason reason, final long existingOrderId) {
        rejected++;
    }

    @Override
    public void onAmended(final int marketId, final long sequence, final long orderId, final long accountId,
                          final long clientOrderId, final long price, final long quantity,
                          final long leavesQuantity, final boolean keptPriority) {
    }

    @Override
    public void onFill(final int marketId, final long sequence, final long tradeId, final long price,
                       final long quantity, final Side takerSide, final long makerOrderId,
                       final long makerAccountId, final long makerFee, final long takerOrderId,
                       final long takerAccountId, final long takerFee, final boolean auction) {
        traded = true;
    }

    @Override
    public void onDone(final int marketId, final long sequence, final long orderId, final long accountId,
                       final long clientOrderId, final DoneReason reason, final long filledQuantity,
                       final long remainingQuantity, final long remainingQuote) {
        final Integer index = position.get(marketId).remove(orderId);
        if (index != null) {
            final List<Long> ids = open.get(marketId);
            final long last = ids.remove(ids.size() - 1);
            if (index < ids.size()) {
                ids.set(index, last);
                position.get(marketId).put(last, index);
            }
        }
    }

    @Override
    public void onBookDelta(final int marketId, final long sequence, final Side side, final long price,
                            final long totalQuantity, final int orderCount) {
    }

    @Override
    public void onAuction(final int marketId, final long sequence, final long price, final long quantity) {
    }
}
