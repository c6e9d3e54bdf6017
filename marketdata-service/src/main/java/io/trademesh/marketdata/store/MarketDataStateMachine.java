package io.trademesh.marketdata.store;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.trademesh.marketdata.engine.MarketDataEngine;
import io.trademesh.platform.engine.JournaledStateMachine;
import io.trademesh.proto.common.PublicTrade;
import io.trademesh.proto.common.Side;
import io.trademesh.proto.futures.FundingEvent;
import io.trademesh.proto.marketdata.MarkSample;
import io.trademesh.proto.marketdata.MarketDataCommand;
import io.trademesh.proto.marketdata.PoolRateSample;
import io.trademesh.proto.marketdata.TradesObserved;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * marketdata-service's journaled state: each command is the public trades of one product
 * event batch, applied once (by batch sequence per source, then by trade id per market), so
 * replaying the journal, or a batch arriving again, gives the same candles and history; or
 * the mark prices, option volatilities and pool rates heard in one second and the funding
 * settlements read since the last look (each counted once per market and time, or per pool
 * or option and minute).
 * A live command answers how many of its trades were new.
 */
public final class MarketDataStateMachine extends JournaledStateMachine<MarketDataCommand, Integer> {

    private final MarketDataEngine engine = new MarketDataEngine();

    public MarketDataStateMachine() {
        super("marketdata");
    }

    public MarketDataEngine engine() {
        return engine;
    }

    @Override
    protected MarketDataCommand parse(ByteString command) throws InvalidProtocolBufferException {
        return MarketDataCommand.parseFrom(command);
    }

    @Override
    public Integer apply(long nowMs, MarketDataCommand command, boolean live) {
        if (command.hasMarks()) {
            int added = 0;
            for (MarkSample m : command.getMarks().getSamplesList()) {
                added += engine.onMark(m.getMarket(), m.getTimestampMs(), m.getPrice()) ? 1 : 0;
                if (m.getMarkIvE8() > 0) {
                    engine.onOptionMark(m.getMarket(), m.getTimestampMs(), m.getPrice(), m.getMarkIvE8(),
                            m.getIndexPrice());
                }
            }
            for (FundingEvent f : command.getMarks().getFundingList()) {
                added += engine.onFunding(f.getMarket(), f.getTimestampMs(), f.getRateE8(), f.getMarkPrice(),
                        f.getPaid()) ? 1 : 0;
            }
            for (PoolRateSample r : command.getMarks().getPoolRatesList()) {
                added += engine.onPoolRate(r.getAsset(), r.getTimestampMs(), r.getUtilizationE9(), r.getBorrowRateE9(),
                        r.getSupplyRateE9()) ? 1 : 0;
            }
            return added;
        }
        if (!command.hasTrades()) {
            throw new IllegalArgumentException("empty or unknown market-data command: " + command);
        }
        TradesObserved t = command.getTrades();
        if (!engine.beginBatch(t.getSourceService(), t.getSourceInstance(), t.getStartedAtMs(), t.getBatchSequence())) {
            return 0;
        }
        int added = 0;
        for (PublicTrade p : t.getTradesList()) {
            added += engine.onTrade(p.getMarket(), p.getTradeId(), p.getTimestampMs(), p.getPrice(), p.getQuantity(),
                    p.getQuoteQuantity(), p.getTakerSide() == Side.SIDE_BUY) ? 1 : 0;
        }
        return added;
    }

    @Override
    protected void writeState(DataOutput out) throws IOException {
        engine.write(out);
    }

    @Override
    protected void readState(DataInput in) throws IOException {
        engine.read(in);
    }
}
