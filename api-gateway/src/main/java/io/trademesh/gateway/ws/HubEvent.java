package io.trademesh.gateway.ws;

import io.vertx.core.buffer.Buffer;
import java.util.function.Function;

/**
 * One event as the hub hands it to every socket following its address: the bytes the owner
 * published, and what the first socket made of them (decoded and rendered as JSON text), which
 * every other socket reuses. So a book delta followed by 300 sockets is decoded and encoded
 * once, not 300 times. An address carries one kind of event, and every socket renders it the
 * same way, so one slot suffices; two sockets racing may both render it, which is harmless.
 */
public final class HubEvent {

    private final Buffer body;
    private volatile Object rendered;

    public HubEvent(Buffer body) {
        this.body = body;
    }

    public Buffer body() {
        return body;
    }

    /** What {@code render} makes of the body, made once per event. */
    @SuppressWarnings("unchecked")
    public <T> T rendered(Function<Buffer, T> render) {
        Object r = rendered;
        if (r == null) {
            r = render.apply(body);
            rendered = r;
        }
        return (T) r;
    }
}
