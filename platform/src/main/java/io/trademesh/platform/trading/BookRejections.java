package io.trademesh.platform.trading;

import io.trademesh.matching.RejectReason;
import io.trademesh.platform.errors.ReasonCategory;
import io.trademesh.platform.errors.ReasonCode;

/** The order book's refusals ({@code matching}'s {@link RejectReason}) in the platform's reason categories. */
public final class BookRejections {

    /** A book refusal as a reason code: its name, in its category. */
    public record Code(String name, ReasonCategory category) implements ReasonCode {
    }

    private static final Code[] CODES = new Code[RejectReason.values().length];

    static {
        for (RejectReason r : RejectReason.values()) {
            CODES[r.ordinal()] = new Code(r.name(), category(r));
        }
    }

    private BookRejections() {
    }

    /** The refusal's reason code (one instance per reason: nothing allocated per refusal). */
    public static ReasonCode code(RejectReason reason) {
        return CODES[reason.ordinal()];
    }

    private static ReasonCategory category(RejectReason reason) {
        return switch (reason) {
            case UNKNOWN_ORDER -> ReasonCategory.NOT_FOUND;
            case DUPLICATE_CLIENT_ORDER_ID -> ReasonCategory.CONFLICT;
            case MAX_OPEN_ORDERS, POST_ONLY_WOULD_TAKE, FOK_CANNOT_FILL, NO_LIQUIDITY, PRICE_OUTSIDE_BAND,
                 NOT_ALLOWED_IN_AUCTION -> ReasonCategory.REFUSED;
            default -> ReasonCategory.INVALID;
        };
    }
}
