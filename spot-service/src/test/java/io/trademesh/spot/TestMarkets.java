package io.trademesh.spot;

import io.trademesh.proto.common.Asset;
import io.trademesh.proto.common.Market;
import io.trademesh.proto.common.MatchingMode;

/** The market the spot tests trade: BTC at 8 decimals, USDT at 6, prices at 2 decimals. */
public final class TestMarkets {

    public static final long BTC = 100_000_000L;
    public static final long USDT = 1_000_000L;
    /** One price unit is 0.01 USDT: PRICE is 1.00. */
    public static final long PRICE = 100;

    private TestMarkets() {
    }

    public static Market btcUsdt() {
        return Market.newBuilder().setSymbol("BTC-USDT")
                .setBase(Asset.newBuilder().setSymbol("BTC").setDecimals(8))
                .setQuote(Asset.newBuilder().setSymbol("USDT").setDecimals(6))
                .setPriceScale(2).setTickSize(1).setLotSize(10_000)
                .setMinQuantity(10_000).setMaxQuantity(100 * BTC).setMaxPrice(1_000_000 * PRICE)
                .setMakerFeeBps(10).setTakerFeeBps(20)
                .setMatchingMode(MatchingMode.MATCHING_MODE_CONTINUOUS)
                .build();
    }
}
