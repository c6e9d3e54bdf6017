package io.trademesh.matching;

/** Structured copies of the sink callbacks, for assertions. */
sealed interface Event {
    long sequence();

    record Accepted(long sequence, long orderId, long accountId, long clientOrderId, Side side, OrderType type,
                    TimeInForce timeInForce, SelfTradePrevention stp, long price, long quantity, long quoteQuantity,
                    long expireAtMs) implements Event {
    }

    record Rejected(long sequence, CommandType command, long orderId, long accountId, long clientOrderId,
                    RejectReason reason, long existingOrderId) implements Event {
    }

    record Amended(long sequence, long orderId, long accountId, long clientOrderId, long price, long quantity,
                   long leavesQuantity, boolean keptPriority) implements Event {
    }

    record Fill(long sequence, long tradeId, long price, long quantity, Side takerSide, long makerOrderId,
                long makerAccountId, long makerFee, long takerOrderId, long takerAccountId, long takerFee,
                boolean auction) implements Event {
    }

    record Done(long sequence, long orderId, long accountId, long clientOrderId, DoneReason reason,
                long filledQuantity, long remainingQuantity, long remainingQuote) implements Event {
    }

    record Delta(long sequence, Side side, long price, long totalQuantity, int orderCount) implements Event {
    }

    record Auction(long sequence, long price, long quantity) implements Event {
    }
}
