package io.trademesh.spot.store;

import io.trademesh.matching.MatchingMode;
import io.trademesh.proto.common.Asset;
import io.trademesh.proto.common.Market;
import io.trademesh.proto.common.Product;
import io.trademesh.spot.engine.MarketSpec;

/** A spot market between the engine's {@link MarketSpec} and the protobuf {@link Market}. */
public final class ProtoMapping {

    private ProtoMapping() {
    }

    public static MarketSpec spec(Market m) {
        return new MarketSpec(m.getSymbol(), m.getBase().getSymbol(), m.getBase().getDecimals(),
                m.getQuote().getSymbol(), m.getQuote().getDecimals(), m.getPriceScale(), m.getTickSize(),
                m.getLotSize(), m.getMinQuantity(), m.getMaxQuantity(), m.getMaxPrice(), m.getMinNotional(),
                m.getMakerFeeBps(), m.getTakerFeeBps(), m.getPriceBandBps(),
                m.getMaxOpenOrdersPerAccount() == 0 ? 1_000 : m.getMaxOpenOrdersPerAccount(),
                m.getMatchingMode() == io.trademesh.proto.common.MatchingMode.MATCHING_MODE_AUCTION
                        ? MatchingMode.AUCTION : MatchingMode.CONTINUOUS,
                m.getAuctionIntervalMs());
    }

    public static Market market(MarketSpec s) {
        return Market.newBuilder()
                .setSymbol(s.symbol())
                .setProduct(Product.PRODUCT_SPOT)
                .setBase(Asset.newBuilder().setSymbol(s.baseAsset()).setDecimals(s.baseDecimals()))
                .setQuote(Asset.newBuilder().setSymbol(s.quoteAsset()).setDecimals(s.quoteDecimals()))
                .setTickSize(s.tickSize())
                .setLotSize(s.lotSize())
                .setPriceScale(s.priceScale())
                .setMinQuantity(s.minQuantity())
                .setMaxQuantity(s.maxQuantity())
                .setMaxPrice(s.maxPrice())
                .setMinNotional(s.minNotional())
                .setMakerFeeBps(s.makerFeeBps())
                .setTakerFeeBps(s.takerFeeBps())
                .setMatchingMode(s.matchingMode() == MatchingMode.AUCTION
                        ? io.trademesh.proto.common.MatchingMode.MATCHING_MODE_AUCTION
                        : io.trademesh.proto.common.MatchingMode.MATCHING_MODE_CONTINUOUS)
                .setAuctionIntervalMs(s.auctionIntervalMs())
                .setPriceBandBps(s.priceBandBps())
                .setMaxOpenOrdersPerAccount(s.maxOpenOrdersPerAccount())
                .build();
    }
}
