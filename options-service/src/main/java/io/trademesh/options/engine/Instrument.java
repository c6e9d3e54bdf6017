package io.trademesh.options.engine;

import io.trademesh.matching.MarketConfig;
import io.trademesh.matching.OrderBook;
import io.trademesh.platform.trading.FixedPoint;
import io.trademesh.platform.trading.MarketSpec;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * One option (a call or a put at a strike of a chain) and its book. Its mark and the seller's
 * margin per whole base unit are recomputed with its chain; its open positions are kept here
 * for settlement and open interest.
 */
public final class Instrument {

    final int id;
    final MarketSpec spec;
    final MarketConfig config;
    final OrderBook book;
    final Expiry expiry;
    final boolean call;
    final long strike;
    /** Its place in the chain's pricer arrays. */
    int slot;
    /** Black-Scholes at the surface's volatility, rounded to the tick; valid while {@link #priced}. */
    long markPrice;
    boolean priced;
    /** A short's margin per whole base unit (price units), at the last mark. */
    long initialPerUnit;
    long maintenancePerUnit;
    final Long2ObjectHashMap<Position> positions = new Long2ObjectHashMap<>();

    Instrument(int id, MarketSpec spec, OrderBook book, Expiry expiry, boolean call, long strike) {
        this.id = id;
        this.spec = spec;
        this.config = book.config();
        this.book = book;
        this.expiry = expiry;
        this.call = call;
        this.strike = strike;
    }

    /** The quote value of {@code quantity} at {@code perUnit}, rounded up (what the venue asks for). */
    long valueUp(long perUnit, long quantity) {
        return FixedPoint.mulDivCeil(perUnit, quantity, config.notionalDivisor());
    }

    /** The quote value of {@code quantity} at {@code perUnit}, rounded down (what the venue pays). */
    long valueDown(long perUnit, long quantity) {
        return FixedPoint.mulDivFloor(perUnit, quantity, config.notionalDivisor());
    }

    /** The option's value at expiry per whole base unit, at {@code settlement}. */
    long intrinsic(long settlement) {
        return Math.max(0, call ? settlement - strike : strike - settlement);
    }

    boolean expired(long nowMs) {
        return expiry.settled || nowMs >= expiry.expiryMs;
    }

    public int id() {
        return id;
    }

    public MarketSpec spec() {
        return spec;
    }

    public Expiry expiry() {
        return expiry;
    }

    public boolean call() {
        return call;
    }

    public long strike() {
        return strike;
    }

    public long markPrice() {
        return markPrice;
    }

    public boolean priced() {
        return priced;
    }

    public int slot() {
        return slot;
    }

    public OrderBook book() {
        return book;
    }

    public long openInterest() {
        long sum = 0;
        for (Position p : positions.values()) {
            sum += Math.max(0, p.size);
        }
        return sum;
    }
}
