package io.trademesh.platform.store;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;

/**
 * An engine's serialized state after applying every command up to {@code sequence}. The bytes
 * are a {@link ByteString}, so that a large state can stay in the chunks it was written in
 * rather than be copied into one array on its way to the store.
 */
public record Snapshot(long sequence, ByteString bytes) {

    /** A snapshot of {@code state}, which the caller no longer changes. */
    public Snapshot(long sequence, byte[] state) {
        this(sequence, UnsafeByteOperations.unsafeWrap(state));
    }

    /** The state as one new array: a copy, for tests and small states. */
    public byte[] state() {
        return bytes.toByteArray();
    }
}
