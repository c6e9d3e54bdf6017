package io.trademesh.matching;

import java.util.Objects;

/**
 * The rules of one market, validated once when built ({@link IllegalArgumentException} names the first bad field).
 *
 * <h2>Units</h2>
 * Prices are integers in price units; quantities are integers in base units. The value of a trade in quote units is
 * <pre>
 *   notional = price * quantity / notionalDivisor
 * </pre>
 * and the config requires {@code (tickSize * lotSize) % notionalDivisor == 0}, so this division is exact for every
 * valid price and quantity: there is no rounding in what a buyer pays and a seller receives. Example, BTC-USDT with
 * prices in cents (tick 1), quantities in satoshi (lot 1,000 = 0.00001 BTC) and USDT balances at 8 decimals: one price
 * unit times one base unit is 1e-2 * 1e-8 = 1e-10 USDT = 1e-2 quote units, so {@code notionalDivisor = 100}, and
 * 1 * 1000 is a multiple of 100.
 *
 * <h2>Limits</h2>
 * {@code maxPrice * maxQuantity} must fit in a long (so every notional does) and {@code maxPrice} is at most
 * {@code Long.MAX_VALUE / 4} (so the price band arithmetic cannot overflow).
 *
 * @param marketId                 the caller's id for this market; passed back on every event
 * @param tickSize                 price step, > 0
 * @param lotSize                  quantity step, > 0
 * @param minQuantity              smallest order quantity, a positive multiple of lotSize
 * @param maxQuantity              largest order quantity, a multiple of lotSize, >= minQuantity
 * @param maxPrice                 largest limit price, a positive multiple of tickSize
 * @param notionalDivisor          see above, > 0
 * @param minNotional              smallest order notional in quote units, >= 0 (limit orders: price * quantity;
 *                                 market orders by quote: the quote amount; market orders by base quantity are
 *                                 checked against min/max quantity only)
 * @param makerFeeBps              fee rate for the resting side, in [-10_000, 10_000]; negative is a rebate
 * @param takerFeeBps              fee rate for the incoming side, in [-10_000, 10_000]; makerFeeBps + takerFeeBps >= 0
 * @param priceBandBps             limit prices must lie within this many bps of the reference price, and market orders
 *                                 stop matching at that band; 0 turns the band off. In [0, 10_000].
 * @param maxOpenOrdersPerAccount  open (resting) orders one account may have in this book, > 0
 * @param matchingMode             continuous or auction
 * @param auctionIntervalMs        auction mode: an auction is due at every multiple of this, > 0;
 *                                 continuous mode: must be 0
 */
