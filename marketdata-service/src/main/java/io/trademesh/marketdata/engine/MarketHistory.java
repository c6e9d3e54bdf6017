package io.trademesh.marketdata.engine;

import io.trademesh.marketdata.candles.MarketCandles;
import io.trademesh.marketdata.history.TradeTape;

/** One market's candles of every interval and its recent trades; {@code changed} since the last publish. */
public final class MarketHistory {

    final MarketCandles candles;
    final TradeTape trades = new TradeTape();
    /** Not state: whether a trade arrived since the streams last published this market. */
    boolean changed;

    MarketHistory(String market) {
        this.candles = new MarketCandles(market);
    }

    public MarketCandles candles() {
        return candles;
    }

    public TradeTape trades() {
        return trades;
    }
}
