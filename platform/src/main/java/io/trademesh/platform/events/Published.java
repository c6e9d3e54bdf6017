package io.trademesh.platform.events;

/** One event a command produced, to publish once the command is durable: its address and protobuf bytes. */
public record Published(String address, byte[] payload) {
}
