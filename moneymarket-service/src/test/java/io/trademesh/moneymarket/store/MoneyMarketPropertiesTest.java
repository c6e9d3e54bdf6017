package io.trademesh.moneymarket.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trademesh.moneymarket.engine.Health;
import io.trademesh.moneymarket.engine.LendingBook;
import io.trademesh.moneymarket.engine.MoneyMarketEngine;
import io.trademesh.moneymarket.engine.Pool;
import io.trademesh.moneymarket.engine.RateModel;
import io.trademesh.platform.engine.Outcome;
import io.trademesh.proto.moneymarket.ActionKind;
import io.trademesh.proto.moneymarket.ActionRequest;
import io.trademesh.proto.moneymarket.Category;
import io.trademesh.proto.moneymarket.CategoryRequest;
import io.trademesh.proto.moneymarket.LiquidateRequest;
import io.trademesh.proto.moneymarket.LiquidationReply;
import io.trademesh.proto.moneymarket.MoneyMarketCommand;
import io.trademesh.proto.moneymarket.PoolParams;
import io.trademesh.proto.moneymarket.PoolRequest;
import io.trademesh.proto.risk.IndexPrice;
import io.trademesh.proto.wallet.WalletTransferReply;
import io.trademesh.proto.wallet.WalletTransferRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;

/**
 * Random money-market sessions (transfers in and out, the five actions, categories,
 * liquidations, prices moving up to crashes, time passing from milliseconds to weeks), checked
 * after every command:
 * <ul>
 *   <li>each pool: {@code cash + borrowed = supplied + reserves - deficit} exactly, reserves and
 *       deficit never negative nor both positive, indices never decreasing;</li>
 *   <li>each asset: wallets + pools' cash = transfers in - transfers out (nothing made or lost);</li>
 *   <li>the accounts' own balances, each rounded in the pool's favour, never claim more than the
 *       pool's totals say, nor owe less;</li>
 *   <li>an accepted borrow, withdrawal, collateral switch or category change leaves the account's
 *       debt within its borrow limit (so its health at least 1), and an accepted repay never widens
 *       the gap between debt and limit; a refused command changes no account and no wallet;</li>
 *   <li>a liquidation seizes at most the collateral the borrower had;</li>
 *   <li>the accounts at risk are exactly those a scan of every account finds;</li>
 *   <li>replay, and a snapshot taken anywhere followed by the rest of the journal, give the live
 *       run's state bytes.</li>
 * </ul>
 */
class MoneyMarketPropertiesTest {

    private static final long T0 = 1_800_000_000_000L;
    private static final long PCT = RateModel.ONE / 100;
    private static final String[] ASSETS = {"USDT", "BTC", "ETH"};
    private static final int[] DECIMALS = {6, 8, 8};
    private static final long[] START_PRICE = {1, 30_000, 2_000};

    record Applied(long timestampMs, MoneyMarketCommand command) {
    }

    /** The session that found the repay rule: an account far past its limit repays from its supply. */
    @Example
    void aRepayFromAnAccountPastItsLimitIsTaken() throws Exception {
        session(-52976L);
    }

    @Property(tries = 200)
    void moneyIsConservedPoolsBalanceAndReplayGivesTheSameState(@ForAll long seed) throws Exception {
        session(seed);
    }

    private static PoolParams pool(int i) {
        return PoolParams.newBuilder().setAsset(ASSETS[i]).setAssetDecimals(DECIMALS[i])
                .setOptimalUtilizationE9(80 * PCT).setBaseRateE9(i == 0 ? PCT : 0).setSlope1E9(4 * PCT)
                .setSlope2E9(i == 1 ? 300 * PCT : 75 * PCT).setReserveFactorE9(10 * PCT)
                .setLtvE9(i == 0 ? 80 * PCT : 70 * PCT).setLiquidationThresholdE9(i == 0 ? 85 * PCT : 75 * PCT)
                .setLiquidationBonusE9(i == 0 ? 5 * PCT : 10 * PCT).setProtocolShareE9(10 * PCT)
                .setCollateralEnabled(true).setBorrowEnabled(true).setCategory(i == 1 ? 0 : 1).build();
    }

    private static IndexPrice price(String asset, long e2) {
        return IndexPrice.newBuilder().setAsset(asset).setQuote("USDT").setPrice(e2).setPriceScale(2).build();
    }

    private static MoneyMarketCommand action(long account, ActionKind kind, String asset, long amount, boolean all,
                                             boolean enable, int category) {
        return MoneyMarketCommand.newBuilder().setAction(ActionRequest.newBuilder().setAccountId(account)
                .setKind(kind).setAsset(asset).setAmount(amount).setAll(all).setEnable(enable).setCategory(category)
                .setClientActionId(CLIENT_IDS.nextInt(4) == 0 ? "a" + CLIENT_IDS.nextInt(20) : ""))
                .build();
    }

