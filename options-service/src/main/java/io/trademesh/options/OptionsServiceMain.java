package io.trademesh.options;

import io.trademesh.platform.boot.ServiceLauncher;

/** Starts options-service: European option chains on an index, cash-settled. */
public final class OptionsServiceMain {

    private OptionsServiceMain() {
    }

    public static void main(String[] args) {
        ServiceLauncher.launch(new OptionsService());
    }
}
