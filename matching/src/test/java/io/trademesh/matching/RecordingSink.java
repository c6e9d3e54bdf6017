package io.trademesh.matching;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Test sink: keeps every event as a record and as bytes (for byte-identical replay checks), and fails at once if the
 * sequence has a gap or the market id is wrong.
 */
final class RecordingSink implements MatchingSink {
    final List<Event> events = new ArrayList<>();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final DataOutputStream out = new DataOutputStream(bytes);
    private final int expectedMarketId;
    private long lastSequence = -1;

    RecordingSink(final int expectedMarketId) {
        this.expectedMarketId = expectedMarketId;
    }

    /** Continue checking gap-freedom from this sequence (for a sink attached to a restored book). */
    void expectNextAfter(final long sequence) {
        lastSequence = sequence;
    }

    byte[] bytes() {
        return bytes.toByteArray();
    }

    void clear() {
        events.clear();
        bytes.reset();
    }

    private void check(final int marketId, final long sequence, final int kind) {
        if (marketId != expectedMarketId) {
            throw new AssertionError("event for market " + marketId + ", expected " + expectedMarketId);
        }
        if (lastSequence >= 0 && sequence != lastSequence + 1) {
            throw new AssertionError("sequence gap: " + lastSequence + " -> " + sequence);
        }
        if (lastSequence < 0 && sequence <= 0) {
            throw new AssertionError("sequence must start above 0: " + sequence);
        }
        lastSequence = sequence;
        write(kind, sequence);
    }

    private void write(final long... values) {
        try {
            for (final long value : values) {
                out.writeLong(value);
            }
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void onAccepted(final int marketId, final long sequence, final long orderId, final long accountId,
                           final long clientOrderId, final Side side, final OrderType type,
                           final TimeInForce timeInForce, final SelfTradePrevention stp, final long price,
                           final long quantity, final long quoteQuantity, final long expireAtMs) {
        check(marketId, sequence, 1);
        write(orderId, accountId, clientOrderId, side.code(), type.code(), timeInForce.code(), stp.code(), price,
            quantity, quoteQuantity, expireAtMs);
        events.add(new Event.Accepted(sequence, orderId, accountId, clientOrderId, side, type, timeInForce, stp, price,
            quantity, quoteQuantity, expireAtMs));
    }

    @Override
    public void onRejected(final int marketId, final long sequence, final CommandType command, final long orderId,
                           final long accountId, final long clientOrderId, final RejectReason reason,
                           final long existingOrderId) {
        check(marketId, sequence, 2);
        write(command.ordinal(), orderId, accountId, clientOrderId, reason.ordinal(), existingOrderId);
        events.add(new Event.Rejected(sequence, command, orderId, accountId, clientOrderId, reason, existingOrderId));
    }

    @Override
    public void onAmended(final int marketId, final long sequence, final long orderId, final long accountId,
                          final long clientOrderId, final long price, final long quantity, final long leavesQuantity,
                          final boolean keptPriority) {
        check(marketId, sequence, 3);
        write(orderId, accountId, clientOrderId, price, quantity, leavesQuantity, keptPriority ? 1 : 0);
        events.add(new Event.Amended(sequence, orderId, accountId, clientOrderId, price, quantity, leavesQuantity,
            keptPriority));
    }

    @Override
    public void onFill(final int marketId, final long sequence, final long tradeId, final long price,
                       final long quantity, final Side takerSide, final long makerOrderId, final long makerAccountId,
                       final long makerFee, final long takerOrderId, final long takerAccountId, final long takerFee,
                       final boolean auction) {
        check(marketId, sequence, 4);
        write(tradeId, price, quantity, takerSide.code(), makerOrderId, makerAccountId, makerFee, takerOrderId,
            takerAccountId, takerFee, auction ? 1 : 0);
        events.add(new Event.Fill(sequence, tradeId, price, quantity, takerSide, makerOrderId, makerAccountId,
            makerFee, takerOrderId, takerAccountId, takerFee, auction));
    }

    @Override
    public void onDone(final int marketId, final long sequence, final long orderId, final long accountId,
                       final long clientOrderId, final DoneReason reason, final long filledQuantity,
                       final long remainingQuantity, final long remainingQuote) {
        check(marketId, sequence, 5);
        write(orderId, accountId, clientOrderId, reason.ordinal(), filledQuantity, remainingQuantity, remainingQuote);
        events.add(new Event.Done(sequence, orderId, accountId, clientOrderId, reason, filledQuantity,
            remainingQuantity, remainingQuote));
    }

    @Override
    public void onBookDelta(final int marketId, final long sequence, final Side side, final long price,
                            final long totalQuantity, final int orderCount) {
        check(marketId, sequence, 6);
        write(side.code(), price, totalQuantity, orderCount);
        events.add(new Event.Delta(sequence, side, price, totalQuantity, orderCount));
    }

    @Override
    public void onAuction(final int marketId, final long sequence, final long price, final long quantity) {
        check(marketId, sequence, 7);
        write(price, quantity);
        events.add(new Event.Auction(sequence, price, quantity));
    }
}
