package io.trademesh.risk.api;

import io.trademesh.proto.common.Ticker;
import io.trademesh.proto.spot.ListMarketsRequest;
import io.trademesh.proto.spot.MarketList;
import io.trademesh.proto.spot.SpotServiceGrpcClient;
import io.trademesh.proto.spot.TickerRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;

/**
 * risk-service's market-data calls to spot instances, at the endpoints the market directory
 * names: the index prices follow spot's books. Money goes through {@link WalletClients}.
 */
public final class SpotClient {

    public static final long QUERY_TIMEOUT_MS = 3_000;

    private final GrpcClient client;

    public SpotClient(Vertx vertx) {
        this.client = GrpcCalls.client(vertx, 1_000);
    }

    /** The markets of the spot instance at {@code at} (from the market directory). */
    public Future<MarketList> markets(SocketAddress at) {
        return GrpcCalls.unary(client, at, SpotServiceGrpcClient.ListMarkets, ListMarketsRequest.getDefaultInstance(),
                QUERY_TIMEOUT_MS);
    }

    public Future<Ticker> ticker(SocketAddress at, String market) {
        return GrpcCalls.unary(client, at, SpotServiceGrpcClient.GetTicker,
                TickerRequest.newBuilder().setMarket(market).build(), QUERY_TIMEOUT_MS);
    }
}
