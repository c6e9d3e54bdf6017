package io.trademesh.bench.futures;

import io.trademesh.proto.common.Asset;
import io.trademesh.proto.common.ContractKind;
import io.trademesh.proto.common.FuturesTerms;
import io.trademesh.proto.common.MarginBracket;
import io.trademesh.proto.common.Market;
import io.trademesh.proto.common.OrderType;
import io.trademesh.proto.common.Product;
import io.trademesh.proto.common.Side;
import io.trademesh.proto.common.TimeInForce;
import io.trademesh.proto.trading.CancelOrderRequest;
import io.trademesh.proto.trading.Conditional;
import io.trademesh.proto.trading.ConditionalKind;
import io.trademesh.proto.trading.TriggerPrice;
import io.trademesh.proto.trading.PlaceOrderRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One order mix for both order-book products, so that their state machines can be compared
 * on the same commands: limit orders around a mid that drifts, cancels by client order id,
 * small market orders that trade (in futures: they open, grow, shrink and flip positions,
 * each passing the margin check), reduce-only orders, and stop orders 1-2% away that fire as
 * the mid drifts (futures only: spot gets the same orders without the flag, and the stops as
 * limit orders at their trigger).
 */
final class ProductMix {

    static final String SYMBOL = "BTC-X";
    static final long MID = 3_000_000;     // 30000.00 at price scale 2
    static final long LOT = 10_000;        // 0.0001 BTC at 8 decimals

    /** One command of the stream: an order, or a cancel by client order id. */
    record Command(PlaceOrderRequest place, CancelOrderRequest cancel) {
    }

    private ProductMix() {
    }

    static Market.Builder market(Product product) {
        Market.Builder m = Market.newBuilder().setSymbol(SYMBOL).setProduct(product)
                .setBase(Asset.newBuilder().setSymbol("BTC").setDecimals(8))
                .setQuote(Asset.newBuilder().setSymbol("USDT").setDecimals(6))
                .setPriceScale(2).setTickSize(1).setLotSize(LOT).setMinQuantity(LOT).setMaxQuantity(10_000 * LOT * 100)
                .setMaxPrice(100_000_000).setMakerFeeBps(1).setTakerFeeBps(4).setMaxOpenOrdersPerAccount(1_000);
        if (product == Product.PRODUCT_FUTURES) {
            m.setFutures(FuturesTerms.newBuilder().setKind(ContractKind.CONTRACT_KIND_PERPETUAL)
                    .setFundingIntervalMs(8 * 3_600_000L).setImpactNotional(1_000_000_000L)
                    .addBrackets(MarginBracket.newBuilder().setNotionalCap(50_000_000_000L).setMaxLeverage(50)
                            .setMaintenanceMarginBps(40))
                    .addBrackets(MarginBracket.newBuilder().setNotionalCap(1_000_000_000_000L).setMaxLeverage(10)
                            .setMaintenanceMarginBps(100)));
        }
        return m;
    }

    /** {@code count} commands of {@code accounts} accounts (1 .. accounts). */
    static List<Command> generate(int accounts, int count, long seed) {
        Random random = new Random(seed);
        List<Command> out = new ArrayList<>(count);
        List<String[]> open = new ArrayList<>(); // client order id, account
        long mid = MID;
        for (int i = 0; i < count; i++) {
            int op = random.nextInt(100);
            if (op < 25 && !open.isEmpty()) {
                String[] o = open.remove(random.nextInt(open.size()));
                out.add(new Command(null, CancelOrderRequest.newBuilder().setAccountId(Long.parseLong(o[1]))
                        .setMarket(SYMBOL).setClientOrderId(o[0]).build()));
                continue;
            }
            long account = 1 + random.nextInt(accounts);
            Side side = random.nextBoolean() ? Side.SIDE_BUY : Side.SIDE_SELL;
            PlaceOrderRequest.Builder p = PlaceOrderRequest.newBuilder().setAccountId(account).setMarket(SYMBOL)
                    .setSide(side).setQuantity((1 + random.nextInt(5)) * LOT);
            if (op < 35) {
                p.setType(OrderType.ORDER_TYPE_MARKET);
            } else {
                mid += random.nextInt(201) - 100;
                long offset = 100 + random.nextInt(2_000);
                String id = "c" + i;
                p.setType(OrderType.ORDER_TYPE_LIMIT).setTimeInForce(TimeInForce.TIME_IN_FORCE_GTC)
                        .setPrice(side == Side.SIDE_BUY ? mid - offset : mid + offset).setClientOrderId(id);
                if (op < 40) {
                    p.setReduceOnly(true);
                } else if (op < 43) {
                    // a stop: sells when the last price falls 1-2% below the mid, buys when it rises above
                    long away = mid / 100 + random.nextInt((int) (mid / 100));
                    long trigger = side == Side.SIDE_SELL ? mid - away : mid + away;
                    p.setType(OrderType.ORDER_TYPE_MARKET).clearTimeInForce().clearPrice()
                            .setConditional(Conditional.newBuilder().setKind(ConditionalKind.CONDITIONAL_STOP)
                                    .setTriggerPrice(trigger).setTriggerBy(TriggerPrice.TRIGGER_PRICE_LAST));
                }
                open.add(new String[] {id, Long.toString(account)});
            }
            out.add(new Command(p.build(), null));
        }
        return out;
    }
}
