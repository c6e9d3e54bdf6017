package io.trademesh.moneymarket.engine;

import static io.trademesh.moneymarket.engine.RateModel.ONE;

import io.trademesh.platform.trading.AssetRegistry;
import io.trademesh.platform.trading.OrderChecks;
import io.trademesh.platform.wallet.WalletLedger;
import io.trademesh.platform.wallet.Wallets;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * The money market: one lending pool per asset, accounts that supply, borrow, repay and
 * withdraw through their money-market wallet, and liquidation of accounts whose health factor
 * fell below 1. Single-threaded and deterministic: every command carries its time, and
 * interest accrues to it ({@link Pool#accrue}) on the pools the command touches.
 *
 * <h2>Money</h2>
 * Money enters and leaves only through the wallet ledger (risk-service's transfers). Supply
 * and repay move it from a wallet into a pool's cash, withdraw and borrow back out; a
 * liquidator's repayment enters the debt pool and the borrower's collateral supply becomes the
 * liquidator's. Per asset, {@code wallets + pool cash = credits - debits}, and each pool keeps
 * {@code cash + borrowed = supplied + reserves - deficit} (see {@link Pool}).
 *
 * <h2>Rules</h2>
 * <ul>
 *   <li>Health factor = sum(collateral x price x liquidation threshold) / sum(debt x price),
 *       collateral valued down, debt up. A borrow, a withdrawal of collateral, switching
 *       collateral off or changing category must leave the debt within the borrow limit
 *       (sum(collateral x price x ltv)), which also keeps the health factor above 1.</li>
 *   <li>Those four need a fresh index price (delivered in the last {@link #PRICE_STALE_MS}) for
 *       every asset the account holds or borrows; so does a liquidation.</li>
 *   <li>A first supply of a collateral asset is used as collateral.</li>
 *   <li>Liquidation: below health 1 anyone repays up to half of one debt ({@link #CLOSE_FACTOR}),
 *       or all of it at health {@link #FULL_CLOSE_HEALTH} or less, or when that debt or that
 *       collateral is worth under {@link #SMALL_POSITION_E8}; they receive the borrower's
 *       collateral supply worth the repaid value x (1 + bonus), less the protocol's share of the
 *       bonus, which becomes reserves. Never more than the borrower's collateral: then the
 *       repayment shrinks to match. Debt left when no collateral is, is written off: the pools'
 *       reserves absorb it, the rest is their recorded deficit, covered by later reserves.</li>
 * </ul>
 */
public final class MoneyMarketEngine {

    public static final long VENUE_ACCOUNT = OrderChecks.VENUE_ACCOUNT;
    /** What values are measured in; its own price is 1. */
    public static final String VALUE_ASSET = "USDT";
    public static final int MAX_POOLS = 64;
    public static final long PRICE_STALE_MS = 30_000;
    public static final long CLOSE_FACTOR = ONE / 2;
    public static final long FULL_CLOSE_HEALTH = 950_000_000L;
    public static final long VALUE_ONE = 100_000_000L;
    public static final long SMALL_POSITION_E8 = 2_000 * VALUE_ONE;
    /** Index prices above 100 million of the value asset per coin are taken for errors and ignored. */
    public static final long MAX_PRICE_E8 = 100_000_000 * VALUE_ONE;
    /** The at-risk query reads no further than this health factor: it is for liquidators, not a census. */
    public static final long MAX_AT_RISK_HEALTH = 1_200_000_000L;
    private static final long MIN_KEYED_UNITS = 1_000_000;

    private final MoneyMarketListener listener;
    private final AssetRegistry assets = new AssetRegistry();
    /** By id, which is also the asset's id in the wallets. */
    private final List<Pool> pools = new ArrayList<>();
    private final Category[] categories = new Category[256];
    private final Long2ObjectHashMap<LendingBook> books = new Long2ObjectHashMap<>();
    private final WalletLedger ledger = new WalletLedger(VENUE_ACCOUNT);
    private final HealthIndex watch = new HealthIndex();
    private final ActionIds actionIds = new ActionIds();
    /** The action being applied: its time and client action id, for {@link #accepted}. */
    private long actionAtMs;
    private String actionId = "";
    private final Health health = new Health();
    /**
     * The pools' indices as of one read's time, projected once per at-risk query (commands
     * accrue the pools they touch first, so there the stored indices are current); not state.
     */
    private long[] supplyIndexNow = new long[0];
    private long[] borrowIndexNow = new long[0];
    private long indicesAtMs = Long.MIN_VALUE;
    private int indicesFor = -1;

    public MoneyMarketEngine(MoneyMarketListener listener) {
        this.listener = listener;
    }

    // ================================================================ pools and categories

    public void createPool(long nowMs, PoolTerms terms) {
        if (terms.invalid() != null) {
            refuse(MoneyMarketRejectReason.INVALID_TERMS);
        } else if (assets.id(terms.asset()) >= 0) {
            refuse(MoneyMarketRejectReason.POOL_EXISTS);
        } else if (pools.size() >= MAX_POOLS) {
            refuse(MoneyMarketRejectReason.TOO_MANY_POOLS);
        } else if (terms.category() != 0 && categories[terms.category()] == null) {
            refuse(MoneyMarketRejectReason.UNKNOWN_CATEGORY);
        } else {
            int id = assets.register(terms.asset(), terms.decimals());
            Pool p = new Pool(id, terms, nowMs);
            if (terms.asset().equals(VALUE_ASSET)) {
                p.priceE8 = VALUE_ONE;
            }
            pools.add(p);
            listener.onPool(p);
        }
    }

    /** New terms for an existing pool; interest to now accrues at the old rates. Decimals never change. */
    public void updatePool(long nowMs, PoolTerms terms) {
        Pool p = terms.asset() == null ? null : pool(terms.asset());
        if (p == null) {
            refuse(MoneyMarketRejectReason.UNKNOWN_POOL);
        } else if (terms.invalid() != null || terms.decimals() != p.terms.decimals()) {
            refuse(MoneyMarketRejectReason.INVALID_TERMS);
        } else if (terms.category() != 0 && categories[terms.category()] == null) {
            refuse(MoneyMarketRejectReason.UNKNOWN_CATEGORY);
        } else {
            p.accrue(nowMs);
            p.terms = terms;
            p.updateRates();
            reindexAll();
            listener.onPool(p);
        }
    }

    public void setCategory(long nowMs, Category category) {
        if (category.invalid() != null) {
            refuse(MoneyMarketRejectReason.INVALID_TERMS);
            return;
        }
        categories[category.id()] = category;
        reindexAll();
        listener.onCategory(category);
    }

    // ================================================================ account actions

    /** Wallet to pool. */
    public void supply(long nowMs, long accountId, String asset, long amount, String clientActionId) {
        Pool p = start(nowMs, accountId, clientActionId, asset, amount, false);
        if (p == null) {
            return;
        }
        if (ledger.wallets().available(accountId, p.id) < amount) {
            refuse(MoneyMarketRejectReason.INSUFFICIENT_FUNDS);
            return;
        }
        p.accrue(nowMs);
        long scaled = RateModel.scaledDown(amount, p.supplyIndex);
        if (scaled == 0) {
            refuse(MoneyMarketRejectReason.AMOUNT_TOO_SMALL);
            return;
        }
        long after;
        try {
            long total = Math.addExact(p.scaledSupply, scaled);
            if (total > RateModel.MAX_SCALED) {
                throw new ArithmeticException("beyond the pool's scale");
            }
            after = RateModel.amountDown(total, p.supplyIndex);
            Math.addExact(p.cash, amount);
        } catch (ArithmeticException e) {
            refuse(MoneyMarketRejectReason.AMOUNT_TOO_LARGE);
            return;
        }
        if (p.terms.supplyCap() > 0 && after > p.terms.supplyCap()) {
            refuse(MoneyMarketRejectReason.SUPPLY_CAP);
            return;
        }
        LendingBook b = bookFor(accountId);
        ledger.wallets().debit(accountId, p.id, amount);
        addSupply(p, b, scaled, amount);
        moved(b, p, amount);
    }

    /** Pool to wallet: {@code amount}, or the whole supply when {@code all}. */
    public void withdraw(long nowMs, long accountId, String asset, long amount, boolean all, String clientActionId) {
        Pool p = start(nowMs, accountId, clientActionId, asset, amount, all);
        if (p == null) {
            return;
        }
        LendingBook b = books.get(accountId);
        long own = b == null ? 0 : b.scaledSupply(p.id);
        if (own == 0) {
            refuse(MoneyMarketRejectReason.INSUFFICIENT_SUPPLY);
            return;
        }
        p.accrue(nowMs);
        long scaled = all ? own : RateModel.scaledUp(amount, p.supplyIndex);
        long paid = all ? RateModel.amountDown(own, p.supplyIndex) : amount;
        if (scaled > own) {
            refuse(MoneyMarketRejectReason.INSUFFICIENT_SUPPLY);
            return;
        }
        if (paid > p.cash) {
            refuse(MoneyMarketRejectReason.INSUFFICIENT_LIQUIDITY);
            return;
        }
        if (b.isCollateral(p.id) && b.hasDebt() && !allowed(b, nowMs, b.category, p.id, -scaled, 0, -1)) {
            return;
        }
        p.open();
        p.cash -= paid;
        p.scaledSupply -= scaled;
        b.addSupply(p.id, -scaled);
        p.close();
        if (b.scaledSupply(p.id) == 0) {
            b.setCollateral(p.id, false);
        }
        ledger.wallets().credit(accountId, p.id, paid);
        moved(b, p, paid);
    }

    /** Pool to wallet, against collateral. */
    public void borrow(long nowMs, long accountId, String asset, long amount, String clientActionId) {
        Pool p = start(nowMs, accountId, clientActionId, asset, amount, false);
        if (p == null) {
            return;
        }
        if (!p.terms.borrowEnabled()) {
            refuse(MoneyMarketRejectReason.BORROW_DISABLED);
            return;
        }
        LendingBook b = books.get(accountId);
        if (b == null) {
            refuse(MoneyMarketRejectReason.LTV_EXCEEDED);
            return;
        }
        if (b.category != 0 && p.terms.category() != b.category) {
            refuse(MoneyMarketRejectReason.CATEGORY_MISMATCH);
            return;
        }
        p.accrue(nowMs);
        if (amount > p.cash) {
            refuse(MoneyMarketRejectReason.INSUFFICIENT_LIQUIDITY);
            return;
        }
        long scaled;
        try {
            if (p.terms.borrowCap() > 0 && Math.addExact(p.borrowed(), amount) > p.terms.borrowCap()) {
                refuse(MoneyMarketRejectReason.BORROW_CAP);
                return;
            }
            scaled = RateModel.scaledUp(amount, p.borrowIndex);
            Math.addExact(ledger.wallets().available(accountId, p.id), amount);
            if (Math.addExact(p.scaledDebt, scaled) > RateModel.MAX_SCALED) {
                throw new ArithmeticException("beyond the pool's scale");
            }
        } catch (ArithmeticException e) {
            refuse(MoneyMarketRejectReason.AMOUNT_TOO_LARGE);
            return;
        }
        if (!allowed(b, nowMs, b.category, p.id, 0, scaled, -1)) {
            return;
        }
        p.open();
        p.cash -= amount;
        p.scaledDebt += scaled;
        b.addDebt(p.id, scaled);
        p.close();
        ledger.wallets().credit(accountId, p.id, amount);
        moved(b, p, amount);
    }

    /** Wallet to pool: {@code amount} of the debt, or all of it (exactly, no dust left) when {@code all} or more. */
    public void repay(long nowMs, long accountId, String asset, long amount, boolean all, String clientActionId) {
        Pool p = start(nowMs, accountId, clientActionId, asset, amount, all);
        if (p == null) {
            return;
        }
        LendingBook b = books.get(accountId);
        long own = b == null ? 0 : b.scaledDebt(p.id);
        if (own == 0) {
            refuse(MoneyMarketRejectReason.NO_DEBT);
            return;
        }
        p.accrue(nowMs);
        long debt = RateModel.amountUp(own, p.borrowIndex);
        long paid = all || amount >= debt ? debt : amount;
        long scaled = paid == debt ? own : RateModel.scaledDown(paid, p.borrowIndex);
        if (scaled == 0) {
            refuse(MoneyMarketRejectReason.AMOUNT_TOO_SMALL);
            return;
        }
        if (ledger.wallets().available(accountId, p.id) < paid) {
            refuse(MoneyMarketRejectReason.INSUFFICIENT_FUNDS);
            return;
        }
        ledger.wallets().debit(accountId, p.id, paid);
        p.open();
        p.cash += paid;
        p.scaledDebt -= scaled;
        b.addDebt(p.id, -scaled);
        p.close();
        moved(b, p, paid);
    }

    /** Uses the account's supply of {@code asset} as collateral, or stops using it. */
    public void setCollateral(long nowMs, long accountId, String asset, boolean enable, String clientActionId) {
        if (repeated(nowMs, accountId, clientActionId)) {
            return;
        }
        Pool p = start(accountId, asset);
        if (p == null) {
            return;
        }
        LendingBook b = books.get(accountId);
        if (b == null || b.scaledSupply(p.id) == 0) {
            refuse(MoneyMarketRejectReason.INSUFFICIENT_SUPPLY);
            return;
        }
        if (enable && !p.terms.collateralEnabled()) {
            refuse(MoneyMarketRejectReason.COLLATERAL_DISABLED);
            return;
        }
        if (enable != b.isCollateral(p.id)) {
            if (!enable && b.hasDebt()) {
                accrueAll(b, nowMs);
                if (!allowed(b, nowMs, b.category, -1, 0, 0, p.id)) {
                    return;
                }
            }
            b.setCollateral(p.id, enable);
            changed(b);
        }
        accepted(accountId, 0);
    }

    /** Enters efficiency-mode {@code category}, or leaves it with 0. */
    public void chooseCategory(long nowMs, long accountId, int category, String clientActionId) {
        if (repeated(nowMs, accountId, clientActionId)) {
            return;
        }
        if (category < 0 || category > 255 || (category != 0 && categories[category] == null)) {
            refuse(MoneyMarketRejectReason.UNKNOWN_CATEGORY);
            return;
        }
        LendingBook b = bookFor(accountId);
        if (category != 0) {
            for (Pool p : pools) {
                if (b.scaledDebt(p.id) != 0 && p.terms.category() != category) {
                    forgetIfEmpty(b);
                    refuse(MoneyMarketRejectReason.CATEGORY_MISMATCH);
                    return;
                }
            }
        }
        if (category != b.category && b.hasDebt()) {
            accrueAll(b, nowMs);
            if (!allowed(b, nowMs, category, -1, 0, 0, -1)) {
                return;
            }
        }
        b.category = category;
        changed(b);
        forgetIfEmpty(b);
        accepted(accountId, 0);
    }

    /**
     * A liquidator repays up to {@code amount} of the account's {@code debtAsset} debt (the
     * close factor's part at most) and receives its {@code collateralAsset} supply for it.
     */
    public void liquidate(long nowMs, long liquidatorId, long accountId, String debtAsset, String collateralAsset,
                          long amount, String clientActionId) {
        if (invalidAccount(accountId) || repeated(nowMs, liquidatorId, clientActionId, true)) {
            return;
        }
        if (liquidatorId == accountId) {
            refuse(MoneyMarketRejectReason.SELF_LIQUIDATION);
            return;
        }
        Pool d = pool(debtAsset);
        Pool c = pool(collateralAsset);
        if (d == null || c == null) {
            refuse(MoneyMarketRejectReason.UNKNOWN_POOL);
            return;
        }
        if (amount <= 0) {
            refuse(MoneyMarketRejectReason.INVALID_AMOUNT);
            return;
        }
        LendingBook b = books.get(accountId);
        if (b == null || b.scaledDebt(d.id) == 0) {
            refuse(MoneyMarketRejectReason.NO_DEBT);
            return;
        }
        // Collateral first; the rest of the account's supply once no collateral is left.
        if (b.scaledSupply(c.id) == 0 || (!b.isCollateral(c.id) && hasCollateral(b))) {
            refuse(MoneyMarketRejectReason.INSUFFICIENT_SUPPLY);
            return;
        }
        accrueAll(b, nowMs);
        measure(b, nowMs, b.category, -1, 0, 0, -1);
        if (health.overflow) {
            refuse(MoneyMarketRejectReason.AMOUNT_TOO_LARGE);
            return;
        }
        if (health.stale) {
            refuse(MoneyMarketRejectReason.INDEX_STALE);
            return;
        }
        long before = health.factor();
        if (before >= ONE) {
            refuse(MoneyMarketRejectReason.HEALTHY);
            return;
        }
        long ownDebt = b.scaledDebt(d.id);
        long debt = RateModel.amountUp(ownDebt, d.borrowIndex);
        long ownCollateral = b.scaledSupply(c.id);
        long collateral = RateModel.amountDown(ownCollateral, c.supplyIndex);
        boolean full = before <= FULL_CLOSE_HEALTH || d.valueUp(debt) < SMALL_POSITION_E8
                || c.valueDown(collateral) < SMALL_POSITION_E8;
        long repay = Math.min(amount, full ? debt : Math.max(1, RateModel.times(debt, CLOSE_FACTOR)));
        long bonus = bonus(b.category, c);
        long seize = collateralFor(repay, d, c, bonus);
        if (seize > collateral) {
            seize = collateral;
            repay = Math.min(repay, debtFor(collateral, d, c, bonus));
        }
        if (repay <= 0 || seize <= 0) {
            refuse(MoneyMarketRejectReason.AMOUNT_TOO_SMALL);
            return;
        }
        if (ledger.wallets().available(liquidatorId, d.id) < repay) {
            refuse(MoneyMarketRejectReason.INSUFFICIENT_FUNDS);
            return;
        }
        long bonusPart = seize - BigInteger.valueOf(seize).multiply(BigInteger.valueOf(ONE))
                .divide(BigInteger.valueOf(ONE + bonus)).longValueExact();
        long toReserves = RateModel.times(bonusPart, c.terms.protocolShare());
        long toLiquidator = seize - toReserves;

        ledger.wallets().debit(liquidatorId, d.id, repay);
        d.open();
        d.cash += repay;
        long scaledRepaid = repay == debt ? ownDebt : Math.min(ownDebt, RateModel.scaledDown(repay, d.borrowIndex));
        d.scaledDebt -= scaledRepaid;
        b.addDebt(d.id, -scaledRepaid);
        d.close();

        LendingBook l = bookFor(liquidatorId);
        long scaledSeized = seize == collateral ? ownCollateral
                : Math.min(ownCollateral, RateModel.scaledUp(seize, c.supplyIndex));
        long scaledReceived = RateModel.scaledDown(toLiquidator, c.supplyIndex);
        boolean firstSupply = l.scaledSupply(c.id) == 0;
        c.open();
        b.addSupply(c.id, -scaledSeized);
        l.addSupply(c.id, scaledReceived);
        c.scaledSupply += scaledReceived - scaledSeized;
        c.close();
        if (b.scaledSupply(c.id) == 0) {
            b.setCollateral(c.id, false);
        }
        if (firstSupply && scaledReceived > 0 && c.terms.collateralEnabled()) {
            l.setCollateral(c.id, true);
        }
        long writtenOff = hasSupply(b) ? 0 : writeOff(b, nowMs, d);
        changed(b);
        changed(l);
        forgetIfEmpty(b);
        forgetIfEmpty(l);
        listener.onBalance(liquidatorId, d.id);
        Liquidation done = new Liquidation(liquidatorId, accountId, d.id, c.id, repay, seize, toLiquidator,
                toReserves, writtenOff, before);
        actionIds.remember(nowMs, liquidatorId, actionId, new long[] {accountId, d.id, c.id, repay, seize,
                toLiquidator, toReserves, writtenOff, before});
        listener.onLiquidation(done, false);
    }

    // ================================================================ wallets, prices, time

    public void credit(long nowMs, String transferId, long accountId, String asset, long amount) {
        ledger.expire(nowMs);
        transferred(ledger.credit(nowMs, transferId, accountId, asset == null ? -1 : assets.id(asset), amount));
    }

    /** Every unit of the wallet is free: supplies and debts live in the pools, not the wallet. */
    public void debit(long nowMs, String transferId, long accountId, String asset, long amount) {
        ledger.expire(nowMs);
        transferred(ledger.debit(nowMs, transferId, accountId, asset == null ? -1 : assets.id(asset), amount));
    }

    private void transferred(WalletLedger.Outcome o) {
        if (o.applied() && !o.duplicate()) {
            listener.onBalance(o.accountId(), o.assetId());
        }
        listener.onTransfer(o);
    }

    /** An index price from risk-service: taken when it is quoted in the value asset and a pool lends the asset. */
    public void indexPrice(long nowMs, String asset, String quote, long price, int scale) {
        Pool p = pool(asset);
        if (p == null || !VALUE_ASSET.equals(quote) || VALUE_ASSET.equals(asset) || price <= 0 || scale < 0
                || scale > 18) {
            return;
        }
        long e8;
        try {
            e8 = scale >= 8 ? price / Pool.pow10(scale - 8) : Math.multiplyExact(price, Pool.pow10(8 - scale));
        } catch (ArithmeticException tooLarge) {
            return;
        }
        if (e8 > 0 && e8 <= MAX_PRICE_E8) {
            p.priceE8 = e8;
            p.priceAtMs = nowMs;
        }
    }

    public void tick(long nowMs) {
        ledger.expire(nowMs);
    }

    // ================================================================ reads (never accrue: they run between commands)

    public List<Pool> pools() {
        return pools;
    }

    /** The pool lending {@code asset}, or null. */
    public Pool pool(String asset) {
        int id = asset == null ? -1 : assets.id(asset);
        return id < 0 ? null : pools.get(id);
    }

    public Pool pool(int id) {
        return pools.get(id);
    }

    public List<Category> categories() {
        List<Category> out = new ArrayList<>();
        for (Category c : categories) {
            if (c != null) {
                out.add(c);
            }
        }
        return out;
    }

    /** The account's book, or null when it holds nothing in any pool. */
    public LendingBook book(long accountId) {
        return books.get(accountId);
    }

    /** Every account with a book, ascending. */
    public long[] accountIds() {
        long[] ids = new long[books.size()];
        int i = 0;
        for (Long2ObjectHashMap<LendingBook>.KeyIterator it = books.keySet().iterator(); it.hasNext(); ) {
            ids[i++] = it.nextLong();
        }
        Arrays.sort(ids);
        return ids;
    }

    /** The account's standing at {@code nowMs}; the returned object is reused by the next call. */
    public Health health(LendingBook b, long nowMs) {
        measure(b, nowMs, b.category, -1, 0, 0, -1);
        return health;
    }

    public boolean stale(Pool p, long nowMs) {
        return p.priceE8 == 0 || (!VALUE_ASSET.equals(p.terms.asset()) && nowMs - p.priceAtMs > PRICE_STALE_MS);
    }

    public Wallets wallets() {
        return ledger.wallets();
    }

    public WalletLedger ledger() {
        return ledger;
    }

    public AssetRegistry assets() {
        return assets;
    }

    /**
     * One account found by {@link #atRisk}; {@code stale}: a price it depends on is stale, so a
     * liquidation would wait for a fresh one.
     */
    public record AtRisk(long accountId, long healthFactor, long collateralValue, long debtValue, boolean stale) {
    }

    /**
     * The accounts with a health factor at or under {@code maxHealth} (0: under 1, the
     * liquidatable; at most {@link #MAX_AT_RISK_HEALTH}), lowest first, at most {@code limit}:
     * from {@link HealthIndex}, so a price move costs nothing until this is asked, and then only
     * the accounts near the line.
     */
    public List<AtRisk> atRisk(long nowMs, long maxHealth, int limit) {
        long cut = maxHealth > 0 ? Math.min(maxHealth, MAX_AT_RISK_HEALTH) : ONE - 1;
        List<AtRisk> found = new ArrayList<>();
        projectIndices(nowMs);
        java.util.function.Consumer<LendingBook> consider = b -> {
            measure(b, nowMs, b.category, -1, 0, 0, -1);
            long f = health.factor();
            if (f <= cut) {
                found.add(new AtRisk(b.accountId, f, health.collateralValue, health.debtValue, health.stale));
            }
        };
        try {
            for (int pair : watch.pairs()) {
                Pool c = pools.get(pair / MAX_POOLS);
                Pool d = pools.get(pair % MAX_POOLS);
                double minKey = 0;
                if (c.priceE8 > 0 && d.priceE8 > 0) {
                    double level = ((double) supplyIndexNow[c.id] * c.priceE8 / c.unit)
                            / ((double) borrowIndexNow[d.id] * d.priceE8 / d.unit);
                    minKey = level / ((double) cut / ONE);
                }
                watch.atLeast(pair, minKey, consider);
            }
            watch.general(consider);
        } finally {
            indicesAtMs = Long.MIN_VALUE;   // only this query may use them: the next command changes the pools
        }
        found.sort(Comparator.comparingLong(AtRisk::healthFactor).thenComparingLong(AtRisk::accountId));
        return found.size() > limit ? new ArrayList<>(found.subList(0, limit)) : found;
    }

    // ================================================================ internals

    /**
     * Starts an action by {@code accountId}: true when it repeats an accepted action's client id,
     * which is then answered again (nothing moves), or when the account is invalid (refused).
     */
    private boolean repeated(long nowMs, long accountId, String clientActionId) {
        return repeated(nowMs, accountId, clientActionId, false);
    }

    private boolean repeated(long nowMs, long accountId, String clientActionId, boolean liquidation) {
        if (invalidAccount(accountId)) {
            return true;
        }
        actionIds.expire(nowMs);
        actionAtMs = nowMs;
        actionId = clientActionId == null ? "" : clientActionId;
        long[] seen = actionIds.answer(accountId, actionId);
        if (seen == null) {
            return false;
        }
        if ((seen.length != 1) != liquidation) {
            refuse(MoneyMarketRejectReason.ACTION_ID_REUSED);
        } else if (seen.length == 1) {
            listener.onAction(accountId, seen[0], true);
        } else {
            listener.onLiquidation(new Liquidation(accountId, seen[0], (int) seen[1], (int) seen[2], seen[3], seen[4],
                    seen[5], seen[6], seen[7], seen[8]), true);
        }
        return true;
    }

    /** The action was applied: answered, and remembered under its client id. */
    private void accepted(long accountId, long amount) {
        actionIds.remember(actionAtMs, accountId, actionId, new long[] {amount});
        listener.onAction(accountId, amount, false);
    }

    /**
     * The pool of an action moving {@code amount} (or {@code all}) by a valid account; null after
     * refusing it, or after answering it again when it repeats an accepted client action id.
     */
    private Pool start(long nowMs, long accountId, String clientActionId, String asset, long amount, boolean all) {
        if (repeated(nowMs, accountId, clientActionId)) {
            return null;
        }
        Pool p = start(accountId, asset);
        if (p != null && !all && amount <= 0) {
            refuse(MoneyMarketRejectReason.INVALID_AMOUNT);
            return null;
        }
        return p;
    }

    /** After an action moved {@code amount} between the account's wallet and pool {@code p}. */
    private void moved(LendingBook b, Pool p, long amount) {
        changed(b);
        forgetIfEmpty(b);
        listener.onBalance(b.accountId, p.id);
        accepted(b.accountId, amount);
    }

    /** The pool of an action by a valid account, or null after refusing. */
    private Pool start(long accountId, String asset) {
        if (invalidAccount(accountId)) {
            return null;
        }
        Pool p = pool(asset);
        if (p == null) {
            refuse(MoneyMarketRejectReason.UNKNOWN_POOL);
        }
        return p;
    }

    private boolean invalidAccount(long accountId) {
        if (accountId == VENUE_ACCOUNT || accountId < 0) {
            refuse(MoneyMarketRejectReason.INVALID_ACCOUNT);
            return true;
        }
        return false;
    }

    private void refuse(MoneyMarketRejectReason reason) {
        listener.onRefused(reason);
    }

    private LendingBook bookFor(long accountId) {
        LendingBook b = books.get(accountId);
        if (b == null) {
            b = new LendingBook(accountId);
            books.put(accountId, b);
        }
        return b;
    }

    private void forgetIfEmpty(LendingBook b) {
        if (b.empty()) {
            watch.remove(b);
            books.remove(b.accountId);
        }
    }

    private void addSupply(Pool p, LendingBook b, long scaled, long cash) {
        boolean first = b.scaledSupply(p.id) == 0;
        p.open();
        p.cash += cash;
        p.scaledSupply += scaled;
        b.addSupply(p.id, scaled);
        p.close();
        if (first && p.terms.collateralEnabled()) {
            b.setCollateral(p.id, true);
        }
    }

    private void accrueAll(LendingBook b, long nowMs) {
        for (Pool p : pools) {
            if (b.scaledSupply(p.id) != 0 || b.scaledDebt(p.id) != 0) {
                p.accrue(nowMs);
            }
        }
    }

    /**
     * Whether the account, changed as given (scaled supply and debt added in {@code pool}, the
     * collateral flag of {@code flip} switched, under {@code category}), keeps its debt within
     * its borrow limit on fresh prices; refuses when not.
     */
    private boolean allowed(LendingBook b, long nowMs, int category, int pool, long supply, long debt, int flip) {
        measure(b, nowMs, category, pool, supply, debt, flip);
        if (health.overflow) {
            refuse(MoneyMarketRejectReason.AMOUNT_TOO_LARGE);
            return false;
        }
        if (health.stale) {
            refuse(MoneyMarketRejectReason.INDEX_STALE);
            return false;
        }
        if (!health.allowsNewRisk()) {
            refuse(health.factor() < ONE ? MoneyMarketRejectReason.HEALTH_TOO_LOW
                    : MoneyMarketRejectReason.LTV_EXCEEDED);
            return false;
        }
        return true;
    }

    private void measure(LendingBook b, long nowMs, int category, int pool, long supply, long debt, int flip) {
        health.reset();
        try {
            sum(b, nowMs, category, pool, supply, debt, flip);
        } catch (ArithmeticException tooLarge) {
            health.overflow = true;
        }
    }

    private void projectIndices(long nowMs) {
        if (supplyIndexNow.length != pools.size()) {
            supplyIndexNow = new long[pools.size()];
            borrowIndexNow = new long[pools.size()];
        }
        for (Pool p : pools) {
            supplyIndexNow[p.id] = p.supplyIndexAt(nowMs);
            borrowIndexNow[p.id] = p.borrowIndexAt(nowMs);
        }
        indicesAtMs = nowMs;
        indicesFor = pools.size();
    }

    private void sum(LendingBook b, long nowMs, int category, int pool, long supply, long debt, int flip) {
        boolean projected = indicesAtMs == nowMs && indicesFor == pools.size();
        for (int i = 0; i < pools.size(); i++) {
            long s = b.scaledSupply(i) + (i == pool ? supply : 0);
            long d = b.scaledDebt(i) + (i == pool ? debt : 0);
            boolean collateral = b.isCollateral(i) != (i == flip) && s > 0;
            if (!collateral && d <= 0) {
                continue;
            }
            Pool p = pools.get(i);
            if (stale(p, nowMs)) {
                health.stale = true;
            }
            if (collateral) {
                long index = projected ? supplyIndexNow[i] : p.supplyIndexAt(nowMs);
                long v = p.valueDown(RateModel.amountDown(s, index));
                health.collateralValue = Math.addExact(health.collateralValue, v);
                health.weightedCollateral = Math.addExact(health.weightedCollateral,
                        RateModel.times(v, threshold(category, p)));
                health.borrowLimit = Math.addExact(health.borrowLimit, RateModel.times(v, ltv(category, p)));
            }
            if (d > 0) {
                long index = projected ? borrowIndexNow[i] : p.borrowIndexAt(nowMs);
                health.debtValue = Math.addExact(health.debtValue, p.valueUp(RateModel.amountUp(d, index)));
            }
        }
    }

    private Category categoryOf(int category, Pool p) {
        return category != 0 && p.terms.category() == category ? categories[category] : null;
    }

    long threshold(int category, Pool p) {
        Category c = categoryOf(category, p);
        return c != null ? c.liquidationThreshold() : p.terms.liquidationThreshold();
    }

    /** A pool no longer accepted as collateral keeps its threshold for existing loans but lends nothing new against it. */
    long ltv(int category, Pool p) {
        if (!p.terms.collateralEnabled()) {
            return 0;
        }
        Category c = categoryOf(category, p);
        return c != null ? c.ltv() : p.terms.ltv();
    }

    long bonus(int category, Pool p) {
        Category c = categoryOf(category, p);
        return c != null ? c.liquidationBonus() : p.terms.liquidationBonus();
    }

    /** The collateral worth {@code repay} of the debt asset x (1 + bonus), rounded down. */
    private static long collateralFor(long repay, Pool d, Pool c, long bonus) {
        BigInteger num = BigInteger.valueOf(repay).multiply(BigInteger.valueOf(d.priceE8))
                .multiply(BigInteger.valueOf(ONE + bonus)).multiply(BigInteger.valueOf(c.unit));
        BigInteger den = BigInteger.valueOf(d.unit).multiply(BigInteger.valueOf(ONE))
                .multiply(BigInteger.valueOf(c.priceE8));
        return num.divide(den).min(BigInteger.valueOf(Long.MAX_VALUE)).longValue();
    }

    /** The repayment that {@code collateral} pays for at the bonus, rounded up. */
    private static long debtFor(long collateral, Pool d, Pool c, long bonus) {
        BigInteger num = BigInteger.valueOf(collateral).multiply(BigInteger.valueOf(c.priceE8))
                .multiply(BigInteger.valueOf(d.unit)).multiply(BigInteger.valueOf(ONE));
        BigInteger den = BigInteger.valueOf(c.unit).multiply(BigInteger.valueOf(d.priceE8))
                .multiply(BigInteger.valueOf(ONE + bonus));
        BigInteger[] qr = num.divideAndRemainder(den);
        return (qr[1].signum() > 0 ? qr[0].add(BigInteger.ONE) : qr[0]).min(BigInteger.valueOf(Long.MAX_VALUE))
                .longValue();
    }

    private boolean hasCollateral(LendingBook b) {
        for (Pool p : pools) {
            if (b.isCollateral(p.id) && b.scaledSupply(p.id) > 0) {
                return true;
            }
        }
        return false;
    }

    private boolean hasSupply(LendingBook b) {
        for (Pool p : pools) {
            if (b.scaledSupply(p.id) > 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * An account with debts and no supply left: each debt is first repaid from its money-market
     * wallet as far as that holds the asset, then the rest is written off (the pool's reserves
     * take it, then its deficit). Returns what was written off of {@code d}.
     */
    private long writeOff(LendingBook b, long nowMs, Pool d) {
        long ofD = 0;
        for (Pool p : pools) {
            long own = b.scaledDebt(p.id);
            if (own == 0) {
                continue;
            }
            p.accrue(nowMs);
            long debt = RateModel.amountUp(own, p.borrowIndex);
            long paid = Math.min(debt, ledger.wallets().available(b.accountId, p.id));
            long scaledPaid = paid == debt ? own : RateModel.scaledDown(paid, p.borrowIndex);
            if (paid > 0) {
                ledger.wallets().debit(b.accountId, p.id, paid);
                listener.onBalance(b.accountId, p.id);
            }
            p.open();
            p.cash += paid;
            p.scaledDebt -= own;
            b.addDebt(p.id, -own);
            p.close();
            if (p == d) {
                ofD = debt - paid;
            }
        }
        return ofD;
    }

    /** After any change of an account: listed where its new standing belongs, and announced. */
    private void changed(LendingBook b) {
        reindex(b);
        listener.onAccountChanged(b.accountId);
    }

    private void reindexAll() {
        for (LendingBook b : books.values()) {
            reindex(b);
        }
    }

    private void reindex(LendingBook b) {
        int debtPool = -1;
        int collateralPool = -1;
        int debts = 0;
        int collaterals = 0;
        for (int i = 0; i < pools.size(); i++) {
            if (b.scaledDebt(i) != 0) {
                debts++;
                debtPool = i;
            }
            if (b.isCollateral(i) && b.scaledSupply(i) > 0) {
                collaterals++;
                collateralPool = i;
            }
        }
        if (debts == 0) {
            watch.remove(b);
            return;
        }
        if (debts == 1 && collaterals == 1 && worthKeying(b, pools.get(collateralPool), pools.get(debtPool))) {
            Pool c = pools.get(collateralPool);
            long scaledCollateral = b.scaledSupply(collateralPool);
            long scaledDebt = b.scaledDebt(debtPool);
            double key = (double) scaledDebt / ((double) scaledCollateral * threshold(b.category, c) / ONE);
            watch.place(b, HealthIndex.pair(collateralPool, debtPool), key);
            return;
        }
        watch.place(b, HealthIndex.GENERAL, 0);
    }

    /**
     * Whether both sides are priced, hold a million units and are worth a unit of value, so that
     * rounding to whole units moves the health far less than the key's margin.
     */
    private static boolean worthKeying(LendingBook b, Pool c, Pool d) {
        try {
            return c.priceE8 > 0 && d.priceE8 > 0 && b.scaledSupply(c.id) >= MIN_KEYED_UNITS
                    && b.scaledDebt(d.id) >= MIN_KEYED_UNITS
                    && c.valueDown(RateModel.amountDown(b.scaledSupply(c.id), c.supplyIndex)) >= VALUE_ONE
                    && d.valueUp(RateModel.amountUp(b.scaledDebt(d.id), d.borrowIndex)) >= VALUE_ONE;
        } catch (ArithmeticException huge) {
            return false;
        }
    }

    /** Accounts listed by the health index (borrowers). */
    public int watched() {
        return watch.size();
    }

    // ================================================================ snapshot

    /**
     * <pre>
     *   assets (AssetRegistry.write), int pools, Pool*, int categories, Category*,
     *   int books, LendingBook* (ascending account), wallet ledger, action ids
     * </pre>
     */
    public void writeSnapshot(DataOutput out) throws IOException {
        assets.write(out);
        out.writeInt(pools.size());
        for (Pool p : pools) {
            p.write(out);
        }
        List<Category> cs = categories();
        out.writeInt(cs.size());
        for (Category c : cs) {
            c.write(out);
        }
        long[] ids = accountIds();
        out.writeInt(ids.length);
        for (long id : ids) {
            books.get(id).write(out);
        }
        ledger.write(out);
        actionIds.write(out);
    }

    public void readSnapshot(DataInput in) throws IOException {
        assets.read(in);
        pools.clear();
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            pools.add(Pool.read(i, in));
        }
        Arrays.fill(categories, null);
        n = in.readInt();
        for (int i = 0; i < n; i++) {
            Category c = Category.read(in);
            categories[c.id()] = c;
        }
        books.clear();
        n = in.readInt();
        for (int i = 0; i < n; i++) {
            LendingBook b = LendingBook.read(in);
            books.put(b.accountId, b);
        }
        ledger.read(in);
        actionIds.read(in);
        watch.clear();
        reindexAll();
    }
}
