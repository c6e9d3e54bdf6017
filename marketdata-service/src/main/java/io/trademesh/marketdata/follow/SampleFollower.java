package io.trademesh.marketdata.follow;

import com.google.protobuf.InvalidProtocolBufferException;
import io.trademesh.marketdata.store.MarketDataStateMachine;
import io.trademesh.platform.cluster.GrpcCalls;
import io.trademesh.platform.cluster.MarketDirectory;
import io.trademesh.platform.cluster.ServiceDirectory;
import io.trademesh.platform.engine.CommandShard;
import io.trademesh.platform.events.Addresses;
import io.trademesh.proto.common.MarketLocation;
import io.trademesh.proto.common.Product;
import io.trademesh.proto.futures.FundingEvent;
import io.trademesh.proto.futures.FundingRequest;
import io.trademesh.proto.futures.FuturesServiceGrpcClient;
import io.trademesh.proto.futures.MarkPrice;
import io.trademesh.proto.marketdata.MarkSample;
import io.trademesh.proto.marketdata.MarketDataCommand;
import io.trademesh.proto.marketdata.MarksObserved;
import io.trademesh.proto.marketdata.PoolRateSample;
import io.trademesh.proto.moneymarket.MoneyMarketServiceGrpcClient;
import io.trademesh.proto.moneymarket.Pool;
import io.trademesh.proto.moneymarket.PoolsRequest;
import io.trademesh.proto.options.OptionTicker;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.grpc.client.GrpcClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Logger;

/**
 * Follows the mark price of every futures contract ({@code md.<m>.mark}) and option
 * ({@code md.<m>.option}) in the market directory, and the rates of every money-market pool
 * ({@code md.pool.<asset>}, the pools asked of moneymarket-service), and journals what it heard
 * once a second as one {@code MarksObserved} command: the points of the mark-price candles and
 * of the pool-rate history. These are published every second, not in event batches: one
 * missed is a point fewer, never a wrong one; each sample counts once (per market and time, or
 * per pool and minute).
 *
 * <p>Funding is not sampled but read: when a contract's mark shows a new next funding time
 * (a settlement happened; and once per contract after a start), the owner's funding history is
 * asked for and what is newer than what was journaled joins the next command. So a funding
 * settled while this service was down is read after the restart, as far back as the owner
 * keeps it.
 */
public final class SampleFollower {

    private static final Logger LOG = Logger.getLogger(SampleFollower.class.getName());

    private final Vertx vertx;
    private final CommandShard<MarketDataStateMachine, MarketDataCommand, Integer> shard;
    private final MarketDirectory markets;
    private final Map<String, MessageConsumer<Buffer>> consumers = new java.util.concurrent.ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<MarkSample> heard = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<PoolRateSample> rates = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<FundingEvent> funding = new ConcurrentLinkedQueue<>();
    /** Per contract: its owner's gRPC endpoint, the next funding time last read, the newest settlement queued. */
    private final Map<String, String> owners = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Long> fundingReadAt = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Long> fundingNewest = new java.util.concurrent.ConcurrentHashMap<>();
    private final ServiceDirectory services;
    private final GrpcClient client;
    private final List<Long> timers = new ArrayList<>();

    public SampleFollower(Vertx vertx, CommandShard<MarketDataStateMachine, MarketDataCommand, Integer> shard) {
        this.vertx = vertx;
        this.shard = shard;
        this.markets = new MarketDirectory(vertx);
        this.services = new ServiceDirectory(vertx);
        this.client = GrpcCalls.client(vertx, 2_000);
    }

    public void start() {
        follow();
        timers.add(vertx.setPeriodic(5_000, id -> follow()));
        timers.add(vertx.setPeriodic(1_000, id -> journal()));
    }

    /** Follows the marks of the futures contracts and options, and the pools, listed since the last look. */
    private void follow() {
        followPools();
        markets.all().onSuccess(all -> {
            for (MarketLocation l : all) {
                String market = l.getMarket();
                owners.put(market, l.getGrpcEndpoint());
                if (consumers.containsKey(market)) {
                    continue;
                }
                if (l.getProduct() == Product.PRODUCT_FUTURES) {
                    consumers.put(market, vertx.eventBus().<Buffer>consumer(Addresses.mark(market), m -> {
                        try {
                            MarkPrice p = MarkPrice.parseFrom(m.body().getBytes());
                            heard(market, p.getMarkPrice(), p.getTimestampMs(), !p.getSettled(), 0, 0);
                            Long readAt = fundingReadAt.get(market);
                            if (readAt == null || readAt != p.getNextFundingMs()) {
                                readFunding(market, p.getNextFundingMs());
                            }
                        } catch (InvalidProtocolBufferException e) {
                            LOG.warning("undecodable mark on " + Addresses.mark(market) + ": " + e.getMessage());
                        }
                    }));
                } else if (l.getProduct() == Product.PRODUCT_OPTIONS) {
                    consumers.put(market, vertx.eventBus().<Buffer>consumer(Addresses.option(market), m -> {
                        try {
                            OptionTicker t = OptionTicker.parseFrom(m.body().getBytes());
                            heard(market, t.getMarkPrice(), t.getTimestampMs(), !t.getSettled(),
                                    Math.round(t.getMarkIv() * 1e8), t.getIndexPrice());
                        } catch (InvalidProtocolBufferException e) {
                            LOG.warning("undecodable ticker on " + Addresses.option(market) + ": " + e.getMessage());
                        }
                    }));
                }
            }
        });
    }

