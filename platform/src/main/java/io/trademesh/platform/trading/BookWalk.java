package io.trademesh.platform.trading;

import io.trademesh.matching.LevelVisitor;
import io.trademesh.matching.MarketConfig;
import io.trademesh.matching.OrderBook;
import io.trademesh.matching.Side;

/**
 * What a market order for a quantity would cost, by walking the opposite side of the book:
 * the notional of what it would fill and what would be left. A pre-trade check uses it to
 * value an order that has no price of its own.
 */
public final class BookWalk implements LevelVisitor {

    /** Levels walked first: most orders need few, and a level visitor cannot stop the walk. */
    private static final int FIRST_DEPTH = 32;

    private final MarketConfig config;
    private long left;
    private long notional;

    private BookWalk(MarketConfig config, long quantity) {
        this.config = config;
        this.left = quantity;
    }

    /** Walks the side a {@code side} order takes from, for {@code quantity}. */
    public static BookWalk of(OrderBook book, MarketConfig config, Side side, long quantity) {
        Side opposite = side == Side.BUY ? Side.SELL : Side.BUY;
        BookWalk walk = new BookWalk(config, quantity);
        book.levels(opposite, FIRST_DEPTH, walk);
        if (walk.left > 0) {
            walk = new BookWalk(config, quantity);
            book.levels(opposite, Integer.MAX_VALUE, walk);
        }
        return walk;
    }

    /** The quote value of what the order would fill. */
    public long notional() {
        return notional;
    }

    /** The quantity the book could not fill. */
    public long left() {
        return left;
    }

    @Override
    public void onLevel(Side side, long price, long totalQuantity, int orderCount) {
        if (left > 0) {
            long take = Math.min(left, totalQuantity);
            notional += config.notional(price, take);
            left -= take;
        }
    }
}
