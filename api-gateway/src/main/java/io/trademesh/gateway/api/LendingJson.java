package io.trademesh.gateway.api;

import io.trademesh.proto.common.LendingAccount;
import io.trademesh.proto.common.LendingPosition;
import io.trademesh.proto.moneymarket.AtRiskAccount;
import io.trademesh.proto.moneymarket.Category;
import io.trademesh.proto.moneymarket.LiquidationReply;
import io.trademesh.proto.moneymarket.Pool;
import io.trademesh.proto.moneymarket.PoolParams;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The money market's messages as JSON: amounts at their asset's decimals, rates and ratios as
 * plain decimals (0.05 is 5% a year), indices with 16 decimals, values in the value asset and
 * the health factor as a decimal (liquidatable under 1).
 */
public final class LendingJson {

    static final int RATIO = 9;
    static final int INDEX = 16;
    static final int VALUE = 8;

    private LendingJson() {
    }

    public static JsonObject pool(Pool p) {
        PoolParams t = p.getParams();
        int d = t.getAssetDecimals();
        return new JsonObject().put("asset", t.getAsset()).put("decimals", d)
                .put("cash", Decimals.format(p.getCash(), d))
                .put("totalSupplied", Decimals.format(p.getTotalSupplied(), d))
                .put("totalBorrowed", Decimals.format(p.getTotalBorrowed(), d))
                .put("reserves", Decimals.format(p.getReserves(), d))
                .put("deficit", Decimals.format(p.getDeficit(), d))
                .put("utilization", Decimals.format(p.getUtilizationE9(), RATIO))
                .put("borrowRate", Decimals.format(p.getBorrowRateE9(), RATIO))
                .put("supplyRate", Decimals.format(p.getSupplyRateE9(), RATIO))
                .put("supplyIndex", Decimals.format(p.getSupplyIndexE16(), INDEX))
                .put("borrowIndex", Decimals.format(p.getBorrowIndexE16(), INDEX))
                .put("price", Decimals.format(p.getPriceE8(), VALUE)).put("priceStale", p.getPriceStale())
                .put("terms", terms(t)).put("timestamp", p.getTimestampMs());
    }

    static JsonObject terms(PoolParams t) {
        int d = t.getAssetDecimals();
        return new JsonObject()
                .put("optimalUtilization", Decimals.format(t.getOptimalUtilizationE9(), RATIO))
                .put("baseRate", Decimals.format(t.getBaseRateE9(), RATIO))
                .put("slope1", Decimals.format(t.getSlope1E9(), RATIO))
                .put("slope2", Decimals.format(t.getSlope2E9(), RATIO))
                .put("reserveFactor", Decimals.format(t.getReserveFactorE9(), RATIO))
                .put("ltv", Decimals.format(t.getLtvE9(), RATIO))
                .put("liquidationThreshold", Decimals.format(t.getLiquidationThresholdE9(), RATIO))
                .put("liquidationBonus", Decimals.format(t.getLiquidationBonusE9(), RATIO))
                .put("protocolShare", Decimals.format(t.getProtocolShareE9(), RATIO))
                .put("supplyCap", Decimals.format(t.getSupplyCap(), d))
                .put("borrowCap", Decimals.format(t.getBorrowCap(), d))
                .put("collateralEnabled", t.getCollateralEnabled()).put("borrowEnabled", t.getBorrowEnabled())
                .put("category", t.getCategory());
    }

    public static JsonObject category(Category c) {
        return new JsonObject().put("id", c.getId()).put("name", c.getName())
                .put("ltv", Decimals.format(c.getLtvE9(), RATIO))
                .put("liquidationThreshold", Decimals.format(c.getLiquidationThresholdE9(), RATIO))
                .put("liquidationBonus", Decimals.format(c.getLiquidationBonusE9(), RATIO));
    }

    public static JsonObject account(LendingAccount a) {
        JsonArray positions = new JsonArray();
        for (LendingPosition p : a.getPositionsList()) {
            int d = p.getDecimals();
            positions.add(new JsonObject().put("asset", p.getAsset()).put("supplied", Decimals.format(p.getSupplied(), d))
                    .put("borrowed", Decimals.format(p.getBorrowed(), d)).put("collateral", p.getCollateral())
                    .put("wallet", Decimals.format(p.getWallet(), d)));
        }
        return new JsonObject().put("positions", positions).put("category", a.getCategory())
                .put("valueAsset", a.getValueAsset())
                .put("collateralValue", Decimals.format(a.getCollateralValueE8(), VALUE))
                .put("borrowLimit", Decimals.format(a.getBorrowLimitE8(), VALUE))
                .put("debtValue", Decimals.format(a.getDebtValueE8(), VALUE))
                .put("healthFactor", a.getNoDebt() ? null : Decimals.format(a.getHealthFactorE9(), RATIO))
                .put("timestamp", a.getTimestampMs());
    }

    static JsonObject atRisk(AtRiskAccount a) {
        return new JsonObject().put("accountId", a.getAccountId())
                .put("healthFactor", Decimals.format(a.getHealthFactorE9(), RATIO))
                .put("collateralValue", Decimals.format(a.getCollateralValueE8(), VALUE))
                .put("debtValue", Decimals.format(a.getDebtValueE8(), VALUE))
                .put("debtAssets", new JsonArray(a.getDebtAssetsList()))
                .put("collateralAssets", new JsonArray(a.getCollateralAssetsList())).put("priceStale", a.getPriceStale());
    }

    static JsonObject liquidation(LiquidationReply r, int debtDecimals, int collateralDecimals) {
        return new JsonObject().put("repaid", Decimals.format(r.getRepaid(), debtDecimals))
                .put("seized", Decimals.format(r.getSeized(), collateralDecimals))
                .put("toLiquidator", Decimals.format(r.getToLiquidator(), collateralDecimals))
                .put("toReserves", Decimals.format(r.getToReserves(), collateralDecimals))
                .put("writtenOff", Decimals.format(r.getWrittenOff(), debtDecimals))
                .put("healthBefore", Decimals.format(r.getHealthBeforeE9(), RATIO)).put("duplicate", r.getDuplicate());
    }
}
