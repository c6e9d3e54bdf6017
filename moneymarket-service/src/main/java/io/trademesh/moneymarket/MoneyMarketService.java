package io.trademesh.moneymarket;

import com.google.protobuf.InvalidProtocolBufferException;
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
import io.trademesh.proto.risk.IndexPrice;
import io.trademesh.proto.risk.RiskControl;
import io.trademesh.proto.trading.Tick;
import io.trademesh.proto.wallet.Wallet;
import io.trademesh.proto.wallet.WalletServiceGrpcService;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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

    private final Set<String> indexAssets = ConcurrentHashMap.newKeySet();
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
        shard().query(m -> m.engine().pools().stream().map(Pool::asset).toList())
                .onSuccess(assets -> assets.forEach(this::followIndex));
        every(POOL_INTERVAL_MS, this::publishPools);
    }

    private void poolCreated(String asset) {
        LOG.info("pool created: " + asset);
        followIndex(asset);
    }

    /** Journals every index price risk-service publishes for {@code asset} (republished every few seconds). */
    private void followIndex(String asset) {
        if (asset.equals(MoneyMarketEngine.VALUE_ASSET) || !indexAssets.add(asset)) {
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
            if (shard().healthy()) {
                shard().submit(MoneyMarketCommand.newBuilder().setIndexPrice(price).build());
            }
        });
    }

    /** Publishes each pool's rates, indices and totals every second, so a new subscriber hears soon. */
    private void publishPools() {
        long now = System.currentTimeMillis();
        shard().query(m -> {
            List<io.trademesh.proto.moneymarket.Pool> out = new ArrayList<>();
            for (Pool p : m.engine().pools()) {
                out.add(MoneyMarketProto.pool(m.engine(), p, now));
            }
            return out;
        }).onSuccess(pools -> pools.forEach(p -> runtime.vertx().eventBus()
                .publish(Addresses.pool(p.getParams().getAsset()), Buffer.buffer(p.toByteArray()))));
    }
}
