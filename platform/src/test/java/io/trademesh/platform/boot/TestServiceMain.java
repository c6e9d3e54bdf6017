package io.trademesh.platform.boot;

import io.trademesh.platform.config.ServiceDefaults;

/** Child JVM for {@link ServiceLauncherProcessTest}: a service with a store and an empty engine. */
public final class TestServiceMain {

    private TestServiceMain() {
    }

    public static void main(String[] args) {
        ServiceLauncher.launch(new EmptyEngineModule(ServiceDefaults.SPOT, true));
    }
}
