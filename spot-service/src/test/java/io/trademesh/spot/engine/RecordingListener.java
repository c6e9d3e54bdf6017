package io.trademesh.spot.engine;

import io.trademesh.platform.trading.MarketSpec;
import io.trademesh.matching.CommandType;
import io.trademesh.matching.DoneReason;
import io.trademesh.matching.OrderType;
import io.trademesh.matching.RejectReason;
import io.trademesh.matching.SelfTradePrevention;
import io.trademesh.matching.Side;
import io.trademesh.matching.TimeInForce;
import io.trademesh.platform.wallet.WalletLedger;
import io.trademesh.platform.wallet.WalletRefusal;
import java.util.ArrayList;
import java.util.List;

/**
 * Test listener: keeps every event of the engine, as a typed record and as one line of text in arrival order, and
 * fails at once if a market's book sequence has a gap.
 */
final class RecordingListener implements SpotListener {

    record Refusal(SpotCommandKind command, long accountId, int marketId, long orderId, SpotRejectReason reason) {
    }

    record Rejection(int marketId, CommandType command, long orderId, long accountId, RejectReason reason) {
    }

    record Fill(int marketId, long tradeId, long price, long quantity, Side takerSide, long makerOrderId,
                long makerAccountId, long makerFee, long takerOrderId, long takerAccountId, long takerFee) {
    }

    record Done(int marketId, long orderId, long accountId, DoneReason reason, long filledQuantity,
                long remainingQuantity, long remainingQuote) {
    }

    record Balance(long accountId, int assetId, long available, long locked) {
    }

    record Transfer(String transferId, long accountId, int assetId, long amount, boolean credit, boolean applied,
                    WalletRefusal reason, boolean duplicate) {
    }

    final List<String> lines = new ArrayList<>();
    final List<Refusal> refusals = new ArrayList<>();
    final List<Rejection> rejections = new ArrayList<>();
    final List<Fill> fills = new ArrayList<>();
    final List<Done> dones = new ArrayList<>();
    final List<Balance> balances = new ArrayList<>();
    final List<Transfer> transfers = new ArrayList<>();
    final List<Long> duplicates = new ArrayList<>();
    final List<Long> accepted = new ArrayList<>();
    private final List<Long> lastSequence = new ArrayList<>();

    /** Forgets what was recorded (the sequence check goes on). */
    void clear() {
        lines.clear();
        refusals.clear();
        rejections.clear();
        fills.clear();
        dones.clear();
        balances.clear();
        transfers.clear();
        duplicates.clear();
        accepted.clear();
    }

    /** The first balance event of this wallet since the last {@link #clear()}. */
    Balance firstBalance(long accountId, int assetId) {
        return balances.stream().filter(b -> b.accountId == accountId && b.assetId == assetId).findFirst()
                .orElseThrow(() -> new AssertionError("no balance event for " + accountId + "/" + assetId));
    }

    /** Expects a market's next event after {@code sequence} (an engine restored from a snapshot). */
    void continueFrom(int marketId, long sequence) {
        while (lastSequence.size() <= marketId) {
            lastSequence.add(0L);
        }
        lastSequence.set(marketId, sequence);
    }

    private void sequence(int marketId, long sequence) {
        while (lastSequence.size() <= marketId) {
            lastSequence.add(0L);
        }
        long last = lastSequence.get(marketId);
        if (sequence != last + 1) {
            throw new AssertionError("market " + marketId + " sequence gap: " + last + " -> " + sequence);
        }
        lastSequence.set(marketId, sequence);
    }

    @Override
    public void onMarketCreated(int marketId, MarketSpec spec) {
        lines.add("market " + marketId + " " + spec.symbol());
    }

    @Override
    public void onRefused(SpotCommandKind command, long accountId, int marketId, long orderId,
                          SpotRejectReason reason) {
        refusals.add(new Refusal(command, accountId, marketId, orderId, reason));
        lines.add("refused " + command + " " + reason);
    }

    @Override
    public void onDuplicateClientOrderId(int marketId, long accountId, long existingOrderId) {
        duplicates.add(existingOrderId);
        lines.add("duplicate " + existingOrderId);
    }

    @Override
    public void onBalance(long accountId, int assetId, long available, long locked) {
        balances.add(new Balance(accountId, assetId, available, locked));
        lines.add("balance " + accountId + "/" + assetId + " " + available + "/" + locked);
    }

    @Override
    public void onTransfer(WalletLedger.Outcome o) {
        transfers.add(new Transfer(o.transferId(), o.accountId(), o.assetId(), o.amount(), o.credit(), o.applied(),
                o.refusal(), o.duplicate()));
        lines.add("transfer " + o.transferId() + " applied=" + o.applied() + " " + o.refusal());
    }

    @Override
    public void onAccepted(int marketId, long sequence, long orderId, long accountId, long clientOrderId, Side side,
                           OrderType type, TimeInForce timeInForce, SelfTradePrevention selfTradePrevention,
                           long price, long quantity, long quoteQuantity, long expireAtMs) {
        sequence(marketId, sequence);
        accepted.add(orderId);
        lines.add("accepted " + orderId);
    }

    @Override
    public void onRejected(int marketId, long sequence, CommandType command, long orderId, long accountId,
                           long clientOrderId, RejectReason reason, long existingOrderId) {
        sequence(marketId, sequence);
        rejections.add(new Rejection(marketId, command, orderId, accountId, reason));
        lines.add("rejected " + command + " " + orderId + " " + reason);
    }

    @Override
    public void onAmended(int marketId, long sequence, long orderId, long accountId, long clientOrderId, long price,
                          long quantity, long leavesQuantity, boolean keptPriority) {
        sequence(marketId, sequence);
        lines.add("amended " + orderId + " " + price + " " + quantity);
    }

    @Override
    public void onFill(int marketId, long sequence, long tradeId, long price, long quantity, Side takerSide,
                       long makerOrderId, long makerAccountId, long makerFee, long takerOrderId,
                       long takerAccountId, long takerFee, boolean auction) {
        sequence(marketId, sequence);
        fills.add(new Fill(marketId, tradeId, price, quantity, takerSide, makerOrderId, makerAccountId, makerFee,
                takerOrderId, takerAccountId, takerFee));
        lines.add("fill " + tradeId + " " + price + "x" + quantity);
    }

    @Override
    public void onDone(int marketId, long sequence, long orderId, long accountId, long clientOrderId,
                       DoneReason reason, long filledQuantity, long remainingQuantity, long remainingQuote) {
        sequence(marketId, sequence);
        dones.add(new Done(marketId, orderId, accountId, reason, filledQuantity, remainingQuantity, remainingQuote));
        lines.add("done " + orderId + " " + reason);
    }

    @Override
    public void onBookDelta(int marketId, long sequence, Side side, long price, long totalQuantity, int orderCount) {
        sequence(marketId, sequence);
        lines.add("delta " + side + " " + price + " " + totalQuantity);
    }

    @Override
    public void onAuction(int marketId, long sequence, long price, long quantity) {
        sequence(marketId, sequence);
        lines.add("auction " + price + "x" + quantity);
    }
}
