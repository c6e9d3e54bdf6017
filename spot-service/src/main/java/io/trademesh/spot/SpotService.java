package io.trademesh.spot;

import io.trademesh.platform.engine.Outcome;
import io.trademesh.platform.boot.ProductService;
import io.trademesh.platform.boot.ServiceRuntime;
import io.trademesh.platform.config.ServiceDefaults;
import io.trademesh.platform.engine.CommandShard;
import io.trademesh.platform.events.Published;
import io.trademesh.proto.common.Product;
import io.trademesh.proto.common.Ticker;
import io.trademesh.proto.risk.AccountLimits;
import io.trademesh.proto.risk.RiskControl;
import io.trademesh.proto.trading.MarketReply;
import io.trademesh.proto.trading.SetAccountLimits;
import io.trademesh.proto.spot.Rules;
import io.trademesh.proto.spot.SpotCommand;
import io.trademesh.proto.spot.SpotServiceGrpcService;
import io.trademesh.proto.trading.OrderEntryGrpcService;
import io.trademesh.proto.trading.Tick;
import io.trademesh.proto.wallet.WalletServiceGrpcService;
import io.trademesh.platform.events.Addresses;
import io.trademesh.spot.api.SpotMarkets;
import io.trademesh.spot.api.SpotOrderEntry;
import io.trademesh.spot.store.SpotMetrics;
import io.trademesh.spot.api.SpotWalletService;
import io.trademesh.spot.engine.SpotEngine;
import io.trademesh.spot.engine.SpotMarket;
import io.trademesh.spot.store.SpotStateMachine;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * spot-service on the platform's {@link ProductService}: spot's gRPC API and wallets, the
 * SetAccountLimits that risk-service's limits become, its tick, and the ticker stream.
 */
public final class SpotService extends ProductService<SpotStateMachine, SpotCommand, Outcome> {

    private static final Logger LOG = Logger.getLogger(SpotService.class.getName());
    private static final long TICKER_INTERVAL_MS = 1_000;
    private static final SpotCommand TICK = SpotCommand.newBuilder().setTick(Tick.getDefaultInstance()).build();

    private final Map<Integer, Long> tickerSequence = new HashMap<>();
    private ServiceRuntime runtime;

    public SpotService() {
        super("spot", Product.PRODUCT_SPOT, new SpotStateMachine());
    }

    @Override
    public ServiceDefaults defaults() {
        return ServiceDefaults.SPOT;
    }

    @Override
    protected void addServices(ServiceRuntime rt,
                               CommandShard<SpotStateMachine, SpotCommand, Outcome> shard) {
        runtime = rt;
        machine.countInto(new SpotMetrics(rt.registry()));
        rt.grpcServer().addService(OrderEntryGrpcService.of(new SpotOrderEntry(shard, markets())));
        rt.grpcServer().addService(SpotServiceGrpcService.of(new SpotMarkets(shard, this::created)));
        rt.grpcServer().addService(WalletServiceGrpcService.of(new SpotWalletService(shard, SHARD,
                rt.config().instanceId())));
    }

    @Override
    protected List<String> marketSymbols(SpotStateMachine m) {
        return m.engine().markets().stream().map(x -> x.spec().symbol()).toList();
    }

    @Override
    protected long nextDueMs(SpotStateMachine m) {
        return m.engine().nextDueMs();
    }

    @Override
    protected SpotCommand tickCommand() {
        return TICK;
    }

    @Override
    protected List<Published> events(Outcome outcome) {
        return outcome.events();
    }

    /** A SetAccountLimits for each account whose limits from risk-service differ from the engine's. */
    @Override
    protected List<SpotCommand> limitCommands(SpotStateMachine m, RiskControl control) {
        List<SpotCommand> commands = new ArrayList<>();
        for (AccountLimits l : control.getLimitsList()) {
            if (m.engine().limits().differ(l)) {
                LOG.info("risk limits for account " + l.getAccountId() + ": max open orders " + l.getMaxOpenOrders()
                        + ", max order notional " + l.getMaxOrderNotional() + " " + l.getNotionalAsset()
                        + ", kill switch " + l.getKillSwitch());
                commands.add(SpotCommand.newBuilder().setSetLimits(SetAccountLimits.newBuilder()
                        .setAccountId(l.getAccountId()).setMaxOpenOrders(l.getMaxOpenOrders())
                        .setMaxOrderNotional(l.getMaxOrderNotional()).setNotionalAsset(l.getNotionalAsset())
                        .setKillSwitch(l.getKillSwitch())).build());
            }
        }
        return commands;
    }

    /** The current rules, journaled once by a build that brings them (see SpotEngine.RULES). */
    @Override
    protected List<SpotCommand> upgradeCommands(SpotStateMachine m) {
        if (m.engine().rules() >= SpotEngine.RULES) {
            return List.of();
        }
        LOG.info("spot engine moves from rules " + m.engine().rules() + " to " + SpotEngine.RULES);
        return List.of(SpotCommand.newBuilder().setRules(Rules.newBuilder().setVersion(SpotEngine.RULES)).build());
    }

    @Override
    protected void started(ServiceRuntime rt) {
        every(TICKER_INTERVAL_MS, this::publishTickers);
    }

    /** A market was created: it is routable from now on. */
    private Future<MarketReply> created(MarketReply reply) {
        String symbol = reply.getMarket().getSymbol();
        LOG.info("market created: " + symbol);
        return registerMarket(symbol).map(where -> reply.toBuilder().setLocation(where).build());
    }

    /** Publishes the ticker of every market whose book or trades changed since the last one. */
    private void publishTickers() {
        long now = System.currentTimeMillis();
        shard().query(m -> {
            List<Ticker> changed = new ArrayList<>();
            for (SpotMarket market : m.engine().markets()) {
                long seq = market.book().lastSequence();
                Long last = tickerSequence.put(market.id(), seq);
                if (last == null || last != seq) {
                    changed.add(SpotOrderEntry.tickerOf(m, market, now));
                }
            }
            return changed;
        }).onSuccess(tickers -> tickers.forEach(t -> runtime.vertx().eventBus()
                .publish(Addresses.ticker(t.getMarket()), Buffer.buffer(t.toByteArray()))));
    }
}
