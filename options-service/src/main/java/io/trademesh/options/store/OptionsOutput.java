package io.trademesh.options.store;

import io.trademesh.options.engine.Expiry;
import io.trademesh.options.engine.Instrument;
import io.trademesh.options.engine.MarginAccount;
import io.trademesh.options.engine.OptionsEngine;
import io.trademesh.options.engine.OptionsListener;
import io.trademesh.options.engine.OptionsRejectReason;
import io.trademesh.options.engine.Position;
import io.trademesh.options.engine.Underlying;
import io.trademesh.platform.events.Addresses;
import io.trademesh.platform.trading.BookOutput;
import io.trademesh.platform.trading.OrderBookView;
import io.trademesh.proto.events.AccountEvent;
import io.trademesh.proto.options.ChainReply;
import io.trademesh.proto.options.OptionLiquidation;
import io.trademesh.proto.options.OptionsCommand;
import java.util.List;
import java.util.logging.Logger;

/**
 * options' outputs: what every order-book product puts out ({@link BookOutput}) plus replies
 * to creating chains and setting underlyings and surfaces, position updates on the account
 * streams, and public liquidations.
 */
public final class OptionsOutput extends BookOutput implements OptionsListener {

    private static final Logger LOG = Logger.getLogger(OptionsOutput.class.getName());

    private OptionsEngine engine;

    public OptionsOutput(OrderBookView view) {
        super(view, "OPTIONS");
    }

    public void attach(OptionsEngine engine) {
        this.engine = engine;
        super.attach(engine);
    }

    /** Starts a journaled options command; {@code collect} false during replay. */
    public void begin(long nowMs, OptionsCommand c, boolean collect) {
        switch (c.getCommandCase()) {
            case PLACE_ORDER -> begin(nowMs, Kind.PLACE_ORDER, c.getPlaceOrder().getAccountId(), c.getPlaceOrder(),
                    collect);
            case AMEND_ORDER -> begin(nowMs, Kind.AMEND_ORDER, c.getAmendOrder().getAccountId(), null, collect);
            case CANCEL_ORDER -> begin(nowMs, Kind.CANCEL_ORDER, c.getCancelOrder().getAccountId(), null, collect);
            case CANCEL_ALL -> begin(nowMs, Kind.CANCEL_ALL, c.getCancelAll().getAccountId(), null, collect);
            case CREDIT, DEBIT -> begin(nowMs, Kind.TRANSFER, 0, null, collect);
            default -> begin(nowMs, Kind.OTHER, 0, null, collect);
        }
    }

    @Override
    public void onChainCreated(Expiry expiry, List<Instrument> created) {
        ChainReply.Builder reply = ChainReply.newBuilder();
        for (Instrument x : created) {
            view.marketCreated(x.id());
            reply.addInstruments(OptionsProto.market(x));
        }
        if (collecting()) {
            reply(reply.build());
            LOG.info("chain created: " + expiry.underlying().name() + " expiring " + expiry.expiryMs() + ", "
                    + created.size() + " instruments");
        }
    }

    @Override
    public void onUnderlyingChanged(Underlying underlying) {
        if (collecting()) {
            reply(OptionsProto.underlying(underlying, nowMs()));
        }
    }

    @Override
    public void onRefused(OptionsRejectReason reason) {
        refused(reason);
    }

    @Override
    public void onCommandDone() {
        ownPartDone();
    }

    @Override
    public void onAccountChanged(long accountId) {
        if (!collecting()) {
            return;
        }
        MarginAccount a = engine.marginAccount(accountId);
        if (a == null) {
            return;
        }
        for (Position p : a.positions()) {
            account(accountId, AccountEvent.newBuilder().setOptionPosition(OptionsProto.position(engine, p, nowMs())));
        }
    }

    @Override
    public void onLiquidation(Instrument instrument, long accountId, long price, long quantity, long fee) {
        String market = instrument.spec().symbol();
        publish(Addresses.liquidations(market), OptionLiquidation.newBuilder().setMarket(market)
                .setAccountId(accountId).setPrice(price).setQuantity(quantity).setFee(fee).setTimestampMs(nowMs())
                .build().toByteArray());
        if (collecting()) {
            LOG.info("liquidation: account " + accountId + " bought back " + quantity + " of " + market + " at "
                    + price + ", fee " + fee);
        }
    }

    @Override
    public void onSettled(Expiry expiry, long price) {
        if (collecting()) {
            LOG.info("settled: " + expiry.underlying().name() + " expiring " + expiry.expiryMs() + " at " + price);
        }
    }
}
