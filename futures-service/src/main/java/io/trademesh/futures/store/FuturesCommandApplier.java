package io.trademesh.futures.store;

import io.trademesh.futures.engine.ConditionalOrder;
import io.trademesh.futures.engine.FuturesEngine;
import io.trademesh.futures.engine.FuturesRejectReason;
import io.trademesh.platform.engine.Outcome;
import io.trademesh.platform.trading.MarketSpec;
import io.trademesh.platform.trading.TradingProto;
import io.trademesh.proto.common.Side;
import io.trademesh.proto.futures.FuturesCommand;
import io.trademesh.proto.trading.PlaceOrderRequest;

/**
 * Applies one journaled {@link FuturesCommand} to the engine: the one path for live commands
 * and replay. Market symbols and client order ids are resolved here, against the state at
 * that point of the journal.
 */
public final class FuturesCommandApplier {

    private final FuturesEngine engine;
    private final FuturesOutput output;

    public FuturesCommandApplier(FuturesEngine engine, FuturesOutput output) {
        this.engine = engine;
        this.output = output;
    }

    /** Applies {@code command} at {@code nowMs}; returns the outcome when {@code live}, else null. */
    public Outcome apply(long nowMs, FuturesCommand command, boolean live) {
        output.begin(nowMs, command, live);
        switch (command.getCommandCase()) {
            case CREATE_CONTRACT -> {
                io.trademesh.proto.common.Market m = command.getCreateContract().getMarket();
                io.trademesh.futures.engine.FuturesTerms terms;
                try {
                    terms = m.hasFutures() ? FuturesProto.terms(m.getFutures()) : null;
                } catch (IllegalArgumentException e) {
                    terms = null;
                }
                engine.createContract(nowMs, MarketSpec.of(m), terms);
            }
            case PLACE_ORDER -> {
                PlaceOrderRequest p = command.getPlaceOrder();
                var conditional = p.getConditional();
                ConditionalOrder.Kind kind = p.hasConditional() ? FuturesProto.kind(conditional.getKind()) : null;
                if (p.hasConditional() && kind == null) {
                    output.refused(FuturesRejectReason.INVALID_CONDITIONAL);
                    break;
                }
                engine.placeOrder(nowMs, p.getAccountId(), marketId(p.getMarket()), p.getClientOrderId(),
                        p.getSide() == Side.SIDE_UNSPECIFIED ? null : TradingProto.side(p.getSide()),
                        TradingProto.type(p.getType()), TradingProto.timeInForce(p.getTimeInForce()), p.getPrice(),
                        p.getQuantity(), p.getQuoteQuantity(), p.getExpireAtMs(), TradingProto.stp(p.getStp()),
                        p.getReduceOnly(), p.getClosePosition(), kind, conditional.getTriggerPrice(),
                        conditional.getTriggerBy() == io.trademesh.proto.trading.TriggerPrice.TRIGGER_PRICE_LAST,
                        conditional.getCallbackBps());
            }
            case AMEND_ORDER -> {
                var a = command.getAmendOrder();
                long orderId = orderId(a.getAccountId(), a.getOrderId(), a.getClientOrderId());
                output.target(orderId);
                if (orderId == 0) {
                    output.refused(FuturesRejectReason.UNKNOWN_ORDER);
                } else {
                    engine.amend(nowMs, a.getAccountId(), marketId(a.getMarket()), orderId, a.getNewPrice(),
                            a.getNewQuantity());
                }
            }
            case CANCEL_ORDER -> {
                var c = command.getCancelOrder();
                long orderId = orderId(c.getAccountId(), c.getOrderId(), c.getClientOrderId());
                output.target(orderId);
                if (orderId == 0) {
                    output.refused(FuturesRejectReason.UNKNOWN_ORDER);
                } else {
                    engine.cancel(nowMs, c.getAccountId(), marketId(c.getMarket()), orderId);
                }
            }
            case CANCEL_ALL -> {
                var c = command.getCancelAll();
                engine.cancelAll(nowMs, c.getAccountId(), c.getMarket().isEmpty() ? -1 : marketId(c.getMarket()));
            }
            case CREDIT -> {
                var t = command.getCredit();
                engine.credit(nowMs, t.getTransferId(), t.getAccountId(), t.getAsset(), t.getAmount());
            }
            case DEBIT -> {
                var t = command.getDebit();
                engine.debit(nowMs, t.getTransferId(), t.getAccountId(), t.getAsset(), t.getAmount());
            }
            case SET_LIMITS -> {
                var l = command.getSetLimits();
                engine.setLimits(nowMs, l.getAccountId(), l.getMaxOpenOrders(), l.getMaxOrderNotional(),
                        l.getNotionalAsset(), l.getKillSwitch());
            }
            case INDEX_PRICE -> {
                var i = command.getIndexPrice();
                engine.indexPrice(nowMs, i.getAsset(), i.getQuote(), i.getPrice(), i.getPriceScale());
            }
            case SET_LEVERAGE -> {
                var l = command.getSetLeverage();
                engine.setLeverage(nowMs, l.getAccountId(), marketId(l.getMarket()), l.getLeverage());
            }
            case SET_MARGIN_MODE -> {
                var m = command.getSetMarginMode();
                engine.setMarginMode(nowMs, m.getAccountId(), marketId(m.getMarket()), m.getIsolated());
            }
            case ADJUST_MARGIN -> {
                var m = command.getAdjustMargin();
                engine.adjustMargin(nowMs, m.getAccountId(), marketId(m.getMarket()), m.getAmount());
            }
            case TICK -> engine.tick(nowMs);
            default -> throw new IllegalArgumentException("empty or unknown futures command: " + command);
        }
        return output.finish();
    }

    /** The contract's id; Integer.MAX_VALUE (no such contract) when unknown, so the engine refuses it. */
    private int marketId(String symbol) {
        int id = engine.marketId(symbol);
        return id < 0 ? Integer.MAX_VALUE : id;
    }

    private long orderId(long accountId, long orderId, String clientOrderId) {
        if (orderId != 0) {
            return orderId;
        }
        return clientOrderId.isEmpty() ? 0 : engine.orderIdForClientId(accountId, clientOrderId);
    }
}
