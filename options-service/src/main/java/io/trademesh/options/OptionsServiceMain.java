package io.trademesh.options;

import io.trademesh.platform.boot.EmptyEngineModule;
import io.trademesh.platform.boot.ServiceLauncher;
import io.trademesh.platform.config.ServiceDefaults;

/** Starts options-service: European options (product logic comes with its own issue). */
public final class OptionsServiceMain {

    private OptionsServiceMain() {
    }

    public static void main(String[] args) {
        ServiceLauncher.launch(new EmptyEngineModule(ServiceDefaults.OPTIONS, true));
    }
}
