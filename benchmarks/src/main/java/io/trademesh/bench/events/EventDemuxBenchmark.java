package io.trademesh.bench.events;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.trademesh.platform.events.Addresses;
import io.trademesh.platform.events.BatchView;
import io.trademesh.proto.events.AddressedEvent;
import io.trademesh.proto.events.EventBatch;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What a gateway pays to demultiplex one event batch when its sockets follow a few
 * addresses: a batch like spot's in one event-loop turn under load (25 orders, 8 events
 * each: order, fill and balance events of both sides, a book diff, a trade), of 1,000
 * active accounts of which the gateway follows 10, plus the market's book.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar EventDemuxBenchmark -f 1 -wi 3 -w 2s -i 5 -r 2s</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EventDemuxBenchmark {

    static final int ORDERS_PER_BATCH = 25;

    private byte[] batch;
    private final Set<String> followed = new HashSet<>();

    @Setup
    public void setUp() {
        Random random = new Random(42);
        EventBatch.Builder b = EventBatch.newBuilder().setSourceService("spot").setSourceInstance("spot-service")
                .setStartedAtMs(1_795_000_000_000L).setBatchSequence(123_456).setJournalSequence(9_876_543);
        for (int o = 0; o < ORDERS_PER_BATCH; o++) {
            long taker = 1 + random.nextInt(1000);
            long maker = 1 + random.nextInt(1000);
            for (long account : new long[] {taker, maker}) {
                for (int kind = 0; kind < 3; kind++) {
                    b.addEvents(event(random, Addresses.account(account), 90 + random.nextInt(60)));
                }
            }
            b.addEvents(event(random, Addresses.book("BTC-USDT"), 60));
            b.addEvents(event(random, Addresses.trades("BTC-USDT"), 70));
        }
        batch = b.build().toByteArray();
        for (int a = 1; a <= 10; a++) {
            followed.add(Addresses.account(a));
        }
        followed.add(Addresses.book("BTC-USDT"));
    }

    private static AddressedEvent event(Random random, String address, int size) {
        byte[] payload = new byte[size];
        random.nextBytes(payload);
        return AddressedEvent.newBuilder().setAddress(address).setPayload(ByteString.copyFrom(payload)).build();
    }

    /** How the gateway did it: parse the whole batch, then look each event's address up. */
    @Benchmark
    public void parseWholeBatch(Blackhole bh) throws InvalidProtocolBufferException {
        EventBatch parsed = EventBatch.parseFrom(batch);
        bh.consume(parsed.getBatchSequence());
        for (AddressedEvent e : parsed.getEventsList()) {
            if (followed.contains(e.getAddress())) {
                bh.consume(e.getPayload().toByteArray());
            }
        }
    }

    /** How it does it now: read the stamp, scan the events, copy only the followed payloads. */
    @Benchmark
    public void scanFollowedOnly(Blackhole bh) {
        BatchView view = BatchView.of(batch);
        bh.consume(view.batchSequence());
        view.forEachEvent(followed::contains, (address, payload) -> bh.consume(payload));
    }
}
