package io.trademesh.matching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;

class MarketConfigTest {

    private static void invalid(final String expected, final UnaryOperator<MarketConfig.Builder> change) {
        final IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
            () -> change.apply(MarketConfig.builder()).build());
        assertEquals(true, error.getMessage().contains(expected), error.getMessage());
    }

    @Test
    void everyRuleIsChecked() {
        invalid("tickSize", b -> b.tickSize(0));
        invalid("lotSize", b -> b.lotSize(-1));
        invalid("minQuantity", b -> b.lotSize(10).minQuantity(15).maxQuantity(1_000));
        invalid("maxQuantity", b -> b.minQuantity(10).maxQuantity(5));
        invalid("maxPrice must be a positive multiple", b -> b.tickSize(7).maxPrice(100));
        invalid("Long.MAX_VALUE / 4", b -> b.maxPrice(Long.MAX_VALUE - 7).maxQuantity(1));
        invalid("notionalDivisor must be > 0", b -> b.notionalDivisor(0));
        invalid("multiple of notionalDivisor", b -> b.tickSize(1).lotSize(10).minQuantity(10).maxQuantity(1_000)
            .maxPrice(1_000).notionalDivisor(100));
        invalid("fit in a long", b -> b.maxPrice(1L << 40).maxQuantity(1L << 30));
        invalid("minNotional", b -> b.minNotional(-1));
        invalid("makerFeeBps must", b -> b.makerFeeBps(-10_001));
        invalid("takerFeeBps must", b -> b.takerFeeBps(10_001));
        invalid("makerFeeBps + takerFeeBps", b -> b.makerFeeBps(-5).takerFeeBps(4));
        invalid("priceBandBps", b -> b.priceBandBps(10_001));
        invalid("maxOpenOrdersPerAccount", b -> b.maxOpenOrdersPerAccount(0));
        invalid("auctionIntervalMs must be > 0", b -> b.auction(0));
        assertThrows(IllegalArgumentException.class, () -> new MarketConfig(1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1,
            MatchingMode.CONTINUOUS, 5));
        assertThrows(NullPointerException.class, () -> new MarketConfig(1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, null, 0));
    }

    @Test
    void theBuilderDefaultsAreValid() {
        final MarketConfig config = MarketConfig.builder().build();
        assertEquals(MatchingMode.CONTINUOUS, config.matchingMode());
        assertEquals(1_000_000_000L * 1_000_000_000L, config.maxNotional());
    }

    @Test
    void notionalIsExactForValidPricesAndQuantities() {
        // prices in cents, quantities in satoshi with lot 1_000, quote at 8 decimals: divisor 100
        final MarketConfig config = MarketConfig.builder().tickSize(1).lotSize(1_000).minQuantity(1_000)
            .maxQuantity(10_000_000_000L).maxPrice(100_000_000L).notionalDivisor(100).build();
        // 65,000.12 USDT * 0.5 BTC = 32,500.06 USDT = 3_250_006_000_000 units of 1e-8
        assertEquals(3_250_006_000_000L, config.notional(6_500_012, 50_000_000));
        assertEquals(100_000_000L * 10_000_000_000L / 100, config.maxNotional());
    }
}
