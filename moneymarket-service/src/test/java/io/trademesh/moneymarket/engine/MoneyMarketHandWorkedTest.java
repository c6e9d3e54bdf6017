package io.trademesh.moneymarket.engine;

import static io.trademesh.moneymarket.engine.Lending.BTC;
import static io.trademesh.moneymarket.engine.Lending.PCT;
import static io.trademesh.moneymarket.engine.Lending.T0;
import static io.trademesh.moneymarket.engine.Lending.USDT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The money market's rules on examples worked by hand (pools as in {@link Lending}: BTC at
 * 50,000 USDT, its ltv 70%, threshold 75%, bonus 10% with a 10% protocol share).
 */
class MoneyMarketHandWorkedTest {

    private static final long SUPPLIER = 1;
    private static final long BORROWER = 2;
    private static final long LIQUIDATOR = 3;

    /** 60,000 USDT supplied by one account; 1 BTC supplied and 30,000 USDT borrowed by another. */
    private static Lending borrowed() {
        Lending l = Lending.standard(50_000);
        l.deposit(SUPPLIER, "USDT", 60_000 * USDT);
        assertNull(l.supply(T0, SUPPLIER, "USDT", 60_000 * USDT).refusal);
        l.deposit(BORROWER, "BTC", BTC);
        assertNull(l.supply(T0, BORROWER, "BTC", BTC).refusal);
        assertNull(l.borrow(T0, BORROWER, "USDT", 30_000 * USDT).refusal);
        return l;
    }

    @Test
    void healthIsThresholdWeightedCollateralOverDebt() {
        Lending l = borrowed();
        // 1 BTC x 50,000 x 0.75 / 30,000 = 1.25
        assertEquals(1_250_000_000L, l.health(T0, BORROWER));
        Health h = l.engine.health(l.engine.book(BORROWER), T0);
        assertEquals(50_000 * MoneyMarketEngine.VALUE_ONE, h.collateralValue());
        assertEquals(35_000 * MoneyMarketEngine.VALUE_ONE, h.borrowLimit(), "1 BTC x 50,000 x ltv 0.7");
        assertEquals(30_000 * USDT, l.wallet(BORROWER, "USDT"));
        assertEquals(30_000 * USDT, l.engine.pool("USDT").cash());
        assertEquals(500_000_000L, l.engine.pool("USDT").utilization());
    }

    @Test
    void aBorrowPastTheLoanToValueIsRefusedAndChangesNothing() {
        Lending l = borrowed();
        assertEquals(MoneyMarketRejectReason.LTV_EXCEEDED, l.borrow(T0, BORROWER, "USDT", 5_000 * USDT + 1).refusal);
        assertEquals(30_000 * USDT, l.debt(T0, BORROWER, "USDT"));
        assertEquals(30_000 * USDT, l.wallet(BORROWER, "USDT"));
        assertEquals(30_000 * USDT, l.engine.pool("USDT").cash());
        assertNull(l.borrow(T0, BORROWER, "USDT", 5_000 * USDT).refusal, "exactly at the limit is allowed");
        // and the collateral cannot leave now: any withdrawal breaks the limit
        assertEquals(MoneyMarketRejectReason.LTV_EXCEEDED, l.withdraw(T0, BORROWER, "BTC", 1, false).refusal);
        l.said.reset();
        l.engine.setCollateral(T0, BORROWER, "BTC", false, "");
        assertEquals(MoneyMarketRejectReason.HEALTH_TOO_LOW, l.said.refusal, "no collateral left: health 0");
        assertTrue(l.engine.book(BORROWER).isCollateral(l.engine.pool("BTC").id()));
    }

