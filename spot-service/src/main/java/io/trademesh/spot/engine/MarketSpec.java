package io.trademesh.spot.engine;

import io.trademesh.matching.MatchingMode;

/**
 * A spot market as an operator defines it. Quantities are base-asset units, wallet amounts
 * asset units, prices integers at {@code priceScale} decimals; the notional divisor follows:
 * {@code 10^(priceScale + baseDecimals - quoteDecimals)}.
 */
public record MarketSpec(
        String symbol,
        String baseAsset,
        int baseDecimals,
        String quoteAsset,
        int quoteDecimals,
        int priceScale,
        long tickSize,
        long lotSize,
        long minQuantity,
        long maxQuantity,
        long maxPrice,
        long minNotional,
        int makerFeeBps,
        int takerFeeBps,
        int priceBandBps,
        int maxOpenOrdersPerAccount,
        MatchingMode matchingMode,
        long auctionIntervalMs) {

    /** {@code 10^(priceScale + baseDecimals - quoteDecimals)}, or -1 when that is not a whole number that fits. */
    public long notionalDivisor() {
        int exp = priceScale + baseDecimals - quoteDecimals;
        if (exp < 0 || exp > 18) {
            return -1;
        }
        long d = 1;
        for (int i = 0; i < exp; i++) {
            d *= 10;
        }
        return d;
    }
}
