package io.trademesh.bench.futures;

import io.trademesh.futures.store.FuturesStateMachine;
import io.trademesh.platform.engine.JournaledStateMachine;
import io.trademesh.platform.store.Snapshot;
import io.trademesh.proto.common.Product;
import io.trademesh.proto.futures.CreateContractRequest;
import io.trademesh.proto.futures.FuturesCommand;
import io.trademesh.proto.risk.IndexPrice;
import io.trademesh.proto.spot.CreateMarketRequest;
import io.trademesh.proto.spot.SpotCommand;
import io.trademesh.proto.wallet.WalletTransferRequest;
import io.trademesh.spot.store.SpotStateMachine;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * spot's and futures' state machines on the same order mix ({@link ProductMix}), one thread,
 * through {@code apply} as replay runs it (the read model kept, no events collected): futures
 * adds positions, margin checks on every order that can grow a position, reduce-only
 * bookkeeping and the liquidation check after each command. One operation is one command;
 * the state is restored from the set-up snapshot before each pass (untimed).
 *
 * <pre>
 *   java -jar benchmarks/target/benchmarks.jar ProductStateMachineBenchmark -f 1 -wi 3 -w 2s -i 5 -r 2s
 * </pre>
 */
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class ProductStateMachineBenchmark {

    static final int COMMANDS = 1 << 17;
    static final int ACCOUNTS = 1_000;
    static final long T0 = 1_800_000_000_000L;

    @State(Scope.Thread)
    public static class Machine {
        @Param({"SPOT", "FUTURES"})
        public String product;

        JournaledStateMachine<?, ?> machine;
        List<Object> commands;
        Snapshot start;

        @Setup(Level.Trial)
        public void build() throws IOException {
            List<ProductMix.Command> mix = ProductMix.generate(ACCOUNTS, COMMANDS, 42);
            commands = new ArrayList<>(COMMANDS);
            if ("SPOT".equals(product)) {
                SpotStateMachine m = new SpotStateMachine();
                m.apply(T0, SpotCommand.newBuilder().setCreateMarket(CreateMarketRequest.newBuilder()
                        .setMarket(ProductMix.market(Product.PRODUCT_SPOT))).build(), false);
                for (long a = 1; a <= ACCOUNTS; a++) {
                    m.apply(T0, SpotCommand.newBuilder().setCredit(credit(a, "USDT", 1_000_000_000_000L)).build(), false);
                    m.apply(T0, SpotCommand.newBuilder().setCredit(credit(a, "BTC", 10_000_000_000L)).build(), false);
                }
                for (ProductMix.Command c : mix) {
                    commands.add(c.place() != null
                            ? SpotCommand.newBuilder().setPlaceOrder(spot(c.place())).build()
                            : SpotCommand.newBuilder().setCancelOrder(c.cancel()).build());
                }
                machine = m;
            } else {
                FuturesStateMachine m = new FuturesStateMachine();
                m.apply(T0, FuturesCommand.newBuilder().setCreateContract(CreateContractRequest.newBuilder()
                        .setMarket(ProductMix.market(Product.PRODUCT_FUTURES))).build(), false);
                m.apply(T0, FuturesCommand.newBuilder().setIndexPrice(IndexPrice.newBuilder().setAsset("BTC")
                        .setQuote("USDT").setPrice(ProductMix.MID).setPriceScale(2)).build(), false);
                for (long a = 1; a <= ACCOUNTS; a++) {
                    m.apply(T0, FuturesCommand.newBuilder().setCredit(credit(a, "USDT", 1_000_000_000_000L)).build(),
                            false);
                }
                for (ProductMix.Command c : mix) {
                    commands.add(c.place() != null ? FuturesCommand.newBuilder().setPlaceOrder(c.place()).build()
                            : FuturesCommand.newBuilder().setCancelOrder(c.cancel()).build());
                }
                machine = m;
            }
            start = machine.snapshot(1);
        }

        /** The order as spot takes it: no futures flags; a stop becomes a limit order at its trigger. */
        private static io.trademesh.proto.trading.PlaceOrderRequest spot(io.trademesh.proto.trading.PlaceOrderRequest p) {
            var b = p.toBuilder().setReduceOnly(false).clearConditional();
            if (p.hasConditional()) {
                b.setType(io.trademesh.proto.common.OrderType.ORDER_TYPE_LIMIT)
                        .setTimeInForce(io.trademesh.proto.common.TimeInForce.TIME_IN_FORCE_GTC)
                        .setPrice(p.getConditional().getTriggerPrice());
            }
            return b.build();
        }

        private static WalletTransferRequest credit(long account, String asset, long amount) {
            return WalletTransferRequest.newBuilder().setTransferId(asset + account).setAccountId(account)
                    .setAsset(asset).setAmount(amount).build();
        }

        @Setup(Level.Invocation)
        public void restore() throws IOException {
            machine.restore(1, start.state());
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(COMMANDS)
    @SuppressWarnings({"unchecked", "rawtypes"})
    public int throughput(Machine s) {
        JournaledStateMachine m = s.machine;
        long now = T0 + 1_000; // within the index's freshness: the whole pass is one instant of the clock
        int n = 0;
        for (Object c : s.commands) {
            m.apply(now, (com.google.protobuf.MessageLite) c, false);
            n++;
        }
        return n;
    }
}
