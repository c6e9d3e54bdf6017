package io.trademesh.futures.store;

import static io.trademesh.futures.store.FuturesCommands.BTC;
import static io.trademesh.futures.store.FuturesCommands.USDT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trademesh.futures.engine.Contract;
import io.trademesh.futures.engine.FuturesEngine;
import io.trademesh.futures.engine.MarginAccount;
import io.trademesh.futures.engine.Position;
import io.trademesh.platform.engine.Outcome;
import io.trademesh.proto.common.Side;
import io.trademesh.proto.futures.FuturesCommand;
import io.trademesh.proto.wallet.AssetTotals;
import io.trademesh.proto.wallet.WalletTransferReply;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;

/**
 * Random futures sessions (deposits, withdrawals, orders, leverage, index moves up to
 * crashes, time passing through samples, funding and a dated expiry): after every command the
 * collateral is conserved, positions net to zero per contract, and no account with a fresh
 * index is left below zero equity; replay, a restored snapshot, and a snapshot taken anywhere
 * followed by the rest of the journal all give the live run's state bytes.
 */
class FuturesPropertiesTest {

    private static final String PERP = "BTC-PERP";
    private static final String DATED = "BTC-DATED";
    private static final long T0 = 1_800_000_000_000L;

    record Applied(long timestampMs, FuturesCommand command) {
    }

    @Property(tries = 200)
    void collateralIsConservedAndReplayGivesTheSameState(@ForAll long seed) throws Exception {
        session(seed);
    }

