package io.trademesh.moneymarket.engine;

import static io.trademesh.moneymarket.engine.RateModel.ONE;

/**
 * A money market for tests, with the pools the hand-worked examples use:
 * <ul>
 *   <li>USDT (6 decimals): U* 80%, R0 0, S1 4%, S2 75%, reserve factor 10%, ltv 75%, threshold 80%,
 *       bonus 5%, protocol share 10%, category 1;</li>
 *   <li>BTC (8 decimals): U* 45%, R0 0, S1 4%, S2 300%, reserve factor 20%, ltv 70%, threshold 75%,
 *       bonus 10%, protocol share 10%;</li>
 *   <li>USDC (6 decimals): as USDT, category 1 ("stablecoins": ltv 93%, threshold 95%, bonus 1%).</li>
 * </ul>
 */
final class Lending {

    static final long PCT = ONE / 100;
    static final long USDT = 1_000_000L;
    static final long BTC = 100_000_000L;
    static final long T0 = 1_800_000_000_000L;

    final Recorder said = new Recorder();
    final MoneyMarketEngine engine = new MoneyMarketEngine(said);
    private int transfers;

    static PoolTerms usdt() {
        return new PoolTerms("USDT", 6, 80 * PCT, 0, 4 * PCT, 75 * PCT, 10 * PCT, 75 * PCT, 80 * PCT, 5 * PCT,
                10 * PCT, 0, 0, true, true, 1);
    }

    static PoolTerms btc() {
        return new PoolTerms("BTC", 8, 45 * PCT, 0, 4 * PCT, 300 * PCT, 20 * PCT, 70 * PCT, 75 * PCT, 10 * PCT,
                10 * PCT, 0, 0, true, true, 0);
    }

    static PoolTerms usdc() {
        return new PoolTerms("USDC", 6, 80 * PCT, 0, 4 * PCT, 75 * PCT, 10 * PCT, 75 * PCT, 80 * PCT, 5 * PCT,
                10 * PCT, 0, 0, true, true, 1);
    }

    /** The three pools, the stablecoin category, BTC at {@code btcPrice} and USDC at 1, all at T0. */
    static Lending standard(long btcPrice) {
        Lending l = new Lending();
        l.engine.setCategory(T0, new Category(1, "stablecoins", 93 * PCT, 95 * PCT, PCT));
        l.engine.createPool(T0, usdt());
        l.engine.createPool(T0, btc());
        l.engine.createPool(T0, usdc());
        l.price(T0, "BTC", btcPrice);
        l.price(T0, "USDC", 1);
        return l;
    }

    void price(long nowMs, String asset, long whole) {
        engine.indexPrice(nowMs, asset, "USDT", whole * 100, 2);
    }

    /** Credits the account's money-market wallet, as risk-service's transfer would. */
    void deposit(long account, String asset, long amount) {
        said.reset();
        engine.credit(T0, "t" + (++transfers), account, asset, amount);
    }

    Recorder supply(long now, long account, String asset, long amount) {
        said.reset();
        engine.supply(now, account, asset, amount, "");
        return said;
    }

    Recorder borrow(long now, long account, String asset, long amount) {
        said.reset();
        engine.borrow(now, account, asset, amount, "");
        return said;
    }

    Recorder withdraw(long now, long account, String asset, long amount, boolean all) {
        said.reset();
        engine.withdraw(now, account, asset, amount, all, "");
        return said;
    }

    Recorder repay(long now, long account, String asset, long amount, boolean all) {
        said.reset();
        engine.repay(now, account, asset, amount, all, "");
        return said;
    }

    Recorder liquidate(long now, long liquidator, long account, String debt, String collateral, long amount) {
        said.reset();
        engine.liquidate(now, liquidator, account, debt, collateral, amount, "");
        return said;
    }

    long wallet(long account, String asset) {
        return engine.wallets().available(account, engine.pool(asset).id());
    }

    long supplied(long now, long account, String asset) {
        Pool p = engine.pool(asset);
        LendingBook b = engine.book(account);
        return b == null ? 0 : RateModel.amountDown(b.scaledSupply(p.id()), p.supplyIndexAt(now));
    }

    long debt(long now, long account, String asset) {
        Pool p = engine.pool(asset);
        LendingBook b = engine.book(account);
        return b == null ? 0 : RateModel.amountUp(b.scaledDebt(p.id()), p.borrowIndexAt(now));
    }

    long health(long now, long account) {
        return engine.health(engine.book(account), now).factor();
    }

    /** {@code cash + borrowed == supplied + reserves - deficit}, and reserves and deficit never both positive. */
    static boolean balanced(Pool p) {
        return p.cash() + p.borrowed() == p.supplied() + p.reserves() - p.deficit()
                && p.reserves() >= 0 && p.deficit() >= 0 && (p.reserves() == 0 || p.deficit() == 0);
    }
}
