package io.trademesh.bench.marketdata;

import io.trademesh.proto.common.Asset;
import io.trademesh.proto.common.Market;
import io.trademesh.proto.common.MatchingMode;
import io.trademesh.proto.spot.CreateMarketRequest;
import io.trademesh.proto.spot.SpotServiceGrpcClient;
import io.trademesh.proto.wallet.WalletServiceGrpcClient;
import io.trademesh.proto.wallet.WalletTransferRequest;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The spot markets and funded accounts that the market-data fan-out tools drive book changes on, made through
 * spot-service's gRPC API: continuous markets of {@code base}/USDT with price scale 2 and a lot of 10,000.
 */
final class DriverMarkets {
    private static final long PLENTY = 1_000_000_000_000L;

    private DriverMarkets() {
    }

    /** Creates a market for each symbol and waits until spot has them all. */
    static void create(SpotServiceGrpcClient api, List<String> symbols, String base) throws Exception {
        List<Future<?>> created = new ArrayList<>();
        for (String symbol : symbols) {
            Market m = Market.newBuilder().setSymbol(symbol)
                    .setBase(Asset.newBuilder().setSymbol(base).setDecimals(8))
                    .setQuote(Asset.newBuilder().setSymbol("USDT").setDecimals(6))
                    .setPriceScale(2).setTickSize(1).setLotSize(10_000).setMinQuantity(10_000)
                    .setMaxQuantity(100_000_000_00L).setMaxPrice(100_000_000L)
                    .setMatchingMode(MatchingMode.MATCHING_MODE_CONTINUOUS).build();
            created.add(api.createMarket(CreateMarketRequest.newBuilder().setMarket(m).build()));
        }
        Future.all(created).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    /**
     * Credits plenty of {@code asset} to accounts {@code firstAccount} .. {@code firstAccount + count - 1}, transfer
     * ids {@code transferPrefix-<i>}, and waits until all are done.
     */
    static void fund(WalletServiceGrpcClient wallet, String transferPrefix, long firstAccount, int count, String asset)
            throws Exception {
        List<Future<?>> funded = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            funded.add(wallet.credit(WalletTransferRequest.newBuilder().setTransferId(transferPrefix + "-" + i)
                    .setAccountId(firstAccount + i).setAsset(asset).setAmount(PLENTY).build()));
        }
        Future.all(funded).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
