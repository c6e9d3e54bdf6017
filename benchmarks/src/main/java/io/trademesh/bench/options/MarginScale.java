package io.trademesh.bench.options;

import io.trademesh.options.store.OptionsStateMachine;
import io.trademesh.proto.common.Asset;
import io.trademesh.proto.common.Market;
import io.trademesh.proto.common.OrderType;
import io.trademesh.proto.common.Side;
import io.trademesh.proto.common.TimeInForce;
import io.trademesh.proto.options.CreateChainRequest;
import io.trademesh.proto.options.OptionsCommand;
import io.trademesh.proto.options.SetVolSliceRequest;
import io.trademesh.proto.options.VolSlice;
import io.trademesh.proto.risk.IndexPrice;
import io.trademesh.proto.trading.PlaceOrderRequest;
import io.trademesh.proto.wallet.WalletTransferRequest;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Margin after an index move (issue 12's target: 10,000 accounts with short positions
 * re-checked in at most 20 ms, touching only the accounts that hold the underlying). Two
 * underlyings, BTC and ETH, each with a 30-day chain of 20 strikes (40 instruments) and a
 * smiled surface; {@code --accounts} writers on each sell one to three of its instruments to a
 * market maker. Timed: one BTC index command ({@code OptionsStateMachine.apply}, as the service
 * applies it) moving the index by up to 0.5%, which reprices BTC's chain (marks, volatilities,
 * greeks, margin per unit) and checks every BTC writer against maintenance; ETH's writers are
 * not looked at. Prints the median, 90th percentile and maximum per run.
 *
 * <pre>  java -Xmx2g -cp benchmarks/target/benchmarks.jar io.trademesh.bench.options.MarginScale</pre>
 */
@Command(name = "options-margin-scale", mixinStandardHelpOptions = true,
        description = "Time to re-check every writer of an underlying after its index moves.")
public final class MarginScale implements Callable<Integer> {

    private static final long T0 = 1_800_000_000_000L;
    private static final long EXPIRY = T0 + 30L * 86_400_000;
    private static final long USDT = 100;
    private static final long MAKER = 1;

    @Option(names = "--accounts", description = "Writers per underlying (default ${DEFAULT-VALUE}).")
    int accounts = 10_000;

    @Option(names = "--runs", description = "Runs (default ${DEFAULT-VALUE}).")
    int runs = 5;

    @Option(names = "--moves", description = "Timed index moves per run (default ${DEFAULT-VALUE}).")
    int moves = 200;

    public static void main(String[] args) {
        System.exit(new CommandLine(new MarginScale()).execute(args));
    }

    @Override
    public Integer call() {
        long setup = System.nanoTime();
        OptionsStateMachine m = new OptionsStateMachine();
        long now = T0;
        List<String> btc = chain(m, now, "BTC", 60_000, 2_000);
        List<String> eth = chain(m, now, "ETH", 3_000, 100);
        apply(m, now, deposit(MAKER, 1_000_000_000_000L));
        for (List<String> chain : List.of(btc, eth)) {
            for (String market : chain) {
                long mark = m.engine().instrument(market).markPrice();
                apply(m, now, order(MAKER, market, Side.SIDE_BUY, OrderType.ORDER_TYPE_LIMIT, Math.max(100, mark),
                        1_000_000));
            }
        }
        Random random = new Random(7);
        long account = 100;
        for (List<String> chain : List.of(btc, eth)) {
            for (int i = 0; i < accounts; i++) {
                account++;
                apply(m, now, deposit(account, 100_000 * USDT));
                int positions = 1 + random.nextInt(3);
                for (int k = 0; k < positions; k++) {
                    String market = chain.get(random.nextInt(chain.size()));
                    apply(m, now, order(account, market, Side.SIDE_SELL, OrderType.ORDER_TYPE_MARKET, 0,
                            (1 + random.nextInt(5)) * 10));
                }
            }
        }
        int[] writers = new int[2];
        for (var a : m.engine().marginAccounts()) {
            for (String u : List.of("BTC", "ETH")) {
                if (a.positions().stream().anyMatch(p -> p.size() < 0
                        && p.instrument().expiry().underlying().name().equals(u))) {
                    writers[u.equals("BTC") ? 0 : 1]++;
                }
            }
        }
        System.out.printf("setup: %d BTC writers, %d ETH writers (accounts holding shorts), %d instruments, %.1f s%n",
                writers[0], writers[1], m.engine().instruments().size(), (System.nanoTime() - setup) / 1e9);
        long index = 60_000 * USDT;
        for (int r = 0; r < runs; r++) {
            long[] nanos = new long[moves];
            for (int w = 0; w < moves; w++) { // warm-up
                now += 1_000;
                index = move(index, random);
                apply(m, now, indexPrice("BTC", index));
            }
            for (int t = 0; t < moves; t++) {
                now += 1_000;
                index = move(index, random);
                OptionsCommand c = indexPrice("BTC", index);
                long start = System.nanoTime();
                m.apply(now, c, true);
                nanos[t] = System.nanoTime() - start;
            }
            Arrays.sort(nanos);
            System.out.printf("run %d: index move re-checking %d BTC writers: median %.2f ms, p90 %.2f ms, max %.2f ms"
                            + " (target <= 20 ms)%n", r + 1, accounts, nanos[moves / 2] / 1e6,
                    nanos[moves * 9 / 10] / 1e6, nanos[moves - 1] / 1e6);
        }
        return 0;
    }

