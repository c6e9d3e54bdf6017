package io.trademesh.risk.api;

import io.trademesh.platform.cluster.ServiceDirectory;
import io.trademesh.proto.common.Ticker;
import io.trademesh.proto.spot.BalanceList;
import io.trademesh.proto.spot.BalancesRequest;
import io.trademesh.proto.spot.ListMarketsRequest;
import io.trademesh.proto.spot.MarketList;
import io.trademesh.proto.spot.SpotServiceGrpcClient;
import io.trademesh.proto.spot.TickerRequest;
import io.trademesh.proto.spot.WalletTransferReply;
import io.trademesh.proto.spot.WalletTransferRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import java.util.concurrent.TimeUnit;

/**
 * risk-service's calls to spot-service, found through the cluster's service directory. The
 * endpoint is cached for a few seconds and kept when the directory does not answer (it may
 * be waiting on a member that just died), so a spot restart on the same address is picked
 * up at once and one on a new address within seconds.
 */
public final class SpotClient {

    public static final String SERVICE = "spot-service";
    public static final long TRANSFER_TIMEOUT_MS = 3_000;
    public static final long BALANCES_TIMEOUT_MS = 1_000;
    public static final long QUERY_TIMEOUT_MS = 3_000;
    private static final long ENDPOINT_TTL_MS = 5_000;
    private static final long DIRECTORY_TIMEOUT_MS = 2_000;

    private final GrpcClient client;
    private final ServiceDirectory directory;
    private volatile SocketAddress endpoint;
    private volatile long resolvedAtNanos;

    public SpotClient(Vertx vertx, ServiceDirectory directory) {
        this.client = GrpcCalls.client(vertx, 1_000);
        this.directory = directory;
    }

    /** Where spot-service's gRPC is: one instance locally; the first by instance id otherwise. */
    public Future<SocketAddress> endpoint() {
        SocketAddress known = endpoint;
        if (known != null && System.nanoTime() - resolvedAtNanos < TimeUnit.MILLISECONDS.toNanos(ENDPOINT_TTL_MS)) {
            return Future.succeededFuture(known);
        }
        return directory.instances(SERVICE).timeout(DIRECTORY_TIMEOUT_MS, TimeUnit.MILLISECONDS).compose(list -> {
            if (list.isEmpty()) {
                return Future.failedFuture(new IllegalStateException("no " + SERVICE + " instance is registered"));
            }
            SocketAddress at = address(list.get(0).grpcEndpoint());
            endpoint = at;
            resolvedAtNanos = System.nanoTime();
            return Future.succeededFuture(at);
        }).recover(e -> known != null ? Future.succeededFuture(known) : Future.failedFuture(e));
    }

    /** Parses "host:port". */
    public static SocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("endpoint '" + hostPort + "' is not host:port");
        }
        return SocketAddress.inetSocketAddress(Integer.parseInt(hostPort.substring(colon + 1)),
                hostPort.substring(0, colon));
    }

    public Future<WalletTransferReply> credit(WalletTransferRequest request) {
        return endpoint().compose(at -> GrpcCalls.unary(client, at, SpotServiceGrpcClient.Credit, request,
                TRANSFER_TIMEOUT_MS));
    }

    public Future<WalletTransferReply> debit(WalletTransferRequest request) {
        return endpoint().compose(at -> GrpcCalls.unary(client, at, SpotServiceGrpcClient.Debit, request,
                TRANSFER_TIMEOUT_MS));
    }

    public Future<BalanceList> balances(long accountId) {
        return endpoint().compose(at -> GrpcCalls.unary(client, at, SpotServiceGrpcClient.GetBalances,
                BalancesRequest.newBuilder().setAccountId(accountId).build(), BALANCES_TIMEOUT_MS));
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
