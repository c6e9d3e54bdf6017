package io.trademesh.platform.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A service's configuration, read once from environment variables and validated once, at
 * start-up. A bad value throws {@link ConfigException} whose one-line message names the
 * variable and what is wrong; the launcher prints it and exits.
 *
 * <pre>
 * variable                        default                         meaning
 * SERVICE_NAME                    the module's name               name in logs, metrics and the cluster
 * INSTANCE_ID                     SERVICE_NAME                    this replica's id (the pod name in Kubernetes)
 * HTTP_PORT                       per service (8080..8085)        /health, /metrics (the gateway: its API only)
 * MANAGEMENT_PORT                 HTTP_PORT (the gateway: 8090)   /health, /metrics when not on HTTP_PORT
 * GRPC_PORT                       per service (9080..9085)        gRPC API
 * DATA_DIR                        data/SERVICE_NAME               RocksDB journal + snapshots
 * SNAPSHOT_INTERVAL_SECONDS       60                              periodic snapshot interval
 * CLUSTER_NAME                    trademesh                       Hazelcast cluster name
 * CLUSTER_HOST                    127.0.0.1                       address Hazelcast and the event bus bind to and advertise
 * CLUSTER_PORT                    per service (5701..5707)        Hazelcast member port
 * CLUSTER_MEMBERS                 127.0.0.1:5701..5707            TCP-IP seed members, comma separated host:port
 * EVENTBUS_PORT                   0 (any free port)               Vert.x clustered event bus port
 * CLUSTER_KUBERNETES              false                           use Hazelcast's Kubernetes (DNS) discovery instead
 * CLUSTER_KUBERNETES_SERVICE_DNS  (required when the above is on) headless service DNS name to discover members
 * </pre>
 */
