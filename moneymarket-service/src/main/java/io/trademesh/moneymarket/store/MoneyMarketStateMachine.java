package io.trademesh.moneymarket.store;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.trademesh.moneymarket.engine.MoneyMarketEngine;
import io.trademesh.moneymarket.engine.MoneyMarketRejectReason;
import io.trademesh.moneymarket.engine.Pool;
import io.trademesh.platform.engine.JournaledStateMachine;
import io.trademesh.platform.engine.Outcome;
import io.trademesh.platform.wallet.WalletContract;
import io.trademesh.platform.wallet.WalletServer;
import io.trademesh.proto.moneymarket.ActionRequest;
import io.trademesh.proto.moneymarket.MoneyMarketCommand;
import io.trademesh.proto.wallet.BalanceList;
import io.trademesh.proto.wallet.Wallet;
import io.trademesh.proto.wallet.WalletTotals;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.List;

/**
 * moneymarket-service's whole state as the store sees it: the engine. Each journaled
 * {@link MoneyMarketCommand} is applied here, live and in replay alike; a snapshot is the
 * engine's bytes.
 */
public final class MoneyMarketStateMachine extends JournaledStateMachine<MoneyMarketCommand, Outcome>
        implements WalletServer.Owner {

    private final MoneyMarketOutput output = new MoneyMarketOutput();
    private final MoneyMarketEngine engine = new MoneyMarketEngine(output);

    public MoneyMarketStateMachine() {
        super("moneymarket");
        output.attach(engine);
    }

    public MoneyMarketEngine engine() {
        return engine;
    }

    @Override
    protected MoneyMarketCommand parse(ByteString command) throws InvalidProtocolBufferException {
        return MoneyMarketCommand.parseFrom(command);
    }

    @Override
    public Outcome apply(long nowMs, MoneyMarketCommand c, boolean live) {
        output.begin(nowMs, c, live);
        switch (c.getCommandCase()) {
            case CREATE_POOL -> engine.createPool(nowMs, MoneyMarketProto.terms(c.getCreatePool().getParams()));
            case UPDATE_POOL -> engine.updatePool(nowMs, MoneyMarketProto.terms(c.getUpdatePool().getParams()));
            case SET_CATEGORY -> engine.setCategory(nowMs, MoneyMarketProto.category(c.getSetCategory().getCategory()));
            case ACTION -> act(nowMs, c.getAction());
            case LIQUIDATE -> {
                var l = c.getLiquidate();
                engine.liquidate(nowMs, l.getLiquidatorId(), l.getAccountId(), l.getDebtAsset(),
                        l.getCollateralAsset(), l.getAmount(), l.getClientActionId());
            }
            case CREDIT -> {
                var t = c.getCredit();
                engine.credit(nowMs, t.getTransferId(), t.getAccountId(), t.getAsset(), t.getAmount());
            }
            case DEBIT -> {
                var t = c.getDebit();
                engine.debit(nowMs, t.getTransferId(), t.getAccountId(), t.getAsset(), t.getAmount());
            }
            case INDEX_PRICE -> {
                var i = c.getIndexPrice();
                engine.indexPrice(nowMs, i.getAsset(), i.getQuote(), i.getPrice(), i.getPriceScale());
            }
            case TICK -> engine.tick(nowMs);
            default -> throw new IllegalArgumentException("empty or unknown money-market command: " + c);
        }
        return output.finish();
    }

    private void act(long nowMs, ActionRequest a) {
        long account = a.getAccountId();
        String id = a.getClientActionId();
        switch (a.getKind()) {
            case ACTION_SUPPLY -> engine.supply(nowMs, account, a.getAsset(), a.getAmount(), id);
            case ACTION_WITHDRAW -> engine.withdraw(nowMs, account, a.getAsset(), a.getAmount(), a.getAll(), id);
            case ACTION_BORROW -> engine.borrow(nowMs, account, a.getAsset(), a.getAmount(), id);
            case ACTION_REPAY -> engine.repay(nowMs, account, a.getAsset(), a.getAmount(), a.getAll(), id);
            case ACTION_COLLATERAL -> engine.setCollateral(nowMs, account, a.getAsset(), a.getEnable(), id);
            case ACTION_CATEGORY -> engine.chooseCategory(nowMs, account, a.getCategory(), id);
            default -> output.refused(MoneyMarketRejectReason.INVALID_ACTION);
        }
    }

    @Override
    public BalanceList balances(long accountId) {
        return WalletContract.balances(engine.wallets(), accountId, engine.assets().symbols());
    }

    /** The wallets' totals plus, per asset, the pool's supplied, borrowed, reserves and deficit. */
    @Override
    public WalletTotals.Builder totals(List<String> transferIds) {
        return WalletContract.withTerms(WalletContract.totals(engine.ledger(), engine.assets().symbols(),
                Wallet.WALLET_MONEY_MARKET, 0, "", transferIds), (symbol, line) -> {
                    Pool p = engine.pool(symbol);
                    line.setSupplied(p.supplied()).setBorrowed(p.borrowed()).setReserves(p.reserves())
                            .setDeficits(p.deficit());
                });
    }

    @Override
    protected void writeState(DataOutput out) throws IOException {
        engine.writeSnapshot(out);
    }

    @Override
    protected void readState(DataInput in) throws IOException {
        engine.readSnapshot(in);
    }
}
