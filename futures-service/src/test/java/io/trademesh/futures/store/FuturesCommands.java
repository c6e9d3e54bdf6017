package io.trademesh.futures.store;

import io.trademesh.proto.common.Asset;
import io.trademesh.proto.common.ContractKind;
import io.trademesh.proto.common.FuturesTerms;
import io.trademesh.proto.common.MarginBracket;
import io.trademesh.proto.common.Market;
import io.trademesh.proto.common.OrderType;
import io.trademesh.proto.common.Product;
import io.trademesh.proto.common.Side;
import io.trademesh.proto.common.TimeInForce;
import io.trademesh.proto.futures.CreateContractRequest;
import io.trademesh.proto.futures.FuturesCommand;
import io.trademesh.proto.futures.SetLeverageRequest;
import io.trademesh.proto.risk.IndexPrice;
import io.trademesh.proto.trading.CancelAllRequest;
import io.trademesh.proto.trading.PlaceOrderRequest;
import io.trademesh.proto.trading.Tick;
import io.trademesh.proto.wallet.WalletTransferRequest;

/**
 * Commands for the futures tests. The contracts: BTC at 3 decimals (a lot is 0.01 BTC), USDT
 * at 2 (a unit is a cent), prices at 2 decimals, so notional = price x quantity / 1000 cents:
 * 1 BTC (1000) at 30000.00 (3_000_000) is 3_000_000 cents. Brackets: up to 50k USDT 50x
 * 0.40%, up to 250k 20x 0.50%, up to 1M 10x 1.00%.
 */
public final class FuturesCommands {

    public static final long BTC = 1_000;
    public static final long USDT = 100;

    private FuturesCommands() {
    }

    public static Market.Builder contract(String symbol, FuturesTerms.Builder terms) {
        return Market.newBuilder().setSymbol(symbol).setProduct(Product.PRODUCT_FUTURES)
                .setBase(Asset.newBuilder().setSymbol("BTC").setDecimals(3))
                .setQuote(Asset.newBuilder().setSymbol("USDT").setDecimals(2))
                .setPriceScale(2).setTickSize(100).setLotSize(10).setMinQuantity(10).setMaxQuantity(1_000_000)
                .setMaxPrice(100_000_000).setMakerFeeBps(0).setTakerFeeBps(0).setFutures(terms);
    }

    public static FuturesTerms.Builder perpetualTerms(long fundingIntervalMs) {
        return brackets(FuturesTerms.newBuilder().setKind(ContractKind.CONTRACT_KIND_PERPETUAL)
                .setFundingIntervalMs(fundingIntervalMs).setImpactNotional(10_000 * USDT));
    }

    public static FuturesTerms.Builder datedTerms(long expiryMs, long windowMs) {
        return brackets(FuturesTerms.newBuilder().setKind(ContractKind.CONTRACT_KIND_DATED).setExpiryMs(expiryMs)
                .setSettlementWindowMs(windowMs).setImpactNotional(10_000 * USDT));
    }

    private static FuturesTerms.Builder brackets(FuturesTerms.Builder b) {
        return b.addBrackets(MarginBracket.newBuilder().setNotionalCap(50_000 * USDT).setMaxLeverage(50)
                        .setMaintenanceMarginBps(40))
                .addBrackets(MarginBracket.newBuilder().setNotionalCap(250_000 * USDT).setMaxLeverage(20)
                        .setMaintenanceMarginBps(50))
                .addBrackets(MarginBracket.newBuilder().setNotionalCap(1_000_000 * USDT).setMaxLeverage(10)
                        .setMaintenanceMarginBps(100));
    }

    public static FuturesCommand create(Market.Builder market) {
        return FuturesCommand.newBuilder().setCreateContract(CreateContractRequest.newBuilder().setMarket(market))
                .build();
    }

    public static FuturesCommand deposit(String id, long account, long amount) {
        return FuturesCommand.newBuilder().setCredit(WalletTransferRequest.newBuilder().setTransferId(id)
                .setAccountId(account).setAsset("USDT").setAmount(amount)).build();
    }

    public static FuturesCommand withdraw(String id, long account, long amount) {
        return FuturesCommand.newBuilder().setDebit(WalletTransferRequest.newBuilder().setTransferId(id)
                .setAccountId(account).setAsset("USDT").setAmount(amount)).build();
    }

    /** The BTC index in USDT at 2 decimals. */
    public static FuturesCommand index(long price) {
        return FuturesCommand.newBuilder().setIndexPrice(IndexPrice.newBuilder().setAsset("BTC").setQuote("USDT")
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

    public static FuturesCommand place(PlaceOrderRequest.Builder order) {
        return FuturesCommand.newBuilder().setPlaceOrder(order).build();
    }

    public static FuturesCommand cancelAll(long account) {
        return FuturesCommand.newBuilder().setCancelAll(CancelAllRequest.newBuilder().setAccountId(account)).build();
    }

    public static FuturesCommand leverage(long account, String market, int leverage) {
        return FuturesCommand.newBuilder().setSetLeverage(SetLeverageRequest.newBuilder().setAccountId(account)
                .setMarket(market).setLeverage(leverage)).build();
    }

    public static FuturesCommand tick() {
        return FuturesCommand.newBuilder().setTick(Tick.getDefaultInstance()).build();
    }
}