public record ServiceConfig(
        String serviceName,
        String instanceId,
        int httpPort,
        int managementPort,
        int grpcPort,
        Path dataDir,
        long snapshotIntervalSeconds,
        String clusterName,
        String clusterHost,
        int clusterPort,
        List<String> clusterMembers,
        int eventBusPort,
        boolean clusterKubernetes,
        String clusterKubernetesServiceDns) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
    private static final Pattern IPV4 =
            Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?");

    /** Reads the process environment. */
    public static ServiceConfig fromEnvironment(ServiceDefaults defaults) {
        return from(System.getenv(), defaults);
    }

    /** Reads the given variables; unset or blank ones take their default. */
    public static ServiceConfig from(Map<String, String> env, ServiceDefaults defaults) {
        Reader r = new Reader(env);
        String serviceName = r.name("SERVICE_NAME", defaults.serviceName());
        String instanceId = r.name("INSTANCE_ID", serviceName);
        int httpPort = r.port("HTTP_PORT", defaults.httpPort());
        int managementPort = r.port("MANAGEMENT_PORT", defaults.managementPort() == ServiceDefaults.SAME_AS_HTTP
                ? httpPort : defaults.managementPort());
        int grpcPort = r.port("GRPC_PORT", defaults.grpcPort());
        Path dataDir = r.path("DATA_DIR", Path.of("data", serviceName));
        long snapshotInterval = r.longInRange("SNAPSHOT_INTERVAL_SECONDS", 60, 1, 86_400, "a whole number of seconds");
        String clusterName = r.name("CLUSTER_NAME", "trademesh");
        String clusterHost = r.ipv4("CLUSTER_HOST", "127.0.0.1");
        int clusterPort = r.port("CLUSTER_PORT", defaults.clusterPort());
        if (clusterPort == 0) {
            throw new ConfigException("CLUSTER_PORT=0 is not allowed: Hazelcast needs a fixed port (1..65535)");
        }
        List<String> members = r.members("CLUSTER_MEMBERS", ServiceDefaults.LOCAL_CLUSTER_MEMBERS);
        int eventBusPort = r.port("EVENTBUS_PORT", 0);
        boolean kubernetes = r.bool("CLUSTER_KUBERNETES", false);
        String serviceDns = r.raw("CLUSTER_KUBERNETES_SERVICE_DNS");
        if (kubernetes) {
            if (serviceDns == null) {
                throw new ConfigException(
                        "CLUSTER_KUBERNETES_SERVICE_DNS is required when CLUSTER_KUBERNETES=true (the headless service's DNS name)");
            }
            if (!HOST.matcher(serviceDns).matches()) {
                throw new ConfigException("CLUSTER_KUBERNETES_SERVICE_DNS='" + serviceDns + "' is not a DNS name");
            }
        }
        return new ServiceConfig(serviceName, instanceId, httpPort, managementPort, grpcPort, dataDir, snapshotInterval,
                clusterName, clusterHost, clusterPort, members, eventBusPort, kubernetes, serviceDns);
    }

    /** Reads, trims and validates single variables; every failure names its variable. */
    private static final class Reader {
        private final Map<String, String> env;

        Reader(Map<String, String> env) {
            this.env = env;
        }

        String raw(String name) {
            String v = env.get(name);
            if (v == null) {
                return null;
            }
            v = v.trim();
            return v.isEmpty() ? null : v;
        }

        String name(String var, String dflt) {
            String v = raw(var);
            if (v == null) {
                return dflt;
            }
            if (!NAME.matcher(v).matches()) {
                throw new ConfigException(var + "='" + v
                        + "' is not a valid name (lower-case letters, digits, '.', '_', '-'; at most 63 characters)");
            }
            return v;
        }

        int port(String var, int dflt) {
            return (int) longInRange(var, dflt, 0, 65_535, "a port number");
        }

        long longInRange(String var, long dflt, long min, long max, String what) {
            String v = raw(var);
            if (v == null) {
                return dflt;
            }
            long n;
            try {
                n = Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw new ConfigException(var + "='" + v + "' is not " + what + " (expected " + min + ".." + max + ")");
            }
            if (n < min || n > max) {
                throw new ConfigException(var + "=" + v + " is out of range (expected " + min + ".." + max + ")");
            }
            return n;
        }

        boolean bool(String var, boolean dflt) {
            String v = raw(var);
            if (v == null) {
                return dflt;
            }
            switch (v.toLowerCase(Locale.ROOT)) {
                case "true":
                    return true;
                case "false":
                    return false;
                default:
                    throw new ConfigException(var + "='" + v + "' is not a boolean (expected true or false)");
            }
        }

        String ipv4(String var, String dflt) {
            String v = raw(var);
            if (v == null) {
                return dflt;
            }
            if (!IPV4.matcher(v).matches()) {
                throw new ConfigException(var + "='" + v + "' is not an IPv4 address (e.g. 127.0.0.1)");
            }
            return v;
        }

        Path path(String var, Path dflt) {
            String v = raw(var);
            if (v == null) {
                return dflt;
            }
            try {
                return Path.of(v);
            } catch (RuntimeException e) {
                throw new ConfigException(var + "='" + v + "' is not a valid path: " + e.getMessage());
            }
        }

        List<String> members(String var, String dflt) {
            String v = raw(var);
            String list = v == null ? dflt : v;
            List<String> out = new ArrayList<>();
            for (String part : list.split(",")) {
                String m = part.trim();
                if (m.isEmpty()) {
                    continue;
                }
                int colon = m.lastIndexOf(':');
                String host = colon < 0 ? m : m.substring(0, colon);
                if (colon < 0 || !HOST.matcher(host).matches()) {
                    throw new ConfigException(var + " entry '" + m + "' is not host:port");
                }
                String port = m.substring(colon + 1);
                int p;
                try {
                    p = Integer.parseInt(port);
                } catch (NumberFormatException e) {
                    throw new ConfigException(var + " entry '" + m + "' has no valid port (expected 1..65535)");
                }
                if (p < 1 || p > 65_535) {
                    throw new ConfigException(var + " entry '" + m + "' has port out of range (expected 1..65535)");
                }
                out.add(host + ":" + p);
            }
            if (out.isEmpty()) {
                throw new ConfigException(var + " is empty: give at least one host:port");
            }
            return List.copyOf(out);
        }
    }
}
