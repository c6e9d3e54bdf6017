package io.trademesh.platform.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Which service instances are up and where their gRPC endpoints are: instance id ->
 * {service, instance, grpc}. Every service registers itself once started (the launcher does
 * it) and removes itself when stopping; entries of a killed instance are overwritten when
 * it restarts under the same instance id. Callers that need "the spot-service" pick an
 * instance from {@link #instances}.
 */
public final class ServiceDirectory {

    public static final String MAP_NAME = "trademesh.service-directory";

    /** One registered instance. */
    public record Instance(String service, String instanceId, String grpcEndpoint) {
    }

    private final Vertx vertx;

    public ServiceDirectory(Vertx vertx) {
        this.vertx = vertx;
    }

    private Future<AsyncMap<String, JsonObject>> map() {
        try {
            return vertx.sharedData().getAsyncMap(MAP_NAME);
        } catch (RuntimeException clusterGone) {   // a periodic refresh while the member shuts down
            return Future.failedFuture(clusterGone);
        }
    }

    public Future<Void> register(Instance instance) {
        return map().compose(m -> m.put(instance.instanceId(), new JsonObject()
                .put("service", instance.service())
                .put("instance", instance.instanceId())
                .put("grpc", instance.grpcEndpoint())));
    }

    public Future<Void> unregister(String instanceId) {
        return map().compose(m -> m.remove(instanceId)).mapEmpty();
    }

    /** The registered instances of {@code service}, by instance id. */
    public Future<List<Instance>> instances(String service) {
        return map().compose(AsyncMap::entries).map(entries -> {
            List<Instance> out = new ArrayList<>();
            for (JsonObject j : entries.values()) {
                if (service.equals(j.getString("service"))) {
                    out.add(new Instance(j.getString("service"), j.getString("instance"), j.getString("grpc")));
                }
            }
            out.sort(Comparator.comparing(Instance::instanceId));
            return out;
        });
    }
}
