package io.trademesh.spot.store;

import io.trademesh.platform.trading.BookOutput;
import io.trademesh.platform.trading.MarketSpec;
import io.trademesh.platform.trading.OrderBookView;
import io.trademesh.proto.common.Product;
import io.trademesh.proto.spot.SpotCommand;
import io.trademesh.proto.trading.MarketReply;
import io.trademesh.spot.engine.SpotCommandKind;
import io.trademesh.spot.engine.SpotListener;
import io.trademesh.spot.engine.SpotRejectReason;

/**
 * spot's outputs: what every order-book product puts out ({@link BookOutput}) plus the reply
 * to creating a market and spot's own refusals.
 */
public final class SpotOutput extends BookOutput implements SpotListener {

    public SpotOutput(OrderBookView view) {
        super(view, "SPOT");
    }

    /** Starts a journaled spot command; {@code collect} false during replay. */
    public void begin(long nowMs, SpotCommandKind kind, SpotCommand command, boolean collect) {
        switch (kind) {
            case PLACE_ORDER -> begin(nowMs, Kind.PLACE_ORDER, command.getPlaceOrder().getAccountId(),
                    command.getPlaceOrder(), collect);
            case AMEND_ORDER -> begin(nowMs, Kind.AMEND_ORDER, command.getAmendOrder().getAccountId(), null, collect);
            case CANCEL_ORDER -> begin(nowMs, Kind.CANCEL_ORDER, command.getCancelOrder().getAccountId(), null,
                    collect);
            case CANCEL_ALL -> begin(nowMs, Kind.CANCEL_ALL, command.getCancelAll().getAccountId(), null, collect);
            case CREDIT, DEBIT -> begin(nowMs, Kind.TRANSFER, 0, null, collect);
            case CREATE_MARKET -> {
                begin(nowMs, Kind.OTHER, 0, null, collect);
                // refused: the request echoed; created: replaced by the market as created
                reply(MarketReply.newBuilder().setMarket(command.getCreateMarket().getMarket()).build());
            }
            default -> begin(nowMs, Kind.OTHER, 0, null, collect);
        }
    }

    @Override
    public void onMarketCreated(int marketId, MarketSpec spec) {
        view.marketCreated(marketId);
        if (collecting()) {
            reply(MarketReply.newBuilder().setMarket(spec.toProto(Product.PRODUCT_SPOT)).build());
        }
    }

    @Override
    public void onRefused(SpotCommandKind command, long accountId, int marketId, long orderId,
                          SpotRejectReason reason) {
        refused(reason);
    }
}
