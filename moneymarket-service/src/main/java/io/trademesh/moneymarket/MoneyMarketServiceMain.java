package io.trademesh.moneymarket;

import io.trademesh.platform.boot.ServiceLauncher;

/** Starts moneymarket-service: lending pools with interest, collateral, health factors and liquidation. */
public final class MoneyMarketServiceMain {

    private MoneyMarketServiceMain() {
    }

    public static void main(String[] args) {
        ServiceLauncher.launch(new MoneyMarketService());
    }
}
