package io.trademesh.spot.engine;

import io.trademesh.proto.common.Asset;
import io.trademesh.proto.common.Market;
import io.trademesh.proto.common.MatchingMode;
import io.trademesh.proto.common.OrderType;
import io.trademesh.proto.common.SelfTradePrevention;
import io.trademesh.proto.common.Side;
import io.trademesh.proto.common.TimeInForce;
import io.trademesh.proto.trading.AmendOrderRequest;
import io.trademesh.proto.trading.CancelAllRequest;
import io.trademesh.proto.trading.CancelOrderRequest;
import io.trademesh.proto.spot.CreateMarketRequest;
import io.trademesh.proto.trading.PlaceOrderRequest;
import io.trademesh.proto.trading.SetAccountLimits;
import io.trademesh.proto.spot.SpotCommand;
import io.trademesh.proto.trading.Tick;
import io.trademesh.proto.wallet.WalletTransferRequest;

/** Builders of journaled {@link SpotCommand}s, as the gRPC layer would journal them. */
public final class SpotCommands {

    private SpotCommands() {
    }

    public static Market market(String symbol, String base, int baseDecimals, int priceScale, long tick, long lot,
                                long minQuantity, long maxQuantity, long maxPrice, long minNotional, int makerBps,
                                int takerBps, int bandBps, int maxOpenOrders, long auctionIntervalMs) {
        return Market.newBuilder().setSymbol(symbol)
                .setBase(Asset.newBuilder().setSymbol(base).setDecimals(baseDecimals))
                .setQuote(Asset.newBuilder().setSymbol("USDT").setDecimals(6))
                .setPriceScale(priceScale).setTickSize(tick).setLotSize(lot)
                .setMinQuantity(minQuantity).setMaxQuantity(maxQuantity).setMaxPrice(maxPrice)
                .setMinNotional(minNotional).setMakerFeeBps(makerBps).setTakerFeeBps(takerBps)
                .setPriceBandBps(bandBps).setMaxOpenOrdersPerAccount(maxOpenOrders)
                .setMatchingMode(auctionIntervalMs > 0 ? MatchingMode.MATCHING_MODE_AUCTION
                        : MatchingMode.MATCHING_MODE_CONTINUOUS)
                .setAuctionIntervalMs(auctionIntervalMs)
                .build();
    }

    public static SpotCommand createMarket(Market market) {
        return SpotCommand.newBuilder().setCreateMarket(CreateMarketRequest.newBuilder().setMarket(market)).build();
    }

    public static SpotCommand place(long account, String market, String clientOrderId, Side side, OrderType type,
                                    TimeInForce tif, long price, long quantity, long quoteQuantity, long expireAtMs,
                                    SelfTradePrevention stp) {
        return SpotCommand.newBuilder().setPlaceOrder(PlaceOrderRequest.newBuilder().setAccountId(account)
                .setMarket(market).setClientOrderId(clientOrderId).setSide(side).setType(type).setTimeInForce(tif)
                .setPrice(price).setQuantity(quantity).setQuoteQuantity(quoteQuantity).setExpireAtMs(expireAtMs)
                .setStp(stp)).build();
    }

    public static SpotCommand limit(long account, String market, Side side, long price, long quantity) {
        return place(account, market, "", side, OrderType.ORDER_TYPE_LIMIT, TimeInForce.TIME_IN_FORCE_GTC, price,
                quantity, 0, 0, SelfTradePrevention.STP_EXPIRE_TAKER);
    }

    public static SpotCommand amend(long account, String market, long orderId, String clientOrderId, long newPrice,
                                    long newQuantity) {
        return SpotCommand.newBuilder().setAmendOrder(AmendOrderRequest.newBuilder().setAccountId(account)
                .setMarket(market).setOrderId(orderId).setClientOrderId(clientOrderId).setNewPrice(newPrice)
                .setNewQuantity(newQuantity)).build();
    }

    public static SpotCommand cancel(long account, String market, long orderId, String clientOrderId) {
        return SpotCommand.newBuilder().setCancelOrder(CancelOrderRequest.newBuilder().setAccountId(account)
                .setMarket(market).setOrderId(orderId).setClientOrderId(clientOrderId)).build();
    }

    public static SpotCommand cancelAll(long account, String market) {
        return SpotCommand.newBuilder().setCancelAll(CancelAllRequest.newBuilder().setAccountId(account)
                .setMarket(market)).build();
    }

    public static SpotCommand credit(String transferId, long account, String asset, long amount) {
        return SpotCommand.newBuilder().setCredit(transfer(transferId, account, asset, amount)).build();
    }

    public static SpotCommand debit(String transferId, long account, String asset, long amount) {
        return SpotCommand.newBuilder().setDebit(transfer(transferId, account, asset, amount)).build();
    }

    public static SpotCommand setLimits(long account, int maxOpenOrders, long maxOrderNotional, boolean killSwitch) {
        return SpotCommand.newBuilder().setSetLimits(SetAccountLimits.newBuilder().setAccountId(account)
                .setMaxOpenOrders(maxOpenOrders).setMaxOrderNotional(maxOrderNotional).setNotionalAsset("USDT")
                .setKillSwitch(killSwitch))
                .build();
    }

    public static SpotCommand rules(int version) {
        return SpotCommand.newBuilder().setRules(io.trademesh.proto.spot.Rules.newBuilder().setVersion(version)).build();
    }

    public static SpotCommand tick() {
        return SpotCommand.newBuilder().setTick(Tick.getDefaultInstance()).build();
    }

    private static WalletTransferRequest transfer(String transferId, long account, String asset, long amount) {
        return WalletTransferRequest.newBuilder().setTransferId(transferId).setAccountId(account).setAsset(asset)
                .setAmount(amount).build();
    }
}
