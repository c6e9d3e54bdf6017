package io.trademesh.moneymarket;

import io.trademesh.platform.boot.EmptyEngineModule;
import io.trademesh.platform.boot.ServiceLauncher;
import io.trademesh.platform.config.ServiceDefaults;

/** Starts moneymarket-service: lending pools (product logic comes with its own issue). */
public final class MoneyMarketServiceMain {

    private MoneyMarketServiceMain() {
    }

    public static void main(String[] args) {
        ServiceLauncher.launch(new EmptyEngineModule(ServiceDefaults.MONEY_MARKET, true));
    }
}
