package io.trademesh.risk;

import io.trademesh.platform.boot.ServiceLauncher;

/** Starts risk-service: accounts, API keys, funding wallet, transfers, limits, index prices. */
public final class RiskServiceMain {

    private RiskServiceMain() {
    }

    public static void main(String[] args) {
        ServiceLauncher.launch(new RiskService());
    }
}
