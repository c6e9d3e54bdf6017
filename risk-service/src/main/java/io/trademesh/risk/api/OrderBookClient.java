package io.trademesh.risk.api;

import io.trademesh.platform.cluster.GrpcCalls;
import io.trademesh.proto.trading.OrderEntryGrpcClient;
import io.trademesh.proto.common.Ticker;
import io.trademesh.proto.trading.ListMarketsRequest;
import io.trademesh.proto.trading.MarketList;
import io.trademesh.proto.trading.TickerRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;

/**
 * risk-service's calls to the order-book products' shared {@code OrderEntry} contract, at the
 * endpoints the market directory names: the index prices follow the books' tickers. Money
 * goes through {@link WalletClients}.
 */
public final class OrderBookClient {

    public static final long QUERY_TIMEOUT_MS = 3_000;

    private final GrpcClient client;

    public OrderBookClient(Vertx vertx) {
        this.client = GrpcCalls.client(vertx, 1_000);
    }

    /** The markets of the instance at {@code at} (from the market directory). */
    public Future<MarketList> markets(SocketAddress at) {
        return GrpcCalls.unary(client, at, OrderEntryGrpcClient.ListMarkets, ListMarketsRequest.getDefaultInstance(),
                QUERY_TIMEOUT_MS);
    }

    public Future<Ticker> ticker(SocketAddress at, String market) {
        return GrpcCalls.unary(client, at, OrderEntryGrpcClient.GetTicker,
                TickerRequest.newBuilder().setMarket(market).build(), QUERY_TIMEOUT_MS);
    }
}