    @Test
    void aYearOfInterestAtHalfUtilisation() {
        Lending l = borrowed();
        long year = T0 + RateModel.YEAR_MS;
        // U = 0.5: borrow 2.5%, supply 2.5% x 0.5 x 0.9 = 1.125%
        assertEquals(25_000_000L, l.engine.pool("USDT").borrowRate());
        assertEquals(11_250_000L, l.engine.pool("USDT").supplyRate());
        // debt: 30,000 x (1 + 0.025 + 0.025^2/2 + 0.025^3/6) = 30,759.453125000001 -> up: 30,759.453126
        assertEquals(30_759_453_126L, l.debt(year, BORROWER, "USDT"));
        // supply: 60,000 x 1.01125
        assertEquals(60_675_000_000L, l.supplied(year, SUPPLIER, "USDT"));
        l.engine.updatePool(year, Lending.usdt());   // applies the accrual
        Pool p = l.engine.pool("USDT");
        // reserves: 759.453126 of interest owed, 675 of it the suppliers'
        assertEquals(84_453_126L, p.reserves());
        assertTrue(Lending.balanced(p));
        // repay all leaves no dust
        l.deposit(BORROWER, "USDT", 1_000 * USDT);
        assertEquals(30_759_453_126L, l.repay(year, BORROWER, "USDT", 0, true).moved);
        assertEquals(0, l.engine.book(BORROWER).scaledDebt(p.id()));
        assertEquals(1_000 * USDT - 759_453_126L, l.wallet(BORROWER, "USDT"));
        // every supplier can leave: the pool keeps its reserves
        assertEquals(60_675_000_000L, l.withdraw(year, SUPPLIER, "USDT", 0, true).moved);
        assertEquals(84_453_126L, p.cash());
        assertEquals(84_453_126L, p.reserves());
        assertTrue(Lending.balanced(p));
    }

    @Test
    void liquidationAtHalfTheDebtThenBadDebtWhenTheCollateralRunsOut() {
        Lending l = borrowed();
        l.price(T0, "BTC", 39_000);
        // 39,000 x 0.75 / 30,000 = 0.975: liquidatable, half the debt at most
        assertEquals(975_000_000L, l.health(T0, BORROWER));
        l.deposit(LIQUIDATOR, "USDT", 40_000 * USDT);
        Recorder r = l.liquidate(T0, LIQUIDATOR, BORROWER, "USDT", "BTC", 20_000 * USDT);
        assertNull(r.refusal);
        Liquidation first = r.liquidation;
        assertEquals(15_000 * USDT, first.repaid(), "close factor 50%");
        // 15,000 / 39,000 x 1.1 BTC = 0.42307692; the bonus 0.03846154 of it, 10% of that to reserves
        assertEquals(42_307_692L, first.seized());
        assertEquals(384_615L, first.toReserves());
        assertEquals(41_923_077L, first.toLiquidator());
        assertEquals(0, first.writtenOff());
        assertEquals(57_692_308L, l.supplied(T0, BORROWER, "BTC"));
        assertEquals(41_923_077L, l.supplied(T0, LIQUIDATOR, "BTC"));
        assertEquals(25_000 * USDT, l.wallet(LIQUIDATOR, "USDT"));
        // 0.57692308 x 39,000 x 0.75 / 15,000 = 1.125: healthy again
        assertEquals(1_125_000_006L, l.health(T0, BORROWER));
        assertEquals(MoneyMarketRejectReason.HEALTHY,
                l.liquidate(T0, LIQUIDATOR, BORROWER, "USDT", "BTC", USDT).refusal);

        // the borrower took the 30,000 it borrowed out of the money market
        l.said.reset();
        l.engine.debit(T0, "out", BORROWER, "USDT", 30_000 * USDT);
        assertTrue(l.said.accepted);
        l.price(T0, "BTC", 10_000);
        // 0.57692308 x 10,000 x 0.75 / 15,000 = 0.288: all of it, but the collateral buys only
        // 5,769.2308 / 1.1 = 5,244.755273 of the debt; the other 9,755.244727 is written off
        Liquidation second = l.liquidate(T0, LIQUIDATOR, BORROWER, "USDT", "BTC", 15_000 * USDT).liquidation;
        assertEquals(288_461_540L, second.healthBefore());
        assertEquals(57_692_308L, second.seized(), "never more than the collateral");
        assertEquals(5_244_755_273L, second.repaid());
        assertEquals(524_475L, second.toReserves());
        assertEquals(9_755_244_727L, second.writtenOff());
        assertNull(l.engine.book(BORROWER), "nothing left: the account is forgotten");
        Pool usdt = l.engine.pool("USDT");
        assertEquals(9_755_244_727L, usdt.deficit(), "no USDT reserves to cover it");
        assertEquals(0, usdt.reserves());
        assertEquals(909_090L, l.engine.pool("BTC").reserves());
        assertTrue(Lending.balanced(usdt));
        assertTrue(Lending.balanced(l.engine.pool("BTC")));
        // later reserves pay the deficit first
        l.deposit(BORROWER, "BTC", BTC);
        l.supply(T0, BORROWER, "BTC", BTC);
        l.borrow(T0, BORROWER, "USDT", 1_000 * USDT);
        long deficit = usdt.deficit();
        long later = T0 + 30 * 86_400_000L;
        l.price(later, "BTC", 10_000);
        l.engine.updatePool(later, Lending.usdt());
        assertTrue(usdt.deficit() < deficit && usdt.reserves() == 0, "interest's reserve share went to the deficit");
        assertTrue(Lending.balanced(usdt));
    }

