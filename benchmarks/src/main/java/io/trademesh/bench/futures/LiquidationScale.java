package io.trademesh.bench.futures;

import io.trademesh.futures.engine.Contract;
import io.trademesh.futures.store.FuturesStateMachine;
import io.trademesh.platform.store.Snapshot;
import io.trademesh.proto.common.OrderType;
import io.trademesh.proto.common.Product;
import io.trademesh.proto.common.Side;
import io.trademesh.proto.common.TimeInForce;
import io.trademesh.proto.futures.CreateContractRequest;
import io.trademesh.proto.futures.FuturesCommand;
import io.trademesh.proto.futures.SetLeverageRequest;
import io.trademesh.proto.risk.IndexPrice;
import io.trademesh.proto.trading.PlaceOrderRequest;
import io.trademesh.proto.trading.Tick;
import io.trademesh.proto.wallet.WalletTransferRequest;
import java.util.Arrays;
import java.util.Random;

/**
 * Liquidation and funding at scale, on one thread through the futures state machine: 10
 * contracts on the BTC index, 10,000 accounts each holding a position in every one of them
 * (100,000 positions; odd accounts long, even short, margin between 1.7x and 17x), a market
 * maker's bids 8-11% below. Then, each from the same restored state:
 * <ul>
 *   <li>a 10% fall of the index: the one command that moves all ten marks, finds the
 *       positions whose liquidation key it crossed and liquidates those accounts (orders
 *       cancelled, positions closed in the book, fees to the fund, ADL where bankrupt);</li>
 *   <li>the funding tick: samples, and funding settled over all 100,000 positions with every
 *       account re-indexed.</li>
 * </ul>
 * Each is timed {@code runs} times (default 7) and the median printed.
 *
 * <pre>  java -cp benchmarks/target/benchmarks.jar io.trademesh.bench.futures.LiquidationScale [runs]</pre>
 */
public final class LiquidationScale {

    static final int CONTRACTS = 10;
    static final int ACCOUNTS = 10_000;
    static final long T0 = 1_800_000_000_000L;
    static final long SIZE = 100 * ProductMix.LOT;   // 0.01 BTC: 300 USDT at 30000
    static final long USDT = 1_000_000;

    private static int lastCandidates;

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        FuturesStateMachine m = new FuturesStateMachine();
        long now = T0;
        Random random = new Random(7);
        for (int k = 0; k < CONTRACTS; k++) {
            m.apply(now, FuturesCommand.newBuilder().setCreateContract(CreateContractRequest.newBuilder()
                    .setMarket(ProductMix.market(Product.PRODUCT_FUTURES).setSymbol("BTC-F" + k))).build(), false);
        }
        m.apply(now, index(ProductMix.MID), false);
        long maker = ACCOUNTS + 1;
        m.apply(now, credit(maker, 100_000_000 * USDT), false);
        for (long a = 1; a <= ACCOUNTS; a++) {
            double margin = 0.06 + random.nextDouble() * 0.54;   // of the 3000 USDT notional across the ten
            m.apply(now, credit(a, (long) (3_000 * USDT * margin)), false);
        }
        for (int k = 0; k < CONTRACTS; k++) {
            String symbol = "BTC-F" + k;
            for (long a = 1; a < ACCOUNTS; a += 2) {
                m.apply(now, order(a + 1, symbol, Side.SIDE_SELL, ProductMix.MID, SIZE), false);
                m.apply(now, order(a, symbol, Side.SIDE_BUY, 0, SIZE), false);
            }
            // the maker's bids 8% .. 11% below, 0.2 BTC a level, at 10x (its notional is in the second bracket)
            m.apply(now, FuturesCommand.newBuilder().setSetLeverage(SetLeverageRequest.newBuilder()
                    .setAccountId(maker).setMarket(symbol).setLeverage(10)).build(), false);
            for (int level = 0; level < 50; level++) {
                long price = ProductMix.MID * (92 - level * 4 / 50) / 100 - level * 100;
                m.apply(now, order(maker, symbol, Side.SIDE_BUY, price, 20 * SIZE), false);
            }
        }
        int positions = 0;
        for (Contract c : m.engine().contracts()) {
            for (var p : c.positions()) {
                positions += p.size() != 0 ? 1 : 0;
            }
        }
        System.out.printf("%d contracts, %d accounts, %d open positions%n", CONTRACTS, ACCOUNTS, positions);
        now += 1_000;
        m.apply(now, index(ProductMix.MID), false);
        Snapshot start = m.snapshot(1);

