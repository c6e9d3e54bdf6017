package io.trademesh.risk.api;

import io.trademesh.platform.cluster.GrpcCalls;
import io.trademesh.platform.cluster.ServiceDirectory;
import io.trademesh.proto.wallet.BalanceList;
import io.trademesh.proto.wallet.BalancesRequest;
import io.trademesh.proto.wallet.TotalsRequest;
import io.trademesh.proto.wallet.WalletServiceGrpcClient;
import io.trademesh.proto.wallet.WalletTotals;
import io.trademesh.proto.wallet.WalletTransferReply;
import io.trademesh.proto.wallet.WalletTransferRequest;
import io.trademesh.risk.engine.WalletKind;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * risk-service's calls to the product wallets, one wallet contract for all: each product
 * service is found through the cluster's service directory. An endpoint is cached for a
 * few seconds and kept when the directory does not answer (it may be waiting on a member
 * that just died), so a restart on the same address is picked up at once and one on a new
 * address within seconds.
 */
public final class WalletClients {

    public static final long TRANSFER_TIMEOUT_MS = 3_000;
    public static final long BALANCES_TIMEOUT_MS = 1_000;
    public static final long TOTALS_TIMEOUT_MS = 3_000;
    private static final long ENDPOINT_TTL_MS = 5_000;
    private static final long DIRECTORY_TIMEOUT_MS = 2_000;

    private final GrpcClient client;
    private final ServiceDirectory directory;
    private final Map<WalletKind, Endpoint> endpoints = new EnumMap<>(WalletKind.class);

    public WalletClients(Vertx vertx, ServiceDirectory directory) {
        this.client = GrpcCalls.client(vertx, 1_000);
        this.directory = directory;
        for (WalletKind kind : WalletKind.values()) {
            if (kind.service() != null) {
                endpoints.put(kind, new Endpoint(kind.service()));
            }
        }
    }

    public Future<WalletTransferReply> credit(WalletKind wallet, WalletTransferRequest request) {
        return endpoint(wallet).compose(at -> GrpcCalls.unary(client, at, WalletServiceGrpcClient.Credit, request,
                TRANSFER_TIMEOUT_MS));
    }

    public Future<WalletTransferReply> debit(WalletKind wallet, WalletTransferRequest request) {
        return endpoint(wallet).compose(at -> GrpcCalls.unary(client, at, WalletServiceGrpcClient.Debit, request,
                TRANSFER_TIMEOUT_MS));
    }

    public Future<BalanceList> balances(WalletKind wallet, long accountId) {
        return endpoint(wallet).compose(at -> GrpcCalls.unary(client, at, WalletServiceGrpcClient.Balances,
                BalancesRequest.newBuilder().setAccountId(accountId).build(), BALANCES_TIMEOUT_MS));
    }

    public Future<WalletTotals> totals(WalletKind wallet, TotalsRequest request) {
        return endpoint(wallet).compose(at -> GrpcCalls.unary(client, at, WalletServiceGrpcClient.Totals, request,
                TOTALS_TIMEOUT_MS));
    }

    private Future<SocketAddress> endpoint(WalletKind wallet) {
        Endpoint e = endpoints.get(wallet);
        return e == null ? Future.failedFuture(new IllegalArgumentException(wallet + " is risk-service's own wallet"))
                : e.resolve();
    }

    /** One service's gRPC endpoint: one instance locally; the first by instance id otherwise. */
    private final class Endpoint {
        private final String service;
        private volatile SocketAddress known;
        private volatile long resolvedAtNanos;

        Endpoint(String service) {
            this.service = service;
        }

        Future<SocketAddress> resolve() {
            SocketAddress at = known;
            if (at != null && System.nanoTime() - resolvedAtNanos < TimeUnit.MILLISECONDS.toNanos(ENDPOINT_TTL_MS)) {
                return Future.succeededFuture(at);
            }
            return directory.instances(service).timeout(DIRECTORY_TIMEOUT_MS, TimeUnit.MILLISECONDS).compose(list -> {
                if (list.isEmpty()) {
                    return Future.failedFuture(new IllegalStateException("no " + service + " instance is registered"));
                }
                SocketAddress found = GrpcCalls.address(list.get(0).grpcEndpoint());
                known = found;
                resolvedAtNanos = System.nanoTime();
                return Future.succeededFuture(found);
            }).recover(e -> at != null ? Future.succeededFuture(at) : Future.failedFuture(e));
        }
    }
}
