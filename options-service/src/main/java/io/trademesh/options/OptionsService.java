package io.trademesh.options;

import io.trademesh.options.api.OptionsApi;
import io.trademesh.options.engine.Expiry;
import io.trademesh.options.engine.OptionsEngine;
import io.trademesh.options.engine.Underlying;
import io.trademesh.options.store.OptionsProto;
import io.trademesh.options.store.OptionsStateMachine;
import io.trademesh.platform.boot.ProductService;
import io.trademesh.platform.boot.ServiceRuntime;
import io.trademesh.platform.config.ServiceDefaults;
import io.trademesh.platform.engine.CommandShard;
import io.trademesh.platform.engine.Outcome;
import io.trademesh.platform.events.Addresses;
import io.trademesh.platform.events.Published;
import io.trademesh.platform.trading.BookMetrics;
import io.trademesh.platform.trading.BookOrderEntry;
import io.trademesh.platform.trading.TickerPublisher;
import io.trademesh.platform.wallet.WalletServer;
import io.trademesh.proto.common.Market;
import io.trademesh.proto.common.Product;
import io.trademesh.proto.options.ChainReply;
import io.trademesh.proto.options.OptionsCommand;
import io.trademesh.proto.options.OptionsServiceGrpcService;
import io.trademesh.proto.risk.RiskControl;
import io.trademesh.proto.trading.AmendOrderRequest;
import io.trademesh.proto.trading.CancelAllRequest;
import io.trademesh.proto.trading.CancelOrderRequest;
import io.trademesh.proto.trading.OrderEntryGrpcService;
import io.trademesh.proto.trading.PlaceOrderRequest;
import io.trademesh.proto.trading.Tick;
import io.trademesh.proto.wallet.Wallet;
import io.trademesh.proto.wallet.WalletServiceGrpcService;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * options-service on the platform's {@link ProductService}: the shared order entry and wallet
 * contract, options' own API, index prices from risk-service journaled as commands, the tick
 * that samples the index for settlement, settles expiries and retries liquidations, and the
 * ticker, option (mark, volatilities, greeks) and chain streams.
 */
public final class OptionsService extends ProductService<OptionsStateMachine, OptionsCommand, Outcome> {

    private static final long PUBLISH_INTERVAL_MS = 1_000;
    private static final OptionsCommand TICK = OptionsCommand.newBuilder().setTick(Tick.getDefaultInstance()).build();

    private static final BookOrderEntry.Commands<OptionsCommand> COMMANDS = new BookOrderEntry.Commands<>() {
        @Override
        public OptionsCommand place(PlaceOrderRequest r) {
            return OptionsCommand.newBuilder().setPlaceOrder(r).build();
        }

        @Override
        public OptionsCommand amend(AmendOrderRequest r) {
            return OptionsCommand.newBuilder().setAmendOrder(r).build();
        }

        @Override
        public OptionsCommand cancel(CancelOrderRequest r) {
            return OptionsCommand.newBuilder().setCancelOrder(r).build();
        }

        @Override
        public OptionsCommand cancelAll(CancelAllRequest r) {
            return OptionsCommand.newBuilder().setCancelAll(r).build();
        }
    };

    private ServiceRuntime runtime;
    private TickerPublisher<OptionsStateMachine> tickers;

    public OptionsService() {
        super("options", Product.PRODUCT_OPTIONS, new OptionsStateMachine());
    }

    @Override
    public ServiceDefaults defaults() {
        return ServiceDefaults.OPTIONS;
    }

    @Override
    protected void addServices(ServiceRuntime rt, CommandShard<OptionsStateMachine, OptionsCommand, Outcome> shard) {
        runtime = rt;
        machine.countInto(new BookMetrics(rt.registry(), "options"));
        rt.grpcServer().addService(OrderEntryGrpcService.of(new BookOrderEntry<>(shard, markets(), COMMANDS)));
        rt.grpcServer().addService(OptionsServiceGrpcService.of(new OptionsApi(shard, markets(), this::created)));
        rt.grpcServer().addService(WalletServiceGrpcService.of(new WalletServer<>(shard,
                r -> OptionsCommand.newBuilder().setCredit(r).build(),
                r -> OptionsCommand.newBuilder().setDebit(r).build(),
                OptionsEngine.FEE_ACCOUNT, Wallet.WALLET_OPTIONS, SHARD, rt.config().instanceId())));
        tickers = new TickerPublisher<>(shard, rt.vertx().eventBus());
    }

    @Override
    protected List<String> marketSymbols(OptionsStateMachine m) {
        return m.engine().instruments().stream().map(x -> x.spec().symbol()).toList();
    }

    @Override
    protected long nextDueMs(OptionsStateMachine m) {
        return m.engine().nextDueMs();
    }

    @Override
    protected OptionsCommand tickCommand() {
        return TICK;
    }

    @Override
    protected List<Published> events(Outcome outcome) {
        return outcome.events();
    }

    @Override
    protected List<OptionsCommand> limitCommands(OptionsStateMachine m, RiskControl control) {
        return m.engine().limits().changes(control).stream()
                .map(l -> OptionsCommand.newBuilder().setSetLimits(l).build()).toList();
    }

    @Override
    protected void started(ServiceRuntime rt) {
        shard().query(m -> m.engine().underlyings().stream().map(Underlying::name).toList())
                .onSuccess(names -> names.forEach(this::followIndex));
        every(PUBLISH_INTERVAL_MS, tickers::publishChanged);
        every(PUBLISH_INTERVAL_MS, this::publishMarks);
    }

    /** A chain was created: its instruments routable from now on, and its underlying's index followed. */
    private Future<ChainReply> created(ChainReply reply) {
        Set<String> underlyings = new LinkedHashSet<>();
        List<Future<io.trademesh.proto.common.MarketLocation>> registered = new ArrayList<>();
        for (Market m : reply.getInstrumentsList()) {
            underlyings.add(m.getBase().getSymbol());
            registered.add(registerMarket(m.getSymbol()));
        }
        underlyings.forEach(this::followIndex);
        return Future.all(registered).map(all -> reply.toBuilder().addAllLocations(all.list()).build());
    }

    /** Journals every index price of {@code asset} (see ProductService.followIndex). */
    private void followIndex(String asset) {
        followIndex(asset, price -> OptionsCommand.newBuilder().setIndexPrice(price).build());
    }

    /**
     * Publishes every live instrument's ticker with greeks and each live chain, every second
     * as the venues do (a new subscriber hears soon); settled chains are no longer published.
     */
    private void publishMarks() {
        long now = System.currentTimeMillis();
        shard().query(m -> {
            List<Published> out = new ArrayList<>();
            for (Underlying u : m.engine().underlyings()) {
                for (Expiry e : u.expiries()) {
                    if (e.settled()) {
                        continue;
                    }
                    var chain = OptionsProto.chain(e, now);
                    out.add(new Published(Addresses.chain(u.name()), chain.toByteArray()));
                    for (var t : chain.getTickersList()) {
                        out.add(new Published(Addresses.option(t.getMarket()), t.toByteArray()));
                    }
                }
            }
            return out;
        }).onSuccess(all -> all.forEach(p -> runtime.vertx().eventBus()
                .publish(p.address(), Buffer.buffer(p.payload()))));
    }
}
