package io.trademesh.futures.store;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.trademesh.futures.engine.FuturesEngine;
import io.trademesh.platform.engine.JournaledStateMachine;
import io.trademesh.platform.engine.Outcome;
import io.trademesh.platform.trading.BookMarkets;
import io.trademesh.platform.trading.BookMetrics;
import io.trademesh.platform.trading.BookState;
import io.trademesh.platform.trading.OrderBookView;
import io.trademesh.platform.wallet.WalletContract;
import io.trademesh.platform.wallet.WalletServer;
import io.trademesh.proto.common.Market;
import io.trademesh.proto.futures.FuturesCommand;
import io.trademesh.proto.wallet.BalanceList;
import io.trademesh.proto.wallet.Wallet;
import io.trademesh.proto.wallet.WalletTotals;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.List;

/**
 * futures-service's whole state as the store sees it: the engine and the view built from its
 * events. A snapshot is the engine's bytes followed by the view's; replay applies each
 * journaled {@link FuturesCommand} exactly as it was applied live, minus the publishing.
 */
public final class FuturesStateMachine extends JournaledStateMachine<FuturesCommand, Outcome>
        implements BookState, WalletServer.Owner {

    private final OrderBookView view = new OrderBookView();
    private final FuturesOutput output = new FuturesOutput(view);
    private final FuturesEngine engine = new FuturesEngine(output);
    private final FuturesCommandApplier applier = new FuturesCommandApplier(engine, output);

    public FuturesStateMachine() {
        super("futures");
        output.attach(engine);
    }

    public FuturesEngine engine() {
        return engine;
    }

    @Override
    public OrderBookView view() {
        return view;
    }

    @Override
    public BookMarkets markets() {
        return engine;
    }

    @Override
    public Market market(int marketId) {
        return FuturesProto.market(engine.contract(marketId));
    }

    /** Live commands count into {@code metrics} from now on. */
    public void countInto(BookMetrics metrics) {
        output.countInto(metrics);
    }

    @Override
    public BalanceList balances(long accountId) {
        return WalletContract.balances(engine.wallets(), accountId, engine.assets().symbols());
    }

    /** The wallets' totals plus the insurance fund, deficits and open positions' costs per asset. */
    @Override
    public WalletTotals.Builder totals(List<String> transferIds) {
        return WalletContract.withTerms(WalletContract.totals(engine.ledger(), engine.assets().symbols(),
                Wallet.WALLET_FUTURES, 0, "", transferIds), (symbol, line) -> {
                    int asset = engine.assets().id(symbol);
                    line.setInsurance(engine.insurance(asset)).setDeficits(engine.deficit(asset))
                            .setPositionCosts(engine.positionCosts(asset));
                });
    }

    @Override
    protected FuturesCommand parse(ByteString command) throws InvalidProtocolBufferException {
        return FuturesCommand.parseFrom(command);
    }

    @Override
    public Outcome apply(long nowMs, FuturesCommand command, boolean live) {
        return applier.apply(nowMs, command, live);
    }

    @Override
    protected void writeState(DataOutput out) throws IOException {
        engine.writeSnapshot(out);
        view.write(out);
    }

    @Override
    protected void readState(DataInput in) throws IOException {
        engine.readSnapshot(in);
        view.read(in, 2);
    }
}
