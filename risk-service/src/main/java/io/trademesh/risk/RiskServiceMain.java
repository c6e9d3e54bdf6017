package io.trademesh.risk;

import io.trademesh.platform.boot.EmptyEngineModule;
import io.trademesh.platform.boot.ServiceLauncher;
import io.trademesh.platform.config.ServiceDefaults;

/** Starts risk-service: accounts, keys, funding wallet, transfers (logic comes with its own issue). */
public final class RiskServiceMain {

    private RiskServiceMain() {
    }

    public static void main(String[] args) {
        ServiceLauncher.launch(new EmptyEngineModule(ServiceDefaults.RISK, true));
    }
}
