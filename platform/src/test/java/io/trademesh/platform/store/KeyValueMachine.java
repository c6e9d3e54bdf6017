package io.trademesh.platform.store;

import io.trademesh.proto.journal.JournalRecord;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * A small deterministic engine for store tests: commands are "key=value" strings; the
 * state is the sorted map, and its snapshot the map serialized.
 */
class KeyValueMachine implements StateMachine {

    final TreeMap<String, String> state = new TreeMap<>();
    long lastSequence;
    int restores;

    /** Applies a command live, the way a service would before journaling it. */
    void apply(long sequence, String command) {
        int eq = command.indexOf('=');
        state.put(command.substring(0, eq), command.substring(eq + 1));
        lastSequence = sequence;
    }

    @Override
    public void restore(long sequence, byte[] bytes) throws IOException {
        state.clear();
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes));
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            state.put(in.readUTF(), in.readUTF());
        }
        lastSequence = sequence;
        restores++;
    }

    @Override
    public void replay(JournalRecord record) {
        apply(record.getSequence(), record.getCommand().toString(StandardCharsets.UTF_8));
    }

    Snapshot snapshot() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(state.size());
            for (Map.Entry<String, String> e : state.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeUTF(e.getValue());
            }
            out.flush();
            return new Snapshot(lastSequence, bytes.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
