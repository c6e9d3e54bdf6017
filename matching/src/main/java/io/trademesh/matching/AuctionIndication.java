package io.trademesh.matching;

/**
 * Caller-owned holder for the auction an {@link OrderBook} would run now ({@link OrderBook#indicativeAuction}).
 * {@code volume == 0} means the book does not cross and {@code price} is then 0.
 */
public final class AuctionIndication {
    /** The clearing price. */
    public long price;
    /** Quantity that would trade: min(buyQuantity, sellQuantity). */
    public long volume;
    /** Resting buy quantity priced at or above {@code price}. */
    public long buyQuantity;
    /** Resting sell quantity priced at or below {@code price}. */
    public long sellQuantity;

    @Override
    public String toString() {
        return "AuctionIndication{price=" + price + ", volume=" + volume + ", buy=" + buyQuantity + ", sell="
            + sellQuantity + '}';
    }
}
