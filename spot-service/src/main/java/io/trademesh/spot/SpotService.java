package io.trademesh.spot;

import io.trademesh.platform.boot.ServiceModule;
import io.trademesh.platform.boot.ServiceRuntime;
import io.trademesh.platform.cluster.MarketDirectory;
import io.trademesh.platform.config.ServiceDefaults;
import io.trademesh.platform.engine.CommandShard;
import io.trademesh.platform.engine.DueTicker;
import io.trademesh.platform.store.Snapshot;
import io.trademesh.platform.store.StateMachine;
import io.trademesh.proto.common.MarketLocation;
import io.trademesh.proto.common.Product;
import io.trademesh.proto.common.Ticker;
import io.trademesh.proto.spot.MarketReply;
import io.trademesh.proto.spot.SpotCommand;
import io.trademesh.proto.spot.SpotServiceGrpcService;
import io.trademesh.proto.spot.Tick;
import io.trademesh.spot.api.Addresses;
import io.trademesh.spot.api.SpotGrpcService;
import io.trademesh.spot.api.SpotMetrics;
import io.trademesh.spot.api.SpotOutput;
import io.trademesh.spot.api.SpotShard;
import io.trademesh.spot.api.SpotWalletService;
import io.trademesh.proto.wallet.WalletServiceGrpcService;
import io.trademesh.spot.engine.SpotMarket;
import io.trademesh.spot.store.SpotStateMachine;
import com.google.protobuf.InvalidProtocolBufferException;
import io.trademesh.proto.risk.RiskControl;
import io.trademesh.proto.spot.SetAccountLimits;
import io.trademesh.spot.engine.SpotEngine;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * spot-service on the platform: one shard owning every spot market and wallet of this
 * instance, its gRPC API, the market directory entries, the clock tick (GTD expiry and
 * auctions) and the ticker stream.
 */
public final class SpotService implements ServiceModule {

    private static final Logger LOG = Logger.getLogger(SpotService.class.getName());
    /** The longest the ticker waits before asking the engine again when its next due time is. */
    private static final long TICK_CHECK_MS = 250;
    private static final long TICKER_INTERVAL_MS = 1_000;
    /** This instance's shard: one shard per product until spot runs several (see ARCHITECTURE.md). */
    private static final int SHARD = 0;
    /** Where risk-service publishes limits and kill switches. */
    static final String RISK_CONTROL = "risk.control";

    private final SpotStateMachine machine = new SpotStateMachine();
    private final Set<String> markets = ConcurrentHashMap.newKeySet();
    private final Map<Integer, Long> tickerSequence = new HashMap<>();
    private final List<Long> timers = new ArrayList<>();
    private CommandShard<SpotStateMachine, SpotCommand, SpotOutput.Outcome> shard;
    private ServiceRuntime runtime;
    private MarketDirectory directory;
    private DueTicker ticker;

    @Override
    public ServiceDefaults defaults() {
        return ServiceDefaults.SPOT;
    }

    @Override
    public StateMachine stateMachine() {
        return machine;
    }

    @Override
    public Future<Void> start(ServiceRuntime rt) {
        runtime = rt;
        machine.countInto(new SpotMetrics(rt.registry()));
        return CommandShard.ownContext(rt.vertx()).compose(context -> serve(rt, context));
    }

    private Future<Void> serve(ServiceRuntime rt, Context context) {
        shard = SpotShard.create(rt.vertx(), context, machine, rt.store(), rt.config().instanceId());
        directory = new MarketDirectory(rt.vertx());
        rt.health().register("engine", shard::healthy);
        rt.grpcServer().addService(SpotServiceGrpcService.of(new SpotGrpcService(shard, markets, this::created)));
        rt.grpcServer().addService(WalletServiceGrpcService.of(new SpotWalletService(shard, SHARD,
                rt.config().instanceId())));
        return shard.query(m -> m.engine().markets().stream().map(x -> x.spec().symbol()).toList())
                .compose(symbols -> {
                    markets.addAll(symbols);
                    List<Future<Void>> registered = new ArrayList<>();
                    for (String s : symbols) {
                        registered.add(directory.register(location(s)));
                    }
                    return Future.all(registered);
                })
                .compose(v -> rt.vertx().eventBus().<Buffer>consumer(RISK_CONTROL, m -> riskControl(m.body()))
                        .completion())
                .map(v -> {
                    ticker = new DueTicker(rt.vertx(), () -> shard.query(m -> m.engine().nextDueMs()),
                            this::tick, TICK_CHECK_MS);
                    ticker.start();
                    timers.add(rt.vertx().setPeriodic(TICKER_INTERVAL_MS, id -> publishTickers()));
                    LOG.info("spot-service serving " + markets.size() + " market(s): " + markets);
                    return null;
                });
    }

