package io.trademesh.spot.store;

import io.trademesh.platform.engine.Outcome;
import io.trademesh.platform.trading.MarketSpec;
import io.trademesh.platform.trading.TradingProto;
import io.trademesh.proto.trading.AmendOrderRequest;
import io.trademesh.proto.trading.CancelAllRequest;
import io.trademesh.proto.trading.CancelOrderRequest;
import io.trademesh.proto.trading.PlaceOrderRequest;
import io.trademesh.proto.spot.SpotCommand;
import io.trademesh.proto.wallet.WalletTransferRequest;
import io.trademesh.spot.engine.SpotCommandKind;
import io.trademesh.spot.engine.SpotEngine;
import io.trademesh.spot.engine.SpotMarket;
import io.trademesh.spot.engine.SpotRejectReason;

/**
 * Applies one journaled {@link SpotCommand} to the engine: the one path for live commands
 * and replay, so both do exactly the same. Market symbols and client order ids are
 * resolved here, against the state at that point of the journal.
 */
public final class SpotCommandApplier {

    private final SpotEngine engine;
    private final SpotOutput output;

    public SpotCommandApplier(SpotEngine engine, SpotOutput output) {
        this.engine = engine;
        this.output = output;
    }

    /** Applies {@code command} at {@code nowMs}; returns the outcome when {@code live}, else null. */
    public Outcome apply(long nowMs, SpotCommand command, boolean live) {
        switch (command.getCommandCase()) {
            case CREATE_MARKET -> {
                output.begin(nowMs, SpotCommandKind.CREATE_MARKET, command, live);
                engine.createMarket(nowMs, MarketSpec.of(command.getCreateMarket().getMarket()));
            }
            case PLACE_ORDER -> {
                PlaceOrderRequest p = command.getPlaceOrder();
                output.begin(nowMs, SpotCommandKind.PLACE_ORDER, command, live);
                engine.placeOrder(nowMs, p.getAccountId(), marketId(p.getMarket()), p.getClientOrderId(),
                        TradingProto.side(p.getSide()), TradingProto.type(p.getType()),
                        TradingProto.timeInForce(p.getTimeInForce()), p.getPrice(), p.getQuantity(),
                        p.getQuoteQuantity(), p.getExpireAtMs(), TradingProto.stp(p.getStp()));
            }
            case AMEND_ORDER -> {
                AmendOrderRequest a = command.getAmendOrder();
                output.begin(nowMs, SpotCommandKind.AMEND_ORDER, command, live);
                long orderId = orderId(a.getAccountId(), a.getOrderId(), a.getClientOrderId());
                output.target(orderId);
                if (orderId == 0) {
                    output.onRefused(SpotCommandKind.AMEND_ORDER, a.getAccountId(), -1, 0,
                            SpotRejectReason.UNKNOWN_ORDER);
                } else {
                    engine.amend(nowMs, a.getAccountId(), marketId(a.getMarket()), orderId, a.getNewPrice(),
                            a.getNewQuantity());
                }
            }
            case CANCEL_ORDER -> {
                CancelOrderRequest c = command.getCancelOrder();
                output.begin(nowMs, SpotCommandKind.CANCEL_ORDER, command, live);
                long orderId = orderId(c.getAccountId(), c.getOrderId(), c.getClientOrderId());
                output.target(orderId);
                if (orderId == 0) {
                    output.onRefused(SpotCommandKind.CANCEL_ORDER, c.getAccountId(), -1, 0,
                            SpotRejectReason.UNKNOWN_ORDER);
                } else {
                    engine.cancel(nowMs, c.getAccountId(), marketId(c.getMarket()), orderId);
                }
            }
            case CANCEL_ALL -> {
                CancelAllRequest c = command.getCancelAll();
                output.begin(nowMs, SpotCommandKind.CANCEL_ALL, command, live);
                engine.cancelAll(nowMs, c.getAccountId(), c.getMarket().isEmpty() ? -1 : marketId(c.getMarket()));
            }
            case CREDIT -> {
                WalletTransferRequest t = command.getCredit();
                output.begin(nowMs, SpotCommandKind.CREDIT, command, live);
                engine.credit(nowMs, t.getTransferId(), t.getAccountId(), t.getAsset(), t.getAmount());
            }
            case DEBIT -> {
                WalletTransferRequest t = command.getDebit();
                output.begin(nowMs, SpotCommandKind.DEBIT, command, live);
                engine.debit(nowMs, t.getTransferId(), t.getAccountId(), t.getAsset(), t.getAmount());
            }
            case SET_LIMITS -> {
                var l = command.getSetLimits();
                output.begin(nowMs, SpotCommandKind.SET_LIMITS, command, live);
                engine.setLimits(nowMs, l.getAccountId(), l.getMaxOpenOrders(), l.getMaxOrderNotional(),
                        l.getNotionalAsset(), l.getKillSwitch());
            }
            case RULES -> {
                output.begin(nowMs, SpotCommandKind.RULES, command, live);
                engine.adoptRules(nowMs, command.getRules().getVersion());
            }
            case TICK -> {
                output.begin(nowMs, SpotCommandKind.TICK, command, live);
                engine.tick(nowMs);
            }
            default -> throw new IllegalArgumentException("empty or unknown spot command: " + command);
        }
        return output.finish();
    }

    /** The market's id; Integer.MAX_VALUE (no such market) when unknown, so the engine refuses it. */
    private int marketId(String symbol) {
        SpotMarket m = engine.market(symbol);
        return m == null ? Integer.MAX_VALUE : m.id();
    }

    private long orderId(long accountId, long orderId, String clientOrderId) {
        if (orderId != 0) {
            return orderId;
        }
        return clientOrderId.isEmpty() ? 0 : engine.orderIdForClientId(accountId, clientOrderId);
    }
}
