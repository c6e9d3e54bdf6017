package io.trademesh.moneymarket;

import io.trademesh.moneymarket.api.MoneyMarketApi;
import io.trademesh.moneymarket.engine.MoneyMarketEngine;
import io.trademesh.moneymarket.engine.Pool;
import io.trademesh.moneymarket.store.MoneyMarketProto;
import io.trademesh.moneymarket.store.MoneyMarketStateMachine;
import io.trademesh.platform.boot.ProductService;
import io.trademesh.platform.boot.ServiceRuntime;
import io.trademesh.platform.config.ServiceDefaults;
import io.trademesh.platform.engine.CommandShard;
import io.trademesh.platform.engine.Outcome;
import io.trademesh.platform.events.Addresses;
import io.trademesh.platform.events.Published;
import io.trademesh.platform.wallet.WalletServer;
import io.trademesh.proto.common.Product;
import io.trademesh.proto.moneymarket.MoneyMarketCommand;
import io.trademesh.proto.moneymarket.MoneyMarketServiceGrpcService;
import io.trademesh.proto.risk.RiskControl;
import io.trademesh.proto.trading.Tick;
import io.trademesh.proto.wallet.Wallet;
import io.trademesh.proto.wallet.WalletServiceGrpcService;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * moneymarket-service on the platform's {@link ProductService}: the money market's API and
 * the wallet contract, index prices from risk-service journaled as commands (health factors
 * need them), and every pool's rates published each second. Pools are not order-book markets,
 * so none is listed in the market directory: the gateway reaches this service by its name.
 */
public final class MoneyMarketService extends ProductService<MoneyMarketStateMachine, MoneyMarketCommand, Outcome> {

    private static final Logger LOG = Logger.getLogger(MoneyMarketService.class.getName());
    private static final long POOL_INTERVAL_MS = 1_000;
    private static final MoneyMarketCommand TICK = MoneyMarketCommand.newBuilder().setTick(Tick.getDefaultInstance())
            .build();

    private final Map<String, PoolGauges> gauges = new ConcurrentHashMap<>();
    private ServiceRuntime runtime;

    public MoneyMarketService() {
        super("moneymarket", Product.PRODUCT_MONEY_MARKET, new MoneyMarketStateMachine());
    }

    @Override
    public ServiceDefaults defaults() {
        return ServiceDefaults.MONEY_MARKET;
    }

    @Override
    protected void addServices(ServiceRuntime rt,
                               CommandShard<MoneyMarketStateMachine, MoneyMarketCommand, Outcome> shard) {
        runtime = rt;
        rt.grpcServer().addService(MoneyMarketServiceGrpcService.of(new MoneyMarketApi(shard, this::poolCreated)));
        rt.grpcServer().addService(WalletServiceGrpcService.of(new WalletServer<>(shard,
                r -> MoneyMarketCommand.newBuilder().setCredit(r).build(),
                r -> MoneyMarketCommand.newBuilder().setDebit(r).build(),
                MoneyMarketEngine.VENUE_ACCOUNT, Wallet.WALLET_MONEY_MARKET, SHARD, rt.config().instanceId())));
    }

    @Override
    protected List<String> marketSymbols(MoneyMarketStateMachine m) {
        return List.of();
    }

    /** Interest accrues as commands arrive; nothing is ever due on its own. */
    @Override
    protected long nextDueMs(MoneyMarketStateMachine m) {
        return Long.MAX_VALUE;
    }

    @Override
    protected MoneyMarketCommand tickCommand() {
        return TICK;
    }

    @Override
    protected List<Published> events(Outcome outcome) {
        return outcome.events();
    }

    /** Account limits and kill switches are about orders; the money market takes none. */
    @Override
    protected List<MoneyMarketCommand> limitCommands(MoneyMarketStateMachine m, RiskControl control) {
        return List.of();
    }

    @Override
    protected void started(ServiceRuntime rt) {
        shard().query(m -> m.engine().pools().stream().map(Pool::asset).toList()).onSuccess(assets -> {
            LOG.info("lending in " + assets.size() + " pool(s): " + assets);
            assets.forEach(this::followIndex);
        });
        every(POOL_INTERVAL_MS, this::publishPools);
    }

    private void poolCreated(String asset) {
        followIndex(asset);
    }

    /** Journals every index price of {@code asset} (see ProductService.followIndex); USDT is the value asset. */
    private void followIndex(String asset) {
        if (!asset.equals(MoneyMarketEngine.VALUE_ASSET)) {
            followIndex(asset, price -> MoneyMarketCommand.newBuilder().setIndexPrice(price).build());
        }
    }

    /**
     * Publishes each pool's rates, indices and totals every second, so a new subscriber hears
     * soon, and sets the pool gauges from the same read.
     */
    private void publishPools() {
        long now = System.currentTimeMillis();
        shard().query(m -> {
            List<io.trademesh.proto.moneymarket.Pool> out = new ArrayList<>();
            for (Pool p : m.engine().pools()) {
                out.add(MoneyMarketProto.pool(m.engine(), p, now));
            }
            return out;
        }).onSuccess(pools -> pools.forEach(p -> {
            gauges.computeIfAbsent(p.getParams().getAsset(), this::poolGauges).set(p);
            runtime.vertx().eventBus().publish(Addresses.pool(p.getParams().getAsset()),
                    Buffer.buffer(p.toByteArray()));
        }));
    }

    private PoolGauges poolGauges(String asset) {
        return new PoolGauges(runtime.registry(), asset);
    }

    /** One pool's gauges, read from the last published state: what an operator watches. */
    private static final class PoolGauges {
        private final AtomicLong utilization = new AtomicLong();
        private final AtomicLong borrowRate = new AtomicLong();
        private final AtomicLong reserves = new AtomicLong();
        private final AtomicLong deficit = new AtomicLong();
        private final AtomicLong priceStale = new AtomicLong();

        PoolGauges(MeterRegistry registry, String asset) {
            Gauge.builder("moneymarket.pool.utilization", utilization, v -> v.get() / 1e9).tag("asset", asset)
                    .description("debt / (cash + debt)").register(registry);
            Gauge.builder("moneymarket.pool.borrow.rate", borrowRate, v -> v.get() / 1e9).tag("asset", asset)
                    .description("the yearly borrow rate").register(registry);
            Gauge.builder("moneymarket.pool.reserves", reserves, AtomicLong::get).tag("asset", asset)
                    .baseUnit("units").register(registry);
            Gauge.builder("moneymarket.pool.deficit", deficit, AtomicLong::get).tag("asset", asset)
                    .baseUnit("units").description("bad debt the reserves have not covered: 0 when healthy")
                    .register(registry);
            Gauge.builder("moneymarket.pool.price.stale", priceStale, AtomicLong::get).tag("asset", asset)
                    .description("1 while the asset's index price is missing or older than 30 s").register(registry);
        }

        void set(io.trademesh.proto.moneymarket.Pool p) {
            utilization.set(p.getUtilizationE9());
            borrowRate.set(p.getBorrowRateE9());
            reserves.set(p.getReserves());
            deficit.set(p.getDeficit());
            priceStale.set(p.getPriceStale() ? 1 : 0);
        }
    }
}
