package io.trademesh.marketdata.api;

import io.trademesh.marketdata.archive.Archiver;
import io.trademesh.marketdata.archive.HistoryArchive;
import io.trademesh.marketdata.candles.CandleInterval;
import io.trademesh.marketdata.candles.CandleSeries;
import io.trademesh.marketdata.candles.MarketCandles;
import io.trademesh.marketdata.engine.MarketDataEngine;
import io.trademesh.marketdata.engine.MarketHistory;
import io.trademesh.marketdata.engine.Rolling24h;
import io.trademesh.marketdata.history.SampleTape;
import io.trademesh.marketdata.store.MarketDataStateMachine;
import io.trademesh.platform.engine.CommandShard;
import io.trademesh.platform.errors.Refusals;
import io.trademesh.proto.common.PublicTrade;
import io.trademesh.proto.common.Side;
import io.trademesh.proto.futures.FundingEvent;
import io.trademesh.proto.marketdata.Candle;
import io.trademesh.proto.marketdata.HistoryKind;
import io.trademesh.proto.marketdata.HistoryReply;
import io.trademesh.proto.marketdata.HistoryRequest;
import io.trademesh.proto.marketdata.MarketDataCommand;
import io.trademesh.proto.marketdata.MarketDataServiceService;
import io.trademesh.proto.marketdata.OptionMarkPoint;
import io.trademesh.proto.marketdata.PoolRateSample;
import io.trademesh.proto.marketdata.Ticker24h;
import io.trademesh.proto.marketdata.TickerList;
import io.trademesh.proto.marketdata.TickersRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.grpc.common.GrpcStatus;

/**
 * {@code trademesh.marketdata.MarketDataService}: candles (of trades, or of the mark price),
 * trades, funding settlements or option marks and volatilities of a market, or a pool's rates,
 * by time range, paginated, and the 24-hour rolling
 * tickers. Reads run on the engine's thread as queries; a
 * market with no trade yet has empty history (the gateway tells unknown markets apart).
 */
public final class MarketDataApi extends MarketDataServiceService {

    public static final int DEFAULT_LIMIT = 500;
    public static final int MAX_LIMIT = 1_000;

    private final CommandShard<MarketDataStateMachine, MarketDataCommand, Integer> shard;
    private final Vertx vertx;
    private final Archiver archiver;

    /** Answers from memory only. */
    public MarketDataApi(CommandShard<MarketDataStateMachine, MarketDataCommand, Integer> shard) {
        this(shard, null, null);
    }

    /** Answers candles (from 1m) and trades older than memory keeps from the archive. */
    public MarketDataApi(CommandShard<MarketDataStateMachine, MarketDataCommand, Integer> shard, Vertx vertx,
                         Archiver archiver) {
        this.shard = shard;
        this.vertx = vertx;
        this.archiver = archiver;
    }

