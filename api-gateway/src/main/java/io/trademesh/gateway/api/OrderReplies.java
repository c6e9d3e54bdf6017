package io.trademesh.gateway.api;

import io.trademesh.proto.common.Market;
import io.trademesh.proto.trading.OrderReply;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** An order command's answer as the trader sees it, over REST and the WebSocket alike. */
public final class OrderReplies {

    private OrderReplies() {
    }

    /**
     * The order with its fills and {@code duplicate} (true when a repeated client order id
     * found the original order), or the engine's refusal as an {@link ApiError}.
     */
    public static JsonObject json(OrderReply reply, Market m) {
        if (!reply.getAccepted() && !reply.getDuplicate()) {
            throw ApiError.refused(reply);
        }
        JsonObject out = Json.order(reply.getOrder(), m);
        JsonArray fills = new JsonArray();
        reply.getFillsList().forEach(f -> fills.add(Json.fill(f, m)));
        return out.put("fills", fills).put("duplicate", reply.getDuplicate());
    }
}
