package io.trademesh.platform.boot;

import io.trademesh.platform.events.EventReplayServer;
import io.trademesh.proto.events.EventReplayGrpcService;
import io.trademesh.platform.events.Addresses;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import io.trademesh.platform.cluster.MarketDirectory;
import io.trademesh.platform.engine.CommandShard;
import io.trademesh.platform.engine.DueTicker;
import io.trademesh.platform.engine.JournaledStateMachine;
import io.trademesh.platform.events.EventBatcher;
import io.trademesh.platform.events.Published;
import io.trademesh.platform.store.Snapshot;
import io.trademesh.platform.store.StateMachine;
import io.trademesh.proto.common.MarketLocation;
import io.trademesh.proto.common.Product;
import io.trademesh.proto.risk.IndexPrice;
import io.trademesh.proto.risk.RiskControl;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * What every product service (spot, futures, options, money market) is on the platform, so
 * that a product writes only its own rules: one shard of its {@link JournaledStateMachine}
 * on a context of its own, its events batched on {@code events.<name>} once durable, its
 * health, its markets in the market directory (at start and as they are created), the
 * limits and kill switches of {@code risk.control} turned into journaled commands, a tick
 * journaled when the engine has something due, snapshots and a graceful stop.
 *
 * <p>A product supplies its gRPC services ({@link #addServices}, at least its API and the
 * wallet contract) and the few facts below about its engine.
 *
 * @param <M> the state machine
 * @param <C> its journaled command
 * @param <O> what a live command produced
 */
public abstract class ProductService<M extends JournaledStateMachine<C, O>, C extends MessageLite, O>
        implements ServiceModule {

    /** This instance's shard: one shard per product until a product runs several (ARCHITECTURE.md, the shard rule). */
    public static final int SHARD = 0;
    /** The longest the ticker waits before asking the engine again when it is next due. */
    private static final long TICK_CHECK_MS = 250;
    private static final Logger LOG = Logger.getLogger(ProductService.class.getName());

    protected final M machine;
    private final String name;
    private final Product product;
    private final Set<String> markets = ConcurrentHashMap.newKeySet();
    private final Set<String> indexAssets = ConcurrentHashMap.newKeySet();
    private final List<Long> timers = new ArrayList<>();
    private CommandShard<M, C, O> shard;
    private ServiceRuntime runtime;
    private MarketDirectory directory;
    private DueTicker ticker;

    /**
     * @param name    the product's short name: the shard's name and its event stream {@code events.<name>}
     * @param product what the market directory records
     */
    protected ProductService(String name, Product product, M machine) {
        this.name = name;
        this.product = product;
        this.machine = machine;
    }

    // ---------------------------------------------------------------- what a product supplies

    /** Registers the product's gRPC services on {@code rt.grpcServer()}: its API and the wallet contract. */
    protected abstract void addServices(ServiceRuntime rt, CommandShard<M, C, O> shard);

    /** The symbols of the markets the engine holds (after recovery). */
    protected abstract List<String> marketSymbols(M machine);

    /** When the engine next has work of its own (epoch ms), {@code Long.MAX_VALUE} for none. */
    protected abstract long nextDueMs(M machine);

    /** The journaled command that advances the engine's clock. */
    protected abstract C tickCommand();

    /** The events a live command produced. */
    protected abstract List<Published> events(O outcome);

    /** The commands that bring the engine's account limits to what risk-service says; none when they agree. */
    protected abstract List<C> limitCommands(M machine, RiskControl control);

    /**
     * Commands to journal once at start, before anything else, to bring a recovered engine to
     * the rules of this build (records written under older rules replay under them); none by default.
     */
    protected List<C> upgradeCommands(M machine) {
        return List.of();
    }

    /** Called once everything above runs: the product's own timers (see {@link #every}). */
    protected void started(ServiceRuntime rt) {
    }

    // ---------------------------------------------------------------- the platform's part

    @Override
    public final StateMachine stateMachine() {
        return machine;
    }

    @Override
    public final Future<Void> start(ServiceRuntime rt) {
        runtime = rt;
        directory = new MarketDirectory(rt.vertx());
        return serve(rt, rt.engineContext());
    }

    private Future<Void> serve(ServiceRuntime rt, Context context) {
        EventBatcher batcher = new EventBatcher(rt.vertx(), name, rt.config().instanceId());
        shard = CommandShard.of(name + " engine", context, machine, rt.store(), (sequence, outcome) -> {
            batcher.journalSequence(sequence);
            for (Published p : events(outcome)) {
                batcher.add(p.address(), p.payload());
            }
        });
        rt.health().register("engine", shard::healthy);
        rt.grpcServer().addService(EventReplayGrpcService.of(new EventReplayServer(batcher)));
        addServices(rt, shard);
        return shard.query(this::upgradeCommands)
                .compose(upgrades -> Future.all(upgrades.stream().map(shard::submit).toList()))
                .compose(v -> shard.query(this::marketSymbols))
                .compose(symbols -> {
                    List<Future<MarketLocation>> registered = new ArrayList<>();
                    for (String s : symbols) {
                        registered.add(registerMarket(s));
                    }
                    return Future.all(registered);
                })
                .compose(v -> rt.vertx().eventBus().<Buffer>consumer(Addresses.RISK_CONTROL, m -> riskControl(m.body()))
                        .completion())
                .map(v -> {
                    ticker = new DueTicker(rt.vertx(), () -> shard.query(this::nextDueMs), this::tick, TICK_CHECK_MS);
                    ticker.start();
                    started(rt);
                    LOG.info(rt.config().serviceName() + " serving " + markets.size() + " market(s): " + markets);
                    return null;
                });
    }

    /** Lists a market in the market directory as this instance's; from now on it is routable. */
    protected final Future<MarketLocation> registerMarket(String market) {
        MarketLocation where = MarketLocation.newBuilder()
                .setMarket(market)
                .setProduct(product)
                .setShard(SHARD)
                .setServiceInstance(runtime.config().instanceId())
                .setGrpcEndpoint(runtime.config().clusterHost() + ":" + runtime.config().grpcPort())
                .build();
        markets.add(market);
        return directory.register(where).map(v -> where);
    }

    /** The symbols of this instance's markets, kept current (for edge checks off the engine's thread). */
    protected final Set<String> markets() {
        return markets;
    }

    /**
     * Journals every index price risk-service publishes for {@code asset} (on change and every
     * few seconds) as the command {@code asCommand} makes of it, from now on; once per asset.
     * A product that prices by the index follows each asset it needs.
     */
    protected final void followIndex(String asset, Function<IndexPrice, C> asCommand) {
        if (!indexAssets.add(asset)) {
            return;
        }
        runtime.vertx().eventBus().<Buffer>consumer(Addresses.price(asset), message -> {
            IndexPrice price;
            try {
                price = IndexPrice.parseFrom(message.body().getBytes());
            } catch (InvalidProtocolBufferException e) {
                LOG.warning("undecodable index price on " + Addresses.price(asset) + ": " + e.getMessage());
                return;
            }
            if (shard.healthy()) {
                shard.submit(asCommand.apply(price));
            }
        });
    }

    /** Runs {@code task} every {@code intervalMs} until the service stops. */
    protected final void every(long intervalMs, Runnable task) {
        timers.add(runtime.vertx().setPeriodic(intervalMs, id -> task.run()));
    }

    protected final CommandShard<M, C, O> shard() {
        return shard;
    }

    /** Limits and kill switches from risk-service: journaled, so the refusals they cause replay exactly. */
    private void riskControl(Buffer body) {
        RiskControl control;
        try {
            control = RiskControl.parseFrom(body.getBytes());
        } catch (InvalidProtocolBufferException e) {
            LOG.warning("undecodable message on " + Addresses.RISK_CONTROL + ": " + e.getMessage());
            return;
        }
        shard.query(m -> limitCommands(m, control)).onSuccess(commands -> commands.forEach(shard::submit));
    }

    private Future<?> tick() {
        return shard.healthy() ? shard.submit(tickCommand())
                : Future.failedFuture(name + " engine stopped after a fatal error");
    }

    @Override
    public final Future<Snapshot> snapshot() {
        return shard.snapshot(JournaledStateMachine::snapshot);
    }

    @Override
    public final Future<Void> stop() {
        timers.forEach(runtime.vertx()::cancelTimer);
        if (ticker != null) {
            ticker.stop();
        }
        return shard == null ? Future.succeededFuture() : shard.stop();
    }
}
