package io.trademesh.moneymarket.engine;

import io.trademesh.platform.trading.FixedPoint;

/**
 * One account's standing, in the value asset at 8 decimals: its collateral's value, what it may
 * borrow (collateral x ltv), the threshold-weighted collateral and its debt. Reused by the
 * engine between measurements, so a health check allocates nothing.
 */
public final class Health {

    /** The health factor of an account without debt. */
    public static final long NO_DEBT = Long.MAX_VALUE;

    long collateralValue;
    long borrowLimit;
    long weightedCollateral;
    long debtValue;
    /** A price the standing depends on is missing or stale. */
    boolean stale;
    /** A value did not fit a long (a price far beyond any market): nothing may rest on this measurement. */
    boolean overflow;

    void reset() {
        collateralValue = 0;
        borrowLimit = 0;
        weightedCollateral = 0;
        debtValue = 0;
        stale = false;
        overflow = false;
    }

    public long collateralValue() {
        return collateralValue;
    }

    public long borrowLimit() {
        return borrowLimit;
    }

    public long debtValue() {
        return debtValue;
    }

    public boolean stale() {
        return stale;
    }

    /** {@code sum(collateral x price x threshold) / sum(debt x price)} at 9 decimals, rounded down; {@link #NO_DEBT} without debt, 0 after an overflow. */
    public long factor() {
        if (overflow) {
            return 0;
        }
        if (debtValue == 0) {
            return NO_DEBT;
        }
        try {
            return FixedPoint.mulDivFloor(weightedCollateral, RateModel.ONE, debtValue);
        } catch (ArithmeticException huge) {
            return NO_DEBT - 1;
        }
    }

    /** Health factor at least 1 and debt within the borrow limit: what a borrow or withdrawal must leave. */
    boolean allowsNewRisk() {
        return debtValue == 0 || (factor() >= RateModel.ONE && debtValue <= borrowLimit);
    }
}
