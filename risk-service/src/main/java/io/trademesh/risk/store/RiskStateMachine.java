package io.trademesh.risk.store;

import com.google.protobuf.InvalidProtocolBufferException;
import io.trademesh.platform.store.Snapshot;
import io.trademesh.platform.store.StateMachine;
import io.trademesh.proto.journal.JournalRecord;
import io.trademesh.proto.risk.RiskCommand;
import io.trademesh.risk.api.RiskCommandApplier;
import io.trademesh.risk.engine.RiskEngine;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * risk-service's whole state as the store sees it: the engine. A snapshot is the engine's
 * bytes (layout drawn in {@link RiskEngine}); replay applies each journaled
 * {@link RiskCommand} at its journaled time exactly as it was applied live. API key secrets
 * are in both only sealed ({@link SecretBox}).
 */
public final class RiskStateMachine implements StateMachine {

    private final RiskEngine engine = new RiskEngine();
    private final RiskCommandApplier applier = new RiskCommandApplier(engine);

    public RiskEngine engine() {
        return engine;
    }

    public RiskCommandApplier applier() {
        return applier;
    }

    @Override
    public void restore(long sequence, byte[] state) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(state));
        engine.readSnapshot(in);
        if (in.read() != -1) {
            throw new IOException("risk snapshot has trailing bytes");
        }
    }

    @Override
    public void replay(JournalRecord record) throws InvalidProtocolBufferException {
        applier.apply(record.getTimestampMicros() / 1000, RiskCommand.parseFrom(record.getCommand()), false);
    }

    /** The state, which reflects every command up to {@code sequence}; on the engine's thread. */
    public Snapshot snapshot(long sequence) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 * 1024);
            DataOutputStream out = new DataOutputStream(bytes);
            engine.writeSnapshot(out);
            out.flush();
            return new Snapshot(sequence, bytes.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