    private static long move(long index, Random random) {
        long next = index + index * (random.nextInt(101) - 50) / 10_000;
        return Math.max(55_000 * USDT, Math.min(65_000 * USDT, next));
    }

    private static List<String> chain(OptionsStateMachine m, long now, String underlying, long atm, long step) {
        CreateChainRequest.Builder c = CreateChainRequest.newBuilder().setExpiryMs(EXPIRY).setTemplate(Market.newBuilder()
                .setBase(Asset.newBuilder().setSymbol(underlying).setDecimals(3))
                .setQuote(Asset.newBuilder().setSymbol("USDT").setDecimals(2))
                .setPriceScale(2).setTickSize(100).setLotSize(10).setMinQuantity(10).setMaxQuantity(10_000_000)
                .setMaxPrice(1_000_000_000).setMakerFeeBps(1).setTakerFeeBps(3));
        VolSlice.Builder slice = VolSlice.newBuilder().setExpiryMs(EXPIRY);
        for (int i = -10; i < 10; i++) {
            long strike = (atm + i * step) * USDT;
            c.addStrikes(strike);
            double moneyness = Math.log((double) (atm + i * step) / atm);
            slice.addStrikes(strike).addVolsE9(Math.round((0.6 + 0.5 * moneyness * moneyness) * 1e9));
        }
        apply(m, now, OptionsCommand.newBuilder().setCreateChain(c).build());
        apply(m, now, OptionsCommand.newBuilder().setSetVolSlice(SetVolSliceRequest.newBuilder()
                .setUnderlying(underlying).setQuote("USDT").setSlice(slice)).build());
        apply(m, now, indexPrice(underlying, atm * USDT));
        return m.engine().underlying(underlying).expiries().get(0).instruments().stream()
                .map(x -> x.spec().symbol()).toList();
    }

    private static void apply(OptionsStateMachine m, long now, OptionsCommand c) {
        var outcome = m.apply(now, c, true);
        if (outcome.refused()) {
            throw new IllegalStateException(outcome.refusal() + " for " + c);
        }
    }

    private static OptionsCommand indexPrice(String asset, long price) {
        return OptionsCommand.newBuilder().setIndexPrice(IndexPrice.newBuilder().setAsset(asset).setQuote("USDT")
                .setPrice(price).setPriceScale(2).setSource("bench")).build();
    }

    private static OptionsCommand deposit(long account, long amount) {
        return OptionsCommand.newBuilder().setCredit(WalletTransferRequest.newBuilder()
                .setTransferId("d" + account).setAccountId(account).setAsset("USDT").setAmount(amount)).build();
    }

    private static OptionsCommand order(long account, String market, Side side, OrderType type, long price,
                                        long quantity) {
        PlaceOrderRequest.Builder b = PlaceOrderRequest.newBuilder().setAccountId(account).setMarket(market)
                .setSide(side).setType(type).setQuantity(quantity).setPrice(price);
        if (type == OrderType.ORDER_TYPE_LIMIT) {
            b.setTimeInForce(TimeInForce.TIME_IN_FORCE_GTC);
        }
        return OptionsCommand.newBuilder().setPlaceOrder(b).build();
    }
}
