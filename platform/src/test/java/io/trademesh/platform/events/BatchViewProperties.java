package io.trademesh.platform.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import io.trademesh.proto.events.AddressedEvent;
import io.trademesh.proto.events.EventBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Reading a batch without parsing it sees exactly what parsing it sees. */
class BatchViewProperties {

    @Provide
    Arbitrary<EventBatch> batches() {
        Arbitrary<AddressedEvent> event = net.jqwik.api.Combinators.combine(
                Arbitraries.of("acct.1", "acct.2", "acct.300", "md.X.book", "md.X.trades", "", "é.x"),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(300))
                .as((a, p) -> AddressedEvent.newBuilder().setAddress(a).setPayload(ByteString.copyFrom(p)).build());
        return net.jqwik.api.Combinators.combine(event.list().ofMaxSize(50), Arbitraries.strings().alpha().ofMaxLength(10),
                Arbitraries.longs().between(0, Long.MAX_VALUE), Arbitraries.longs().between(0, Long.MAX_VALUE))
                .as((events, instance, started, sequence) -> EventBatch.newBuilder().addAllEvents(events)
                        .setSourceService("spot").setSourceInstance(instance).setStartedAtMs(started)
                        .setBatchSequence(sequence).setJournalSequence(sequence / 2).build());
    }

    @Property(tries = 300)
    void theViewSeesWhatTheParserSees(@ForAll("batches") EventBatch batch) {
        BatchView view = BatchView.of(batch.toByteArray());
        assertEquals(batch.getSourceService(), view.sourceService());
        assertEquals(batch.getSourceInstance(), view.sourceInstance());
        assertEquals(batch.getStartedAtMs(), view.startedAtMs());
        assertEquals(batch.getBatchSequence(), view.batchSequence());
        assertEquals(batch.getJournalSequence(), view.journalSequence());
        Set<String> wanted = Set.of("acct.2", "md.X.book", "");
        List<String> expected = new ArrayList<>();
        batch.getEventsList().stream().filter(e -> wanted.contains(e.getAddress()))
                .forEach(e -> expected.add(e.getAddress() + "=" + e.getPayload().toStringUtf8()));
        List<String> seen = new ArrayList<>();
        view.forEachEvent(wanted::contains, (a, p) -> seen.add(a + "=" + p.toString()));
        assertEquals(expected, seen);
    }
}
