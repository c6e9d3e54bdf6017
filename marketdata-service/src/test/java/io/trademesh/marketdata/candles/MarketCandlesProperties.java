package io.trademesh.marketdata.candles;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Delivery order and redelivery change nothing: a trade stream delivered shuffled, with a
 * third of its trades delivered two or three times, gives every interval the same candles as
 * the stream delivered once in order (all within what each interval keeps).
 */
class MarketCandlesProperties {

    private static final long B = CandleInterval.W1.startOf(1_800_000_000_000L) + 3 * 3_600_000L;

    record Trade(long id, long time, long price, long quantity) {
    }

    @Property(tries = 300)
    void shuffledAndRedeliveredStreamsGiveTheSameCandles(@ForAll long seed) {
        Random random = new Random(seed);
        int n = 1 + random.nextInt(400);
        List<Trade> trades = new ArrayList<>();
        long time = B + random.nextInt(60_000);
        for (int i = 0; i < n; i++) {
            time += random.nextInt(600);   // all within 240 s: inside the 300 one-second candles kept
            trades.add(new Trade(i + 1, time, 1_000 + random.nextInt(200), 1 + random.nextInt(50)));
        }
        MarketCandles inOrder = new MarketCandles("M");
        trades.forEach(t -> inOrder.onTrade(t.id(), t.time(), t.price(), t.quantity(), t.price() * t.quantity()));
        List<Trade> delivered = new ArrayList<>(trades);
        for (Trade t : trades) {
            if (random.nextInt(3) == 0) {
                delivered.add(t);
                if (random.nextBoolean()) {
                    delivered.add(t);
                }
            }
        }
        Collections.shuffle(delivered, random);
        MarketCandles shuffled = new MarketCandles("M");
        delivered.forEach(t -> shuffled.onTrade(t.id(), t.time(), t.price(), t.quantity(), t.price() * t.quantity()));
        for (CandleInterval i : CandleInterval.values()) {
            assertEquals(text(inOrder, i), text(shuffled, i), i.label());
        }
        assertEquals(delivered.size() - trades.size(), shuffled.duplicates());
        assertEquals(0, shuffled.late());
    }

    private static List<String> text(MarketCandles m, CandleInterval i) {
        List<String> out = new ArrayList<>();
        m.series(i).forEach(Long.MIN_VALUE, Long.MAX_VALUE, (s, o, h, l, c, bv, qv, k) ->
                out.add(s + " " + o + " " + h + " " + l + " " + c + " " + bv + " " + qv + " " + k));
        return out;
    }
}
