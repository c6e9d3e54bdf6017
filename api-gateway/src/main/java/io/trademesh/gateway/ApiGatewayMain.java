package io.trademesh.gateway;

import io.trademesh.platform.boot.EmptyEngineModule;
import io.trademesh.platform.boot.ServiceLauncher;
import io.trademesh.platform.config.ServiceDefaults;

/** Starts api-gateway: the traders' REST and WebSocket edge (routes come with their own issue); it keeps no state. */
public final class ApiGatewayMain {

    private ApiGatewayMain() {
    }

    public static void main(String[] args) {
        ServiceLauncher.launch(new EmptyEngineModule(ServiceDefaults.API_GATEWAY, false));
    }
}
