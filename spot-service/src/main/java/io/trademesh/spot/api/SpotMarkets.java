package io.trademesh.spot.api;

import io.trademesh.proto.common.Market;
import io.trademesh.platform.engine.Outcome;
import io.trademesh.platform.engine.CommandShard;
import io.trademesh.platform.errors.Refusals;
import io.trademesh.spot.engine.SpotRejectReason;
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
        if (market.getMaxQuantity() <= 0 || market.getMaxPrice() <= 0) {
            return "maxQuantity and maxPrice are required";
        }
        if (Math.multiplyHigh(market.getMaxPrice(), market.getMaxQuantity()) != 0
                || market.getMaxPrice() * market.getMaxQuantity() < 0) {
            return "maxPrice x maxQuantity, in units, must fit in 63 bits: lower one of them";
        }
        int exp = market.getPriceScale() + market.getBase().getDecimals() - market.getQuote().getDecimals();
        long divisor = 1;
        for (int i = 0; i < exp && exp <= 18; i++) {
            divisor *= 10;
        }
        if (exp < 0 || exp > 18) {
            divisor = -1;
        }
        if (divisor <= 0 || market.getTickSize() <= 0 || market.getLotSize() <= 0
                || Math.multiplyHigh(market.getTickSize(), market.getLotSize()) != 0
                || (market.getTickSize() * market.getLotSize()) % divisor != 0) {
            return "tickSize x lotSize must be a multiple of one quote unit (10^(priceScale + baseDecimals"
                    + " - quoteDecimals) in units), so that every trade's value is exact";
        }
        return null;
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
