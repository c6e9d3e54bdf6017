package io.trademesh.marketdata;

import io.micrometer.core.instrument.Gauge;
import io.trademesh.marketdata.api.MarketDataApi;
import io.trademesh.marketdata.archive.Archiver;
import io.trademesh.marketdata.archive.HistoryArchive;
import io.trademesh.marketdata.candles.CandleInterval;
import io.trademesh.marketdata.candles.CandleSeries;
import io.trademesh.marketdata.engine.MarketDataEngine;
import io.trademesh.marketdata.engine.MarketHistory;
import io.trademesh.marketdata.engine.Rolling24h;
import io.trademesh.marketdata.follow.SampleFollower;
import io.trademesh.marketdata.follow.TradeFollower;
import io.trademesh.marketdata.serve.StreamServer;
import io.trademesh.proto.common.BookDelta;
import io.trademesh.proto.common.PublicTrade;
import io.vertx.core.Context;
import io.trademesh.marketdata.store.MarketDataStateMachine;
import io.trademesh.platform.boot.ServiceModule;
import io.trademesh.platform.boot.ServiceRuntime;
import io.trademesh.platform.store.Snapshot;
import io.trademesh.platform.store.StateMachine;
import io.trademesh.platform.config.ServiceDefaults;
import io.trademesh.platform.engine.CommandShard;
import io.trademesh.platform.engine.JournaledStateMachine;
import io.trademesh.platform.events.Addresses;
import io.trademesh.platform.events.Published;
import io.trademesh.proto.marketdata.Candle;
import io.trademesh.proto.marketdata.CandleUpdate;
import io.trademesh.proto.marketdata.MarketDataCommand;
import io.trademesh.proto.marketdata.MarketDataServiceGrpcService;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * marketdata-service: follows every product's public trades ({@link TradeFollower}), the
 * futures' and options' marks and the pools' rates ({@link SampleFollower}), journals them and
 * builds each market's candles, mark-price candles, 24-hour ticker and recent trades and each
 * pool's rate history (the
 * {@link MarketDataStateMachine}, recovered from its snapshot and journal on start, then
 * topped up from the owners' retained windows), serves them over gRPC
 * ({@link MarketDataApi}), and publishes every second the current candles and the 24-hour
 * ticker of each market that traded.
 */
public final class MarketDataService implements ServiceModule {

    private static final Logger LOG = Logger.getLogger(MarketDataService.class.getName());
    private static final long PUBLISH_INTERVAL_MS = 1_000;
    /** How often history memory will let go of is copied to the archive. */
    private static final long ARCHIVE_INTERVAL_MS = 5_000;
    private static final CandleInterval[] INTERVALS = CandleInterval.values();
    /** How often the market-data streams exchange heartbeats (MARKETDATA_HEARTBEAT_MS). */
    private static final long DEFAULT_HEARTBEAT_MS = 5_000;

    private final MarketDataStateMachine machine = new MarketDataStateMachine();
    private final AtomicLong trades = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong marketCount = new AtomicLong();
    private CommandShard<MarketDataStateMachine, MarketDataCommand, Integer> shard;
    private TradeFollower follower;
    private StreamServer streams;
    private long heartbeatMs = DEFAULT_HEARTBEAT_MS;
    private SampleFollower marks;
    private HistoryArchive archive;
    private Archiver archiver;
    private ServiceRuntime runtime;
    private long publisher = -1;

    @Override
    public ServiceDefaults defaults() {
        return ServiceDefaults.MARKET_DATA;
    }

    @Override
    public void configure() {
        String value = System.getenv("MARKETDATA_HEARTBEAT_MS");
        if (value != null && !value.isBlank()) {
            try {
                heartbeatMs = Long.parseLong(value.trim());
            } catch (NumberFormatException e) {
                heartbeatMs = -1;
            }
            if (heartbeatMs < 100 || heartbeatMs > 60_000) {
                throw new io.trademesh.platform.config.ConfigException("MARKETDATA_HEARTBEAT_MS must be 100 .. 60000 ms,"
                        + " was '" + value + "'");
            }
        }
    }

    @Override
    public StateMachine stateMachine() {
        return machine;
    }

    @Override
    public Future<Void> start(ServiceRuntime rt) {
        runtime = rt;
        // Two contexts: the engine's (the platform's, on the gRPC server's loop), and the followers'
        // and streams' own (ordering batches, fanning out to clients), so that neither slows the other.
        return CommandShard.ownContext(rt.vertx()).compose(streamsContext -> {
            Context context = rt.engineContext();
            shard = CommandShard.of("marketdata engine", context, machine, rt.store(), (sequence, added) -> { });
            rt.health().register("engine", shard::healthy);
            archive = HistoryArchive.open(rt.config().dataDir().resolve("archive"));
            archiver = new Archiver(rt.vertx(), shard, archive, ARCHIVE_INTERVAL_MS);
            rt.grpcServer().addService(MarketDataServiceGrpcService.of(new MarketDataApi(shard, rt.vertx(), archiver)));
            streams = new StreamServer(rt.vertx(), streamsContext, heartbeatMs);
            streams.register(rt.grpcServer());
            follower = new TradeFollower(rt.vertx(), streamsContext, shard, new TradeFollower.Feed() {
                @Override
                public void trades(List<PublicTrade> trades) {
                    streams.trades(trades);
                }

                @Override
                public void bookDelta(BookDelta delta) {
                    streams.bookDelta(delta);
                }
            });
            metrics(rt);
            marks = new SampleFollower(rt.vertx(), shard);
            return shard.query(m -> m.engine().sources()).compose(sources -> {
                LOG.info("marketdata-service resuming " + sources.size() + " source(s) from its journal: " + sources);
                return follower.start(sources);
            }).compose(v -> archiver.start()).onSuccess(v -> marks.start());
        }).map(v -> {
            publisher = rt.vertx().setPeriodic(PUBLISH_INTERVAL_MS, id -> publish());
            return null;
        });
    }

