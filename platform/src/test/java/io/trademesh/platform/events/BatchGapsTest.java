package io.trademesh.platform.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.trademesh.proto.events.EventBatch;
import org.junit.jupiter.api.Test;

class BatchGapsTest {

    private static EventBatch batch(String instance, long startedAt, long sequence) {
        return EventBatch.newBuilder().setSourceService("spot").setSourceInstance(instance)
                .setStartedAtMs(startedAt).setBatchSequence(sequence).build();
    }

    @Test
    void countsWhatWasMissedPerInstanceAndNotARestartOrALateStart() {
        BatchGaps gaps = new BatchGaps();
        assertEquals(0, gaps.missedBefore(batch("spot-1", 100, 7)), "joined late: nothing missed");
        assertEquals(0, gaps.missedBefore(batch("spot-1", 100, 8)));
        assertEquals(2, gaps.missedBefore(batch("spot-1", 100, 11)));
        assertEquals(0, gaps.missedBefore(batch("spot-1", 100, 10)), "a late one is not a gap");
        assertEquals(0, gaps.missedBefore(batch("spot-2", 100, 1)), "instances count apart");
        assertEquals(0, gaps.missedBefore(batch("spot-1", 200, 1)), "a restart starts again at 1");
        assertEquals(1, gaps.missedBefore(batch("spot-1", 200, 3)));
        assertEquals(0, gaps.missedBefore(EventBatch.getDefaultInstance()), "unstamped");
    }
}
