package io.trademesh.platform.trading;

import io.trademesh.matching.RejectReason;
import io.trademesh.platform.errors.ReasonCategory;

/** The order book's refusals ({@code matching}'s {@link RejectReason}) in the platform's reason categories. */
public final class BookRejections {

    private BookRejections() {
    }

    public static ReasonCategory category(RejectReason reason) {
        return switch (reason) {
            case UNKNOWN_ORDER -> ReasonCategory.NOT_FOUND;
            case DUPLICATE_CLIENT_ORDER_ID -> ReasonCategory.CONFLICT;
            case MAX_OPEN_ORDERS, POST_ONLY_WOULD_TAKE, FOK_CANNOT_FILL, NO_LIQUIDITY, PRICE_OUTSIDE_BAND,
                 NOT_ALLOWED_IN_AUCTION -> ReasonCategory.REFUSED;
            default -> ReasonCategory.INVALID;
        };
    }
}
