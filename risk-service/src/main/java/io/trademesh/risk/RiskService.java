package io.trademesh.risk;

import io.trademesh.platform.engine.Outcome;
import io.trademesh.platform.boot.ServiceModule;
import io.trademesh.platform.boot.ServiceRuntime;
import io.trademesh.platform.cluster.MarketDirectory;
import io.trademesh.platform.cluster.ServiceDirectory;
import io.trademesh.platform.config.ServiceDefaults;
import io.trademesh.platform.engine.CommandShard;
import io.trademesh.platform.store.Snapshot;
import io.trademesh.platform.store.StateMachine;
import io.trademesh.proto.risk.IndexPrice;
import io.trademesh.proto.risk.RiskCommand;
import io.trademesh.proto.risk.RiskControl;
import io.trademesh.proto.risk.RiskServiceGrpcService;
import io.trademesh.platform.events.Addresses;
import io.trademesh.risk.api.IndexPrices;
import io.trademesh.risk.api.MarketFeed;
import io.trademesh.risk.store.ProtoMapping;
import io.trademesh.risk.api.RiskGrpcService;
import io.trademesh.risk.store.RiskMetrics;
import io.trademesh.risk.api.RiskShard;
import io.trademesh.risk.api.OrderBookClient;
import io.trademesh.risk.api.WalletClients;
import io.trademesh.risk.api.SolvencyAuditor;
import io.trademesh.risk.api.TransferDriver;
import io.trademesh.risk.config.RiskConfig;
import io.trademesh.risk.store.RiskStateMachine;
import io.trademesh.risk.store.SecretBox;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * risk-service on the platform: one shard owning accounts, API keys, funding wallets,
 * transfers, limits and operator prices; its gRPC API; the transfer driver (at start-up and
 * every second, every unfinished transfer takes its next steps); index prices from the spot
 * tickers and the operator, published on {@code price.<asset>}; limits and kill switches
 * published on {@code risk.control} when set and in full every five seconds.
 */
public final class RiskService implements ServiceModule {

    private static final Logger LOG = Logger.getLogger(RiskService.class.getName());
    static final long TRANSFER_SWEEP_MS = 1_000;
    static final long MARKET_REFRESH_MS = 2_000;
    static final long PRICE_REFRESH_MS = 1_000;
    static final long PRICE_HEARTBEAT_MS = 5_000;
    static final long RISK_CONTROL_MS = 5_000;
    /** The solvency audit runs this often (and on demand: the Audit RPC, GET /v1/admin/audit). */
    static final long AUDIT_INTERVAL_MS = 30_000;

    private final RiskStateMachine machine = new RiskStateMachine();
    private final List<Long> timers = new ArrayList<>();
    private RiskConfig riskConfig;
    private Vertx vertx;
    private CommandShard<RiskStateMachine, RiskCommand, Outcome> shard;
    private TransferDriver driver;
    private MarketFeed feed;

    @Override
    public ServiceDefaults defaults() {
        return ServiceDefaults.RISK;
    }

    /** A bad RISK_SECRET_KEY stops start-up with its {@code config error: ...} line and exit code 2. */
    @Override
    public void configure() {
        riskConfig = RiskConfig.fromEnvironment();
    }

    @Override
    public StateMachine stateMachine() {
        return machine;
    }

    @Override
    public Future<Void> start(ServiceRuntime rt) {
        vertx = rt.vertx();
        SecureRandom random = new SecureRandom();
        SecretBox secrets = new SecretBox(riskConfig.secretKey(), random);
        return serve(rt, rt.engineContext(), secrets, random);
    }

    private Future<Void> serve(ServiceRuntime rt, Context context, SecretBox secrets, SecureRandom random) {
        IndexPrices prices = new IndexPrices(System::currentTimeMillis, this::publishPrice);
        shard = RiskShard.create(vertx, context, machine, rt.store(), prices::onOperator);
        WalletClients wallets = new WalletClients(vertx, new ServiceDirectory(vertx));
        SolvencyAuditor auditor = new SolvencyAuditor(vertx, shard, wallets, rt.registry());
        driver = new TransferDriver(shard, wallets);
        feed = new MarketFeed(vertx, new MarketDirectory(vertx), new OrderBookClient(vertx), prices);
        rt.health().register("engine", shard::healthy);
        rt.grpcServer().addService(RiskServiceGrpcService.of(
                new RiskGrpcService(shard, secrets, random, driver, wallets, prices, auditor)));
        return shard.query(m -> {
            m.applier().countInto(new RiskMetrics(rt.registry()));
            return new Recovered(m.engine().accounts().size(), m.engine().unfinishedCount(),
                    m.engine().operatorPrices().stream().map(ProtoMapping::indexPrice).toList());
        }).map(r -> {
            r.operatorPrices().forEach(prices::onOperator);
            timers.add(vertx.setPeriodic(TRANSFER_SWEEP_MS, id -> driver.sweep()));
            timers.add(vertx.setPeriodic(AUDIT_INTERVAL_MS, id -> auditor.audit()));
            timers.add(vertx.setPeriodic(MARKET_REFRESH_MS, id -> feed.refresh()));
            timers.add(vertx.setPeriodic(PRICE_REFRESH_MS, id -> prices.refreshAll()));
            // Every price again, changed or not: a consumer (futures) tells a quiet index from a dead feed.
            timers.add(vertx.setPeriodic(PRICE_HEARTBEAT_MS, id -> prices.all().forEach(this::publishPrice)));
            timers.add(vertx.setPeriodic(RISK_CONTROL_MS, id -> publishAllLimits()));
            // Resume what a crash left unfinished now, not a second from now.
            driver.sweep();
            feed.refresh();
            LOG.info("risk-service serving " + r.accounts() + " account(s); " + r.unfinishedTransfers()
                    + " unfinished transfer(s) resumed");
            return null;
        });
    }

    private record Recovered(int accounts, int unfinishedTransfers, List<IndexPrice> operatorPrices) {
    }

    private void publishPrice(IndexPrice price) {
        vertx.eventBus().publish(Addresses.price(price.getAsset()), Buffer.buffer(price.toByteArray()));
    }

    /** Every account's limits, so a product service that (re)started catches up. */
    private void publishAllLimits() {
        shard.query(m -> {
            RiskControl.Builder b = RiskControl.newBuilder().setAll(true);
            m.engine().limits().forEach(l -> b.addLimits(ProtoMapping.limits(l)));
            return b.build();
        }).onSuccess(all -> vertx.eventBus().publish(Addresses.RISK_CONTROL, Buffer.buffer(all.toByteArray())));
    }

    @Override
    public Future<Snapshot> snapshot() {
        return shard.snapshot(RiskStateMachine::snapshot);
    }

    @Override
    public Future<Void> stop() {
        timers.forEach(vertx::cancelTimer);
        driver.stop();
        return feed.close().transform(ar -> shard.stop());
    }
}
