package io.trademesh.platform.testsupport;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** Environment for a test cluster member: loopback, free ports, a unique cluster name. */
public final class TestClusters {

    private TestClusters() {
    }

    /** The CLUSTER_* variables for the member at {@code ports[index]} of a cluster of {@code ports}. */
    public static Map<String, String> memberEnv(String clusterName, int[] ports, int index) {
        Map<String, String> env = new HashMap<>();
        env.put("CLUSTER_NAME", clusterName);
        env.put("CLUSTER_HOST", "127.0.0.1");
        env.put("CLUSTER_PORT", Integer.toString(ports[index]));
        env.put("CLUSTER_MEMBERS", Arrays.stream(ports).mapToObj(p -> "127.0.0.1:" + p)
                .collect(Collectors.joining(",")));
        return env;
    }

    public static String uniqueName(String prefix) {
        return (prefix + "-" + Long.toHexString(System.nanoTime())).toLowerCase(java.util.Locale.ROOT);
    }
}
