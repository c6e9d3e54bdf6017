package io.trademesh.moneymarket.store;

import io.trademesh.moneymarket.engine.Category;
import io.trademesh.moneymarket.engine.Health;
import io.trademesh.moneymarket.engine.LendingBook;
import io.trademesh.moneymarket.engine.MoneyMarketEngine;
import io.trademesh.moneymarket.engine.Pool;
import io.trademesh.moneymarket.engine.PoolTerms;
import io.trademesh.moneymarket.engine.RateModel;
import io.trademesh.proto.common.LendingAccount;
import io.trademesh.proto.common.LendingPosition;
import io.trademesh.proto.moneymarket.PoolParams;

/** The money market's engine objects as protobuf, and back. Reads run on the engine's thread. */
public final class MoneyMarketProto {

    private MoneyMarketProto() {
    }

    public static PoolTerms terms(PoolParams p) {
        return new PoolTerms(p.getAsset(), p.getAssetDecimals(), p.getOptimalUtilizationE9(), p.getBaseRateE9(),
                p.getSlope1E9(), p.getSlope2E9(), p.getReserveFactorE9(), p.getLtvE9(),
                p.getLiquidationThresholdE9(), p.getLiquidationBonusE9(), p.getProtocolShareE9(), p.getSupplyCap(),
                p.getBorrowCap(), p.getCollateralEnabled(), p.getBorrowEnabled(), p.getCategory());
    }

    public static PoolParams params(PoolTerms t) {
        return PoolParams.newBuilder().setAsset(t.asset()).setAssetDecimals(t.decimals())
                .setOptimalUtilizationE9(t.optimalUtilization()).setBaseRateE9(t.baseRate())
                .setSlope1E9(t.slope1()).setSlope2E9(t.slope2()).setReserveFactorE9(t.reserveFactor())
                .setLtvE9(t.ltv()).setLiquidationThresholdE9(t.liquidationThreshold())
                .setLiquidationBonusE9(t.liquidationBonus()).setProtocolShareE9(t.protocolShare())
                .setSupplyCap(t.supplyCap()).setBorrowCap(t.borrowCap()).setCollateralEnabled(t.collateralEnabled())
                .setBorrowEnabled(t.borrowEnabled()).setCategory(t.category()).build();
    }

    public static Category category(io.trademesh.proto.moneymarket.Category c) {
        return new Category(c.getId(), c.getName(), c.getLtvE9(), c.getLiquidationThresholdE9(),
                c.getLiquidationBonusE9());
    }

    public static io.trademesh.proto.moneymarket.Category category(Category c) {
        return io.trademesh.proto.moneymarket.Category.newBuilder().setId(c.id()).setName(c.name())
                .setLtvE9(c.ltv()).setLiquidationThresholdE9(c.liquidationThreshold())
                .setLiquidationBonusE9(c.liquidationBonus()).build();
    }

    /** The pool with interest accrued to {@code nowMs} (computed, not applied). */
    public static io.trademesh.proto.moneymarket.Pool pool(MoneyMarketEngine engine, Pool p, long nowMs) {
        long supplyIndex = p.supplyIndexAt(nowMs);
        long supplied = RateModel.amountDown(p.scaledSupply(), supplyIndex);
        long borrowed = RateModel.amountUp(p.scaledDebt(), p.borrowIndexAt(nowMs));
        if (supplied - p.supplied() > borrowed - p.borrowed()) {
            // as accrual would: the supply index waits rather than book a loss of a unit
            supplyIndex = p.supplyIndex();
            supplied = p.supplied();
        }
        // What accrual to now would book: the claims' change, against unchanged cash.
        long gain = (p.supplied() - p.borrowed()) - (supplied - borrowed);
        long reserves = p.reserves();
        long deficit = p.deficit();
        if (gain >= 0) {
            long cover = Math.min(gain, deficit);
            deficit -= cover;
            reserves += gain - cover;
        } else {
            long take = Math.min(-gain, reserves);
            reserves -= take;
            deficit += -gain - take;
        }
        return io.trademesh.proto.moneymarket.Pool.newBuilder().setParams(params(p.terms())).setCash(p.cash())
                .setTotalSupplied(supplied).setTotalBorrowed(borrowed).setReserves(reserves).setDeficit(deficit)
                .setUtilizationE9(RateModel.utilization(p.cash(), borrowed)).setBorrowRateE9(p.borrowRate())
                .setSupplyRateE9(p.supplyRate()).setSupplyIndexE16(supplyIndex)
                .setBorrowIndexE16(p.borrowIndexAt(nowMs)).setPriceE8(p.priceE8()).setPriceTimeMs(p.priceAtMs())
                .setPriceStale(engine.stale(p, nowMs)).setTimestampMs(nowMs).build();
    }

    /** The account's positions (and wallet balances) with interest to {@code nowMs}, and its health. */
    public static LendingAccount account(MoneyMarketEngine engine, long accountId, long nowMs) {
        LendingAccount.Builder a = LendingAccount.newBuilder().setAccountId(accountId)
                .setValueAsset(MoneyMarketEngine.VALUE_ASSET).setTimestampMs(nowMs);
        LendingBook b = engine.book(accountId);
        for (Pool p : engine.pools()) {
            long wallet = engine.wallets().available(accountId, p.id());
            long supplied = b == null ? 0 : RateModel.amountDown(b.scaledSupply(p.id()), p.supplyIndexAt(nowMs));
            long borrowed = b == null ? 0 : RateModel.amountUp(b.scaledDebt(p.id()), p.borrowIndexAt(nowMs));
            boolean collateral = b != null && b.isCollateral(p.id());
            if (wallet != 0 || supplied != 0 || borrowed != 0 || collateral
                    || (b != null && (b.scaledSupply(p.id()) != 0 || b.scaledDebt(p.id()) != 0))) {
                a.addPositions(LendingPosition.newBuilder().setAsset(p.asset()).setSupplied(supplied)
                        .setBorrowed(borrowed).setCollateral(collateral).setWallet(wallet)
                        .setDecimals(p.terms().decimals()));
            }
        }
        if (b == null) {
            return a.setNoDebt(true).build();
        }
        Health h = engine.health(b, nowMs);
        long factor = h.factor();
        return a.setCategory(b.category()).setCollateralValueE8(h.collateralValue()).setBorrowLimitE8(h.borrowLimit())
                .setDebtValueE8(h.debtValue()).setNoDebt(factor == Health.NO_DEBT)
                .setHealthFactorE9(factor == Health.NO_DEBT ? 0 : factor).build();
    }
}
