package io.trademesh.spot.api;

import io.trademesh.platform.engine.Outcome;
import io.trademesh.platform.engine.CommandShard;
import io.trademesh.platform.errors.Refusals;
import io.trademesh.platform.wallet.WalletContract;
import io.trademesh.platform.wallet.WalletRefusal;
import io.trademesh.proto.spot.SpotCommand;
import io.trademesh.proto.wallet.BalanceList;
import io.trademesh.proto.wallet.BalancesRequest;
import io.trademesh.proto.wallet.TotalsRequest;
import io.trademesh.proto.wallet.Wallet;
import io.trademesh.proto.wallet.WalletServiceService;
import io.trademesh.proto.wallet.WalletTotals;
import io.trademesh.proto.wallet.WalletTransferReply;
import io.trademesh.proto.wallet.WalletTransferRequest;
import io.trademesh.spot.engine.SpotEngine;
import io.trademesh.spot.store.SpotStateMachine;
import io.vertx.core.Future;

/**
 * spot's side of the wallet contract: risk-service's credits and debits become journaled
 * commands; balances and totals are read between commands.
 */
public final class SpotWalletService extends WalletServiceService {

    private final CommandShard<SpotStateMachine, SpotCommand, Outcome> shard;
    private final int shardId;
    private final String instance;

    public SpotWalletService(CommandShard<SpotStateMachine, SpotCommand, Outcome> shard, int shardId,
                             String instance) {
        this.shard = shard;
        this.shardId = shardId;
        this.instance = instance;
    }

    @Override
    public Future<WalletTransferReply> credit(WalletTransferRequest r) {
        return transfer(r, SpotCommand.newBuilder().setCredit(r));
    }

    @Override
    public Future<WalletTransferReply> debit(WalletTransferRequest r) {
        return transfer(r, SpotCommand.newBuilder().setDebit(r));
    }

    private Future<WalletTransferReply> transfer(WalletTransferRequest r, SpotCommand.Builder command) {
        String bad = WalletContract.checkTransfer(r, SpotEngine.FEE_ACCOUNT);
        if (bad != null) {
            return Future.failedFuture(Refusals.of(WalletRefusal.INVALID_TRANSFER, bad));
        }
        return shard.submit(command.build()).map(o -> (WalletTransferReply) o.reply());
    }

    @Override
    public Future<BalanceList> balances(BalancesRequest r) {
        return shard.query(m -> WalletContract.balances(m.engine().wallets(), r.getAccountId(), m.engine().assets().symbols()));
    }

    @Override
    public Future<WalletTotals> totals(TotalsRequest r) {
        return shard.query(m -> WalletContract.totals(m.engine().ledger(), m.engine().assets().symbols(), Wallet.WALLET_SPOT,
                shardId, instance, r.getTransferIdsList()).build());
    }
}