    /** The pools moneymarket-service lists (none while it is not running). */
    private void followPools() {
        services.instances("moneymarket-service").onSuccess(instances -> {
            if (instances.isEmpty()) {
                return;
            }
            GrpcCalls.unary(client, GrpcCalls.address(instances.get(0).grpcEndpoint()),
                    MoneyMarketServiceGrpcClient.GetPools, PoolsRequest.getDefaultInstance(), 3_000)
                    .onSuccess(list -> list.getPoolsList().forEach(p -> followPool(p.getParams().getAsset())));
        });
    }

    private void followPool(String asset) {
        String address = Addresses.pool(asset);
        if (consumers.containsKey(address)) {
            return;
        }
        consumers.put(address, vertx.eventBus().<Buffer>consumer(address, m -> {
            try {
                Pool p = Pool.parseFrom(m.body().getBytes());
                rates.add(PoolRateSample.newBuilder().setAsset(asset).setUtilizationE9(p.getUtilizationE9())
                        .setBorrowRateE9(p.getBorrowRateE9()).setSupplyRateE9(p.getSupplyRateE9())
                        .setTimestampMs(p.getTimestampMs()).build());
            } catch (InvalidProtocolBufferException e) {
                LOG.warning("undecodable pool on " + address + ": " + e.getMessage());
            }
        }));
    }

    private void heard(String market, long price, long timeMs, boolean live, long markIvE8, long indexPrice) {
        if (live && price > 0) {
            heard.add(MarkSample.newBuilder().setMarket(market).setPrice(price).setTimestampMs(timeMs)
                    .setMarkIvE8(markIvE8).setIndexPrice(indexPrice).build());
        }
    }

    /**
     * Asks the contract's owner for its funding settlements (newest first) and queues those newer
     * than the newest queued; remembers {@code nextFundingMs} only once the answer is in, so a
     * failed read is tried again at the next mark. A dated contract answers none.
     */
    private void readFunding(String market, long nextFundingMs) {
        String endpoint = owners.get(market);
        if (endpoint == null || endpoint.isEmpty()) {
            return;
        }
        fundingReadAt.put(market, nextFundingMs);
        GrpcCalls.unary(client, GrpcCalls.address(endpoint),
                        FuturesServiceGrpcClient.GetFundingHistory,
                        FundingRequest.newBuilder().setMarket(market).setLimit(500).build(), 3_000)
                .onSuccess(h -> {
                    long newest = fundingNewest.getOrDefault(market, Long.MIN_VALUE);
                    List<FundingEvent> events = new ArrayList<>(h.getEventsList());
                    // Oldest first: the history keeps a settlement only when it is newer than the last kept.
                    events.sort(java.util.Comparator.comparingLong(FundingEvent::getTimestampMs));
                    for (FundingEvent e : events) {
                        if (e.getTimestampMs() > newest) {
                            funding.add(e.toBuilder().setMarket(market).build());
                            newest = e.getTimestampMs();
                        }
                    }
                    fundingNewest.put(market, newest);
                })
                .onFailure(e -> {
                    fundingReadAt.remove(market);
                    LOG.fine("reading " + market + "'s funding failed (tried again at the next mark): "
                            + e.getMessage());
                });
    }

    private void journal() {
        MarksObserved.Builder b = MarksObserved.newBuilder();
        for (MarkSample s = heard.poll(); s != null; s = heard.poll()) {
            b.addSamples(s);
        }
        for (PoolRateSample r = rates.poll(); r != null; r = rates.poll()) {
            b.addPoolRates(r);
        }
        for (FundingEvent f = funding.poll(); f != null; f = funding.poll()) {
            b.addFunding(f);
        }
        int n = b.getSamplesCount() + b.getPoolRatesCount() + b.getFundingCount();
        if (n > 0 && shard.healthy()) {
            shard.submit(MarketDataCommand.newBuilder().setMarks(b).build())
                    .onFailure(e -> LOG.warning("journaling " + n + " marks and rates failed: " + e.getMessage()));
        }
    }

    public void stop() {
        timers.forEach(vertx::cancelTimer);
        consumers.values().forEach(MessageConsumer::unregister);
    }
}
