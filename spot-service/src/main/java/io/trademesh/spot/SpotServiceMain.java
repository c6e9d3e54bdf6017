package io.trademesh.spot;

import io.trademesh.platform.boot.ServiceLauncher;

/** Starts spot-service. */
public final class SpotServiceMain {

    private SpotServiceMain() {
    }

    public static void main(String[] args) {
        ServiceLauncher.launch(new SpotService());
    }
}
