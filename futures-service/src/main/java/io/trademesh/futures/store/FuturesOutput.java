package io.trademesh.futures.store;

import io.trademesh.futures.engine.ConditionalOrder;
import io.trademesh.futures.engine.Contract;
import io.trademesh.proto.common.OrderStatus;
import io.trademesh.futures.engine.FuturesEngine;
import io.trademesh.futures.engine.FuturesListener;
import io.trademesh.futures.engine.FuturesRejectReason;
import io.trademesh.futures.engine.MarginAccount;
import io.trademesh.futures.engine.Position;
import io.trademesh.matching.Side;
import io.trademesh.platform.events.Addresses;
import io.trademesh.platform.trading.BookOutput;
import io.trademesh.platform.trading.OrderBookView;
import io.trademesh.platform.trading.TradingProto;
import io.trademesh.proto.events.AccountEvent;
import io.trademesh.proto.futures.FuturesCommand;
import io.trademesh.proto.futures.LeverageReply;
import io.trademesh.proto.futures.Liquidation;
import io.trademesh.proto.futures.MarginReply;
import io.trademesh.proto.trading.MarketReply;

/**
 * futures' outputs: what every order-book product puts out ({@link BookOutput}) plus replies
 * to creating contracts and setting leverage, position updates on the account streams and
 * public liquidations.
 */
public final class FuturesOutput extends BookOutput implements FuturesListener {

    private FuturesEngine engine;
    private FuturesCommand command;

    public FuturesOutput(OrderBookView view) {
        super(view, "FUTURES");
    }

    public void attach(FuturesEngine engine) {
        this.engine = engine;
        super.attach(engine);
    }

    /** Starts a journaled futures command; {@code collect} false during replay. */
    public void begin(long nowMs, FuturesCommand c, boolean collect) {
        this.command = c;
        switch (c.getCommandCase()) {
            case PLACE_ORDER -> begin(nowMs, Kind.PLACE_ORDER, c.getPlaceOrder().getAccountId(), c.getPlaceOrder(),
                    collect);
            case AMEND_ORDER -> begin(nowMs, Kind.AMEND_ORDER, c.getAmendOrder().getAccountId(), null, collect);
            case CANCEL_ORDER -> begin(nowMs, Kind.CANCEL_ORDER, c.getCancelOrder().getAccountId(), null, collect);
            case CANCEL_ALL -> begin(nowMs, Kind.CANCEL_ALL, c.getCancelAll().getAccountId(), null, collect);
            case CREDIT, DEBIT -> begin(nowMs, Kind.TRANSFER, 0, null, collect);
            case CREATE_CONTRACT -> {
                begin(nowMs, Kind.OTHER, 0, null, collect);
                reply(MarketReply.newBuilder().setMarket(c.getCreateContract().getMarket()).build());
            }
            default -> begin(nowMs, Kind.OTHER, 0, null, collect);
        }
    }

    @Override
    public void onContractCreated(Contract contract) {
        view.marketCreated(contract.id());
        if (collecting()) {
            reply(MarketReply.newBuilder().setMarket(FuturesProto.market(contract)).build());
        }
    }

    @Override
    public void onRefused(FuturesRejectReason reason) {
        refused(reason);
        if (collecting() && command.hasSetLeverage()) {
            reply(LeverageReply.newBuilder().setAccepted(false).setRejectReason(reason.name())
                    .setMarket(command.getSetLeverage().getMarket()).build());
        } else if (collecting() && (command.hasSetMarginMode() || command.hasAdjustMargin())) {
            reply(MarginReply.newBuilder().setAccepted(false).setRejectReason(reason.name())
                    .setMarket(command.hasSetMarginMode() ? command.getSetMarginMode().getMarket()
                            : command.getAdjustMargin().getMarket()).build());
        }
    }

    @Override
    public void onMargin(long accountId, Contract contract, boolean isolated, long isolatedMargin) {
        if (collecting()) {
            reply(MarginReply.newBuilder().setAccepted(true).setMarket(contract.spec().symbol())
                    .setIsolated(isolated).setIsolatedMargin(isolatedMargin).build());
        }
    }

    @Override
    public void onCommandDone() {
        ownPartDone();
    }

    @Override
    public void onLeverage(long accountId, Contract contract, int leverage, long maxNotional) {
        if (collecting()) {
            reply(LeverageReply.newBuilder().setAccepted(true).setMarket(contract.spec().symbol())
                    .setLeverage(leverage).setMaxNotional(maxNotional).build());
        }
    }

    @Override
    public void onAccountChanged(long accountId) {
        if (!collecting()) {
            return;
        }
        MarginAccount a = engine.marginAccount(accountId);
        if (a == null) {
            return;
        }
        for (Position p : a.positions()) {
            account(accountId, AccountEvent.newBuilder().setPosition(FuturesProto.position(engine, a, p, nowMs())));
        }
    }

    @Override
    public void onLiquidation(Contract contract, long accountId, Side side, long price, long quantity,
                              boolean deleveraged) {
        String market = contract.spec().symbol();
        publish(Addresses.liquidations(market), Liquidation.newBuilder().setMarket(market)
                .setSide(TradingProto.side(side)).setPrice(price).setQuantity(quantity).setDeleveraged(deleveraged)
                .setTimestampMs(nowMs()).build().toByteArray());
    }

    @Override
    public void onConditional(ConditionalOrder order, ConditionalOrder.Status status, long orderId) {
        OrderStatus shown = switch (status) {
            case HELD -> OrderStatus.ORDER_STATUS_NEW;
            case TRIGGERED -> OrderStatus.ORDER_STATUS_TRIGGERED;
            case REJECTED -> OrderStatus.ORDER_STATUS_REJECTED;
            case CANCELLED -> OrderStatus.ORDER_STATUS_CANCELLED;
            case EXPIRED -> OrderStatus.ORDER_STATUS_EXPIRED;
        };
        io.trademesh.proto.common.Order o = FuturesProto.order(order, shown, nowMs());
        heldOrder(o);
        if (status == ConditionalOrder.Status.CANCELLED) {
            cancelledElsewhere(order.id());
        }
        account(order.accountId(), AccountEvent.newBuilder().setOrder(o));
    }

}
