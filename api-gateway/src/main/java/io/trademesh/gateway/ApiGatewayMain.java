package io.trademesh.gateway;

import io.trademesh.platform.boot.ServiceLauncher;

/** Starts the api-gateway. */
public final class ApiGatewayMain {

    private ApiGatewayMain() {
    }

    public static void main(String[] args) {
        ServiceLauncher.launch(new ApiGateway());
    }
}
