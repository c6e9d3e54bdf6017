package io.trademesh.platform.engine;

import com.google.protobuf.Message;
import io.trademesh.platform.errors.ReasonCode;
import io.trademesh.platform.events.Published;
import java.util.List;

/**
 * What applying one live command produced, in every service: the reply (null for a command
 * nobody waits on, like a tick), the reason it was refused (null when it was not), whether it
 * repeated an earlier command so that nothing changed, and the events to publish once the
 * command is durable.
 */
public record Outcome(Message reply, ReasonCode refusal, boolean duplicate, List<Published> events) {

    public boolean refused() {
        return refusal != null;
    }
}
