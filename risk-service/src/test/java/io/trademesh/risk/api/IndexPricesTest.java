package io.trademesh.risk.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trademesh.proto.common.Ticker;
import io.trademesh.proto.risk.IndexPrice;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Book prices (mid, else last), the operator's price winning while fresh, publishing on change only. */
class IndexPricesTest {

    private long now = 1_000_000;
    private final List<IndexPrice> published = new ArrayList<>();
    private final IndexPrices prices = new IndexPrices(() -> now, published::add);
    private final IndexPrices.SpotMarket btcUsdt = new IndexPrices.SpotMarket("BTC-USDT", "BTC", "USDT", 2);
    private final IndexPrices.SpotMarket btcUsdc = new IndexPrices.SpotMarket("BTC-USDC", "BTC", "USDC", 2);

    private static Ticker ticker(long bid, long ask, long last) {
        return Ticker.newBuilder().setBestBid(bid).setBestAsk(ask).setLastPrice(last).setTimestampMs(5).build();
    }

    @Test
    void theBookGivesTheMidElseTheLastTrade() {
        assertEquals(3_050_000, IndexPrices.bookPrice(ticker(3_000_000, 3_100_000, 2_000_000)));
        assertEquals(2_000_000, IndexPrices.bookPrice(ticker(3_000_000, 0, 2_000_000)));
        assertEquals(2_000_000, IndexPrices.bookPrice(ticker(0, 3_100_000, 2_000_000)));
        assertEquals(0, IndexPrices.bookPrice(ticker(0, 0, 0)));
        assertEquals(101, IndexPrices.bookPrice(ticker(100, 103, 0)));
    }

    @Test
    void publishesOnChangeOnlyAndTheFreshOperatorPriceWins() {
        prices.onTicker(btcUsdt, ticker(0, 0, 0));
        assertTrue(published.isEmpty(), "no price, nothing published");
        assertNull(prices.get("BTC"));

        prices.onTicker(btcUsdt, ticker(3_000_000, 3_100_000, 0));
        assertEquals(1, published.size());
        IndexPrice book = published.get(0);
        assertEquals("BTC", book.getAsset());
        assertEquals("USDT", book.getQuote());
        assertEquals(3_050_000, book.getPrice());
        assertEquals(2, book.getPriceScale());
        assertEquals("spot:BTC-USDT", book.getSource());
        prices.onTicker(btcUsdt, ticker(3_000_000, 3_100_000, 0));
        assertEquals(1, published.size(), "same price: not published again");

        // Two markets of the same base: the one whose symbol sorts first (BTC-USDC) gives the price.
        prices.onTicker(btcUsdc, ticker(1, 3, 0));
        assertEquals("spot:BTC-USDC", prices.get("BTC").getSource());
        assertEquals(2, published.size());

        IndexPrice operator = IndexPrice.newBuilder().setAsset("BTC").setQuote("USDT").setPrice(3_200_000)
                .setPriceScale(2).setSource("operator").setTimestampMs(now).build();
        prices.onOperator(operator);
        assertEquals(operator, published.get(published.size() - 1));
        prices.onTicker(btcUsdt, ticker(3_000_000, 3_300_000, 0));
        assertEquals(operator, prices.get("BTC"), "a fresh operator price wins over the book");

        now += IndexPrices.OPERATOR_FRESH_MS;
        prices.refreshAll();
        assertEquals("spot:BTC-USDC", prices.get("BTC").getSource(), "an old operator price hands over");
        assertEquals("spot:BTC-USDC", published.get(published.size() - 1).getSource());
        assertEquals(List.of(prices.get("BTC")), prices.all());
    }

    @Test
    void anOldOperatorPriceIsStillUsedWhenNoBookHasOne() {
        prices.onOperator(IndexPrice.newBuilder().setAsset("ETH").setQuote("USDT").setPrice(200_000)
                .setPriceScale(2).setSource("operator").setTimestampMs(now - 10 * IndexPrices.OPERATOR_FRESH_MS)
                .build());
        assertEquals(200_000, prices.get("ETH").getPrice());
        assertEquals(1, published.size());
    }
}