    /** Some actions carry one of a few client ids, so retries and reuses happen (deterministic per JVM run order). */
    private static final Random CLIENT_IDS = new Random(1);

    private void session(long seed) throws Exception {
        Random random = new Random(seed);
        MoneyMarketStateMachine live = new MoneyMarketStateMachine();
        MoneyMarketEngine engine = live.engine();
        List<Applied> journal = new ArrayList<>();
        long now = T0;
        long[] prices = new long[ASSETS.length];
        long[] net = new long[ASSETS.length];
        journal.add(new Applied(now, MoneyMarketCommand.newBuilder().setSetCategory(CategoryRequest.newBuilder()
                .setCategory(Category.newBuilder().setId(1).setName("usd").setLtvE9(90 * PCT)
                        .setLiquidationThresholdE9(93 * PCT).setLiquidationBonusE9(2 * PCT))).build()));
        for (int i = 0; i < ASSETS.length; i++) {
            journal.add(new Applied(now, MoneyMarketCommand.newBuilder().setCreatePool(PoolRequest.newBuilder()
                    .setParams(pool(i))).build()));
            prices[i] = START_PRICE[i] * 100;
            if (i > 0) {
                journal.add(new Applied(now, MoneyMarketCommand.newBuilder().setIndexPrice(price(ASSETS[i],
                        prices[i])).build()));
            }
        }
        for (Applied a : journal) {
            assertTrue(!live.apply(a.timestampMs(), a.command(), true).refused());
        }
        long[] lastSupplyIndex = new long[ASSETS.length];
        long[] lastBorrowIndex = new long[ASSETS.length];
        long[] lastDeficit = new long[ASSETS.length];
        int steps = 150 + random.nextInt(150);
        int snapshotAt = random.nextInt(steps);
        byte[] snapshot = null;
        int snapshotJournalSize = 0;
        int liquidations = 0;
        int borrows = 0;
        boolean badDebt = false;
        for (int step = 0; step < steps; step++) {
            int r = random.nextInt(100);
            now += r < 10 ? random.nextInt(14 * 86_400_000) : random.nextInt(2_000);
            if (r < 10) {
                // risk-service republishes every index every 5 s: after a long pause they are fresh again
                for (int i = 1; i < ASSETS.length; i++) {
                    MoneyMarketCommand fresh = MoneyMarketCommand.newBuilder().setIndexPrice(price(ASSETS[i],
                            prices[i])).build();
                    journal.add(new Applied(now, fresh));
                    live.apply(now, fresh, true);
                }
            }
            long account = 1 + random.nextInt(5);
            int a = random.nextInt(ASSETS.length);
            String asset = ASSETS[a];
            long unit = pow10(DECIMALS[a]);
            long amount = 1 + (long) (random.nextDouble() * random.nextDouble() * 50_000.0 * unit / START_PRICE[a]);
            MoneyMarketCommand c;
            int op = random.nextInt(100);
            if (op < 12) {
                c = MoneyMarketCommand.newBuilder().setCredit(WalletTransferRequest.newBuilder()
                        .setTransferId("c" + step).setAccountId(account).setAsset(asset).setAmount(amount)).build();
            } else if (op < 16) {
                c = MoneyMarketCommand.newBuilder().setDebit(WalletTransferRequest.newBuilder()
                        .setTransferId("d" + step).setAccountId(account).setAsset(asset).setAmount(amount)).build();
            } else if (op < 34) {
                c = action(account, ActionKind.ACTION_SUPPLY, asset, amount, false, false, 0);
            } else if (op < 42) {
                c = action(account, ActionKind.ACTION_WITHDRAW, asset, amount, random.nextInt(3) == 0, false, 0);
            } else if (op < 62) {
                // half the time close to what the account may borrow, so that price moves make it liquidatable
                long borrow = amount / 2 + 1;
                LendingBook b = engine.book(account);
                Pool p = engine.pool(asset);
                if (b != null && random.nextInt(4) != 0 && p.priceE8() > 0) {
                    Health h = engine.health(b, now);
                    long room = h.borrowLimit() - h.debtValue();
                    if (room > 0) {
                        borrow = Math.max(1, java.math.BigInteger.valueOf(room).multiply(java.math.BigInteger
                                .valueOf(unit)).multiply(java.math.BigInteger.valueOf(90 + random.nextInt(10)))
                                .divide(java.math.BigInteger.valueOf(p.priceE8()).multiply(java.math.BigInteger
                                        .valueOf(100))).longValue());
                    }
                }
                c = action(account, ActionKind.ACTION_BORROW, asset, borrow, false, false, 0);
            } else if (op < 70) {
                c = action(account, ActionKind.ACTION_REPAY, asset, amount, random.nextInt(3) == 0, false, 0);
            } else if (op < 74) {
                c = action(account, ActionKind.ACTION_COLLATERAL, asset, 0, false, random.nextBoolean(), 0);
            } else if (op < 75) {
                c = action(account, ActionKind.ACTION_CATEGORY, "", 0, false, false, random.nextInt(2));
            } else if (op < 84) {
                long borrower = 1 + random.nextInt(5);
                String debtAsset = asset;
                String collateralAsset = ASSETS[random.nextInt(ASSETS.length)];
                List<MoneyMarketEngine.AtRisk> risky = engine.atRisk(now, 0, 5);
                if (!risky.isEmpty() && random.nextInt(4) != 0) {
                    // a liquidator that read the at-risk list: one of its accounts, one of its debts and collaterals
                    borrower = risky.get(random.nextInt(risky.size())).accountId();
                    LendingBook b = engine.book(borrower);
                    List<String> debts = new ArrayList<>();
                    List<String> collaterals = new ArrayList<>();
                    for (Pool p : engine.pools()) {
                        if (b.scaledDebt(p.id()) > 0) {
                            debts.add(p.asset());
                        }
                        if (b.isCollateral(p.id()) && b.scaledSupply(p.id()) > 0) {
                            collaterals.add(p.asset());
                        }
                    }
                    debtAsset = debts.get(random.nextInt(debts.size()));
                    collateralAsset = collaterals.isEmpty() ? collateralAsset
                            : collaterals.get(random.nextInt(collaterals.size()));
                    if (account == borrower) {
                        account = borrower % 5 + 1;
                    }
                }
                c = MoneyMarketCommand.newBuilder().setLiquidate(LiquidateRequest.newBuilder()
                        .setLiquidatorId(account).setAccountId(borrower).setDebtAsset(debtAsset)
                        .setCollateralAsset(collateralAsset).setAmount(amount)).build();
            } else {
                int p = 1 + random.nextInt(ASSETS.length - 1);
                int move = random.nextInt(4) == 0 ? -50 + random.nextInt(30) : -15 + random.nextInt(31);
                prices[p] = Math.max(100, prices[p] + prices[p] * move / 100);
                c = MoneyMarketCommand.newBuilder().setIndexPrice(price(ASSETS[p], prices[p])).build();
            }
            if (step == snapshotAt) {
                snapshot = live.snapshot(journal.size()).state();
                snapshotJournalSize = journal.size();
            }
            Map<Long, String> before = accounts(engine);
            LendingBook borrowerBook = c.hasLiquidate() ? engine.book(c.getLiquidate().getAccountId()) : null;
            long collateralBefore = 0;
            if (borrowerBook != null && engine.pool(c.getLiquidate().getCollateralAsset()) != null) {
                Pool cp = engine.pool(c.getLiquidate().getCollateralAsset());
                collateralBefore = RateModel.amountDown(borrowerBook.scaledSupply(cp.id()), cp.supplyIndexAt(now));
            }
            long limitBefore = 0;
            long debtBefore = 0;
            if (engine.book(account) != null) {
                Health h = engine.health(engine.book(account), now);
                limitBefore = h.borrowLimit();
                debtBefore = h.debtValue();
            }
            journal.add(new Applied(now, c));
            Outcome o = live.apply(now, c, true);
            boolean applied = o.reply() instanceof WalletTransferReply t ? t.getApplied() : !o.refused();
            if (c.hasCredit() && applied && !o.duplicate()) {
                net[a] += amount;
            } else if (c.hasDebit() && applied && !o.duplicate()) {
                net[a] -= amount;
            }
            if (!applied && !c.hasIndexPrice()) {
                assertEquals(before, accounts(engine), "a refused command changed an account: " + c);
            }
            if (applied && c.hasAction()) {
                borrows += c.getAction().getKind() == ActionKind.ACTION_BORROW ? 1 : 0;
                LendingBook b = engine.book(account);
                if (b != null && b.hasDebt()) {
                    Health h = engine.health(b, now);
                    if (c.getAction().getKind() == ActionKind.ACTION_REPAY) {
                        // A repay is taken even from an account already past its limit (prices moved): it must
                        // only never widen the gap (a repay from the supply lowers the limit a little too).
                        assertTrue(h.debtValue() - h.borrowLimit() <= debtBefore - limitBefore,
                                "accepted repay widened the gap between debt and limit");
                    } else if (h.borrowLimit() < limitBefore || h.debtValue() > debtBefore) {
                        assertTrue(h.debtValue() <= h.borrowLimit() && h.factor() >= RateModel.ONE,
                                "accepted " + c.getAction().getKind() + " added risk past the account's limit");
                    }
                }
            }
            if (applied && c.hasLiquidate()) {
                liquidations++;
                LiquidationReply lr = (LiquidationReply) o.reply();
                assertTrue(lr.getSeized() <= collateralBefore, "seized more than the collateral");
                assertEquals(lr.getSeized(), lr.getToLiquidator() + lr.getToReserves());
                assertTrue(lr.getHealthBeforeE9() < RateModel.ONE);
            }
            check(engine, net, lastSupplyIndex, lastBorrowIndex, now);
            for (Pool p : engine.pools()) {
                assertTrue(p.deficit() <= lastDeficit[p.id()] || (applied && c.hasLiquidate()),
                        p.asset() + ": a deficit grew without a write-off: " + c);
                lastDeficit[p.id()] = p.deficit();
            }
            for (Pool p : engine.pools()) {
                badDebt |= p.deficit() > 0;
            }
        }
        Statistics.label("bad debt").collect(badDebt ? "some" : "none");
        Statistics.label("liquidations").collect(liquidations > 0 ? "some" : "none");
        Statistics.label("borrows accepted").collect(borrows > 20 ? ">20" : borrows > 0 ? "1-20" : "none");
        // the at-risk list is what a scan finds
        long end = now;
        List<Long> scanned = new ArrayList<>();
        for (long id : engine.accountIds()) {
            LendingBook b = engine.book(id);
            if (b.hasDebt() && engine.health(b, end).factor() < RateModel.ONE) {
                scanned.add(id);
            }
        }
        List<Long> listed = engine.atRisk(end, 0, 1_000).stream().map(MoneyMarketEngine.AtRisk::accountId)
                .sorted().toList();
        assertEquals(scanned, listed);

        byte[] expected = live.snapshot(journal.size()).state();
        MoneyMarketStateMachine replayed = new MoneyMarketStateMachine();
        for (Applied x : journal) {
            replayed.apply(x.timestampMs(), x.command(), false);
        }
        assertArrayEquals(expected, replayed.snapshot(journal.size()).state(), "replay");
        MoneyMarketStateMachine resumed = new MoneyMarketStateMachine();
        resumed.restore(snapshotJournalSize, snapshot);
        for (Applied x : journal.subList(snapshotJournalSize, journal.size())) {
            resumed.apply(x.timestampMs(), x.command(), false);
        }
        assertArrayEquals(expected, resumed.snapshot(journal.size()).state(), "snapshot then the rest");
    }

