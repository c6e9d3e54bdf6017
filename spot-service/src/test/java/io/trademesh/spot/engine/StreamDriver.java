package io.trademesh.spot.engine;

import io.trademesh.platform.engine.Outcome;
import io.trademesh.platform.events.Published;
import io.trademesh.platform.trading.OrderRecord;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.InvalidProtocolBufferException;
import io.trademesh.proto.common.OrderType;
import io.trademesh.proto.common.SelfTradePrevention;
import io.trademesh.proto.common.Side;
import io.trademesh.proto.common.TimeInForce;
import io.trademesh.proto.events.AccountEvent;
import io.trademesh.proto.spot.SpotCommand;
import io.trademesh.proto.wallet.WalletTransferReply;
import io.trademesh.proto.wallet.WalletTransferRequest;
import io.trademesh.spot.store.SpotStateMachine;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Runs a {@link RandomStreams.Stream} through a fresh {@link SpotStateMachine}, live (outcomes collected), turning
 * each step into a {@link SpotCommand} against the state at that point. Keeps what the tests compare against:
 * every command applied with its timestamp and outcome, the net of applied credits and debits per asset, and the fees
 * charged in fills. It also checks, as it goes, that a transfer id is answered the same way every time.
 */
public final class StreamDriver {

    /** One command as it was applied. */
    public record Applied(long timestampMs, SpotCommand command, Outcome outcome) {
    }

    /** Called after every command. */
    @FunctionalInterface
    public interface Check {
        void after(StreamDriver driver, Applied applied);
    }

    private static final String[] TRANSFER_ASSETS = {"BTC", "ETH", "SOL", "USDT", "DOGE"};
    private static final long[] TRANSFER_UNIT = {10_000, 100_000, 10_000_000, 5_000_000, 1};
    private static final TimeInForce[] LIMIT_TIF = {
        TimeInForce.TIME_IN_FORCE_UNSPECIFIED, TimeInForce.TIME_IN_FORCE_GTC, TimeInForce.TIME_IN_FORCE_GTD,
        TimeInForce.TIME_IN_FORCE_IOC, TimeInForce.TIME_IN_FORCE_FOK, TimeInForce.TIME_IN_FORCE_POST_ONLY};
    private static final int[] LIMIT_TIF_WEIGHT = {20, 20, 15, 15, 10, 20};
    private static final TimeInForce[] MARKET_TIF = {
        TimeInForce.TIME_IN_FORCE_UNSPECIFIED, TimeInForce.TIME_IN_FORCE_IOC, TimeInForce.TIME_IN_FORCE_FOK,
        TimeInForce.TIME_IN_FORCE_GTC};
    private static final int[] MARKET_TIF_WEIGHT = {60, 20, 15, 5};
    private static final SelfTradePrevention[] STP = {
        SelfTradePrevention.STP_UNSPECIFIED, SelfTradePrevention.STP_EXPIRE_TAKER,
        SelfTradePrevention.STP_EXPIRE_MAKER, SelfTradePrevention.STP_EXPIRE_BOTH, SelfTradePrevention.STP_NONE};

    private final SpotStateMachine machine = new SpotStateMachine();
    private final List<Applied> applied = new ArrayList<>();
    private final Map<String, Long> ledger = new HashMap<>();
    /** Per transfer id: the first request (as a credit or debit) and its answer. */
    private final Map<String, FirstAnswer> firstAnswers = new HashMap<>();

    private record FirstAnswer(WalletTransferRequest request, boolean credit, WalletTransferReply reply) {
    }
    private final int accounts;
    private long feesCharged;
    private long now = RandomStreams.T0;

    private StreamDriver(int accounts) {
        this.accounts = accounts;
    }

    /** Applies the set-up and every step of {@code stream}, calling {@code check} after each command. */
    public static StreamDriver run(RandomStreams.Stream stream, Check check) {
        StreamDriver driver = new StreamDriver(stream.accounts());
        for (SpotCommand command : setUp(stream.accounts())) {
            check.after(driver, driver.apply(command));
        }
        for (RandomStreams.Step step : stream.steps()) {
            driver.now += step.dtMs();
            check.after(driver, driver.apply(driver.command(step)));
        }
        return driver;
    }

    /** The markets (and one refused duplicate), then each account's funding: every third account is poor. */
    static List<SpotCommand> setUp(int accounts) {
        List<SpotCommand> commands = new ArrayList<>();
        commands.add(SpotCommands.rules(SpotEngine.RULES));   // as spot journals it at its first start
        RandomStreams.MARKETS.forEach(m -> commands.add(SpotCommands.createMarket(m)));
        commands.add(SpotCommands.createMarket(RandomStreams.MARKETS.get(0)));
        for (int account = 1; account <= accounts; account++) {
            boolean rich = account % 3 != 0;
            commands.add(SpotCommands.credit("fund-" + account + "-USDT", account, "USDT",
                    rich ? 2_000_000_000L : 25_000_000L));
            commands.add(SpotCommands.credit("fund-" + account + "-BTC", account, "BTC", rich ? 2_000_000 : 50_000));
            commands.add(SpotCommands.credit("fund-" + account + "-ETH", account, "ETH",
                    rich ? 30_000_000 : 500_000));
            commands.add(SpotCommands.credit("fund-" + account + "-SOL", account, "SOL",
                    rich ? 3_000_000_000L : 50_000_000L));
        }
        return commands;
    }

