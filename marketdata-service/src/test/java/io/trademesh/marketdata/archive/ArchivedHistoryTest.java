package io.trademesh.marketdata.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.trademesh.marketdata.api.MarketDataApi;
import io.trademesh.marketdata.candles.CandleInterval;
import io.trademesh.marketdata.history.TradeTape;
import io.trademesh.marketdata.store.MarketDataStateMachine;
import io.trademesh.platform.engine.CommandShard;
import io.trademesh.platform.store.JournalStore;
import io.trademesh.proto.common.PublicTrade;
import io.trademesh.proto.common.Side;
import io.trademesh.proto.marketdata.Candle;
import io.trademesh.proto.marketdata.HistoryKind;
import io.trademesh.proto.marketdata.HistoryReply;
import io.trademesh.proto.marketdata.HistoryRequest;
import io.trademesh.proto.marketdata.MarketDataCommand;
import io.trademesh.proto.marketdata.TradesObserved;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * History older than memory keeps: three days of trades, a trade every 20 s, go through the
 * state machine with archive passes along the way, so that memory (a day of 1-minute candles,
 * the last 10,000 trades) has long let go of the first days. Every 1-minute candle and every
 * trade of the three days is then read back through {@code GetHistoricalData}, page by page
 * across the archive and memory: each exactly once, equal to what the trades make. The archive
 * survives a reopen, and a series memory let go of before the archive took it is counted.
 */
class ArchivedHistoryTest {

    private static final long T0 = 1_767_225_600_000L; // a Thursday, 00:00 UTC
    private static final long STEP_MS = 20_000;
    private static final int TRADES = 3 * 86_400_000 / (int) STEP_MS; // 12,960: more than the tape keeps

    @TempDir
    Path dir;

    private final Vertx vertx = Vertx.vertx();
    private JournalStore store;
    private HistoryArchive archive;

    @AfterEach
    void tearDown() {
        if (archive != null) {
            archive.close();
        }
        if (store != null) {
            store.close();
        }
        vertx.close().await();
    }

    /** The engine's shard on a journal in the temp dir. */
    private CommandShard<MarketDataStateMachine, MarketDataCommand, Integer> shard() {
        store = JournalStore.open("marketdata-test", dir.resolve("journal"), new SimpleMeterRegistry());
        MarketDataStateMachine machine = new MarketDataStateMachine();
        store.recover(machine);
        return CommandShard.of("test", CommandShard.ownContext(vertx).await(), machine, store, (sequence, added) -> { });
    }

    /** An archiver whose passes the test runs itself (its own timer is an hour). */
    private Archiver archiver(CommandShard<MarketDataStateMachine, MarketDataCommand, Integer> shard) {
        archive = HistoryArchive.open(dir.resolve("archive"));
        Archiver archiver = new Archiver(vertx, shard, archive, 3_600_000);
        archiver.start().await();
        return archiver;
    }

    /** Journals one trade as its own batch, as the follower would. */
    private static void observe(CommandShard<MarketDataStateMachine, MarketDataCommand, Integer> shard, long id) {
        shard.submit(MarketDataCommand.newBuilder().setTrades(TradesObserved.newBuilder()
                .setSourceService("spot").setSourceInstance("spot-1").setStartedAtMs(1).setBatchSequence(id)
                .addTrades(trade(id))).build()).await();
    }

    private static PublicTrade trade(long id) {
        return PublicTrade.newBuilder().setMarket("BTC-USDT").setTradeId(id).setTimestampMs(T0 + id * STEP_MS)
                .setPrice(30_000 + (id * 7919) % 500).setQuantity(1 + id % 5).setQuoteQuantity(10 * (1 + id % 5))
                .setTakerSide(id % 3 == 0 ? Side.SIDE_SELL : Side.SIDE_BUY).build();
    }

