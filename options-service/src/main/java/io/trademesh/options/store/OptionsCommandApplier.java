package io.trademesh.options.store;

import io.trademesh.matching.OrderType;
import io.trademesh.options.engine.OptionsEngine;
import io.trademesh.options.engine.OptionsRejectReason;
import io.trademesh.platform.engine.Outcome;
import io.trademesh.platform.trading.MarketSpec;
import io.trademesh.platform.trading.TradingProto;
import io.trademesh.proto.common.Side;
import io.trademesh.proto.options.OptionsCommand;
import io.trademesh.proto.trading.PlaceOrderRequest;

/**
 * Applies one journaled {@link OptionsCommand} to the engine: the one path for live commands
 * and replay. Market symbols and client order ids are resolved here, against the state at
 * that point of the journal.
 */
public final class OptionsCommandApplier {

    private final OptionsEngine engine;
    private final OptionsOutput output;

    public OptionsCommandApplier(OptionsEngine engine, OptionsOutput output) {
        this.engine = engine;
        this.output = output;
    }

    /** Applies {@code command} at {@code nowMs}; returns the outcome when {@code live}, else null. */
    public Outcome apply(long nowMs, OptionsCommand command, boolean live) {
        output.begin(nowMs, command, live);
        switch (command.getCommandCase()) {
            case CREATE_CHAIN -> {
                var c = command.getCreateChain();
                MarketSpec template = c.hasTemplate() ? MarketSpec.of(c.getTemplate()) : null;
                long[] strikes = c.getStrikesList().stream().mapToLong(Long::longValue).toArray();
                engine.createChain(nowMs, template, c.getExpiryMs(), strikes, c.getSettlementWindowMs(),
                        c.getSettlementSampleMs());
            }
            case PLACE_ORDER -> {
                PlaceOrderRequest p = command.getPlaceOrder();
                if (p.hasConditional() || p.getClosePosition()) {
                    output.refused(OptionsRejectReason.UNSUPPORTED_ORDER);
                    break;
                }
                OrderType type = TradingProto.type(p.getType());
                engine.placeOrder(nowMs, p.getAccountId(), marketId(p.getMarket()), p.getClientOrderId(),
                        p.getSide() == Side.SIDE_UNSPECIFIED ? null : TradingProto.side(p.getSide()), type,
                        TradingProto.timeInForce(p.getTimeInForce()), p.getPrice(), p.getQuantity(),
                        p.getQuoteQuantity(), p.getExpireAtMs(), TradingProto.stp(p.getStp()), p.getReduceOnly());
            }
            case AMEND_ORDER -> {
                var a = command.getAmendOrder();
                long orderId = orderId(a.getAccountId(), a.getOrderId(), a.getClientOrderId());
                output.target(orderId);
                if (orderId == 0) {
                    output.refused(OptionsRejectReason.UNKNOWN_ORDER);
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
                    output.refused(OptionsRejectReason.UNKNOWN_ORDER);
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
            case SET_UNDERLYING -> {
                var u = command.getSetUnderlying();
                engine.setUnderlying(nowMs, u.getUnderlying(), u.getQuote(), OptionsProto.terms(u));
            }
            case SET_VOL_SLICE -> {
                var s = command.getSetVolSlice();
                engine.setVolSlice(nowMs, s.getUnderlying(), s.getQuote(),
                        s.hasSlice() ? OptionsProto.slice(s.getSlice()) : null);
            }
            case TICK -> engine.tick(nowMs);
            default -> throw new IllegalArgumentException("empty or unknown options command: " + command);
        }
        return output.finish();
    }

    /** The instrument's id; Integer.MAX_VALUE (no such instrument) when unknown, so the engine refuses it. */
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