public record MarketConfig(
    int marketId,
    long tickSize,
    long lotSize,
    long minQuantity,
    long maxQuantity,
    long maxPrice,
    long notionalDivisor,
    long minNotional,
    int makerFeeBps,
    int takerFeeBps,
    int priceBandBps,
    int maxOpenOrdersPerAccount,
    MatchingMode matchingMode,
    long auctionIntervalMs) {

    public MarketConfig {
        Objects.requireNonNull(matchingMode, "matchingMode");
        require(tickSize > 0, "tickSize must be > 0");
        require(lotSize > 0, "lotSize must be > 0");
        require(minQuantity > 0 && minQuantity % lotSize == 0, "minQuantity must be a positive multiple of lotSize");
        require(maxQuantity >= minQuantity && maxQuantity % lotSize == 0,
            "maxQuantity must be a multiple of lotSize and >= minQuantity");
        require(maxPrice > 0 && maxPrice % tickSize == 0, "maxPrice must be a positive multiple of tickSize");
        require(maxPrice <= Long.MAX_VALUE / 4, "maxPrice must be <= Long.MAX_VALUE / 4");
        require(notionalDivisor > 0, "notionalDivisor must be > 0");
        require(Math.multiplyHigh(tickSize, lotSize) == 0 && tickSize * lotSize > 0
            && (tickSize * lotSize) % notionalDivisor == 0,
            "tickSize * lotSize must be a multiple of notionalDivisor (so notionals are exact)");
        require(Math.multiplyHigh(maxPrice, maxQuantity) == 0 && maxPrice * maxQuantity > 0,
            "maxPrice * maxQuantity must fit in a long");
        require(minNotional >= 0, "minNotional must be >= 0");
        require(makerFeeBps >= -10_000 && makerFeeBps <= 10_000, "makerFeeBps must be in [-10000, 10000]");
        require(takerFeeBps >= -10_000 && takerFeeBps <= 10_000, "takerFeeBps must be in [-10000, 10000]");
        require(makerFeeBps + takerFeeBps >= 0, "makerFeeBps + takerFeeBps must be >= 0");
        require(priceBandBps >= 0 && priceBandBps <= 10_000, "priceBandBps must be in [0, 10000]");
        require(maxOpenOrdersPerAccount > 0, "maxOpenOrdersPerAccount must be > 0");
        if (matchingMode == MatchingMode.AUCTION) {
            require(auctionIntervalMs > 0, "auctionIntervalMs must be > 0 in auction mode");
        } else {
            require(auctionIntervalMs == 0, "auctionIntervalMs must be 0 in continuous mode");
        }
    }

    /** {@code price * quantity / notionalDivisor}: exact for any tick-aligned price and lot-aligned quantity. */
    public long notional(final long price, final long quantity) {
        return price * quantity / notionalDivisor;
    }

    /** The largest notional a single order can have: {@code maxPrice * maxQuantity / notionalDivisor}. */
    public long maxNotional() {
        return maxPrice * maxQuantity / notionalDivisor;
    }

    /** The most one order can pay in fees for fills adding up to {@code notional}; see {@link Fees#maxFee}. */
    public long maxFee(final long notional) {
        return Fees.maxFee(notional, makerFeeBps, takerFeeBps);
    }

    public static Builder builder() {
        return new Builder();
    }

    private static void require(final boolean condition, final String message) {
        if (!condition) {
            throw new IllegalArgumentException("invalid market config: " + message);
        }
    }

    /**
     * Mutable builder; defaults: tick 1, lot 1, min qty 1, max qty 1e9, max price 1e9, divisor 1, min notional 0, no
     * fees, no band, 1,000 open orders per account, continuous.
     */
    public static final class Builder {
        private int marketId;
        private long tickSize = 1;
        private long lotSize = 1;
        private long minQuantity = 1;
        private long maxQuantity = 1_000_000_000L;
        private long maxPrice = 1_000_000_000L;
        private long notionalDivisor = 1;
        private long minNotional;
        private int makerFeeBps;
        private int takerFeeBps;
        private int priceBandBps;
        private int maxOpenOrdersPerAccount = 1_000;
        private MatchingMode matchingMode = MatchingMode.CONTINUOUS;
        private long auctionIntervalMs;

        private Builder() {
        }

        public Builder marketId(final int value) {
            marketId = value;
            return this;
        }

        public Builder tickSize(final long value) {
            tickSize = value;
            return this;
        }

        public Builder lotSize(final long value) {
            lotSize = value;
            return this;
        }

        public Builder minQuantity(final long value) {
            minQuantity = value;
            return this;
        }

        public Builder maxQuantity(final long value) {
            maxQuantity = value;
            return this;
        }

        public Builder maxPrice(final long value) {
            maxPrice = value;
            return this;
        }

        public Builder notionalDivisor(final long value) {
            notionalDivisor = value;
            return this;
        }

        public Builder minNotional(final long value) {
            minNotional = value;
            return this;
        }

        public Builder makerFeeBps(final int value) {
            makerFeeBps = value;
            return this;
        }

        public Builder takerFeeBps(final int value) {
            takerFeeBps = value;
            return this;
        }

        public Builder priceBandBps(final int value) {
            priceBandBps = value;
            return this;
        }

        public Builder maxOpenOrdersPerAccount(final int value) {
            maxOpenOrdersPerAccount = value;
            return this;
        }

        /** Continuous mode (auction interval 0). */
        public Builder continuous() {
            matchingMode = MatchingMode.CONTINUOUS;
            auctionIntervalMs = 0;
            return this;
        }

        /** Auction mode with an auction due at every multiple of {@code intervalMs}. */
        public Builder auction(final long intervalMs) {
            matchingMode = MatchingMode.AUCTION;
            auctionIntervalMs = intervalMs;
            return this;
        }

        public MarketConfig build() {
            return new MarketConfig(marketId, tickSize, lotSize, minQuantity, maxQuantity, maxPrice, notionalDivisor,
                minNotional, makerFeeBps, takerFeeBps, priceBandBps, maxOpenOrdersPerAccount, matchingMode,
                auctionIntervalMs);
        }
    }
}
