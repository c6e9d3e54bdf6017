package io.trademesh.spot.store;

import io.trademesh.platform.engine.Outcome;
import io.trademesh.platform.events.Published;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.trademesh.proto.journal.JournalRecord;
import io.trademesh.spot.engine.RandomStreams;
import io.trademesh.spot.engine.StreamDriver;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Determinism over random command streams ({@link RandomStreams}): the same journal gives the same published bytes
 * and the same state, whether applied live to a fresh machine, replayed from the journal records, or resumed from a
 * snapshot taken anywhere.
 */
class SpotStateMachinePropertiesTest {

    static final int TRIES = 300;

    @Provide
    Arbitrary<RandomStreams.Stream> streams() {
        return RandomStreams.streams(20, 400);
    }

    private static byte[] state(SpotStateMachine machine, long sequence) {
        return machine.snapshot(sequence).state();
    }

    /** Same reason, duplicate flag, reply bytes and published events (address and payload bytes, in order). */
    static void assertSameOutcome(int index, Outcome expected, Outcome actual) {
        String at = "command #" + index;
        assertEquals(expected.refusal(), actual.refusal(), at);
        assertEquals(expected.duplicate(), actual.duplicate(), at);
        assertArrayEquals(expected.reply() == null ? null : expected.reply().toByteArray(),
                actual.reply() == null ? null : actual.reply().toByteArray(), at + ": reply");
        List<Published> e = expected.events();
        List<Published> a = actual.events();
        assertEquals(e.size(), a.size(), at + ": number of events");
        for (int i = 0; i < e.size(); i++) {
            assertEquals(e.get(i).address(), a.get(i).address(), at + " event " + i);
            assertArrayEquals(e.get(i).payload(), a.get(i).payload(), at + " event " + i + " to "
                    + e.get(i).address());
        }
    }

    @Property(tries = TRIES)
    void aFreshMachineFedTheSameCommandsPublishesTheSameBytes(@ForAll("streams") RandomStreams.Stream stream) {
        StreamDriver original = StreamDriver.run(stream, (d, a) -> { });
        List<StreamDriver.Applied> journal = original.applied();
        SpotStateMachine copy = new SpotStateMachine();
        for (int i = 0; i < journal.size(); i++) {
            StreamDriver.Applied a = journal.get(i);
            assertSameOutcome(i, a.outcome(), copy.apply(a.timestampMs(), a.command(), true));
        }
        assertArrayEquals(state(original.machine(), journal.size()), state(copy, journal.size()));
    }

    /** Replay as the store does it: journal records (microsecond stamps), nothing published. */
    @Property(tries = TRIES)
    void replayingTheJournalRebuildsTheSameState(@ForAll("streams") RandomStreams.Stream stream) throws Exception {
        StreamDriver original = StreamDriver.run(stream, (d, a) -> { });
        List<StreamDriver.Applied> journal = original.applied();
        SpotStateMachine replayed = new SpotStateMachine();
        for (int i = 0; i < journal.size(); i++) {
            StreamDriver.Applied a = journal.get(i);
            replayed.replay(JournalRecord.newBuilder().setSequence(i + 1)
                    .setTimestampMicros(a.timestampMs() * 1_000 + i % 1_000)
                    .setCommand(a.command().toByteString()).build());
        }
        assertArrayEquals(state(original.machine(), journal.size()), state(replayed, journal.size()));
    }

    /**
     * A snapshot taken after any command, restored into a fresh machine and into one that already holds other
     * state, reads back to the same bytes; applying the rest of the journal then publishes what the uninterrupted
     * run published and ends in the same state.
     */
    @Property(tries = TRIES)
    void aSnapshotRestoredAnywhereThenTheRestGivesTheSameState(@ForAll("streams") RandomStreams.Stream stream,
            @ForAll @IntRange(min = 0, max = 1_000) int cutPermille) throws Exception {
        int total = 5 + 4 * stream.accounts() + stream.steps().size();   // rules, 3 markets + 1 refused, funding, steps
        int cut = Math.max(1, (int) ((long) cutPermille * total / 1_000));
        byte[][] atCut = new byte[1][];
        StreamDriver original = StreamDriver.run(stream, (d, a) -> {
            if (d.applied().size() == cut) {
                atCut[0] = state(d.machine(), cut);
            }
        });
        List<StreamDriver.Applied> journal = original.applied();
        assertEquals(total, journal.size());
        byte[] end = state(original.machine(), total);

        SpotStateMachine fresh = new SpotStateMachine();
        StreamDriver other = StreamDriver.run(new RandomStreams.Stream(stream.accounts(),
                stream.steps().subList(0, stream.steps().size() / 2)), (d, a) -> { });
        for (SpotStateMachine restored : List.of(fresh, other.machine())) {
            restored.restore(cut, atCut[0]);
            assertArrayEquals(atCut[0], state(restored, cut), "restore is not exact");
            for (int i = cut; i < total; i++) {
                StreamDriver.Applied a = journal.get(i);
                assertSameOutcome(i, a.outcome(), restored.apply(a.timestampMs(), a.command(), true));
            }
            assertArrayEquals(end, state(restored, total));
        }
    }
}
