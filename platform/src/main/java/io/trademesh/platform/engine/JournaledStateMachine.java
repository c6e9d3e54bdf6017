package io.trademesh.platform.engine;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.UnsafeByteOperations;
import io.trademesh.platform.store.ByteStringInput;
import io.trademesh.platform.store.ChunkedOutput;
import io.trademesh.platform.store.Snapshot;
import io.trademesh.platform.store.StateMachine;
import io.trademesh.proto.journal.JournalRecord;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The one contract every service's state machine follows: commands of one protobuf type
 * {@code C}, each applied with its stamped time through {@link #apply}, the same method for
 * live commands and for replay; state written and read whole for snapshots. The store's
 * {@link StateMachine} side (restore, replay) and the snapshot are done here, once.
 *
 * @param <C> the journaled command
 * @param <O> what a live command produced (its reply and events)
 */
public abstract class JournaledStateMachine<C extends MessageLite, O> implements StateMachine {

    private final String name;

    /** @param name for messages ("spot", "risk") */
    protected JournaledStateMachine(String name) {
        this.name = name;
    }

    /** Parses one journaled command. */
    protected abstract C parse(ByteString command) throws InvalidProtocolBufferException;

    /**
     * Applies {@code command} at {@code nowMs}: live ({@code live}, returns the outcome) or in
     * replay (returns null; nothing is published). Deterministic: the same commands at the
     * same times give the same state.
     */
    public abstract O apply(long nowMs, C command, boolean live);

    /** Writes the whole state, deterministically: equal state, equal bytes. */
    protected abstract void writeState(DataOutput out) throws IOException;

    /** Replaces the whole state with what {@link #writeState} wrote. */
    protected abstract void readState(DataInput in) throws IOException;

    @Override
    public final void restore(long sequence, byte[] state) throws IOException {
        restore(sequence, UnsafeByteOperations.unsafeWrap(state));
    }

    /** Reads the state straight from the stored bytes, with no copy of them. */
    @Override
    public final void restore(long sequence, ByteString state) throws IOException {
        ByteStringInput in = new ByteStringInput(state);
        readState(in);
        if (!in.atEnd()) {
            throw new IOException(name + " snapshot has trailing bytes");
        }
    }

    @Override
    public final void replay(JournalRecord record) throws InvalidProtocolBufferException {
        apply(record.getTimestampMicros() / 1000, parse(record.getCommand()), false);
    }

    /** The state, which reflects every command up to {@code sequence}; on the engine's thread. */
    public final Snapshot snapshot(long sequence) {
        try {
            ChunkedOutput out = new ChunkedOutput();
            writeState(out);
            return new Snapshot(sequence, out.toByteString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
