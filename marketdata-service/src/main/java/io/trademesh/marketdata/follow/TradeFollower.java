package io.trademesh.marketdata.follow;

import com.google.protobuf.InvalidProtocolBufferException;
import io.trademesh.marketdata.engine.MarketDataEngine;
import io.trademesh.marketdata.store.MarketDataStateMachine;
import io.trademesh.platform.cluster.GrpcCalls;
import io.trademesh.platform.cluster.MarketDirectory;
import io.trademesh.platform.cluster.ServiceDirectory;
import io.trademesh.platform.engine.CommandShard;
import io.trademesh.platform.events.Addresses;
import io.trademesh.platform.events.BatchView;
import io.trademesh.platform.events.EventStreams;
import io.trademesh.platform.events.GapFiller;
import io.trademesh.proto.common.BookDelta;
import io.trademesh.proto.common.MarketLocation;
import io.trademesh.proto.common.PublicTrade;
import io.trademesh.proto.events.EventReplayGrpcClient;
import io.trademesh.proto.events.ReplayReply;
import io.trademesh.proto.events.ReplayRequest;
import io.trademesh.proto.marketdata.MarketDataCommand;
import io.trademesh.proto.marketdata.TradesObserved;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.grpc.client.GrpcClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Follows every product's event batches, journals their public trades, and hands the trades
 * and book diffs, in order, to the market-data streams ({@link Feed}): a batch with trades
 * becomes one {@code TradesObserved} command. Batches are put in order per source and gaps are
 * filled from the owner's retained window by the platform's {@link GapFiller} (asking for the
 * trades of every market in the directory); after a restart each source resumes from the last
 * batch the journal holds, so what was published while this service was down is asked for
 * too. Batches without trades are journaled only as a mark, once a second, so a restart does
 * not ask for more than it must. What cannot be recovered (beyond the owner's window, or a
 * restarted owner's unpublished tail) is logged and counted: {@link #lost()}.
 */
public final class TradeFollower {

    private static final Logger LOG = Logger.getLogger(TradeFollower.class.getName());
    private static final long REPLAY_TIMEOUT_MS = 3_000;

    private final Vertx vertx;
    private final Context context;
    private final CommandShard<MarketDataStateMachine, MarketDataCommand, Integer> shard;
    private final ServiceDirectory services;
    private final MarketDirectory markets;
    private final GrpcClient client;
    private final List<MessageConsumer<Buffer>> consumers = new ArrayList<>();
    private final List<Long> timers = new ArrayList<>();
    /** Trades addresses of every listed market: what a repair asks the owner for. */
    private volatile List<String> tradeAddresses = List.of();
    /** Per source instance, the newest batch delivered without trades and not yet journaled as a mark. */
    private final Map<String, TradesObserved> unmarked = new HashMap<>();
    private final AtomicLong missed = new AtomicLong();
    private final AtomicLong repaired = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();
    private final AtomicLong unjournaled = new AtomicLong();
    private GapFiller filler;
    private final Feed feed;

    /** Who else hears the batches in order: the market-data streams (trades and book diffs). */
    public interface Feed {
        void trades(List<PublicTrade> trades);

        void bookDelta(BookDelta delta);
    }

    public TradeFollower(Vertx vertx, Context context,
                         CommandShard<MarketDataStateMachine, MarketDataCommand, Integer> shard, Feed feed) {
        this.vertx = vertx;
        this.feed = feed;
        this.context = context;
        this.shard = shard;
        this.services = new ServiceDirectory(vertx);
        this.markets = new MarketDirectory(vertx);
        this.client = GrpcCalls.client(vertx, 2_000);
    }

    /** Starts following from where the journal left each source. */
    public Future<Void> start(List<MarketDataEngine.SourceMark> resumeFrom) {
        return refreshMarkets().recover(e -> Future.succeededFuture()).compose(v -> {
            io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
            context.runOnContext(x -> {
                filler = new GapFiller(context, this::replay, () -> tradeAddresses, this::deliver,
                        (addresses, reason) -> {
                            lost.incrementAndGet();
                            LOG.warning("trades lost to history: " + reason);
                        }, new GapFiller.Counters() {
                            @Override
                            public void missed(long batches) {
                                missed.addAndGet(batches);
                            }

                            @Override
                            public void repaired(long batches) {
                                repaired.addAndGet(batches);
                            }

                            @Override
                            public void resynced() {
                                // counted by the notice above
                            }
                        });
                for (MarketDataEngine.SourceMark m : resumeFrom) {
                    filler.resume(m.instance(), m.startedAtMs(), m.lastBatchSequence());
                }
                for (String service : EventStreams.SERVICES) {
                    consumers.add(vertx.eventBus().<Buffer>consumer(EventStreams.of(service),
                            msg -> filler.onBatch(BatchView.of(msg.body().getBytes()))));
                }
                timers.add(vertx.setPeriodic(1_000, id -> journalMarks()));
                timers.add(vertx.setPeriodic(5_000, id -> refreshMarkets()));
                done.complete();
            });
            return done.future();
        });
    }

    private Future<Void> refreshMarkets() {
        return markets.all().map(all -> {
            List<String> addresses = new ArrayList<>();
            for (MarketLocation l : all) {
                addresses.add(Addresses.trades(l.getMarket()));
            }
            tradeAddresses = addresses;
            return null;
        });
    }

    /** A batch in order: its trades journaled, or its sequence remembered for the next mark. */
    private void deliver(BatchView batch) {
        List<PublicTrade> trades = new ArrayList<>();
        batch.forEachEvent(address -> address.endsWith(".trades") || address.endsWith(".book"), (address, payload) -> {
            try {
                if (address.endsWith(".trades")) {
                    trades.add(PublicTrade.parseFrom(payload.getBytes()));
                } else {
                    feed.bookDelta(BookDelta.parseFrom(payload.getBytes()));
                }
            } catch (InvalidProtocolBufferException e) {
                LOG.warning("undecodable event on " + address + ": " + e.getMessage());
            }
        });
        if (!trades.isEmpty()) {
            feed.trades(trades);
        }
        TradesObserved observed = TradesObserved.newBuilder().setSourceService(batch.sourceService())
                .setSourceInstance(batch.sourceInstance()).setStartedAtMs(batch.startedAtMs())
                .setBatchSequence(batch.batchSequence()).addAllTrades(trades).build();
        if (trades.isEmpty()) {
            unmarked.put(batch.sourceInstance(), observed);
            return;
        }
        unmarked.remove(batch.sourceInstance());
        submit(observed);
    }

    private void journalMarks() {
        context.runOnContext(v -> {
            for (TradesObserved mark : unmarked.values()) {
                submit(mark);
            }
            unmarked.clear();
        });
    }

    /**
     * Journals a batch. A journal that fails is fatal for the shard (its state and journal may
     * differ); from then on batches are not journaled but counted, the service reports not
     * ready, and a restart asks each owner again for everything after the journal's last batch:
     * the owners' retained windows are the retry queue, so nothing is dropped silently.
     */
    private void submit(TradesObserved observed) {
        if (!shard.healthy()) {
            if (unjournaled.getAndIncrement() == 0) {
                LOG.severe("the journal has stopped: batches are no longer journaled (restart the service; it will"
                        + " ask the owners for them again)");
            }
            return;
        }
        shard.submit(MarketDataCommand.newBuilder().setTrades(observed).build())
                .onFailure(e -> {
                    unjournaled.incrementAndGet();
                    LOG.warning("journaling trades of " + observed.getSourceInstance() + " batch "
                            + observed.getBatchSequence() + " failed (a restart asks the owner again): "
                            + e.getMessage());
                });
    }

    /** Asks the instance that published the batches (its short name + "-service") for the missed ones. */
    private Future<ReplayReply> replay(String service, ReplayRequest request) {
        return services.instances(service + "-service").compose(instances -> {
            for (ServiceDirectory.Instance i : instances) {
                if (i.instanceId().equals(request.getSourceInstance())) {
                    return GrpcCalls.unary(client, GrpcCalls.address(i.grpcEndpoint()), EventReplayGrpcClient.Replay,
                            request, REPLAY_TIMEOUT_MS);
                }
            }
            return Future.failedFuture("instance " + request.getSourceInstance() + " is not in the service directory");
        });
    }

    public long missed() {
        return missed.get();
    }

    public long repaired() {
        return repaired.get();
    }

    /** Batches not journaled because the journal stopped: asked of the owners again at the restart. */
    public long unjournaled() {
        return unjournaled.get();
    }

    /** Gaps that could not be repaired (each may have lost trades from history). */
    public long lost() {
        return lost.get();
    }

    public void stop() {
        timers.forEach(vertx::cancelTimer);
        consumers.forEach(MessageConsumer::unregister);
    }
}