    /** Every account's wallets, scaled balances, collateral flags and category, as text. */
    private static Map<Long, String> accounts(MoneyMarketEngine engine) {
        Map<Long, String> out = new HashMap<>();
        for (long id = 1; id <= 5; id++) {
            LendingBook b = engine.book(id);
            StringBuilder s = new StringBuilder();
            for (Pool p : engine.pools()) {
                s.append(engine.wallets().available(id, p.id())).append('/');
                if (b != null) {
                    s.append(b.scaledSupply(p.id())).append('/').append(b.scaledDebt(p.id())).append('/')
                            .append(b.isCollateral(p.id())).append(';');
                }
            }
            out.put(id, s.append(b == null ? "-" : b.category()).toString());
        }
        return out;
    }

    private static void check(MoneyMarketEngine engine, long[] net, long[] lastSupplyIndex, long[] lastBorrowIndex,
                              long now) {
        for (Pool p : engine.pools()) {
            int i = p.id();
            assertEquals(p.cash() + p.borrowed(), p.supplied() + p.reserves() - p.deficit(), p.asset() + " identity");
            assertTrue(p.reserves() >= 0 && p.deficit() >= 0 && (p.reserves() == 0 || p.deficit() == 0));
            assertTrue(p.cash() >= 0, "cash");
            assertTrue(p.supplyIndex() >= lastSupplyIndex[i] && p.borrowIndex() >= lastBorrowIndex[i], "indices");
            lastSupplyIndex[i] = p.supplyIndex();
            lastBorrowIndex[i] = p.borrowIndex();
            long wallets = 0;
            long claims = 0;
            long debts = 0;
            for (long id : engine.accountIds()) {
                LendingBook b = engine.book(id);
                claims += RateModel.amountDown(b.scaledSupply(i), p.supplyIndex());
                debts += RateModel.amountUp(b.scaledDebt(i), p.borrowIndex());
            }
            for (long id = 1; id <= 5; id++) {
                wallets += engine.wallets().available(id, i) + engine.wallets().locked(id, i);
            }
            assertEquals(net[i], wallets + p.cash(), p.asset() + ": wallets + cash = transfers");
            assertTrue(claims <= p.supplied(), "accounts claim more than the pool's supply");
            assertTrue(debts >= p.borrowed(), "accounts owe less than the pool's debt");
            assertTrue(Arrays.stream(engine.accountIds()).count() <= 5);
        }
    }

    private static long pow10(int n) {
        long p = 1;
        for (int i = 0; i < n; i++) {
            p *= 10;
        }
        return p;
    }
}