    @Test
    void supplyThatIsNotCollateralIsTakenOnlyOnceTheCollateralIsGoneAndTheWalletPaysBeforeAWriteOff() {
        Lending l = borrowed();
        long eth = 20 * BTC;   // 8 decimals
        l.deposit(BORROWER, "BTC", BTC / 10);
        l.supply(T0, BORROWER, "BTC", BTC / 10);
        l.engine.createPool(T0, new PoolTerms("ETH", 8, 80 * PCT, 0, 4 * PCT, 75 * PCT, 10 * PCT, 70 * PCT,
                75 * PCT, 10 * PCT, 10 * PCT, 0, 0, true, true, 0));
        l.price(T0, "ETH", 1);
        l.deposit(BORROWER, "ETH", eth);
        l.supply(T0, BORROWER, "ETH", eth);
        l.said.reset();
        l.engine.setCollateral(T0, BORROWER, "ETH", false, "");
        assertNull(l.said.refusal);
        l.price(T0, "BTC", 20_000);   // 1.1 BTC x 20,000 x 0.75 = 16,500 against 30,000
        l.deposit(LIQUIDATOR, "USDT", 100_000 * USDT);
        assertEquals(MoneyMarketRejectReason.INSUFFICIENT_SUPPLY,
                l.liquidate(T0, LIQUIDATOR, BORROWER, "USDT", "ETH", USDT).refusal, "BTC collateral is left");
        Liquidation all = l.liquidate(T0, LIQUIDATOR, BORROWER, "USDT", "BTC", 30_000 * USDT).liquidation;
        assertEquals(110_000_000L, all.seized());
        assertEquals(0, all.writtenOff(), "the ETH supply is still there");
        assertTrue(l.engine.book(BORROWER).hasDebt());
        // now the ETH supply may go: 20 ETH at 1 USDT buys 20 / 1.1 = 18.181819 of the debt
        Liquidation rest = l.liquidate(T0, LIQUIDATOR, BORROWER, "USDT", "ETH", 30_000 * USDT).liquidation;
        assertEquals(eth, rest.seized());
        // then no supply is left: the 30,000 USDT still in the borrower's wallet repays what remains
        assertEquals(0, rest.writtenOff());
        assertTrue(l.engine.book(BORROWER) == null || !l.engine.book(BORROWER).hasDebt());
        assertEquals(0, l.engine.pool("USDT").deficit());
        assertTrue(l.wallet(BORROWER, "USDT") < 30_000 * USDT);
        assertTrue(Lending.balanced(l.engine.pool("USDT")));
    }

