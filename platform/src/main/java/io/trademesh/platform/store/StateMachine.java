package io.trademesh.platform.store;

import com.google.protobuf.ByteString;

import io.trademesh.proto.journal.JournalRecord;

/**
 * What a service's engine gives the store so the store can rebuild it on start-up:
 * restore from a snapshot, then re-apply every journaled command after it.
 * Both run on the recovering thread before the service takes any request.
 */
public interface StateMachine {

    /** Replace all state with the snapshot's; {@code sequence} is the last command it includes. */
    void restore(long sequence, byte[] state) throws Exception;

    /**
     * As {@link #restore(long, byte[])}, from the stored bytes as they are; the store calls this one. A machine with
     * a large state reads it without copying (the default copies).
     */
    default void restore(long sequence, ByteString state) throws Exception {
        restore(sequence, state.toByteArray());
    }

    /** Re-apply one journaled command, in sequence order, exactly as it was applied live. */
    void replay(JournalRecord record) throws Exception;
}
