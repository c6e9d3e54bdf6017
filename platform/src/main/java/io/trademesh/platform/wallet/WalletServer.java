package io.trademesh.platform.wallet;

import com.google.protobuf.MessageLite;
import io.trademesh.platform.engine.CommandShard;
import io.trademesh.platform.engine.JournaledStateMachine;
import io.trademesh.platform.engine.Outcome;
import io.trademesh.platform.errors.Refusals;
import io.trademesh.proto.wallet.BalanceList;
import io.trademesh.proto.wallet.BalancesRequest;
import io.trademesh.proto.wallet.TotalsRequest;
import io.trademesh.proto.wallet.Wallet;
import io.trademesh.proto.wallet.WalletServiceService;
import io.trademesh.proto.wallet.WalletTotals;
import io.trademesh.proto.wallet.WalletTransferReply;
import io.trademesh.proto.wallet.WalletTransferRequest;
import io.vertx.core.Future;
import java.util.List;
import java.util.function.Function;

/**
 * A product's side of the wallet contract, the same in every product: risk-service's credits
 * and debits are checked at the edge and become the product's journaled commands; balances
 * and totals are read between commands.
 *
 * @param <M> the product's state machine
 * @param <C> its journaled command
 */
public final class WalletServer<M extends JournaledStateMachine<C, Outcome> & WalletServer.Owner, C extends MessageLite>
        extends WalletServiceService {

    /** The product's wallets as the contract reads them. */
    public interface Owner {
        /** One account's balance in every asset of the product. */
        BalanceList balances(long accountId);

        /** Per-asset totals and which of {@code transferIds} were applied (see WalletContract.totals). */
        WalletTotals.Builder totals(List<String> transferIds);
    }

    private final CommandShard<M, C, Outcome> shard;
    private final Function<WalletTransferRequest, C> credit;
    private final Function<WalletTransferRequest, C> debit;
    private final long venueAccount;
    private final Wallet wallet;
    private final int shardId;
    private final String instance;

    public WalletServer(CommandShard<M, C, Outcome> shard, Function<WalletTransferRequest, C> credit,
                        Function<WalletTransferRequest, C> debit, long venueAccount, Wallet wallet, int shardId,
                        String instance) {
        this.shard = shard;
        this.credit = credit;
        this.debit = debit;
        this.venueAccount = venueAccount;
        this.wallet = wallet;
        this.shardId = shardId;
        this.instance = instance;
    }

    @Override
    public Future<WalletTransferReply> credit(WalletTransferRequest r) {
        return transfer(r, credit);
    }

    @Override
    public Future<WalletTransferReply> debit(WalletTransferRequest r) {
        return transfer(r, debit);
    }

    private Future<WalletTransferReply> transfer(WalletTransferRequest r, Function<WalletTransferRequest, C> command) {
        String bad = WalletContract.checkTransfer(r, venueAccount);
        if (bad != null) {
            return Future.failedFuture(Refusals.of(WalletRefusal.INVALID_TRANSFER, bad));
        }
        return shard.submit(command.apply(r)).map(o -> (WalletTransferReply) o.reply());
    }

    @Override
    public Future<BalanceList> balances(BalancesRequest r) {
        return shard.query(m -> m.balances(r.getAccountId()));
    }

    @Override
    public Future<WalletTotals> totals(TotalsRequest r) {
        return shard.query(m -> m.totals(r.getTransferIdsList()).setWallet(wallet).setShard(shardId)
                .setServiceInstance(instance).build());
    }
}
