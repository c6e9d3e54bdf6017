package io.trademesh.platform.events;

import io.trademesh.proto.events.EventReplayService;
import io.trademesh.proto.events.ReplayReply;
import io.trademesh.proto.events.ReplayRequest;
import io.vertx.core.Future;

/** Serves {@code trademesh.events.EventReplay} from a batcher's retained window. */
public final class EventReplayServer extends EventReplayService {

    private final EventBatcher batcher;

    public EventReplayServer(EventBatcher batcher) {
        this.batcher = batcher;
    }

    @Override
    public Future<ReplayReply> replay(ReplayRequest request) {
        return Future.succeededFuture(batcher.replay(request));
    }
}
