package io.trademesh.futures;

import io.trademesh.platform.boot.ServiceLauncher;

/** Starts futures-service: perpetual and dated futures with margin, funding, liquidation and expiry. */
public final class FuturesServiceMain {

    private FuturesServiceMain() {
    }

    public static void main(String[] args) {
        ServiceLauncher.launch(new FuturesService());
    }
}