    @Override
    public Future<HistoryReply> getHistoricalData(HistoryRequest r) {
        if (r.getMarket().isEmpty()) {
            return Refusals.failed(GrpcStatus.INVALID_ARGUMENT, "INVALID_MARKET", "market is required");
        }
        if (r.getFromMs() < 0 || r.getToMs() < 0 || (r.getToMs() != 0 && r.getFromMs() >= r.getToMs())) {
            return Refusals.failed(GrpcStatus.INVALID_ARGUMENT, "INVALID_RANGE", "from and to are ms >= 0, from < to");
        }
        if (r.getLimit() > MAX_LIMIT) {
            return Refusals.failed(GrpcStatus.INVALID_ARGUMENT, "INVALID_LIMIT", "limit is at most " + MAX_LIMIT);
        }
        int limit = r.getLimit() == 0 ? DEFAULT_LIMIT : r.getLimit();
        long from = r.getFromMs();
        long to = r.getToMs() == 0 ? Long.MAX_VALUE : r.getToMs();
        if (r.getKind() == HistoryKind.HISTORY_KIND_CANDLES || r.getKind() == HistoryKind.HISTORY_KIND_MARK_CANDLES) {
            CandleInterval interval = CandleInterval.of(r.getInterval());
            if (interval == null) {
                return Refusals.failed(GrpcStatus.INVALID_ARGUMENT, "INVALID_INTERVAL",
                        "interval is one of 1s 1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 1w");
            }
            boolean mark = r.getKind() == HistoryKind.HISTORY_KIND_MARK_CANDLES;
            long[] archived = mark || archiver == null || !HistoryArchive.archived(interval) ? null
                    : archiver.watermark(r.getMarket(), interval.ordinal());
            if (archived != null && from <= archived[0]) {
                return archivedCandles(r.getMarket(), interval, from, to, limit, archived[0]);
            }
            return shard.query(m -> {
                MarketHistory h = mark ? null : m.engine().market(r.getMarket());
                MarketCandles c = mark ? m.engine().marks(r.getMarket()) : h == null ? null : h.candles();
                return candles(c, r.getMarket(), interval, from, to, limit);
            });
        }
        if (r.getKind() == HistoryKind.HISTORY_KIND_TRADES) {
            long[] archived = archiver == null ? null : archiver.watermark(r.getMarket(), HistoryArchive.TRADES);
            if (archived != null && from <= archived[0]) {
                return archivedTrades(r.getMarket(), from, to, limit, archived);
            }
            return shard.query(m -> trades(m.engine(), r.getMarket(), from, Long.MIN_VALUE, to, limit));
        }
        if (r.getKind() == HistoryKind.HISTORY_KIND_POOL_RATES) {
            String asset = r.getMarket();
            return shard.query(m -> samples(m.engine().poolRates(asset), asset, from, to, limit,
                    (b, time, v) -> b.addPoolRates(PoolRateSample.newBuilder().setAsset(asset).setTimestampMs(time)
                            .setUtilizationE9(v[0]).setBorrowRateE9(v[1]).setSupplyRateE9(v[2]))));
        }
        if (r.getKind() == HistoryKind.HISTORY_KIND_FUNDING) {
            String market = r.getMarket();
            return shard.query(m -> samples(m.engine().funding(market), market, from, to, limit,
                    (b, time, v) -> b.addFunding(FundingEvent.newBuilder().setMarket(market).setTimestampMs(time)
                            .setRateE8(v[0]).setMarkPrice(v[1]).setPaid(v[2]))));
        }
        if (r.getKind() == HistoryKind.HISTORY_KIND_OPTION_MARKS) {
            return shard.query(m -> samples(m.engine().optionMarks(r.getMarket()), r.getMarket(), from, to, limit,
                    (b, time, v) -> b.addOptionMarks(OptionMarkPoint.newBuilder().setTimestampMs(time)
                            .setMarkPrice(v[0]).setMarkIvE8(v[1]).setIndexPrice(v[2]))));
        }
        return Refusals.failed(GrpcStatus.INVALID_ARGUMENT, "INVALID_KIND",
                "kind is CANDLES, TRADES, MARK_CANDLES, POOL_RATES, FUNDING or OPTION_MARKS");
    }

    /** Adds one point of a sample history to the reply. */
    private interface PointAdder {
        void add(HistoryReply.Builder reply, long timeMs, long[] values);
    }

    private static HistoryReply candles(MarketCandles c, String market, CandleInterval interval, long from,
                                        long to, int limit) {
        HistoryReply.Builder b = HistoryReply.newBuilder().setMarket(market).setInterval(interval.label());
        if (c == null) {
            return b.build();
        }
        CandleSeries series = c.series(interval);
        long[] next = {0};
        series.forEach(from, to, (start, open, high, low, close, base, quote, trades) -> {
            if (b.getCandlesCount() < limit) {
                b.addCandles(Candle.newBuilder().setOpenTimeMs(start).setOpen(open).setHigh(high).setLow(low)
                        .setClose(close).setVolume(base).setQuoteVolume(quote).setTrades(trades));
            } else if (next[0] == 0) {
                next[0] = start;
            }
        });
        long kept = series.oldestKeptMs();
        return b.setNextFromMs(next[0]).setKeptFromMs(kept == Long.MIN_VALUE ? 0 : kept).build();
    }

    /**
     * Candles from the archive up to and including {@code archivedThrough} (its newest), then
     * from memory after it: one page, no candle twice, none left out.
     */
    private Future<HistoryReply> archivedCandles(String market, CandleInterval interval, long from, long to,
                                                 int limit, long archivedThrough) {
        HistoryArchive archive = archiver.archive();
        long split = Math.min(to, archivedThrough + 1);
        return vertx.executeBlocking(() -> {
            HistoryReply.Builder b = HistoryReply.newBuilder().setMarket(market).setInterval(interval.label());
            long next = archive.candles(market, interval, from, split, limit,
                    (start, open, high, low, close, base, quote, trades) -> b.addCandles(Candle.newBuilder()
                            .setOpenTimeMs(start).setOpen(open).setHigh(high).setLow(low).setClose(close)
                            .setVolume(base).setQuoteVolume(quote).setTrades(trades)));
            long oldest = archive.oldestMs(market, interval.ordinal());
            return b.setNextFromMs(next).setKeptFromMs(oldest == Long.MIN_VALUE ? 0 : oldest);
        }, false).compose(page -> {
            if (page.getNextFromMs() != 0 || split >= to) {
                return Future.succeededFuture(page.build());
            }
            return shard.query(m -> {
                MarketHistory h = m.engine().market(market);
                HistoryReply rest = candles(h == null ? null : h.candles(), market, interval, split, to,
                        limit - page.getCandlesCount());
                return page.addAllCandles(rest.getCandlesList()).setNextFromMs(rest.getNextFromMs()).build();
            });
        });
    }

