package io.trademesh.spot.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.trademesh.matching.RejectReason;
import io.trademesh.platform.trading.TradingProto;
import io.trademesh.spot.engine.SpotRejectReason;
import org.junit.jupiter.api.Test;

/** Every reason an order can be refused with has its value in the proto enum a client receives. */
class RejectReasonsTest {

    private static final io.trademesh.proto.trading.RejectReason NONE =
            io.trademesh.proto.trading.RejectReason.REJECT_REASON_UNSPECIFIED;

    @Test
    void everyRefusalOfTheBookAndOfSpotIsInTheEnum() {
        for (RejectReason r : RejectReason.values()) {
            assertNotEquals(NONE, TradingProto.rejectReason(r.name()), r.name());
            assertEquals("REJECT_" + r.name(), TradingProto.rejectReason(r.name()).name());
        }
        for (SpotRejectReason r : SpotRejectReason.values()) {
            assertNotEquals(NONE, TradingProto.rejectReason(r.name()), r.name());
        }
        assertEquals(NONE, TradingProto.rejectReason("NOT_A_REASON"));
    }
}