    public SpotStateMachine machine() {
        return machine;
    }

    public SpotEngine engine() {
        return machine.engine();
    }

    public List<Applied> applied() {
        return applied;
    }

    /** Applied credits minus applied debits of {@code asset}. */
    public long ledger(String asset) {
        return ledger.getOrDefault(asset, 0L);
    }

    /** The sum of every fee charged in fills (all markets quote in USDT), rebates negative. */
    public long feesCharged() {
        return feesCharged;
    }

    private Applied apply(SpotCommand command) {
        Outcome outcome = machine.apply(now, command, true);
        Applied a = new Applied(now, command, outcome);
        applied.add(a);
        switch (command.getCommandCase()) {
            case CREDIT -> transfer(command.getCredit(), true, (WalletTransferReply) outcome.reply());
            case DEBIT -> transfer(command.getDebit(), false, (WalletTransferReply) outcome.reply());
            default -> {
            }
        }
        for (Published p : outcome.events()) {
            if (p.address().startsWith("acct.")) {
                AccountEvent event = parse(p.payload());
                if (event.hasFill()) {
                    feesCharged += event.getFill().getMakerOrderId() != 0 ? event.getFill().getMakerFee()
                            : event.getFill().getTakerFee();
                }
            }
        }
        return a;
    }

    private static AccountEvent parse(byte[] payload) {
        try {
            return AccountEvent.parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError("unreadable account event", e);
        }
    }

    private void transfer(WalletTransferRequest request, boolean credit, WalletTransferReply reply) {
        String transferId = request.getTransferId();
        FirstAnswer first = transferId.isEmpty() ? null : firstAnswers.get(transferId);
        if (first != null) {
            if (first.request().equals(request) && first.credit() == credit) {
                assertTrue(reply.getDuplicate(), "a repeated transfer id is answered as a duplicate");
                assertEquals(first.reply().getApplied(), reply.getApplied(), "transfer " + transferId
                        + " answered differently");
                assertEquals(first.reply().getRejectReason(), reply.getRejectReason(), "transfer " + transferId);
            } else {
                assertTrue(!reply.getDuplicate() && !reply.getApplied(), "a reused transfer id is refused");
                assertEquals("TRANSFER_ID_MISMATCH", reply.getRejectReason(), "transfer " + transferId);
            }
            return;
        }
        assertTrue(!reply.getDuplicate(), "first use of transfer id '" + transferId + "' called a duplicate");
        if (!transferId.isEmpty()) {
            firstAnswers.put(transferId, new FirstAnswer(request, credit, reply));
        }
        if (reply.getApplied()) {
            ledger.merge(request.getAsset(), credit ? request.getAmount() : -request.getAmount(), Long::sum);
        }
    }

    // ---------------------------------------------------------------- steps to commands

    private long account(RandomStreams.Step step) {
        return step.account() == 0 ? SpotEngine.FEE_ACCOUNT : 1 + (step.account() - 1) % accounts;
    }

    SpotCommand command(RandomStreams.Step step) {
        SplittableRandom r = new SplittableRandom(step.seed());
        long account = account(step);
        return switch (step.kind()) {
            case ORDER -> order(step, account, r);
            case AMEND -> amend(step, account, r);
            case CANCEL -> cancel(step, account, r);
            case CANCEL_ALL -> SpotCommands.cancelAll(account, r.nextInt(2) == 0 ? "" : symbol(step.market(), r));
            case CREDIT -> transfer(step, account, r, true);
            case DEBIT -> transfer(step, account, r, false);
            case TICK -> SpotCommands.tick();
            case LIMITS -> limits(step, account, r);
        };
    }

    /** The market's symbol; now and then one that does not exist. */
    private static String symbol(int market, SplittableRandom r) {
        return r.nextInt(25) == 0 ? "XRP-USDT" : RandomStreams.SYMBOLS[market];
    }

    private static long price(int market, int priceSteps, SplittableRandom r) {
        long price = RandomStreams.MID[market] + priceSteps * RandomStreams.STEP[market];
        int odd = r.nextInt(60);
        if (odd == 0) {
            return -price;
        }
        if (odd == 1) {
            return price + 3;                                     // off ETH's 10-unit tick
        }
        return price;
    }

    private static long quantity(int market, int lots, SplittableRandom r) {
        int odd = r.nextInt(60);
        if (odd == 0) {
            return lots * RandomStreams.LOT[market] + 1;          // not a whole lot
        }
        if (odd == 1) {
            return RandomStreams.MAX_QUANTITY[market] + RandomStreams.LOT[market];
        }
        return lots * RandomStreams.LOT[market];
    }

