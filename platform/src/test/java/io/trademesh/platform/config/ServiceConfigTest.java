package io.trademesh.platform.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServiceConfigTest {

    @Test
    void defaultsRunTheLocalMesh() {
        ServiceConfig c = ServiceConfig.from(Map.of(), ServiceDefaults.SPOT);
        assertEquals("spot-service", c.serviceName());
        assertEquals("spot-service", c.instanceId());
        assertEquals(8082, c.httpPort());
        assertEquals(9082, c.grpcPort());
        assertEquals(5703, c.clusterPort());
        assertEquals(Path.of("data", "spot-service"), c.dataDir());
        assertEquals(60, c.snapshotIntervalSeconds());
        assertEquals("127.0.0.1", c.clusterHost());
        assertEquals(7, c.clusterMembers().size());
        assertEquals(0, c.eventBusPort());
        assertFalse(c.clusterKubernetes());
    }

    @Test
    void valuesAreReadAndTrimmed() {
        ServiceConfig c = ServiceConfig.from(Map.of(
                "SERVICE_NAME", " spot-a ",
                "INSTANCE_ID", "spot-a-0",
                "HTTP_PORT", "18082",
                "DATA_DIR", "/var/lib/trademesh",
                "SNAPSHOT_INTERVAL_SECONDS", "5",
                "CLUSTER_MEMBERS", "10.0.0.1:5701, node-b:5702",
                "CLUSTER_KUBERNETES", "TRUE",
                "CLUSTER_KUBERNETES_SERVICE_DNS", "trademesh-cluster.trademesh.svc.cluster.local"), ServiceDefaults.SPOT);
        assertEquals("spot-a", c.serviceName());
        assertEquals("spot-a-0", c.instanceId());
        assertEquals(18082, c.httpPort());
        assertEquals(Path.of("/var/lib/trademesh"), c.dataDir());
        assertEquals(5, c.snapshotIntervalSeconds());
        assertEquals(List.of("10.0.0.1:5701", "node-b:5702"), c.clusterMembers());
        assertTrue(c.clusterKubernetes());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "HTTP_PORT|abc|HTTP_PORT='abc' is not a port number (expected 0..65535)",
        "GRPC_PORT|70000|GRPC_PORT=70000 is out of range (expected 0..65535)",
        "CLUSTER_PORT|0|CLUSTER_PORT=0 is not allowed: Hazelcast needs a fixed port (1..65535)",
        "SNAPSHOT_INTERVAL_SECONDS|0|SNAPSHOT_INTERVAL_SECONDS=0 is out of range (expected 1..86400)",
        "SNAPSHOT_INTERVAL_SECONDS|1.5|SNAPSHOT_INTERVAL_SECONDS='1.5' is not a whole number of seconds (expected 1..86400)",
        "CLUSTER_HOST|localhost|CLUSTER_HOST='localhost' is not an IPv4 address (e.g. 127.0.0.1)",
        "CLUSTER_HOST|300.1.1.1|CLUSTER_HOST='300.1.1.1' is not an IPv4 address (e.g. 127.0.0.1)",
        "CLUSTER_MEMBERS|127.0.0.1|CLUSTER_MEMBERS entry '127.0.0.1' is not host:port",
        "CLUSTER_MEMBERS|127.0.0.1:99999|CLUSTER_MEMBERS entry '127.0.0.1:99999' has port out of range (expected 1..65535)",
        "CLUSTER_MEMBERS|127.0.0.1:x|CLUSTER_MEMBERS entry '127.0.0.1:x' has no valid port (expected 1..65535)",
        "CLUSTER_MEMBERS|' , '|CLUSTER_MEMBERS is empty: give at least one host:port",
        "CLUSTER_KUBERNETES|yes|CLUSTER_KUBERNETES='yes' is not a boolean (expected true or false)",
        "CLUSTER_KUBERNETES|true|CLUSTER_KUBERNETES_SERVICE_DNS is required when CLUSTER_KUBERNETES=true (the headless service's DNS name)",
        "SERVICE_NAME|Spot Service|SERVICE_NAME='Spot Service' is not a valid name (lower-case letters, digits, '.', '_', '-'; at most 63 characters)",
    })
    void badValueIsRefusedWithOneLineNamingTheVariable(String variable, String value, String message) {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ServiceConfig.from(Map.of(variable, value), ServiceDefaults.SPOT));
        assertEquals(message, e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }
}
