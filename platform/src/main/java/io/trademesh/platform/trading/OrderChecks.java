package io.trademesh.platform.trading;

import io.trademesh.proto.common.Side;
import io.trademesh.proto.trading.AmendOrderRequest;
import io.trademesh.proto.trading.CancelOrderRequest;
import io.trademesh.proto.trading.PlaceOrderRequest;
import io.trademesh.platform.errors.Refusals;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What an order-book product checks of an order command before its engine sees it: shapes,
 * ids and signs that need no state. Each check gives the refusal (a status whose message
 * starts with a reason code) or null; the unary calls and the order stream refuse alike.
 */
public final class OrderChecks {

    /** Market symbols and client order ids. */
    public static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    /** The venue's own account (fees): never a trader. */
    public static final long VENUE_ACCOUNT = 0;

    private final Set<String> markets;

    /** @param markets the symbols of existing markets, kept current by the service */
    public OrderChecks(Set<String> markets) {
        this.markets = markets;
    }

    public StatusException unknownMarket(String market) {
        return markets.contains(market) ? null
                : Refusals.of(GrpcStatus.NOT_FOUND, "UNKNOWN_MARKET", "no market '" + market + "'");
    }

    public static StatusException account(long accountId) {
        return accountId == VENUE_ACCOUNT
                ? Refusals.of(GrpcStatus.INVALID_ARGUMENT, "INVALID_ACCOUNT", "account_id is required (0 is not an account)")
                : null;
    }

    public StatusException place(PlaceOrderRequest r) {
        StatusException bad = account(r.getAccountId());
        if (bad != null || (bad = unknownMarket(r.getMarket())) != null) {
            return bad;
        }
        if (r.getSide() != Side.SIDE_BUY && r.getSide() != Side.SIDE_SELL) {
            return Refusals.of(GrpcStatus.INVALID_ARGUMENT, "INVALID_SIDE", "side must be BUY or SELL");
        }
        if (!r.getClientOrderId().isEmpty() && !ID.matcher(r.getClientOrderId()).matches()) {
            return Refusals.of(GrpcStatus.INVALID_ARGUMENT, "INVALID_CLIENT_ORDER_ID",
                    "client_order_id must be 1-64 of [A-Za-z0-9._:-]");
        }
        if (r.getPrice() < 0 || r.getQuantity() < 0 || r.getQuoteQuantity() < 0 || r.getExpireAtMs() < 0) {
            return Refusals.of(GrpcStatus.INVALID_ARGUMENT, "INVALID_QUANTITY",
                    "price, quantity, quote_quantity and expire_at_ms must not be negative");
        }
        return null;
    }

    public StatusException amend(AmendOrderRequest r) {
        StatusException bad = orderRef(r.getAccountId(), r.getMarket(), r.getOrderId(), r.getClientOrderId());
        if (bad != null) {
            return bad;
        }
        if (r.getNewPrice() < 0 || r.getNewQuantity() < 0 || r.getNewPrice() == 0 && r.getNewQuantity() == 0) {
            return Refusals.of(GrpcStatus.INVALID_ARGUMENT, "INVALID_AMEND",
                    "give a new_price or a new_quantity, neither negative");
        }
        return null;
    }

    public StatusException cancel(CancelOrderRequest r) {
        return orderRef(r.getAccountId(), r.getMarket(), r.getOrderId(), r.getClientOrderId());
    }

    /** An account, a known market and an order named by id or client id. */
    private StatusException orderRef(long accountId, String market, long orderId, String clientOrderId) {
        StatusException bad = account(accountId);
        if (bad != null || (bad = unknownMarket(market)) != null) {
            return bad;
        }
        if (orderId == 0 && clientOrderId.isEmpty()) {
            return Refusals.of(GrpcStatus.INVALID_ARGUMENT, "MISSING_ORDER", "give order_id or client_order_id");
        }
        return null;
    }
}