    private void metrics(ServiceRuntime rt) {
        Gauge.builder("marketdata.trades.applied", trades, AtomicLong::get)
                .description("public trades applied to candles and history").register(rt.registry());
        Gauge.builder("marketdata.trades.duplicate", duplicates, AtomicLong::get)
                .description("trades delivered again and ignored").register(rt.registry());
        Gauge.builder("marketdata.markets", marketCount, AtomicLong::get).register(rt.registry());
        Gauge.builder("marketdata.batches.missed", follower, TradeFollower::missed)
                .description("event batches missed on the bus").register(rt.registry());
        Gauge.builder("marketdata.batches.repaired", follower, TradeFollower::repaired)
                .description("missed batches filled from the owner").register(rt.registry());
        Gauge.builder("marketdata.gaps.lost", follower, TradeFollower::lost)
                .description("gaps that could not be filled: history may miss trades").register(rt.registry());
        Gauge.builder("marketdata.batches.unjournaled", follower, TradeFollower::unjournaled)
                .description("batches not journaled after the journal stopped (asked again at the restart)")
                .register(rt.registry());
        Gauge.builder("marketdata.archive.rows", archiver, Archiver::rows)
                .description("candles and trades copied to the archive").register(rt.registry());
        Gauge.builder("marketdata.archive.lag.ms", archiver, Archiver::lagMs)
                .description("time since the last archive pass that succeeded").register(rt.registry());
        Gauge.builder("marketdata.archive.failures", archiver, Archiver::failures)
                .description("archive passes that failed (retried by the next)").register(rt.registry());
        Gauge.builder("marketdata.archive.missed", archiver, Archiver::missed)
                .description("series whose memory let go of history the archive had not taken").register(rt.registry());
        Gauge.builder("marketdata.journal.pending", shard, CommandShard::pending)
                .description("history applied (and streamed) but not yet durable: the store's lag")
                .register(rt.registry());
        Gauge.builder("marketdata.streams", streams, StreamServer::streams)
                .description("open gRPC market-data streams").register(rt.registry());
        Gauge.builder("marketdata.streams.trades.dropped", streams, StreamServer::droppedTrades)
                .description("trades not written to a stream whose queue was full").register(rt.registry());
        Gauge.builder("marketdata.streams.books.conflated", streams, StreamServer::conflated)
                .description("book subscriptions sent a fresh snapshot instead of diffs (slow client or a gap)")
                .register(rt.registry());
    }

    /** The current candles and the 24-hour ticker of each market that traded in the last second. */
    private void publish() {
        long now = System.currentTimeMillis();
        shard.query(m -> {
            MarketDataEngine engine = m.engine();
            trades.set(engine.tradesApplied());
            duplicates.set(engine.duplicates());
            marketCount.set(engine.marketNames().size());
            List<Published> out = new ArrayList<>();
            Rolling24h day = new Rolling24h();
            for (String market : engine.takeChanged()) {
                out.add(new Published(Addresses.candles(market), current(market, engine.market(market)).toByteArray()));
                if (engine.rolling24h(market, now, day)) {
                    out.add(new Published(Addresses.ticker24h(market),
                            MarketDataApi.ticker(market, day).toByteArray()));
                }
            }
            return out;
        }).onSuccess(all -> all.forEach(p -> {
            runtime.vertx().eventBus().publish(p.address(), Buffer.buffer(p.payload()));
            streams.published(p);
        }));
    }

    private static CandleUpdate current(String market, MarketHistory h) {
        CandleUpdate.Builder b = CandleUpdate.newBuilder().setMarket(market);
        for (CandleInterval i : INTERVALS) {
            CandleSeries s = h.candles().series(i);
            long newest = s.newestMs();
            s.forEach(newest, newest + i.lengthMs(), (start, open, high, low, close, base, quote, count) -> b
                    .addIntervals(i.label()).addCandles(Candle.newBuilder().setOpenTimeMs(start).setOpen(open)
                            .setHigh(high).setLow(low).setClose(close).setVolume(base).setQuoteVolume(quote)
                            .setTrades(count)));
        }
        return b.build();
    }

    @Override
    public Future<Snapshot> snapshot() {
        return shard.snapshot(JournaledStateMachine::snapshot);
    }

    @Override
    public Future<Void> stop() {
        if (publisher >= 0) {
            runtime.vertx().cancelTimer(publisher);
        }
        if (follower != null) {
            follower.stop();
        }
        if (streams != null) {
            streams.stop();
        }
        if (marks != null) {
            marks.stop();
        }
        if (archiver != null) {
            archiver.stop();
        }
        Future<Void> stopped = shard == null ? Future.succeededFuture() : shard.stop();
        return stopped.andThen(ar -> {
            if (archive != null) {
                archive.close(); // waits for a pass or read in progress
            }
        });
    }
}
