package io.trademesh.platform.cluster;

import com.google.protobuf.InvalidProtocolBufferException;
import io.trademesh.proto.common.MarketLocation;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.shareddata.AsyncMap;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The cluster's market directory: market symbol -> where it lives (product, shard, owning
 * instance, its gRPC endpoint), in a Hazelcast map shared by every member. The owner
 * writes its markets at every start (a pod's address changes across restarts); the
 * gateway reads it to route. Nothing here is money: the owner's journal is the truth.
 */
public final class MarketDirectory {

    public static final String MAP_NAME = "trademesh.market-directory";

    private final Vertx vertx;

    public MarketDirectory(Vertx vertx) {
        this.vertx = vertx;
    }

    private Future<AsyncMap<String, Buffer>> map() {
        try {
            return vertx.sharedData().getAsyncMap(MAP_NAME);
        } catch (RuntimeException clusterGone) {   // a periodic refresh while the member shuts down
            return Future.failedFuture(clusterGone);
        }
    }

    public Future<Void> register(MarketLocation location) {
        return map().compose(m -> m.put(location.getMarket(), Buffer.buffer(location.toByteArray())));
    }

    /** The market's location, or null when no instance has registered it. */
    public Future<MarketLocation> lookup(String market) {
        return map().compose(m -> m.get(market)).map(MarketDirectory::decode);
    }

    /** Every registered market, by symbol. */
    public Future<List<MarketLocation>> all() {
        return map().compose(AsyncMap::entries).map(entries -> {
            List<MarketLocation> out = new ArrayList<>();
            entries.values().forEach(b -> out.add(decode(b)));
            out.sort(Comparator.comparing(MarketLocation::getMarket));
            return out;
        });
    }

    private static MarketLocation decode(Buffer b) {
        if (b == null) {
            return null;
        }
        try {
            return MarketLocation.parseFrom(b.getBytes());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("corrupt market directory entry", e);
        }
    }
}
