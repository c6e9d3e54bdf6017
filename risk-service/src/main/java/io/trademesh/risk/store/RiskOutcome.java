package io.trademesh.risk.store;

import io.trademesh.platform.events.Published;
import com.google.protobuf.Message;
import io.trademesh.proto.risk.IndexPrice;
import io.trademesh.proto.risk.RiskCommand;
import io.trademesh.risk.engine.RiskRejectReason;
import java.util.List;

/**
 * What applying one live command produced: the reply (null when refused), the engine's
 * refusal (null when not), whether it repeated an earlier command, the events to publish
 * once durable, and the operator index price it set (null for other commands).
 */
public record RiskOutcome(RiskCommand.CommandCase kind, Message reply, RiskRejectReason refusal, boolean duplicate,
                          List<Published> events, IndexPrice operatorPrice) {
}
