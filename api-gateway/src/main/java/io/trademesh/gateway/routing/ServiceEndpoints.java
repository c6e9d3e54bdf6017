package io.trademesh.gateway.routing;

import io.trademesh.gateway.api.ApiError;
import io.trademesh.platform.cluster.ServiceDirectory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Where each service's instances are, from the cluster's service directory, refreshed every second. */
public final class ServiceEndpoints {

    private final ServiceDirectory directory;
    private final Map<String, List<ServiceDirectory.Instance>> byService = new ConcurrentHashMap<>();

    public ServiceEndpoints(Vertx vertx) {
        this.directory = new ServiceDirectory(vertx);
    }

    public Future<Void> refresh(String... services) {
        Future<Void> all = Future.succeededFuture();
        for (String s : services) {
            all = all.compose(v -> directory.instances(s).map(list -> {
                byService.put(s, list);
                return (Void) null;
            }));
        }
        return all;
    }

    /** The endpoint of {@code service}'s instance {@code instanceId}, or null when the directory has none. */
    public String endpoint(String service, String instanceId) {
        List<ServiceDirectory.Instance> list = byService.get(service);
        if (list != null) {
            for (ServiceDirectory.Instance i : list) {
                if (i.instanceId().equals(instanceId)) {
                    return i.grpcEndpoint();
                }
            }
        }
        return null;
    }

    /** The endpoint of the first instance of {@code service}, or a 503 refusal when none is up. */
    public String require(String service) {
        List<ServiceDirectory.Instance> list = byService.get(service);
        if (list == null || list.isEmpty()) {
            throw ApiError.unavailable(service + " is not running");
        }
        return list.get(0).grpcEndpoint();
    }
}
