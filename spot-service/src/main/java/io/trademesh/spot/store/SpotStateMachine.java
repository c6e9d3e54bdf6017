package io.trademesh.spot.store;

import io.trademesh.platform.engine.Outcome;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.trademesh.platform.engine.JournaledStateMachine;
import io.trademesh.proto.spot.SpotCommand;
import io.trademesh.spot.engine.SpotEngine;
import io.trademesh.platform.trading.OrderBookView;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * spot-service's whole state as the store sees it: the engine and the view built from its
 * events. A snapshot is the engine's bytes followed by the view's; replay applies each
 * journaled {@link SpotCommand} exactly as it was applied live, minus the publishing. spot
 * journals the current rules ({@code Rules}) at start when the engine is on older ones.
 */
public final class SpotStateMachine extends JournaledStateMachine<SpotCommand, Outcome> {

    private final OrderBookView view = new OrderBookView();
    private final SpotOutput output = new SpotOutput(view);
    /** Rules 1 until the journal says otherwise: a journal replays under the rules it was written by. */
    private final SpotEngine engine = new SpotEngine(output, 1);
    private final SpotCommandApplier applier = new SpotCommandApplier(engine, output);

    public SpotStateMachine() {
        super("spot", 64 * 1024);
        output.attach(engine);
    }

    public SpotEngine engine() {
        return engine;
    }

    public OrderBookView view() {
        return view;
    }

    /** Live commands count into {@code metrics} from now on. */
    public void countInto(SpotMetrics metrics) {
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