    private void session(long seed) throws Exception {
        Random random = new Random(seed);
        FuturesStateMachine live = new FuturesStateMachine();
        List<Applied> journal = new ArrayList<>();
        long now = T0;
        long index = 30_000 * USDT;
        long deposited = 0;
        journal.add(new Applied(now, FuturesCommands.create(FuturesCommands.contract(PERP,
                FuturesCommands.perpetualTerms(60_000)).setMakerFeeBps(-1).setTakerFeeBps(4))));
        journal.add(new Applied(now, FuturesCommands.create(FuturesCommands.contract(DATED,
                FuturesCommands.datedTerms(T0 + 600_000, 120_000)).setMakerFeeBps(2).setTakerFeeBps(5))));
        journal.add(new Applied(now, FuturesCommands.index(index)));
        for (Applied a : journal) {
            live.apply(a.timestampMs(), a.command(), true);
        }
        int steps = 150 + random.nextInt(150);
        boolean liquidated = false;
        boolean deleveraged = false;
        boolean fired = false;
        for (int i = 0; i < steps; i++) {
            now += random.nextInt(3_000);
            long account = 1 + random.nextInt(5);
            String market = random.nextInt(4) == 0 ? DATED : PERP;
            FuturesCommand c;
            int op = random.nextInt(100);
            if (op < 12) {
                c = FuturesCommands.deposit("d" + i, account, (1 + random.nextInt(20_000)) * USDT);
            } else if (op < 16) {
                c = FuturesCommands.withdraw("w" + i, account, (1 + random.nextInt(5_000)) * USDT);
            } else if (op < 55) {
                Side side = random.nextBoolean() ? Side.SIDE_BUY : Side.SIDE_SELL;
                long price = Math.max(100, (index + (random.nextInt(1_001) - 500) * index / 10_000) / 100 * 100);
                long quantity = (1 + random.nextInt(200)) * 10;
                var order = FuturesCommands.limit(account, market, side, price, quantity);
                if (random.nextInt(5) == 0) {
                    order.setReduceOnly(true);
                }
                c = FuturesCommands.place(order);
            } else if (op < 65) {
                Side side = random.nextBoolean() ? Side.SIDE_BUY : Side.SIDE_SELL;
                c = FuturesCommands.place(FuturesCommands.market(account, market, side, (1 + random.nextInt(100)) * 10));
            } else if (op < 66) {
                Side side = random.nextBoolean() ? Side.SIDE_BUY : Side.SIDE_SELL;
                long trigger = Math.max(100, (index + (random.nextInt(1_001) - 500) * index / 10_000) / 100 * 100);
                var kind = io.trademesh.proto.trading.ConditionalKind.forNumber(1 + random.nextInt(3));
                var conditional = io.trademesh.proto.trading.Conditional.newBuilder().setKind(kind)
                        .setTriggerBy(random.nextBoolean() ? io.trademesh.proto.trading.TriggerPrice.TRIGGER_PRICE_LAST
                                : io.trademesh.proto.trading.TriggerPrice.TRIGGER_PRICE_MARK);
                if (kind == io.trademesh.proto.trading.ConditionalKind.CONDITIONAL_TRAILING_STOP) {
                    conditional.setCallbackBps(10 + random.nextInt(300)).setTriggerPrice(random.nextBoolean() ? 0 : trigger);
                } else {
                    conditional.setTriggerPrice(trigger);
                }
                c = FuturesCommands.place(FuturesCommands.market(account, market, side, (1 + random.nextInt(100)) * 10)
                        .setReduceOnly(random.nextBoolean()).setConditional(conditional));
            } else if (op < 68) {
                c = FuturesCommands.place(FuturesCommands.market(account, market, Side.SIDE_UNSPECIFIED, 0)
                        .setClosePosition(true));
            } else if (op < 72) {
                c = FuturesCommands.cancelAll(account);
            } else if (op < 73) {
                c = FuturesCommands.leverage(account, market, 1 + random.nextInt(60));
            } else if (op < 77) {
                c = random.nextBoolean()
                        ? FuturesCommand.newBuilder().setSetMarginMode(io.trademesh.proto.futures.SetMarginModeRequest
                                .newBuilder().setAccountId(account).setMarket(market).setIsolated(random.nextInt(4) != 0))
                                .build()
                        : FuturesCommand.newBuilder().setAdjustMargin(io.trademesh.proto.futures.AdjustMarginRequest
                                .newBuilder().setAccountId(account).setMarket(market)
                                .setAmount((random.nextInt(2_001) - 1_000) * USDT)).build();
            } else if (op < 91) {
                int move = random.nextInt(10) == 0 ? random.nextInt(6_001) - 3_000 : random.nextInt(601) - 300;
                index = Math.max(1_000 * USDT, index + index * move / 10_000);
                c = FuturesCommands.index(index);
            } else {
                now += 5_000 + random.nextInt(40_000);
                c = FuturesCommands.tick();
            }
            journal.add(new Applied(now, c));
            Outcome o = live.apply(now, c, true);
            for (var p : o.events()) {
                if (p.address().startsWith("acct.")) {
                    var e = io.trademesh.proto.events.AccountEvent.parseFrom(p.payload());
                    fired |= e.hasOrder() && e.getOrder().getStatus()
                            == io.trademesh.proto.common.OrderStatus.ORDER_STATUS_TRIGGERED;
                }
                if (p.address().endsWith(".liquidations")) {
                    boolean adl = io.trademesh.proto.futures.Liquidation.parseFrom(p.payload()).getDeleveraged();
                    deleveraged |= adl;
                    liquidated |= !adl;
                }
            }
            if (c.hasCredit() || c.hasDebit()) {
                WalletTransferReply r = (WalletTransferReply) o.reply();
                if (r.getApplied()) {
                    deposited += c.hasCredit() ? c.getCredit().getAmount() : -c.getDebit().getAmount();
                }
            }
            try {
                checkInvariants(live, deposited, now, i);
            } catch (AssertionError err) {
                printFailure(journal, o, live);
                throw err;
            }
        }
        Statistics.label("liquidated in the book").collect(liquidated);
        Statistics.label("deleveraged").collect(deleveraged);
        Statistics.label("funding paid").collect(live.engine().contract(PERP).fundingHistory().iterator().hasNext());
        Statistics.label("dated settled").collect(live.engine().contract(DATED).settled());
        Statistics.label("conditional fired").collect(fired);
        boolean isolated = false;
        for (MarginAccount a : live.engine().marginAccounts()) {
            for (Position p : a.positions()) {
                isolated |= p.isolated();
            }
        }
        Statistics.label("isolated position at the end").collect(isolated);
        FuturesStateMachine replayed = new FuturesStateMachine();
        for (Applied a : journal) {
            replayed.apply(a.timestampMs(), a.command(), false);
        }
        byte[] state = live.snapshot(1).state();
        assertArrayEquals(state, replayed.snapshot(1).state(), "replay gives the live state");
        FuturesStateMachine restored = new FuturesStateMachine();
        restored.restore(1, state);
        assertArrayEquals(state, restored.snapshot(1).state(), "a restored snapshot writes the same bytes");

        // a snapshot taken anywhere, restored, then the rest of the journal: the same end state
        int cut = random.nextInt(journal.size());
        FuturesStateMachine before = new FuturesStateMachine();
        for (Applied a : journal.subList(0, cut)) {
            before.apply(a.timestampMs(), a.command(), false);
        }
        FuturesStateMachine resumed = new FuturesStateMachine();
        resumed.restore(1, before.snapshot(1).state());
        for (Applied a : journal.subList(cut, journal.size())) {
            resumed.apply(a.timestampMs(), a.command(), false);
        }
        assertArrayEquals(state, resumed.snapshot(1).state(), "snapshot at command " + cut + " + replay = the live run");
    }

