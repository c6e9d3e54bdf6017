package io.trademesh.marketdata.candles;

/**
 * One market's candles for every {@link CandleInterval}, built from its trades, idempotent
 * under redelivery and correct under reordering: each trade id counts once (a window of the
 * last 65,536 ids), and each candle's open and close are its lowest and highest trade ids'
 * prices. Single-writer (the market's ingestion thread) and allocation-free per trade.
 */
public final class MarketCandles {

    private static final CandleInterval[] INTERVALS = CandleInterval.values();

    private final String market;
    private final CandleSeries[] series = new CandleSeries[INTERVALS.length];
    private final TradeIdWindow applied = new TradeIdWindow();
    private long duplicates;
    private long late;

    public MarketCandles(String market) {
        this.market = market;
        for (CandleInterval i : INTERVALS) {
            series[i.ordinal()] = new CandleSeries(i);
        }
    }

    public String market() {
        return market;
    }

    /**
     * Adds a trade to every interval; false when it was seen before (or is older than the id
     * window). {@code quoteQuantity} is price x quantity at the market's scales, as the owner
     * reports it.
     */
    public boolean onTrade(long tradeId, long timeMs, long price, long quantity, long quoteQuantity) {
        if (!applied.firstTime(tradeId)) {
            duplicates++;
            return false;
        }
        for (CandleSeries s : series) {
            if (!s.add(tradeId, timeMs, price, quantity, quoteQuantity)) {
                late++;
            }
        }
        return true;
    }

    public CandleSeries series(CandleInterval interval) {
        return series[interval.ordinal()];
    }

    /** Trades ignored because they had been applied already (or came too late to tell). */
    public long duplicates() {
        return duplicates;
    }

    /** Candle updates refused because the candle was older than the ones kept in memory. */
    public long late() {
        return late;
    }

    /** Writes every series and the applied ids (for the service's snapshot). */
    public void write(java.io.DataOutput out) throws java.io.IOException {
        applied.write(out);
        out.writeLong(duplicates);
        out.writeLong(late);
        for (CandleSeries s : series) {
            s.write(out);
        }
    }

    /** Reads what {@link #write} wrote, into a fresh instance. */
    public void read(java.io.DataInput in) throws java.io.IOException {
        applied.read(in);
        duplicates = in.readLong();
        late = in.readLong();
        for (CandleSeries s : series) {
            s.read(in);
        }
    }
}
