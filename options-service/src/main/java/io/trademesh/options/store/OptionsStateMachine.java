package io.trademesh.options.store;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.trademesh.options.engine.OptionsEngine;
import io.trademesh.platform.engine.JournaledStateMachine;
import io.trademesh.platform.engine.Outcome;
import io.trademesh.platform.trading.BookMarkets;
import io.trademesh.platform.trading.BookMetrics;
import io.trademesh.platform.trading.BookState;
import io.trademesh.platform.trading.OrderBookView;
import io.trademesh.platform.wallet.WalletContract;
import io.trademesh.platform.wallet.WalletServer;
import io.trademesh.proto.common.Market;
import io.trademesh.proto.options.OptionsCommand;
import io.trademesh.proto.wallet.BalanceList;
import io.trademesh.proto.wallet.Wallet;
import io.trademesh.proto.wallet.WalletTotals;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.List;

/**
 * options-service's whole state as the store sees it: the engine and the view built from its
 * events. A snapshot is the engine's bytes followed by the view's; replay applies each
 * journaled {@link OptionsCommand} exactly as it was applied live, minus the publishing.
 */
public final class OptionsStateMachine extends JournaledStateMachine<OptionsCommand, Outcome>
        implements BookState, WalletServer.Owner {

    private final OrderBookView view = new OrderBookView();
    private final OptionsOutput output = new OptionsOutput(view);
    private final OptionsEngine engine = new OptionsEngine(output);
    private final OptionsCommandApplier applier = new OptionsCommandApplier(engine, output);

    public OptionsStateMachine() {
        super("options");
        output.attach(engine);
    }

    public OptionsEngine engine() {
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
        return OptionsProto.market(engine.instrument(marketId));
    }

    /** Live commands count into {@code metrics} from now on. */
    public void countInto(BookMetrics metrics) {
        output.countInto(metrics);
    }

    @Override
    public BalanceList balances(long accountId) {
        return WalletContract.balances(engine.wallets(), accountId, engine.assets().symbols());
    }

    /** The wallets' totals plus the insurance fund and deficits per asset (premium moves cash: no position term). */
    @Override
    public WalletTotals.Builder totals(List<String> transferIds) {
        return WalletContract.withTerms(WalletContract.totals(engine.ledger(), engine.assets().symbols(),
                Wallet.WALLET_OPTIONS, 0, "", transferIds), (symbol, line) -> {
                    int asset = engine.assets().id(symbol);
                    line.setInsurance(engine.insurance(asset)).setDeficits(engine.deficit(asset));
                });
    }

    @Override
    protected OptionsCommand parse(ByteString command) throws InvalidProtocolBufferException {
        return OptionsCommand.parseFrom(command);
    }

    @Override
    public Outcome apply(long nowMs, OptionsCommand command, boolean live) {
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
