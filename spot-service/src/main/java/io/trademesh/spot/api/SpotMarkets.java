package io.trademesh.spot.api;

import io.trademesh.proto.common.Market;
import io.trademesh.platform.engine.Outcome;
import io.trademesh.platform.engine.CommandShard;
import io.trademesh.platform.errors.Refusals;
import io.trademesh.spot.engine.SpotRejectReason;
import io.trademesh.platform.trading.MarketSpec;
import io.trademesh.platform.trading.OrderChecks;
import io.trademesh.proto.spot.CreateMarketRequest;
import io.trademesh.proto.spot.SpotCommand;
import io.trademesh.proto.spot.SpotServiceService;
import io.trademesh.proto.trading.MarketReply;
import io.trademesh.spot.store.SpotStateMachine;
import io.vertx.core.Future;
import io.vertx.grpc.common.GrpcStatus;
import java.util.function.Function;

/** spot's own gRPC calls ({@code trademesh.spot.SpotService}): creating a spot market. */
public final class SpotMarkets extends SpotServiceService {

    private final CommandShard<SpotStateMachine, SpotCommand, Outcome> shard;
    private final Function<MarketReply, Future<MarketReply>> onMarketCreated;

    /** @param onMarketCreated called with each new market (to register it in the directory) */
    public SpotMarkets(CommandShard<SpotStateMachine, SpotCommand, Outcome> shard,
                       Function<MarketReply, Future<MarketReply>> onMarketCreated) {
        this.shard = shard;
        this.onMarketCreated = onMarketCreated;
    }

    /** What makes a spot market definition unusable, said plainly, or null when it is fine. */
    static String inconsistency(Market market) {
        return MarketSpec.inconsistency(market);
    }

    @Override
    public Future<MarketReply> createMarket(CreateMarketRequest request) {
        if (!OrderChecks.ID.matcher(request.getMarket().getSymbol()).matches()) {
            return Refusals.failed(GrpcStatus.INVALID_ARGUMENT, "INVALID_MARKET", "symbol must be 1-64 of [A-Za-z0-9._:-]");
        }
        String bad = inconsistency(request.getMarket());
        if (bad != null) {
            return Refusals.failed(GrpcStatus.INVALID_ARGUMENT, "INVALID_MARKET", bad);
        }
        return shard.submit(SpotCommand.newBuilder().setCreateMarket(request).build()).compose(o -> {
            if (!o.refused()) {
                return onMarketCreated.apply((MarketReply) o.reply());
            }
            return Future.failedFuture(Refusals.of(o.refusal(), o.refusal() == SpotRejectReason.MARKET_EXISTS
                    ? request.getMarket().getSymbol()
                    : "tick, lot, decimals, price scale, fees or limits are inconsistent"));
        });
    }

}
