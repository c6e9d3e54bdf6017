package io.trademesh.platform.store;

/** An engine's serialized state after applying every command up to {@code sequence}. */
public record Snapshot(long sequence, byte[] state) {
}
