package io.trademesh.spot.store;

import com.google.protobuf.InvalidProtocolBufferException;
import io.trademesh.platform.store.Snapshot;
import io.trademesh.platform.store.StateMachine;
import io.trademesh.proto.journal.JournalRecord;
import io.trademesh.proto.spot.SpotCommand;
import io.trademesh.spot.api.SpotCommandApplier;
import io.trademesh.spot.api.SpotOutput;
import io.trademesh.spot.engine.SpotEngine;
import io.trademesh.spot.engine.SpotView;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * spot-service's whole state as the store sees it: the engine and the view built from its
 * events. A snapshot is the engine's bytes followed by the view's; replay applies each
 * journaled {@link SpotCommand} exactly as it was applied live, minus the publishing.
 */
public final class SpotStateMachine implements StateMachine {

    private final SpotView view = new SpotView();
    private final SpotOutput output = new SpotOutput(view);
    private final SpotEngine engine = new SpotEngine(output);
    private final SpotCommandApplier applier = new SpotCommandApplier(engine, output);

    public SpotStateMachine() {
        output.attach(engine);
    }

    public SpotEngine engine() {
        return engine;
    }

    public SpotView view() {
        return view;
    }

    /** Live commands count into {@code metrics} from now on. */
    public void countInto(io.trademesh.spot.api.SpotMetrics metrics) {
        output.countInto(metrics);
    }

    public SpotCommandApplier applier() {
        return applier;
    }

    @Override
    public void restore(long sequence, byte[] state) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(state));
        view.read(in, engine.readSnapshot(in));
        if (in.read() != -1) {
            throw new IOException("spot snapshot has trailing bytes");
        }
    }

    @Override
    public void replay(JournalRecord record) throws InvalidProtocolBufferException {
        SpotCommand command = SpotCommand.parseFrom(record.getCommand());
        applier.apply(record.getTimestampMicros() / 1000, command, false);
    }

    /** The state, which reflects every command up to {@code sequence}; on the engine's thread. */
    public Snapshot snapshot(long sequence) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
            DataOutputStream out = new DataOutputStream(bytes);
            engine.writeSnapshot(out);
            view.write(out);
            out.flush();
            return new Snapshot(sequence, bytes.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
