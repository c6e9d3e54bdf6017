package io.trademesh.spot.store;

import io.trademesh.platform.engine.Outcome;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.trademesh.platform.engine.JournaledStateMachine;
import io.trademesh.proto.spot.SpotCommand;
import io.trademesh.spot.engine.SpotEngine;
import io.trademesh.platform.trading.BookMarkets;
import io.trademesh.platform.trading.BookMetrics;
import io.trademesh.platform.trading.BookState;
import io.trademesh.platform.trading.OrderBookView;
import io.trademesh.platform.wallet.WalletContract;
import io.trademesh.platform.wallet.WalletServer;
import io.trademesh.proto.common.Market;
import io.trademesh.proto.common.Product;
import io.trademesh.proto.wallet.BalanceList;
import io.trademesh.proto.wallet.Wallet;
import io.trademesh.proto.wallet.WalletTotals;
import java.util.List;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * spot-service's whole state as the store sees it: the engine and the view built from its
 * events. A snapshot is the engine's bytes followed by the view's; replay applies each
 * journaled {@link SpotCommand} exactly as it was applied live, minus the publishing. spot
 * journals the current rules ({@code Rules}) at start when the engine is on older ones.
 */
public final class SpotStateMachine extends JournaledStateMachine<SpotCommand, Outcome>
        implements BookState, WalletServer.Owner {

    private final OrderBookView view = new OrderBookView();
    private final SpotOutput output = new SpotOutput(view);
    /** Rules 1 until the journal says otherwise: a journal replays under the rules it was written by. */
    private final SpotEngine engine = new SpotEngine(output, 1);
    private final SpotCommandApplier applier = new SpotCommandApplier(engine, output);

    public SpotStateMachine() {
        super("spot");
        output.attach(engine);
    }

    public SpotEngine engine() {
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
        return engine.market(marketId).spec().toProto(Product.PRODUCT_SPOT).build();
    }

    @Override
    public BalanceList balances(long accountId) {
        return WalletContract.balances(engine.wallets(), accountId, engine.assets().symbols());
    }

    @Override
    public WalletTotals.Builder totals(List<String> transferIds) {
        return WalletContract.totals(engine.ledger(), engine.assets().symbols(), Wallet.WALLET_SPOT, 0, "",
                transferIds);
    }

    /** Live commands count into {@code metrics} from now on. */
    public void countInto(BookMetrics metrics) {
        output.countInto(metrics);
    }

    @Override
    protected SpotCommand parse(ByteString command) throws InvalidProtocolBufferException {
        return SpotCommand.parseFrom(command);
    }

    @Override
    public Outcome apply(long nowMs, SpotCommand command, boolean live) {
        return applier.apply(nowMs, command, live);
    }

    @Override
    protected void writeState(DataOutput out) throws IOException {
        engine.writeSnapshot(out);
        view.write(out);
    }

    @Override
    protected void readState(DataInput in) throws IOException {
        view.read(in, engine.readSnapshot(in));
    }
}