    private MarketLocation location(String market) {
        return MarketLocation.newBuilder()
                .setMarket(market)
                .setProduct(Product.PRODUCT_SPOT)
                .setShard(SHARD)
                .setServiceInstance(runtime.config().instanceId())
                .setGrpcEndpoint(runtime.config().clusterHost() + ":" + runtime.config().grpcPort())
                .build();
    }

    /** A market was created: it is routable from now on. */
    private Future<MarketReply> created(MarketReply reply) {
        String symbol = reply.getMarket().getSymbol();
        markets.add(symbol);
        MarketLocation where = location(symbol);
        LOG.info("market created: " + symbol);
        return directory.register(where).map(v -> reply.toBuilder().setLocation(where).build());
    }

    /**
     * Limits and kill switches from risk-service: each account whose limits differ from the
     * engine's gets a journaled SetAccountLimits, so refusals replay exactly.
     */
    private void riskControl(Buffer body) {
        RiskControl control;
        try {
            control = RiskControl.parseFrom(body.getBytes());
        } catch (InvalidProtocolBufferException e) {
            LOG.warning("undecodable message on " + RISK_CONTROL + ": " + e.getMessage());
            return;
        }
        shard.query(m -> control.getLimitsList().stream().filter(l -> {
            SpotEngine.AccountLimits have = m.engine().limits(l.getAccountId());
            SpotEngine.AccountLimits want = new SpotEngine.AccountLimits(Math.max(0, l.getMaxOpenOrders()),
                    Math.max(0, l.getMaxOrderNotional()), l.getKillSwitch());
            boolean none = want.maxOpenOrders() == 0 && want.maxOrderNotional() == 0 && !want.killSwitch();
            return none ? have != null : !want.equals(have);
        }).toList()).onSuccess(changed -> changed.forEach(l -> {
            LOG.info("risk limits for account " + l.getAccountId() + ": max open orders " + l.getMaxOpenOrders()
                    + ", max order notional " + l.getMaxOrderNotional() + ", kill switch " + l.getKillSwitch());
            shard.submit(SpotCommand.newBuilder().setSetLimits(SetAccountLimits.newBuilder()
                    .setAccountId(l.getAccountId()).setMaxOpenOrders(l.getMaxOpenOrders())
                    .setMaxOrderNotional(l.getMaxOrderNotional()).setKillSwitch(l.getKillSwitch())).build());
        }));
    }

    /** Advances the command clock so due GTD orders expire and auctions run without other traffic. */
    private Future<?> tick() {
        return shard.healthy() ? shard.submit(SpotCommand.newBuilder().setTick(Tick.getDefaultInstance()).build())
                : Future.succeededFuture();
    }

    /** Publishes the ticker of every market whose book or trades changed since the last one. */
    private void publishTickers() {
        long now = System.currentTimeMillis();
        shard.query(m -> {
            List<Ticker> changed = new ArrayList<>();
            for (SpotMarket market : m.engine().markets()) {
                long seq = market.book().lastSequence();
                Long last = tickerSequence.put(market.id(), seq);
                if (last == null || last != seq) {
                    changed.add(SpotGrpcService.tickerOf(m, market, now));
                }
            }
            return changed;
        }).onSuccess(tickers -> tickers.forEach(t -> runtime.vertx().eventBus()
                .publish(Addresses.ticker(t.getMarket()), Buffer.buffer(t.toByteArray()))));
    }

    @Override
    public Future<Snapshot> snapshot() {
        return shard.snapshot(SpotStateMachine::snapshot);
    }

    @Override
    public Future<Void> stop() {
        timers.forEach(runtime.vertx()::cancelTimer);
        if (ticker != null) {
            ticker.stop();
        }
        return shard.stop();
    }
}
