package io.trademesh.platform.config;

/**
 * The per-service defaults used when an environment variable is not set. They let the
 * whole mesh run on one machine without any configuration: every service has its own
 * HTTP, gRPC and Hazelcast port on loopback, and every Hazelcast port is a seed member.
 */
public record ServiceDefaults(String serviceName, int httpPort, int grpcPort, int clusterPort, int managementPort) {

    /** Health and metrics on the HTTP port itself: the services whose HTTP port serves nothing else. */
    public ServiceDefaults(String serviceName, int httpPort, int grpcPort, int clusterPort) {
        this(serviceName, httpPort, grpcPort, clusterPort, SAME_AS_HTTP);
    }

    /** {@link #managementPort} for "health and metrics on the HTTP port". */
    public static final int SAME_AS_HTTP = -1;

    /** The gateway's HTTP port is the traders': health and metrics have a port of their own. */
    public static final ServiceDefaults API_GATEWAY = new ServiceDefaults("api-gateway", 8080, 9080, 5701, 8090);
    public static final ServiceDefaults RISK = new ServiceDefaults("risk-service", 8081, 9081, 5702);
    public static final ServiceDefaults SPOT = new ServiceDefaults("spot-service", 8082, 9082, 5703);
    public static final ServiceDefaults FUTURES = new ServiceDefaults("futures-service", 8083, 9083, 5704);
    public static final ServiceDefaults OPTIONS = new ServiceDefaults("options-service", 8084, 9084, 5705);
    public static final ServiceDefaults MONEY_MARKET = new ServiceDefaults("moneymarket-service", 8085, 9085, 5706);
    public static final ServiceDefaults MARKET_DATA = new ServiceDefaults("marketdata-service", 8086, 9086, 5707);

    /** Every service's Hazelcast port on loopback: the default TCP-IP member list. */
    public static final String LOCAL_CLUSTER_MEMBERS =
            "127.0.0.1:5701,127.0.0.1:5702,127.0.0.1:5703,127.0.0.1:5704,127.0.0.1:5705,127.0.0.1:5706,"
                    + "127.0.0.1:5707";
}
