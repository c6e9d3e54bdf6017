package io.trademesh.marketdata.engine;

import io.trademesh.marketdata.candles.CandleSeries;

/** Adds up a day of 1-minute candles: open of the first, close of the last, extremes and sums. */
public final class Rolling24h implements CandleSeries.CandleVisitor {

    public long openTimeMs;
    public long closeTimeMs;
    public long open;
    public long high;
    public long low;
    public long close;
    public long volume;
    public long quoteVolume;
    public long trades;

    void clear(long fromMs, long nowMs) {
        openTimeMs = fromMs;
        closeTimeMs = nowMs;
        open = high = low = close = volume = quoteVolume = trades = 0;
    }

    @Override
    public void candle(long startMs, long o, long h, long l, long c, long baseVolume, long quote, long count) {
        if (trades == 0) {
            open = o;
            high = h;
            low = l;
        } else {
            high = Math.max(high, h);
            low = Math.min(low, l);
        }
        close = c;
        volume += baseVolume;
        quoteVolume += quote;
        trades += count;
    }
}
