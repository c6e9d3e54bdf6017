package io.trademesh.options.store;

import static io.trademesh.options.store.OptionsCommands.USDT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trademesh.options.engine.Instrument;
import io.trademesh.options.engine.MarginAccount;
import io.trademesh.options.engine.OptionsEngine;
import io.trademesh.options.engine.Position;
import io.trademesh.platform.engine.Outcome;
import io.trademesh.proto.common.Side;
import io.trademesh.proto.options.OptionsCommand;
import io.trademesh.proto.wallet.AssetTotals;
import io.trademesh.proto.wallet.WalletTransferReply;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;

/**
 * Random options sessions (deposits, withdrawals, orders on two chains, index moves up to
 * crashes and rallies, time passing through the settlement window and an expiry): after every
 * command premium, fees, settlement and liquidation fees are zero-sum across the wallets, the
 * venue and the fund (the total equals what was deposited less what was withdrawn), the fund
 * never goes below zero, positions net to zero per instrument, and an account without shorts
 * never owes (the fund or a recorded deficit made it whole); replay, a restored snapshot, and a snapshot taken
 * anywhere followed by the rest of the journal all give the live run's state bytes.
 */
class OptionsPropertiesTest {

    private static final long T0 = 1_800_000_000_000L;
    private static final long NEAR = T0 + 400_000;
    private static final long FAR = T0 + 30L * 86_400_000;
    private static final long MAKER = 9;
    private static final long[] STRIKES = {50_000, 55_000, 60_000, 65_000, 70_000};

    record Applied(long timestampMs, OptionsCommand command) {
    }