    private static <T> T weighted(T[] values, int[] weights, SplittableRandom r) {
        int total = 0;
        for (int w : weights) {
            total += w;
        }
        int x = r.nextInt(total);
        for (int i = 0; i < values.length; i++) {
            x -= weights[i];
            if (x < 0) {
                return values[i];
            }
        }
        throw new IllegalStateException();
    }

    private static String clientOrderId(SplittableRandom r) {
        return r.nextInt(10) < 4 ? "" : "c" + r.nextInt(6);
    }

    private SpotCommand order(RandomStreams.Step step, long account, SplittableRandom r) {
        int m = step.market();
        Side side = r.nextInt(50) == 0 ? Side.SIDE_UNSPECIFIED : step.buy() ? Side.SIDE_BUY : Side.SIDE_SELL;
        boolean market = r.nextInt(100) < 22;
        String cid = clientOrderId(r);
        SelfTradePrevention stp = STP[r.nextInt(STP.length)];
        if (market) {
            TimeInForce tif = weighted(MARKET_TIF, MARKET_TIF_WEIGHT, r);
            long price = r.nextInt(40) == 0 ? RandomStreams.MID[m] : 0;
            boolean byQuote = step.buy() ? r.nextInt(2) == 0 : r.nextInt(10) == 0;
            long quantity = byQuote ? 0 : quantity(m, step.lots(), r);
            long quote = byQuote ? step.lots() * RandomStreams.QUOTE_PER_LOT[m] : 0;
            return SpotCommands.place(account, symbol(m, r), cid, side, OrderType.ORDER_TYPE_MARKET, tif, price,
                    quantity, quote, 0, stp);
        }
        TimeInForce tif = weighted(LIMIT_TIF, LIMIT_TIF_WEIGHT, r);
        long expireAt = tif == TimeInForce.TIME_IN_FORCE_GTD
                ? (r.nextInt(20) == 0 ? now - 5 : now + 1 + r.nextInt(3_000)) : 0;
        OrderType type = r.nextInt(50) == 0 ? OrderType.ORDER_TYPE_UNSPECIFIED : OrderType.ORDER_TYPE_LIMIT;
        return SpotCommands.place(account, symbol(m, r), cid, side, type, tif, price(m, step.priceSteps(), r),
                quantity(m, step.lots(), r), 0, expireAt, stp);
    }

    /** The order an amend or cancel names: mostly one of the account's open orders, by id or client id. */
    private record Target(long orderId, String clientOrderId, int market) {
    }

    private Target target(RandomStreams.Step step, long account, SplittableRandom r) {
        int mode = r.nextInt(100);
        if (mode < 65) {
            List<OrderRecord> open = machine.view().openOrders(account, -1);
            if (!open.isEmpty()) {
                OrderRecord o = open.get(r.nextInt(open.size()));
                return new Target(o.orderId, "", o.marketId);
            }
        }
        if (mode < 85) {
            String cid = "c" + r.nextInt(6);
            OrderRecord o = machine.view().openOrder(engine().orderIdForClientId(account, cid));
            return new Target(0, cid, o == null ? step.market() : o.marketId);
        }
        return new Target(1 + r.nextLong(engine().lastOrderId() + 3), "", step.market());
    }

    private SpotCommand amend(RandomStreams.Step step, long account, SplittableRandom r) {
        Target t = target(step, account, r);
        long price = r.nextInt(3) == 0 ? 0 : price(t.market, step.priceSteps(), r);
        long quantity = r.nextInt(3) == 0 ? 0 : quantity(t.market, step.lots(), r);
        return SpotCommands.amend(account, symbol(t.market, r), t.orderId, t.clientOrderId, price, quantity);
    }

    private SpotCommand cancel(RandomStreams.Step step, long account, SplittableRandom r) {
        Target t = target(step, account, r);
        return SpotCommands.cancel(account, symbol(t.market, r), t.orderId, t.clientOrderId);
    }

    /** Mostly lifting limits again (all 0), else a few open orders, a notional cap, or the kill switch. */
    private static SpotCommand limits(RandomStreams.Step step, long account, SplittableRandom r) {
        int x = r.nextInt(10);
        if (x < 4) {
            return SpotCommands.setLimits(account, 0, 0, false);
        }
        return SpotCommands.setLimits(account, x < 7 ? 1 + step.lots() % 4 : 0,
                x == 7 || x == 8 ? step.lots() * 2_000_000L : 0, x == 9);
    }

    private SpotCommand transfer(RandomStreams.Step step, long account, SplittableRandom r, boolean credit) {
        int x = r.nextInt(100);
        int asset = x < 20 ? 0 : x < 40 ? 1 : x < 55 ? 2 : x < 97 ? 3 : 4;
        long amount = step.lots() * TRANSFER_UNIT[asset] * (credit ? 20 : 10);
        int odd = r.nextInt(30);
        if (odd == 0) {
            amount = -amount;
        } else if (odd == 1) {
            amount = 0;
        }
        String id = r.nextInt(40) == 0 ? "" : "t" + r.nextInt(80);
        String name = TRANSFER_ASSETS[asset];
        return credit ? SpotCommands.credit(id, account, name, amount) : SpotCommands.debit(id, account, name, amount);
    }
}