        long[] find = new long[runs];
        long[] crash = new long[runs];
        long[] funding = new long[runs];
        int liquidated = 0;
        long fundingAt = m.engine().contracts().get(0).nextFundingMs();
        for (int r = 0; r < runs; r++) {
            m.restore(1, start.state());
            System.gc();
            long t = System.nanoTime();
            int candidates = 0;
            for (int k = 0; k < CONTRACTS; k++) {
                candidates += m.engine().liquidationCandidates(k, ProductMix.MID * 90 / 100);
            }
            find[r] = System.nanoTime() - t;
            lastCandidates = candidates;
            t = System.nanoTime();
            m.apply(now + 1_000, index(ProductMix.MID * 90 / 100), false);
            crash[r] = System.nanoTime() - t;
            liquidated = countFlat(m);

            m.restore(1, start.state());
            m.apply(fundingAt - 1_000, index(ProductMix.MID), false);   // fresh at funding time
            System.gc();
            t = System.nanoTime();
            m.apply(fundingAt, FuturesCommand.newBuilder().setTick(Tick.getDefaultInstance()).build(), false);
            funding[r] = System.nanoTime() - t;
            if (!m.engine().contracts().get(0).fundingHistory().iterator().hasNext()) {
                throw new IllegalStateException("the tick settled no funding");
            }
        }
        System.out.printf("10%% index fall: %d positions the index sends to the exact check, found in median %.3f ms %s%n",
                lastCandidates, median(find), ms(find));
        System.out.printf("10%% index fall: %d positions closed; the whole command (find, check, cancel, close in the"
                + " book, fees, ADL, re-index): median %.2f ms %s%n", liquidated, median(crash), ms(crash));
        System.out.printf("funding over %d positions: median %.2f ms %s%n", positions, median(funding), ms(funding));
    }

    private static int countFlat(FuturesStateMachine m) {
        int open = 0;
        for (Contract c : m.engine().contracts()) {
            for (var p : c.positions()) {
                open += p.size() != 0 ? 1 : 0;
            }
        }
        return CONTRACTS * ACCOUNTS + CONTRACTS - open; // the maker's ten positions come and go with the closes
    }

    private static double median(long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        return s[s.length / 2] / 1e6;
    }

    private static String ms(long[] nanos) {
        StringBuilder b = new StringBuilder("(runs:");
        for (long n : nanos) {
            b.append(String.format(" %.1f", n / 1e6));
        }
        return b.append(" ms)").toString();
    }

    private static FuturesCommand index(long price) {
        return FuturesCommand.newBuilder().setIndexPrice(IndexPrice.newBuilder().setAsset("BTC").setQuote("USDT")
                .setPrice(price).setPriceScale(2)).build();
    }

    private static FuturesCommand credit(long account, long amount) {
        return FuturesCommand.newBuilder().setCredit(WalletTransferRequest.newBuilder().setTransferId("c" + account)
                .setAccountId(account).setAsset("USDT").setAmount(amount)).build();
    }

    private static FuturesCommand order(long account, String symbol, Side side, long price, long quantity) {
        PlaceOrderRequest.Builder p = PlaceOrderRequest.newBuilder().setAccountId(account).setMarket(symbol)
                .setSide(side).setQuantity(quantity);
        if (price == 0) {
            p.setType(OrderType.ORDER_TYPE_MARKET);
        } else {
            p.setType(OrderType.ORDER_TYPE_LIMIT).setTimeInForce(TimeInForce.TIME_IN_FORCE_GTC).setPrice(price);
        }
        return FuturesCommand.newBuilder().setPlaceOrder(p).build();
    }
}
