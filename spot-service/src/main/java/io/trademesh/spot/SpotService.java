package io.trademesh.spot;

import io.trademesh.platform.engine.Outcome;
import io.trademesh.platform.boot.ProductService;
import io.trademesh.platform.boot.ServiceRuntime;
import io.trademesh.platform.config.ServiceDefaults;
import io.trademesh.platform.engine.CommandShard;
import io.trademesh.platform.events.Published;
import io.trademesh.platform.trading.BookMetrics;
import io.trademesh.platform.trading.BookOrderEntry;
import io.trademesh.platform.trading.TickerPublisher;
import io.trademesh.platform.wallet.WalletServer;
import io.trademesh.proto.common.Product;
import io.trademesh.proto.trading.AmendOrderRequest;
import io.trademesh.proto.trading.CancelAllRequest;
import io.trademesh.proto.trading.CancelOrderRequest;
import io.trademesh.proto.trading.PlaceOrderRequest;
import io.trademesh.proto.wallet.Wallet;
import io.trademesh.proto.risk.RiskControl;
import io.trademesh.proto.trading.MarketReply;
import io.trademesh.proto.spot.Rules;
import io.trademesh.proto.spot.SpotCommand;
import io.trademesh.proto.spot.SpotServiceGrpcService;
import io.trademesh.proto.trading.OrderEntryGrpcService;
import io.trademesh.proto.trading.Tick;
import io.trademesh.proto.wallet.WalletServiceGrpcService;
import io.trademesh.spot.api.SpotMarkets;
import io.trademesh.spot.engine.SpotEngine;
import io.trademesh.spot.store.SpotStateMachine;
import io.vertx.core.Future;
import java.util.List;
import java.util.logging.Logger;

/**
 * spot-service on the platform's {@link ProductService}: spot's gRPC API and wallets, the
 * SetAccountLimits that risk-service's limits become, its tick, and the ticker stream.
 */
public final class SpotService extends ProductService<SpotStateMachine, SpotCommand, Outcome> {

    private static final Logger LOG = Logger.getLogger(SpotService.class.getName());
    private static final long TICKER_INTERVAL_MS = 1_000;
    private static final SpotCommand TICK = SpotCommand.newBuilder().setTick(Tick.getDefaultInstance()).build();

    /** How spot journals the shared order commands. */
    private static final BookOrderEntry.Commands<SpotCommand> COMMANDS = new BookOrderEntry.Commands<>() {
        @Override
        public SpotCommand place(PlaceOrderRequest r) {
            return SpotCommand.newBuilder().setPlaceOrder(r).build();
        }

        @Override
        public SpotCommand amend(AmendOrderRequest r) {
            return SpotCommand.newBuilder().setAmendOrder(r).build();
        }

        @Override
        public SpotCommand cancel(CancelOrderRequest r) {
            return SpotCommand.newBuilder().setCancelOrder(r).build();
        }

        @Override
        public SpotCommand cancelAll(CancelAllRequest r) {
            return SpotCommand.newBuilder().setCancelAll(r).build();
        }
    };

    private TickerPublisher<SpotStateMachine> tickers;

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
        machine.countInto(new BookMetrics(rt.registry(), "spot"));
        rt.grpcServer().addService(OrderEntryGrpcService.of(new BookOrderEntry<>(shard, markets(), COMMANDS)));
        rt.grpcServer().addService(SpotServiceGrpcService.of(new SpotMarkets(shard, this::created)));
        rt.grpcServer().addService(WalletServiceGrpcService.of(new WalletServer<>(shard,
                r -> SpotCommand.newBuilder().setCredit(r).build(), r -> SpotCommand.newBuilder().setDebit(r).build(),
                SpotEngine.FEE_ACCOUNT, Wallet.WALLET_SPOT, SHARD, rt.config().instanceId())));
        tickers = new TickerPublisher<>(shard, rt.vertx().eventBus());
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
        return m.engine().limits().changes(control).stream()
                .map(l -> SpotCommand.newBuilder().setSetLimits(l).build()).toList();
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
        every(TICKER_INTERVAL_MS, tickers::publishChanged);
    }

    /** A market was created: it is routable from now on. */
    private Future<MarketReply> created(MarketReply reply) {
        String symbol = reply.getMarket().getSymbol();
        LOG.info("market created: " + symbol);
        return registerMarket(symbol).map(where -> reply.toBuilder().setLocation(where).build());
    }
}
