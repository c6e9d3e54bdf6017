package io.trademesh.futures;

import io.trademesh.platform.boot.EmptyEngineModule;
import io.trademesh.platform.boot.ServiceLauncher;
import io.trademesh.platform.config.ServiceDefaults;

/** Starts futures-service: perpetual and dated futures (product logic comes with its own issue). */
public final class FuturesServiceMain {

    private FuturesServiceMain() {
    }

    public static void main(String[] args) {
        ServiceLauncher.launch(new EmptyEngineModule(ServiceDefaults.FUTURES, true));
    }
}