    @Test
    void anActionSentAgainWithItsClientIdIsAnsweredAgainNotRepeated() {
        Lending l = borrowed();
        l.said.reset();
        l.engine.borrow(T0, BORROWER, "USDT", 1_000 * USDT, "b-1");
        assertNull(l.said.refusal);
        assertEquals(31_000 * USDT, l.wallet(BORROWER, "USDT"));
        l.said.reset();
        l.engine.borrow(T0 + 5, BORROWER, "USDT", 1_000 * USDT, "b-1");
        assertTrue(l.said.duplicate, "the retry gets the first answer");
        assertEquals(1_000 * USDT, l.said.moved);
        assertEquals(31_000 * USDT, l.wallet(BORROWER, "USDT"), "and borrows nothing more");
        // another account may use the same id; a refused action is not remembered
        l.deposit(LIQUIDATOR, "USDT", 10 * USDT);
        l.said.reset();
        l.engine.supply(T0, LIQUIDATOR, "USDT", 20 * USDT, "b-1");
        assertEquals(MoneyMarketRejectReason.INSUFFICIENT_FUNDS, l.said.refusal);
        l.said.reset();
        l.engine.supply(T0, LIQUIDATOR, "USDT", 10 * USDT, "b-1");
        assertNull(l.said.refusal);
        assertTrue(!l.said.duplicate);
        // an id used for an action is not a liquidation's
        l.said.reset();
        l.engine.liquidate(T0, LIQUIDATOR, BORROWER, "USDT", "BTC", USDT, "b-1");
        assertEquals(MoneyMarketRejectReason.ACTION_ID_REUSED, l.said.refusal);
        // forgotten after 24 hours: the same id is a new borrow then
        long later = T0 + 24 * 3_600_000L + 1;
        l.price(later, "BTC", 50_000);
        l.said.reset();
        l.engine.borrow(later, BORROWER, "USDT", 1_000 * USDT, "b-1");
        assertTrue(!l.said.duplicate && l.said.refusal == null);
        assertEquals(32_000 * USDT, l.wallet(BORROWER, "USDT"));
    }

    @Test
    void aStaleIndexBlocksBorrowsAndCollateralWithdrawalsButNotSupplies() {
        Lending l = borrowed();
        long late = T0 + MoneyMarketEngine.PRICE_STALE_MS + 1;
        assertEquals(MoneyMarketRejectReason.INDEX_STALE, l.borrow(late, BORROWER, "USDT", USDT).refusal);
        assertEquals(MoneyMarketRejectReason.INDEX_STALE, l.withdraw(late, BORROWER, "BTC", 1, false).refusal);
        l.deposit(BORROWER, "BTC", BTC);
        assertNull(l.supply(late, BORROWER, "BTC", BTC).refusal);
        l.price(late, "BTC", 50_000);
        assertNull(l.borrow(late, BORROWER, "USDT", USDT).refusal);
    }

    @Test
    void efficiencyModeLendsMoreWithinTheCategoryAndOnlyThere() {
        Lending l = borrowed();
        long account = 7;
        l.deposit(account, "USDC", 1_000 * USDT);
        l.supply(T0, account, "USDC", 1_000 * USDT);
        // outside the category: ltv 75%
        assertEquals(MoneyMarketRejectReason.LTV_EXCEEDED, l.borrow(T0, account, "USDT", 751 * USDT).refusal);
        l.said.reset();
        l.engine.chooseCategory(T0, account, 1, "");
        assertNull(l.said.refusal);
        // inside: ltv 93%
        assertNull(l.borrow(T0, account, "USDT", 930 * USDT).refusal);
        assertEquals(MoneyMarketRejectReason.CATEGORY_MISMATCH, l.borrow(T0, account, "BTC", 1).refusal);
        // 1,000 x 0.95 / 930
        assertEquals(1_021_505_376L, l.health(T0, account));
        l.said.reset();
        l.engine.chooseCategory(T0, account, 0, "");
        assertEquals(MoneyMarketRejectReason.HEALTH_TOO_LOW, l.said.refusal, "0.8 x 1,000 < 930");
    }

