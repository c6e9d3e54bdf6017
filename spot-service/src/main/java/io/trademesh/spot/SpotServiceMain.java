package io.trademesh.spot;

import io.trademesh.platform.boot.EmptyEngineModule;
import io.trademesh.platform.boot.ServiceLauncher;
import io.trademesh.platform.config.ServiceDefaults;

/** Starts spot-service: spot markets (the engine comes with its own issue). */
public final class SpotServiceMain {

    private SpotServiceMain() {
    }

    public static void main(String[] args) {
        ServiceLauncher.launch(new EmptyEngineModule(ServiceDefaults.SPOT, true));
    }
}