    @Property(tries = 150)
    void moneyIsConservedAndReplayGivesTheSameState(@ForAll long seed) throws Exception {
        Random random = new Random(seed);
        OptionsStateMachine live = new OptionsStateMachine();
        List<Applied> journal = new ArrayList<>();
        long now = T0;
        long index = 60_000 * USDT;
        journal.add(new Applied(now, OptionsCommands.chain(OptionsCommands.template(-1, 4), NEAR, 120_000, 10_000,
                STRIKES)));
        journal.add(new Applied(now, OptionsCommands.chain(OptionsCommands.template(2, 5), FAR, 0, 0, STRIKES)));
        journal.add(new Applied(now, OptionsCommands.flatVol(NEAR, 700_000_000)));
        journal.add(new Applied(now, OptionsCommands.flatVol(FAR, 600_000_000)));
        journal.add(new Applied(now, OptionsCommands.index(index)));
        journal.add(new Applied(now, OptionsCommands.deposit("maker", MAKER, 2_000_000 * USDT)));
        for (Applied a : journal) {
            live.apply(a.timestampMs(), a.command(), true);
        }
        List<String> symbols = live.engine().instruments().stream().map(x -> x.spec().symbol()).toList();
        long deposited = 2_000_000 * USDT;
        boolean liquidated = false;
        boolean underwater = false;
        int steps = 150 + random.nextInt(150);
        for (int i = 0; i < steps; i++) {
            now += random.nextInt(3_000);
            long account = 1 + random.nextInt(5);
            String market = symbols.get(random.nextInt(symbols.size()));
            Instrument x = live.engine().instrument(market);
            OptionsCommand c;
            int op = random.nextInt(100);
            if (op < 10) {
                c = OptionsCommands.deposit("d" + i, account, (1 + random.nextInt(1_500)) * USDT);
            } else if (op < 13) {
                c = OptionsCommands.withdraw("w" + i, account, (1 + random.nextInt(5_000)) * USDT);
            } else if (op < 53) {
                // sells a little more often than buys: writers who use their margin get liquidated
                Side side = random.nextInt(5) < 2 ? Side.SIDE_BUY : Side.SIDE_SELL;
                long mark = x.priced() ? x.markPrice() : 1_000 * USDT;
                long price = Math.max(100, (mark + (random.nextInt(1_201) - 600) * USDT) / 100 * 100);
                var order = OptionsCommands.limit(account, market, side, price, (1 + random.nextInt(50)) * 10);
                if (random.nextInt(5) == 0) {
                    order.setReduceOnly(true);
                }
                c = OptionsCommands.place(order);
            } else if (op < 60) {
                Side side = random.nextBoolean() ? Side.SIDE_BUY : Side.SIDE_SELL;
                c = OptionsCommands.place(OptionsCommands.market(account, market, side, (1 + random.nextInt(30)) * 10));
            } else if (op < 63) {
                c = OptionsCommands.cancelAll(account);
            } else if (op < 83 && x.priced()) {
                // a market maker quotes near the mark: writers sell to it, liquidations buy back from it
                boolean bid = random.nextBoolean();
                long spread = x.markPrice() * random.nextInt(1_000) / 10_000 + 100;
                long price = Math.max(100, (x.markPrice() + (bid ? -spread : spread)) / 100 * 100);
                c = OptionsCommands.place(OptionsCommands.limit(MAKER, market, bid ? Side.SIDE_BUY : Side.SIDE_SELL,
                        price, (1 + random.nextInt(20)) * 10));
            } else if (op < 95) {
                int move = random.nextInt(4) == 0 ? random.nextInt(10_001) - 4_000 : random.nextInt(401) - 200;
                index = Math.max(20_000 * USDT, index + index * move / 10_000);
                c = OptionsCommands.index(index);
            } else {
                now += 5_000 + random.nextInt(40_000);
                c = OptionsCommands.tick();
            }
            journal.add(new Applied(now, c));
            Outcome o = live.apply(now, c, true);
            for (var p : o.events()) {
                liquidated |= p.address().endsWith(".liquidations");
            }
            for (long k = 1; k <= 5; k++) {
                underwater |= live.engine().underwater(k);
            }
            if ((c.hasCredit() || c.hasDebit()) && ((WalletTransferReply) o.reply()).getApplied()) {
                deposited += c.hasCredit() ? c.getCredit().getAmount() : -c.getDebit().getAmount();
            }
            checkInvariants(live, deposited, i);
        }
        Statistics.label("liquidated").collect(liquidated);
        Statistics.label("waited for the book").collect(underwater);
        Statistics.label("near chain settled").collect(live.engine().instrument(symbols.get(0)).expiry().settled());

        OptionsStateMachine replayed = new OptionsStateMachine();
        for (Applied a : journal) {
            replayed.apply(a.timestampMs(), a.command(), false);
        }
        byte[] state = live.snapshot(1).state();
        assertArrayEquals(state, replayed.snapshot(1).state(), "replay gives the live state");
        OptionsStateMachine restored = new OptionsStateMachine();
        restored.restore(1, state);
        assertArrayEquals(state, restored.snapshot(1).state(), "a restored snapshot writes the same bytes");
        int cut = random.nextInt(journal.size());
        OptionsStateMachine before = new OptionsStateMachine();
        for (Applied a : journal.subList(0, cut)) {
            before.apply(a.timestampMs(), a.command(), false);
        }
        OptionsStateMachine resumed = new OptionsStateMachine();
        resumed.restore(1, before.snapshot(1).state());
        for (Applied a : journal.subList(cut, journal.size())) {
            resumed.apply(a.timestampMs(), a.command(), false);
        }
        assertArrayEquals(state, resumed.snapshot(1).state(), "snapshot at command " + cut + " + replay = the live run");
    }

    private static void checkInvariants(OptionsStateMachine m, long deposited, int step) {
        OptionsEngine e = m.engine();
        AssetTotals t = m.totals(List.of()).getAssets(0);
        long held = t.getAvailable() + t.getLocked() + t.getFees() + t.getInsurance() - t.getDeficits();
        assertEquals(deposited, held, "money conserved after step " + step + ": " + t);
        assertTrue(t.getInsurance() >= 0, "the fund never goes below zero");
        for (Instrument x : e.instruments()) {
            long net = 0;
            for (MarginAccount a : e.marginAccounts()) {
                Position p = a.positions().stream().filter(q -> q.instrument() == x).findFirst().orElse(null);
                net += p == null ? 0 : p.size();
            }
            assertEquals(0, net, x.spec().symbol() + " positions net to zero after step " + step);
        }
        int usdt = e.assets().id("USDT");
        for (MarginAccount a : e.marginAccounts()) {
            boolean shorts = a.positions().stream().anyMatch(p -> p.size() < 0);
            if (!shorts) {
                assertTrue(e.wallets().available(a.accountId(), usdt) >= 0,
                        "an account with no short never owes: " + a.accountId() + " after step " + step);
            }
        }
    }
}
