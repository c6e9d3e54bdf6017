package io.trademesh.futures;

import io.trademesh.futures.api.FuturesApi;
import io.trademesh.futures.engine.Contract;
import io.trademesh.futures.engine.FuturesEngine;
import io.trademesh.futures.store.FuturesProto;
import io.trademesh.futures.store.FuturesStateMachine;
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
import io.trademesh.proto.common.Product;
import io.trademesh.proto.futures.FuturesCommand;
import io.trademesh.proto.futures.FuturesServiceGrpcService;
import io.trademesh.proto.futures.MarkPrice;
import io.trademesh.proto.risk.RiskControl;
import io.trademesh.proto.trading.AmendOrderRequest;
import io.trademesh.proto.trading.CancelAllRequest;
import io.trademesh.proto.trading.CancelOrderRequest;
import io.trademesh.proto.trading.MarketReply;
import io.trademesh.proto.trading.OrderEntryGrpcService;
import io.trademesh.proto.trading.PlaceOrderRequest;
import io.trademesh.proto.trading.Tick;
import io.trademesh.proto.wallet.Wallet;
import io.trademesh.proto.wallet.WalletServiceGrpcService;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * futures-service on the platform's {@link ProductService}: the shared order entry and wallet
 * contract, futures' own API, index prices from risk-service journaled as commands, the
 * tick that samples, funds, settles and liquidates, and the ticker and mark-price streams.
 */
public final class FuturesService extends ProductService<FuturesStateMachine, FuturesCommand, Outcome> {

    private static final Logger LOG = Logger.getLogger(FuturesService.class.getName());
    private static final long TICKER_INTERVAL_MS = 1_000;
    private static final FuturesCommand TICK = FuturesCommand.newBuilder().setTick(Tick.getDefaultInstance()).build();

    private static final BookOrderEntry.Commands<FuturesCommand> COMMANDS = new BookOrderEntry.Commands<>() {
        @Override
        public FuturesCommand place(PlaceOrderRequest r) {
            return FuturesCommand.newBuilder().setPlaceOrder(r).build();
        }

        @Override
        public FuturesCommand amend(AmendOrderRequest r) {
            return FuturesCommand.newBuilder().setAmendOrder(r).build();
        }

        @Override
        public FuturesCommand cancel(CancelOrderRequest r) {
            return FuturesCommand.newBuilder().setCancelOrder(r).build();
        }

        @Override
        public FuturesCommand cancelAll(CancelAllRequest r) {
            return FuturesCommand.newBuilder().setCancelAll(r).build();
        }
    };

    private ServiceRuntime runtime;
    private TickerPublisher<FuturesStateMachine> tickers;

    public FuturesService() {
        super("futures", Product.PRODUCT_FUTURES, new FuturesStateMachine());
    }

    @Override
    public ServiceDefaults defaults() {
        return ServiceDefaults.FUTURES;
    }

    @Override
    protected void addServices(ServiceRuntime rt, CommandShard<FuturesStateMachine, FuturesCommand, Outcome> shard) {
        runtime = rt;
        machine.countInto(new BookMetrics(rt.registry(), "futures"));
        rt.grpcServer().addService(OrderEntryGrpcService.of(new BookOrderEntry<>(shard, markets(), COMMANDS)));
        rt.grpcServer().addService(FuturesServiceGrpcService.of(new FuturesApi(shard, markets(), this::created)));
        rt.grpcServer().addService(WalletServiceGrpcService.of(new WalletServer<>(shard,
                r -> FuturesCommand.newBuilder().setCredit(r).build(),
                r -> FuturesCommand.newBuilder().setDebit(r).build(),
                FuturesEngine.FEE_ACCOUNT, Wallet.WALLET_FUTURES, SHARD, rt.config().instanceId())));
        tickers = new TickerPublisher<>(shard, rt.vertx().eventBus());
    }

    @Override
    protected List<String> marketSymbols(FuturesStateMachine m) {
        return m.engine().contracts().stream().map(c -> c.spec().symbol()).toList();
    }

    @Override
    protected long nextDueMs(FuturesStateMachine m) {
        return m.engine().nextDueMs();
    }

    @Override
    protected FuturesCommand tickCommand() {
        return TICK;
    }

    @Override
    protected List<Published> events(Outcome outcome) {
        return outcome.events();
    }

    @Override
    protected List<FuturesCommand> limitCommands(FuturesStateMachine m, RiskControl control) {
        return m.engine().limits().changes(control).stream()
                .map(l -> FuturesCommand.newBuilder().setSetLimits(l).build()).toList();
    }

    @Override
    protected void started(ServiceRuntime rt) {
        shard().query(m -> m.engine().contracts().stream().map(c -> c.spec().baseAsset()).toList())
                .onSuccess(bases -> bases.forEach(this::followIndex));
        every(TICKER_INTERVAL_MS, tickers::publishChanged);
        every(TICKER_INTERVAL_MS, this::publishMarks);
    }

    /** A contract was created: routable from now on, and its index followed. */
    private Future<MarketReply> created(MarketReply reply) {
        LOG.info("contract created: " + reply.getMarket().getSymbol());
        followIndex(reply.getMarket().getBase().getSymbol());
        return registerMarket(reply.getMarket().getSymbol()).map(where -> reply.toBuilder().setLocation(where).build());
    }

    /** Journals every index price of {@code asset} (see ProductService.followIndex). */
    private void followIndex(String asset) {
        followIndex(asset, price -> FuturesCommand.newBuilder().setIndexPrice(price).build());
    }

    /** Publishes each contract's mark price, index and funding: every second, as the venues do, so a new subscriber hears soon. */
    private void publishMarks() {
        long now = System.currentTimeMillis();
        shard().query(m -> {
            List<MarkPrice> marks = new ArrayList<>();
            for (Contract c : m.engine().contracts()) {
                marks.add(FuturesProto.markPrice(c, now));
            }
            return marks;
        }).onSuccess(marks -> marks.forEach(mark -> runtime.vertx().eventBus()
                .publish(Addresses.mark(mark.getMarket()), Buffer.buffer(mark.toByteArray()))));
    }
}
