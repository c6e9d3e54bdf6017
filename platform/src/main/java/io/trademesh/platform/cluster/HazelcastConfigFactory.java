package io.trademesh.platform.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.ListenerConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.NetworkConfig;
import io.trademesh.platform.config.ServiceConfig;

/**
 * Builds the Hazelcast member configuration in code (vertx-hazelcast reads only XML from
 * the classpath otherwise). Locally: TCP-IP join with an explicit member list, bound to
 * CLUSTER_HOST only, multicast, auto-detection and phone-home off. In Kubernetes:
 * Hazelcast's built-in Kubernetes discovery in DNS lookup mode.
 */
public final class HazelcastConfigFactory {

    private HazelcastConfigFactory() {
    }

    public static Config create(ServiceConfig cfg, ClusterMembership membership) {
        Config config = new Config();
        config.setClusterName(cfg.clusterName());
        config.setInstanceName(cfg.instanceId() + "-" + cfg.clusterPort());
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.logging.type", "jdk");
        // Without this Hazelcast listens on every interface even when one is named.
        config.setProperty("hazelcast.socket.bind.any", "false");
        // Leave quickly on SIGTERM; a SIGKILLed member is noticed by heartbeat.
        config.setProperty("hazelcast.graceful.shutdown.max.wait", "10");
        config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        config.setProperty("hazelcast.max.no.heartbeat.seconds", "10");
        config.setProperty("hazelcast.shutdownhook.enabled", "false");

        NetworkConfig network = config.getNetworkConfig();
        network.setPort(cfg.clusterPort()).setPortAutoIncrement(false);
        network.getInterfaces().setEnabled(true).addInterface(cfg.clusterHost());
        network.setPublicAddress(cfg.clusterHost() + ":" + cfg.clusterPort());

        JoinConfig join = network.getJoin();
        join.getAutoDetectionConfig().setEnabled(false);
        join.getMulticastConfig().setEnabled(false);
        if (cfg.clusterKubernetes()) {
            // Pods start in parallel: keep Hazelcast's default wait before join so they find
            // each other, and merge any split that still forms within 30 s rather than 5 min.
            config.setProperty("hazelcast.merge.first.run.delay.seconds", "30");
            config.setProperty("hazelcast.merge.next.run.delay.seconds", "30");
            join.getTcpIpConfig().setEnabled(false);
            join.getKubernetesConfig().setEnabled(true)
                    .setProperty("service-dns", cfg.clusterKubernetesServiceDns())
                    .setProperty("service-port", Integer.toString(cfg.clusterPort()));
        } else {
            // With an explicit member list there is nothing to wait for: formation drops
            // from ~12 s to ~3 s (measured on a 2-core machine).
            config.setProperty("hazelcast.wait.seconds.before.join", "0");
            join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(1).setMembers(cfg.clusterMembers());
        }

        // vertx-hazelcast's own structures, as in its default-cluster.xml.
        config.addMultiMapConfig(new MultiMapConfig("__vertx.subs")
                .setBackupCount(1).setValueCollectionType(MultiMapConfig.ValueCollectionType.SET));
        config.addMapConfig(new MapConfig("__vertx.haInfo").setBackupCount(1));
        config.addMapConfig(new MapConfig("__vertx.nodeInfo").setBackupCount(1));

        config.addListenerConfig(new ListenerConfig(membership));
        return config;
    }
}