    @Test
    void everyRefusalNamesItsReasonAndMovesNothing() {
        Lending l = borrowed();
        long poor = 9;
        assertEquals(MoneyMarketRejectReason.UNKNOWN_POOL, l.supply(T0, poor, "DOGE", 1).refusal);
        assertEquals(MoneyMarketRejectReason.INVALID_AMOUNT, l.supply(T0, poor, "USDT", 0).refusal);
        assertEquals(MoneyMarketRejectReason.INSUFFICIENT_FUNDS, l.supply(T0, poor, "USDT", 1).refusal);
        assertEquals(MoneyMarketRejectReason.INSUFFICIENT_SUPPLY, l.withdraw(T0, poor, "USDT", 1, false).refusal);
        assertEquals(MoneyMarketRejectReason.NO_DEBT, l.repay(T0, poor, "USDT", 1, false).refusal);
        assertEquals(MoneyMarketRejectReason.LTV_EXCEEDED, l.borrow(T0, poor, "USDT", 1).refusal);
        assertEquals(MoneyMarketRejectReason.INVALID_ACCOUNT, l.supply(T0, 0, "USDT", 1).refusal);
        assertEquals(MoneyMarketRejectReason.SELF_LIQUIDATION,
                l.liquidate(T0, BORROWER, BORROWER, "USDT", "BTC", 1).refusal);
        assertEquals(MoneyMarketRejectReason.INSUFFICIENT_LIQUIDITY,
                l.withdraw(T0, SUPPLIER, "USDT", 30_000 * USDT + 1, false).refusal);
        l.said.reset();
        l.engine.createPool(T0, Lending.usdt());
        assertEquals(MoneyMarketRejectReason.POOL_EXISTS, l.said.refusal);
        l.said.reset();
        l.engine.createPool(T0, new PoolTerms("ETH", 18, 80 * PCT, 0, 4 * PCT, 75 * PCT, 10 * PCT, 80 * PCT,
                75 * PCT, 5 * PCT, 10 * PCT, 0, 0, true, true, 0));
        assertEquals(MoneyMarketRejectReason.INVALID_TERMS, l.said.refusal, "ltv above the threshold");
        // caps
        l.engine.updatePool(T0, new PoolTerms("BTC", 8, 45 * PCT, 0, 4 * PCT, 300 * PCT, 20 * PCT, 70 * PCT,
                75 * PCT, 10 * PCT, 10 * PCT, BTC + 10, 0, true, false, 0));
        l.deposit(poor, "BTC", BTC);
        assertEquals(MoneyMarketRejectReason.SUPPLY_CAP, l.supply(T0, poor, "BTC", 11).refusal);
        assertNull(l.supply(T0, poor, "BTC", 10).refusal);
        assertEquals(MoneyMarketRejectReason.BORROW_DISABLED, l.borrow(T0, SUPPLIER, "BTC", 1).refusal);
        assertEquals(BTC - 10, l.wallet(poor, "BTC"));
        assertEquals(30_000 * USDT, l.engine.pool("USDT").cash());
    }

    @Test
    void theAtRiskListIsLowestHealthFirstAndFollowsThePrice() {
        Lending l = Lending.standard(50_000);
        l.deposit(SUPPLIER, "USDT", 1_000_000 * USDT);
        l.supply(T0, SUPPLIER, "USDT", 1_000_000 * USDT);
        // ten borrowers of 1 BTC each, borrowing 26,000 .. 35,000
        for (int i = 0; i < 10; i++) {
            long a = 100 + i;
            l.deposit(a, "BTC", BTC);
            l.supply(T0, a, "BTC", BTC);
            assertNull(l.borrow(T0, a, "USDT", (26_000 + 1_000L * i) * USDT).refusal);
        }
        assertTrue(l.engine.atRisk(T0, 0, 50).isEmpty(), "all healthy at 50,000");
        l.price(T0, "BTC", 40_000);
        // health = 30,000 / debt: under 1 for debts above 30,000, i.e. borrowers 105..109
        List<MoneyMarketEngine.AtRisk> under = l.engine.atRisk(T0, 0, 50);
        assertEquals(List.of(109L, 108L, 107L, 106L, 105L), under.stream().map(MoneyMarketEngine.AtRisk::accountId)
                .toList());
        assertEquals(857_142_857L, under.get(0).healthFactor(), "30,000 / 35,000");
        assertEquals(3, l.engine.atRisk(T0, 0, 3).size());
        // near the line: at or under 1.1
        assertEquals(8, l.engine.atRisk(T0, 1_100_000_000L, 50).size());
    }
}
