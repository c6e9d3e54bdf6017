package io.trademesh.risk.store;

import io.trademesh.platform.engine.Outcome;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.trademesh.platform.engine.JournaledStateMachine;
import io.trademesh.proto.risk.RiskCommand;
import io.trademesh.risk.engine.RiskEngine;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * risk-service's whole state as the store sees it: the engine. A snapshot is the engine's
 * bytes (layout drawn in {@link RiskEngine}); replay applies each journaled
 * {@link RiskCommand} at its journaled time exactly as it was applied live. API key secrets
 * are in both only sealed ({@link SecretBox}).
 */
public final class RiskStateMachine extends JournaledStateMachine<RiskCommand, Outcome> {

    private final RiskEngine engine = new RiskEngine();
    private final RiskCommandApplier applier = new RiskCommandApplier(engine);

    public RiskStateMachine() {
        super("risk");
    }

    public RiskEngine engine() {
        return engine;
    }

    public RiskCommandApplier applier() {
        return applier;
    }

    @Override
    protected RiskCommand parse(ByteString command) throws InvalidProtocolBufferException {
        return RiskCommand.parseFrom(command);
    }

    @Override
    public Outcome apply(long nowMs, RiskCommand command, boolean live) {
        return applier.apply(nowMs, command, live);
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
