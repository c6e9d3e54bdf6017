package io.trademesh.moneymarket.engine;

/**
 * One applied liquidation: {@code repaid} of the debt asset from the liquidator, {@code seized}
 * of the collateral asset from the borrower, of which {@code toLiquidator} became the
 * liquidator's supply and {@code toReserves} the protocol's share; {@code writtenOff} of the
 * debt asset booked as bad debt when no collateral was left.
 */
public record Liquidation(long liquidatorId, long accountId, int debtPool, int collateralPool, long repaid,
                          long seized, long toLiquidator, long toReserves, long writtenOff, long healthBefore) {
}
