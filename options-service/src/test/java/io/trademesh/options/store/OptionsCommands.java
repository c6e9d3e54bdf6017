package io.trademesh.options.store;

import io.trademesh.proto.common.Asset;
import io.trademesh.proto.common.Market;
import io.trademesh.proto.common.OrderType;
import io.trademesh.proto.common.Side;
import io.trademesh.proto.common.TimeInForce;
import io.trademesh.proto.options.CreateChainRequest;
import io.trademesh.proto.options.OptionsCommand;
import io.trademesh.proto.options.SetVolSliceRequest;
import io.trademesh.proto.options.UnderlyingParams;
import io.trademesh.proto.options.VolSlice;
import io.trademesh.proto.risk.IndexPrice;
import io.trademesh.proto.trading.CancelAllRequest;
import io.trademesh.proto.trading.PlaceOrderRequest;
import io.trademesh.proto.trading.Tick;
import io.trademesh.proto.wallet.WalletTransferRequest;

/**
 * Commands for the options tests. The chains: BTC at 3 decimals (the contract size, a lot, is
 * 10 units = 0.01 BTC), USDT at 2 (a unit is a cent), prices at 2 decimals, so premium = price
 * x quantity / 1000 cents: 0.1 BTC (100) at 500.00 (50_000) is 5_000 cents = 50 USDT.
 */
public final class OptionsCommands {

    public static final long BTC = 1_000;
    public static final long USDT = 100;

    private OptionsCommands() {
    }

    public static Market.Builder template(int makerFeeBps, int takerFeeBps) {
        return Market.newBuilder()
                .setBase(Asset.newBuilder().setSymbol("BTC").setDecimals(3))
                .setQuote(Asset.newBuilder().setSymbol("USDT").setDecimals(2))
                .setPriceScale(2).setTickSize(100).setLotSize(10).setMinQuantity(10).setMaxQuantity(100_000)
                .setMaxPrice(100_000_000).setMakerFeeBps(makerFeeBps).setTakerFeeBps(takerFeeBps);
    }

    /** A chain at whole-USDT strikes. */
    public static OptionsCommand chain(Market.Builder template, long expiryMs, long windowMs, long sampleMs,
                                       long... wholeStrikes) {
        CreateChainRequest.Builder b = CreateChainRequest.newBuilder().setTemplate(template).setExpiryMs(expiryMs)
                .setSettlementWindowMs(windowMs).setSettlementSampleMs(sampleMs);
        for (long k : wholeStrikes) {
            b.addStrikes(k * USDT);
        }
        return OptionsCommand.newBuilder().setCreateChain(b).build();
    }

    /** One volatility for every strike of an expiry. */
    public static OptionsCommand flatVol(long expiryMs, long volE9) {
        return OptionsCommand.newBuilder().setSetVolSlice(SetVolSliceRequest.newBuilder().setUnderlying("BTC")
                .setQuote("USDT").setSlice(VolSlice.newBuilder().setExpiryMs(expiryMs).addStrikes(60_000 * USDT)
                        .addVolsE9(volE9))).build();
    }

    public static OptionsCommand params(long a, long b, long c) {
        return OptionsCommand.newBuilder().setSetUnderlying(UnderlyingParams.newBuilder().setUnderlying("BTC")
                .setQuote("USDT").setInitialBaseE9(a).setInitialFloorE9(b).setMaintenanceE9(c)).build();
    }

    public static OptionsCommand deposit(String id, long account, long amount) {
        return OptionsCommand.newBuilder().setCredit(WalletTransferRequest.newBuilder().setTransferId(id)
                .setAccountId(account).setAsset("USDT").setAmount(amount)).build();
    }

    public static OptionsCommand withdraw(String id, long account, long amount) {
        return OptionsCommand.newBuilder().setDebit(WalletTransferRequest.newBuilder().setTransferId(id)
                .setAccountId(account).setAsset("USDT").setAmount(amount)).build();
    }

    /** The BTC index in USDT at 2 decimals. */
    public static OptionsCommand index(long price) {
        return OptionsCommand.newBuilder().setIndexPrice(IndexPrice.newBuilder().setAsset("BTC").setQuote("USDT")
                .setPrice(price).setPriceScale(2).setSource("operator")).build();
    }

    public static PlaceOrderRequest.Builder limit(long account, String market, Side side, long price, long quantity) {
        return PlaceOrderRequest.newBuilder().setAccountId(account).setMarket(market).setSide(side)
                .setType(OrderType.ORDER_TYPE_LIMIT).setTimeInForce(TimeInForce.TIME_IN_FORCE_GTC).setPrice(price)
                .setQuantity(quantity);
    }

    public static PlaceOrderRequest.Builder market(long account, String market, Side side, long quantity) {
        return PlaceOrderRequest.newBuilder().setAccountId(account).setMarket(market).setSide(side)
                .setType(OrderType.ORDER_TYPE_MARKET).setQuantity(quantity);
    }

    public static OptionsCommand place(PlaceOrderRequest.Builder order) {
        return OptionsCommand.newBuilder().setPlaceOrder(order).build();
    }

    public static OptionsCommand cancelAll(long account) {
        return OptionsCommand.newBuilder().setCancelAll(CancelAllRequest.newBuilder().setAccountId(account)).build();
    }

    public static OptionsCommand tick() {
        return OptionsCommand.newBuilder().setTick(Tick.getDefaultInstance()).build();
    }
}
