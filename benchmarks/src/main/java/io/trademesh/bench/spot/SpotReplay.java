package io.trademesh.bench.spot;

import com.google.protobuf.ByteString;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.trademesh.bench.ToolDirectory;
import io.trademesh.matching.Side;
import io.trademesh.platform.store.JournalStore;
import io.trademesh.platform.store.RecoveryResult;
import io.trademesh.platform.store.StateMachine;
import io.trademesh.platform.trading.TradingProto;
import io.trademesh.proto.common.OrderType;
import io.trademesh.proto.common.Product;
import io.trademesh.proto.common.SelfTradePrevention;
import io.trademesh.proto.common.TimeInForce;
import io.trademesh.proto.journal.JournalRecord;
import io.trademesh.proto.spot.CreateMarketRequest;
import io.trademesh.proto.spot.Rules;
import io.trademesh.proto.spot.SpotCommand;
import io.trademesh.proto.trading.AmendOrderRequest;
import io.trademesh.proto.trading.CancelOrderRequest;
import io.trademesh.proto.trading.PlaceOrderRequest;
import io.trademesh.proto.wallet.WalletTransferRequest;
import io.trademesh.spot.engine.SpotEngine;
import io.trademesh.spot.engine.SpotMarket;
import io.trademesh.spot.store.SpotStateMachine;
import io.vertx.core.Future;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * spot-service's recovery on its own: a store holding a snapshot of {@link SpotWorkload}'s set-up (1,000 markets by
 * default, each with 1,000 resting orders, and 100,000 accounts) and a journal of its 1,048,576 commands as
 * {@link SpotCommand}s, then {@link JournalStore#recover} into a fresh {@link SpotStateMachine}, timed. The same path
 * a restarted service takes (RocksDB read, record checksum, protobuf parse, market lookup by symbol, the engine),
 * so the figure says how fast spot catches up on its journal after a restart. The replay ends with as many open
 * orders as the generator's own engine, or the tool says it diverged.
 * <pre>
 *   java -Xmx8g -XX:+UseSerialGC -cp benchmarks/target/benchmarks.jar io.trademesh.bench.spot.SpotReplay write --dir /tmp/spot-replay
 *   java -Xmx8g -XX:+UseSerialGC -cp benchmarks/target/benchmarks.jar io.trademesh.bench.spot.SpotReplay recover --dir /tmp/spot-replay
 * </pre>
 */
@Command(name = "spot-replay", mixinStandardHelpOptions = true,
        description = "Writes a spot store (snapshot + journal of a generated workload), or times its recovery.")
public final class SpotReplay implements Callable<Integer> {

    /**
     * Marks a directory this tool made (a later write may replace it); once the write is complete it holds the open
     * orders the replay must end with.
     */
    private static final String MARKER = "SPOT-REPLAY";

    @Parameters(index = "0", description = "write (a fresh store) or recover")
    String step;

    @Option(names = "--dir", required = true, description = "Store directory: new, or one an earlier write made.")
    Path dir;

    @Option(names = "--markets", description = "Markets (default ${DEFAULT-VALUE}); 100 accounts each.")
    int markets = 1_000;

    public static void main(String[] args) {
        System.exit(new CommandLine(new SpotReplay()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        return switch (step) {
            case "write" -> write();
            case "recover" -> recover();
            default -> {
                System.err.println("step must be write or recover");
                yield 2;
            }
        };
    }

    private int write() throws Exception {
        if (!ToolDirectory.prepare(dir, MARKER, "spot-replay")) {
            return 2;
        }
        System.out.printf("generating %d markets, %d accounts, %d commands...%n", markets, markets * 100,
                SpotStateMachineBenchmark.COMMANDS);
        SpotWorkload w = SpotWorkload.generate(SpotWorkload.Mix.EXCHANGE_CORE, markets, markets * 100, 1_000,
                SpotStateMachineBenchmark.COMMANDS, 42);
        SpotStateMachine machine = new SpotStateMachine();
        try (JournalStore store = JournalStore.open("spot", dir, new SimpleMeterRegistry())) {
            store.recover(machine);
            Journal journal = new Journal(store, machine);
            journal.setUp(SpotCommand.newBuilder().setRules(Rules.newBuilder().setVersion(SpotEngine.RULES)).build());
            for (int m = 0; m < markets; m++) {
                journal.setUp(SpotCommand.newBuilder().setCreateMarket(CreateMarketRequest.newBuilder()
                        .setMarket(SpotWorkload.spec(m, markets).toProto(Product.PRODUCT_SPOT))).build());
            }
            for (int m = 0; m < markets; m++) {
                for (int a = 0; a < w.accounts / markets; a++) {
                    long id = 1 + (long) m * (w.accounts / markets) + a;
                    journal.setUp(credit("b" + id, id, SpotWorkload.spec(m, markets).baseAsset(),
                            SpotWorkload.BASE_FUNDS));
                    journal.setUp(credit("q" + id, id, SpotWorkload.spec(m, markets).quoteAsset(),
                            SpotWorkload.QUOTE_FUNDS));
                }
            }
            for (int r = 0; r < w.restMarket.length; r++) {
                journal.setUp(place(symbol(w.restMarket[r]), w.restAccount[r], Side.values()[w.restSide[r]],
                        OrderType.ORDER_TYPE_LIMIT, TimeInForce.TIME_IN_FORCE_GTC, w.restPrice[r], w.restQuantity[r],
                        0));
            }
            long setUp = store.lastAssignedSequence();
            await(store.writeSnapshot(machine.snapshot(setUp)));
            for (int i = 0; i < w.commands; i++) {
                journal.append(SpotWorkload.timestampMs(i), command(w, i));
            }
            await(journal.last);
            System.out.printf("wrote a snapshot at sequence %d and %d journaled commands after it%n", setUp,
                    store.lastDurableSequence() - setUp);
        }
        Files.writeString(dir.resolve(MARKER), Long.toString(w.restingAtEnd));
        return 0;
    }

    private int recover() throws Exception {
        String expected = Files.exists(dir.resolve(MARKER)) ? Files.readString(dir.resolve(MARKER)).trim() : "";
        if (expected.isEmpty()) { // the write step writes it last
            System.err.println("no complete spot-replay store in " + dir + ": run the write step first");
            return 2;
        }
        long expectedOpen = Long.parseLong(expected);
        SpotStateMachine machine = new SpotStateMachine();
        Timed recovering = new Timed(machine);
        long t0 = System.nanoTime();
        try (JournalStore store = JournalStore.open("spot", dir, new SimpleMeterRegistry())) {
            long t1 = System.nanoTime();
            RecoveryResult result = store.recover(recovering);
            long replayNs = System.nanoTime() - recovering.restoredAt;
            System.out.printf("opened the store in %d ms, restored the snapshot in %d ms, replayed %d commands in"
                    + " %d ms: %.0f commands/s%n", (t1 - t0) / 1_000_000, (recovering.restoredAt - t1) / 1_000_000, result.replayed(),
                    replayNs / 1_000_000, result.replayed() * 1e9 / replayNs);
        }
        long open = 0;
        for (SpotMarket m : machine.engine().markets()) {
            open += m.book().orderCount();
        }
        if (open != expectedOpen) {
            System.err.printf("replay diverged: %d open orders, the generator ended with %d%n", open, expectedOpen);
            return 1;
        }
        timeOpenOrderListing(machine, markets * 100);
        return 0;
    }

    /**
     * What listing one account's open orders costs the engine's thread (queries run there, between commands) with
     * the whole book recovered: the median over 1,000 accounts, after 1,000 untimed for the JIT.
     */
    private static void timeOpenOrderListing(SpotStateMachine machine, int accounts) {
        long[] ns = new long[1_000];
        long found = 0;
        for (int i = -1_000; i < ns.length; i++) {
            long account = 1 + Math.floorMod(i * 7_919L, accounts);
            long t0 = System.nanoTime();
            found += machine.view().openOrders(account, -1).size();
            if (i >= 0) {
                ns[i] = System.nanoTime() - t0;
            }
        }
        java.util.Arrays.sort(ns);
        System.out.printf("listing an account's open orders (all markets): median %.1f us, p99 %.1f us (%.1f orders"
                + " each)%n", ns[ns.length / 2] / 1e3, ns[ns.length * 99 / 100] / 1e3, found / 2_000.0);
    }

    /** The machine as the store sees it, noting when the snapshot is restored (the replay starts there). */
    private static final class Timed implements StateMachine {
        final SpotStateMachine machine;
        long restoredAt = System.nanoTime();

        Timed(SpotStateMachine machine) {
            this.machine = machine;
        }

        @Override
        public void restore(long sequence, byte[] state) throws Exception {
            restore(sequence, ByteString.copyFrom(state));
        }

        @Override
        public void restore(long sequence, ByteString state) throws Exception {
            machine.restore(sequence, state);
            restoredAt = System.nanoTime();
        }

        @Override
        public void replay(JournalRecord record) throws Exception {
            machine.replay(record);
        }
    }

    /** Appends commands; the set-up ones are applied too, so that the snapshot after them holds their state. */
    private static final class Journal {
        final JournalStore store;
        final SpotStateMachine machine;
        Future<Long> last = Future.succeededFuture(0L);

        Journal(JournalStore store, SpotStateMachine machine) {
            this.store = store;
            this.machine = machine;
        }

        void setUp(SpotCommand command) {
            long ms = SpotWorkload.START_MS - (command.hasPlaceOrder() ? 1 : 2); // as the generator stamps them
            machine.apply(ms, command, false);
            append(ms, command);
        }

        void append(long ms, SpotCommand command) {
            last = store.append(ms * 1_000, command.toByteArray());
        }
    }

    private String symbol(int market) {
        return SpotWorkload.spec(market, markets).symbol();
    }

    private SpotCommand command(SpotWorkload w, int i) {
        String market = symbol(w.market[i]);
        Side side = Side.values()[w.side[i]];
        return switch (w.type[i]) {
            case SpotWorkload.NEW_LIMIT -> place(market, w.account[i], side, OrderType.ORDER_TYPE_LIMIT,
                    TimeInForce.TIME_IN_FORCE_GTC, w.price[i], w.quantity[i], 0);
            case SpotWorkload.NEW_IOC -> place(market, w.account[i], side, OrderType.ORDER_TYPE_LIMIT,
                    TimeInForce.TIME_IN_FORCE_IOC, w.price[i], w.quantity[i], 0);
            case SpotWorkload.NEW_MARKET -> place(market, w.account[i], side, OrderType.ORDER_TYPE_MARKET,
                    TimeInForce.TIME_IN_FORCE_IOC, 0, w.quantity[i], 0);
            case SpotWorkload.NEW_MARKET_BY_QUOTE -> place(market, w.account[i], side, OrderType.ORDER_TYPE_MARKET,
                    TimeInForce.TIME_IN_FORCE_IOC, 0, 0, w.quantity[i]);
            case SpotWorkload.CANCEL -> SpotCommand.newBuilder().setCancelOrder(CancelOrderRequest.newBuilder()
                    .setAccountId(w.account[i]).setMarket(market).setOrderId(w.orderId[i])).build();
            case SpotWorkload.AMEND -> SpotCommand.newBuilder().setAmendOrder(AmendOrderRequest.newBuilder()
                    .setAccountId(w.account[i]).setMarket(market).setOrderId(w.orderId[i])
                    .setNewPrice(w.price[i]).setNewQuantity(w.quantity[i])).build();
            default -> throw new IllegalStateException("unknown command type " + w.type[i]);
        };
    }

    private static SpotCommand place(String market, long account, Side side, OrderType type, TimeInForce tif,
                                     long price, long quantity, long quoteQuantity) {
        return SpotCommand.newBuilder().setPlaceOrder(PlaceOrderRequest.newBuilder().setAccountId(account)
                .setMarket(market).setSide(TradingProto.side(side)).setType(type).setTimeInForce(tif)
                .setPrice(price).setQuantity(quantity).setQuoteQuantity(quoteQuantity)
                .setStp(SelfTradePrevention.STP_EXPIRE_TAKER)).build();
    }

    private static SpotCommand credit(String transferId, long account, String asset, long amount) {
        return SpotCommand.newBuilder().setCredit(WalletTransferRequest.newBuilder().setTransferId(transferId)
                .setAccountId(account).setAsset(asset).setAmount(amount)).build();
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.MINUTES);
    }
}