    /** What a failing session's last commands did: the commands, its liquidations, every position after it. */
    private static void printFailure(List<Applied> journal, Outcome last, FuturesStateMachine m) throws Exception {
        for (Applied a : journal.subList(Math.max(0, journal.size() - 6), journal.size())) {
            System.out.println("CMD " + a.timestampMs() + " " + a.command().toString().replace('\n', ' '));
        }
        for (var p : last.events()) {
            if (p.address().endsWith(".liquidations")) {
                System.out.println("LIQ " + io.trademesh.proto.futures.Liquidation.parseFrom(p.payload()).toString()
                        .replace('\n', ' '));
            }
        }
        for (MarginAccount a : m.engine().marginAccounts()) {
            for (Position p : a.positions()) {
                System.out.println("POS account " + a.accountId() + " " + p.contract().spec().symbol() + " size "
                        + p.size() + " cost " + p.cost() + " mark " + p.contract().markPrice() + (p.isolated()
                        ? " isolated margin " + p.isolatedMargin() + " equity "
                        + io.trademesh.futures.engine.Margin.isolatedEquity(p) : " cross"));
            }
        }
    }

    private static void checkInvariants(FuturesStateMachine m, long deposited, long now, int step) {
        FuturesEngine e = m.engine();
        int usdt = e.assets().id("USDT");
        AssetTotals t = m.totals(List.of()).getAssets(0);
        long held = t.getAvailable() + t.getLocked() + t.getFees() + t.getInsurance() + t.getReserves()
                - t.getDeficits() - t.getPositionCosts();
        assertEquals(deposited, held, "collateral conserved after step " + step + ": " + t);
        assertTrue(t.getInsurance() >= 0, "the fund never goes below zero");
        for (Contract c : e.contracts()) {
            long net = 0;
            for (Position p : c.positions()) {
                net += p.size();
            }
            assertEquals(0, net, c.spec().symbol() + " positions net to zero after step " + step);
            // each account's conditional orders, as listed, are exactly its share of the contract's
            java.util.Map<Long, List<Long>> byAccount = new java.util.TreeMap<>();
            for (var o : c.conditionalOrders()) {
                byAccount.computeIfAbsent(o.accountId(), k -> new java.util.ArrayList<>()).add(o.id());
            }
            for (MarginAccount a : e.marginAccounts()) {
                List<Long> listed = new java.util.ArrayList<>();
                c.conditionalOrders(a.accountId()).forEach(o -> listed.add(o.id()));
                assertEquals(byAccount.getOrDefault(a.accountId(), List.of()), listed,
                        c.spec().symbol() + " conditional orders of " + a.accountId() + " after step " + step);
            }
        }
        for (MarginAccount a : e.marginAccounts()) {
            boolean open = false;
            boolean fresh = true;
            for (Position p : a.positions()) {
                if (p.size() != 0) {
                    open = true;
                    fresh &= p.contract().indexFresh(now) && !p.contract().settled();
                }
            }
            if (!open) {
                assertTrue(e.wallets().available(a.accountId(), usdt) >= 0,
                        "a flat account never owes: " + a.accountId() + " after step " + step);
            } else if (fresh) {
                for (Position p : a.positions()) {
                    if (p.isolated() && p.size() != 0) {
                        assertTrue(io.trademesh.futures.engine.Margin.isolatedEquity(p) >= 0,
                                "isolated position of " + a.accountId() + " left bankrupt after step " + step);
                    }
                }
                assertTrue(e.margin().equity(a, usdt) >= 0,
                        "account " + a.accountId() + " left bankrupt after step " + step + ": "
                                + FuturesProto.account(e, a.accountId(), usdt, now).toString().replace('\n', ' ')
                                + " insurance " + e.insurance(usdt));
            }
        }
    }
}