    /** Trades from the archive up to its newest (time, id), then from memory after it. */
    private Future<HistoryReply> archivedTrades(String market, long from, long to, int limit, long[] archived) {
        HistoryArchive archive = archiver.archive();
        long split = Math.min(to, archived[0] + 1);
        return vertx.executeBlocking(() -> {
            HistoryReply.Builder b = HistoryReply.newBuilder().setMarket(market);
            long next = archive.trades(market, from, split, limit, (id, time, price, quantity, buy) -> b.addTrades(
                    trade(market, id, time, price, quantity, buy)));
            long oldest = archive.oldestMs(market, HistoryArchive.TRADES);
            return b.setNextFromMs(next).setKeptFromMs(oldest == Long.MIN_VALUE ? 0 : oldest);
        }, false).compose(page -> {
            if (page.getNextFromMs() != 0 || split >= to) {
                return Future.succeededFuture(page.build());
            }
            return shard.query(m -> {
                HistoryReply rest = trades(m.engine(), market, archived[0], archived[1], to,
                        limit - page.getTradesCount());
                return page.addAllTrades(rest.getTradesList()).setNextFromMs(rest.getNextFromMs()).build();
            });
        });
    }

    private static PublicTrade.Builder trade(String market, long id, long time, long price, long quantity,
                                             boolean buy) {
        return PublicTrade.newBuilder().setMarket(market).setTradeId(id).setTimestampMs(time).setPrice(price)
                .setQuantity(quantity).setTakerSide(buy ? Side.SIDE_BUY : Side.SIDE_SELL);
    }

    /** Trades kept in memory from {@code from} (leaving out those at {@code from} up to {@code afterId}). */
    private static HistoryReply trades(MarketDataEngine engine, String market, long from, long afterId, long to,
                                       int limit) {
        HistoryReply.Builder b = HistoryReply.newBuilder().setMarket(market);
        MarketHistory h = engine.market(market);
        if (h == null) {
            return b.build();
        }
        long next = h.trades().forEach(from, afterId, to, limit, (id, time, price, quantity, buy) -> b.addTrades(
                trade(market, id, time, price, quantity, buy)));
        long kept = h.trades().oldestMs();
        return b.setNextFromMs(next).setKeptFromMs(kept == Long.MIN_VALUE ? 0 : kept).build();
    }

    private static HistoryReply samples(SampleTape tape, String key, long from, long to, int limit, PointAdder add) {
        HistoryReply.Builder b = HistoryReply.newBuilder().setMarket(key);
        if (tape == null) {
            return b.build();
        }
        long next = tape.forEach(from, to, limit, (time, values) -> add.add(b, time, values));
        return b.setNextFromMs(next).setKeptFromMs(Math.max(0, tape.oldestMs())).build();
    }

    @Override
    public Future<TickerList> getTickers24h(TickersRequest r) {
        long now = System.currentTimeMillis();
        return shard.query(m -> {
            MarketDataEngine engine = m.engine();
            TickerList.Builder b = TickerList.newBuilder();
            Rolling24h day = new Rolling24h();
            for (String market : r.getMarket().isEmpty() ? engine.marketNames() : java.util.List.of(r.getMarket())) {
                if (engine.rolling24h(market, now, day)) {
                    b.addTickers(ticker(market, day));
                }
            }
            return b.build();
        });
    }

    /** A 24-hour ticker from what {@link MarketDataEngine#rolling24h} added up. */
    public static Ticker24h ticker(String market, Rolling24h day) {
        return Ticker24h.newBuilder().setMarket(market).setOpen(day.open).setHigh(day.high).setLow(day.low)
                .setClose(day.close).setVolume(day.volume).setQuoteVolume(day.quoteVolume).setTrades(day.trades)
                .setOpenTimeMs(day.openTimeMs).setCloseTimeMs(day.closeTimeMs).build();
    }
}