    @Test
    void everyCandleAndTradeOfThreeDaysReadsBackOnceAcrossArchiveAndMemory() throws Exception {
        CommandShard<MarketDataStateMachine, MarketDataCommand, Integer> shard = shard();
        Archiver archiver = archiver(shard);

        Map<Long, long[]> expected = new TreeMap<>(); // 1m candle start -> open, high, low, close, base, quote, n
        for (long id = 1; id <= TRADES; id++) {
            PublicTrade t = trade(id);
            observe(shard, id);
            long start = CandleInterval.M1.startOf(t.getTimestampMs());
            long[] c = expected.get(start);
            if (c == null) {
                expected.put(start, new long[] {t.getPrice(), t.getPrice(), t.getPrice(), t.getPrice(),
                        t.getQuantity(), t.getQuoteQuantity(), 1});
            } else {
                c[1] = Math.max(c[1], t.getPrice());
                c[2] = Math.min(c[2], t.getPrice());
                c[3] = t.getPrice();
                c[4] += t.getQuantity();
                c[5] += t.getQuoteQuantity();
                c[6]++;
            }
            if (id % 1_000 == 0) { // a pass every 1,000 trades (about 5.5 hours of this market)
                archiver.pass().await();
            }
        }
        archiver.pass().await();
        assertTrue(archiver.rows() > 0);
        assertEquals(0, archiver.missed(), "the archive kept up: nothing let go before it was taken");
        assertEquals(TradeTape.CAPACITY, shard.query(m -> m.engine().market("BTC-USDT").trades().size()).await());

        MarketDataApi api = new MarketDataApi(shard, vertx, archiver);
        List<Candle> candles = new ArrayList<>();
        long from = 0;
        do {
            HistoryReply page = api.getHistoricalData(HistoryRequest.newBuilder()
                    .setKind(HistoryKind.HISTORY_KIND_CANDLES).setMarket("BTC-USDT").setInterval("1m")
                    .setFromMs(from).setLimit(700).build()).await();
            candles.addAll(page.getCandlesList());
            from = page.getNextFromMs();
        } while (from != 0);
        assertEquals(expected.size(), candles.size(), "every minute once, from three days ago to now");
        int i = 0;
        for (Map.Entry<Long, long[]> e : expected.entrySet()) {
            Candle c = candles.get(i++);
            long[] x = e.getValue();
            assertEquals(List.of(e.getKey(), x[0], x[1], x[2], x[3], x[4], x[5], x[6]), List.of(c.getOpenTimeMs(),
                    c.getOpen(), c.getHigh(), c.getLow(), c.getClose(), c.getVolume(), c.getQuoteVolume(),
                    c.getTrades()), "the candle at " + e.getKey());
        }

        List<Long> ids = new ArrayList<>();
        from = 0;
        do {
            HistoryReply page = api.getHistoricalData(HistoryRequest.newBuilder()
                    .setKind(HistoryKind.HISTORY_KIND_TRADES).setMarket("BTC-USDT").setFromMs(from).setLimit(1_000)
                    .build()).await();
            for (PublicTrade t : page.getTradesList()) {
                ids.add(t.getTradeId());
                assertEquals(trade(t.getTradeId()).getPrice(), t.getPrice());
            }
            from = page.getNextFromMs();
        } while (from != 0);
        assertEquals(TRADES, ids.size(), "every trade once, though memory keeps 10,000");
        for (int k = 0; k < ids.size(); k++) {
            assertEquals(k + 1L, ids.get(k));
        }
        HistoryReply oldest = api.getHistoricalData(HistoryRequest.newBuilder().setKind(HistoryKind.HISTORY_KIND_TRADES)
                .setMarket("BTC-USDT").setLimit(1).build()).await();
        assertEquals(T0 + STEP_MS, oldest.getKeptFromMs(), "kept from the first trade, in the archive");

        // A range inside the archive alone, and one across the split, give the same as the full read.
        long mid = T0 + 86_400_000L;
        HistoryReply day = api.getHistoricalData(HistoryRequest.newBuilder().setKind(HistoryKind.HISTORY_KIND_CANDLES)
                .setMarket("BTC-USDT").setInterval("1h").setFromMs(mid).setToMs(mid + 3 * 3_600_000L).build()).await();
        assertEquals(3, day.getCandlesCount());
        assertEquals(180, day.getCandles(0).getTrades());

        // Reopened, the archive still has it all.
        archive.close();
        archive = HistoryArchive.open(dir.resolve("archive"));
        Map<String, Map<Integer, long[]>> marks = archive.watermarks();
        assertTrue(marks.get("BTC-USDT").get(HistoryArchive.TRADES)[1] > TRADES - TradeTape.CAPACITY,
                "the trades' watermark is within memory's tape");
        long[] count = {0};
        archive.trades("BTC-USDT", 0, Long.MAX_VALUE, Integer.MAX_VALUE, (id, time, p, q, b) -> count[0]++);
        assertEquals(marks.get("BTC-USDT").get(HistoryArchive.TRADES)[1], count[0]);
    }

    @Test
    void retentionDeletesWhatIsOlderThanEachKindKeeps() {
        archive = HistoryArchive.open(dir.resolve("archive"));
        HistoryArchive.Rows rows = new HistoryArchive.Rows();
        long day = 86_400_000L;
        for (int d = 0; d < 40; d++) {
            rows.candle("ETH-USDT", CandleInterval.M1, T0 + d * day, 1, 1, 1, 1, 1, 1, 1);
            rows.candle("ETH-USDT", CandleInterval.D1, T0 + d * day, 1, 1, 1, 1, 1, 1, 1);
            rows.trade("ETH-USDT", d, T0 + d * day, 1, 1, true);
        }
        rows.watermark("ETH-USDT", HistoryArchive.TRADES, T0 + 39 * day, 39);
        archive.write(rows);
        archive.expire(T0 + 40 * day);
        int[] n = new int[3];
        archive.candles("ETH-USDT", CandleInterval.M1, 0, Long.MAX_VALUE, 1_000, (s, o, h, l, c, b, q, t) -> n[0]++);
        archive.candles("ETH-USDT", CandleInterval.D1, 0, Long.MAX_VALUE, 1_000, (s, o, h, l, c, b, q, t) -> n[1]++);
        archive.trades("ETH-USDT", 0, Long.MAX_VALUE, 1_000, (id, time, p, q, b) -> n[2]++);
        assertEquals(30, n[0], "1-minute candles: 30 days");
        assertEquals(40, n[1], "daily candles: five years");
        assertEquals(30, n[2], "trades: 30 days");
        assertEquals(T0 + 10 * day, archive.oldestMs("ETH-USDT", HistoryArchive.TRADES));
        assertEquals(Long.MIN_VALUE, archive.oldestMs("ETH-USDTX", HistoryArchive.TRADES), "no other market's rows");
    }

    @Test
    void aSeriesMemoryLetGoOfBeforeTheArchiveTookItIsCounted() throws Exception {
        CommandShard<MarketDataStateMachine, MarketDataCommand, Integer> shard = shard();
        Archiver archiver = archiver(shard);
        for (long id = 1; id <= 6_000; id++) {
            observe(shard, id);
        }
        archiver.pass().await(); // takes the older half of the tape
        assertEquals(0, archiver.missed());
        for (long id = 6_001; id <= 30_000; id++) { // the archive falls behind: the tape wraps twice
            observe(shard, id);
        }
        archiver.pass().await();
        assertTrue(archiver.missed() >= 1, "the trades' loss is counted");
        long before = archiver.missed();
        archiver.pass().await();
        assertEquals(before, archiver.missed(), "once per series");
    }
}
