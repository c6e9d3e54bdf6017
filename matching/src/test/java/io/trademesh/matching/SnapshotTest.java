package io.trademesh.matching;

import static io.trademesh.matching.Side.BUY;
import static io.trademesh.matching.Side.SELL;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

class SnapshotTest {
    private static final MarketConfig CONFIG = Harness.config().makerFeeBps(-3).takerFeeBps(9).priceBandBps(5_000)
        .maxOpenOrdersPerAccount(50).build();

    /** A book with a bit of everything: fills, fee residuals, GTD, client ids, a reference price, amends. */
    private static void busy(final Harness h) {
        h.place(c -> c.accountId(1).clientOrderId(11).side(SELL).limit(1_003, 7));
        h.place(c -> c.accountId(2).side(SELL).limit(1_003, 3).timeInForce(TimeInForce.GTD).expireAtMs(9_000));
        h.place(c -> c.accountId(3).clientOrderId(31).side(BUY).limit(1_001, 4).timeInForce(TimeInForce.GTD)
            .expireAtMs(5_000));
        h.place(c -> c.accountId(4).side(BUY).limit(1_003, 2));
        h.place(c -> c.accountId(1).side(BUY).limit(999, 9).timeInForce(TimeInForce.POST_ONLY)
            .selfTradePrevention(SelfTradePrevention.EXPIRE_BOTH));
        h.book.amend(h.now, 1, 5, 998, 12);
        h.place(c -> c.accountId(5).side(SELL).limit(1_010, 5));
    }

    /** More commands, the same for every book they are applied to. */
    private static void tail(final Harness h) {
        h.now = 4_000;
        h.place(c -> c.accountId(6).side(BUY).market(6));
        h.now = 5_000;
        h.book.cancelByClientOrderId(h.now, 1, 11);
        h.place(c -> c.accountId(7).side(SELL).limit(998, 20));
        h.book.massCancel(h.now, 5);
        h.now = 9_500;
        h.book.tick(h.now);
        h.place(c -> c.accountId(8).clientOrderId(31).side(BUY).limit(1_000, 1));
    }

    private static Harness restoredCopy(final Harness original) throws IOException {
        final Harness copy = new Harness(Harness.config().marketId(Harness.MARKET).build());
        copy.nextOrderId = original.nextOrderId;
        copy.now = original.now;
        Harness.restore(copy.book, original.snapshot());
        copy.sink.expectNextAfter(original.book.lastSequence());
        return copy;
    }

    @Test
    void aRestoredBookHasTheSameStateAndProducesTheSameEvents() throws IOException {
        final Harness original = new Harness(CONFIG);
        busy(original);
        final Harness copy = restoredCopy(original);
        assertArrayEquals(original.snapshot(), copy.snapshot());
        assertEquals(CONFIG, copy.book.config());
        assertEquals(original.resting(), copy.resting());
        assertEquals(original.book.lastSequence(), copy.book.lastSequence());
        assertEquals(original.book.referencePrice(), copy.book.referencePrice());
        assertEquals(original.book.openOrderCount(1), copy.book.openOrderCount(1));
        BookInvariants.check(copy.book);

        original.sink.clear();
        tail(original);
        tail(copy);
        assertTrue(original.sink.events.size() > 10);
        assertEquals(original.sink.events, copy.sink.events);
        assertArrayEquals(original.sink.bytes(), copy.sink.bytes());
        assertArrayEquals(original.snapshot(), copy.snapshot());
    }

    @Test
    void snapshotsOfTheSameStateAreEqualWhateverTheHistoryOfThePools() throws IOException {
        final Harness first = new Harness(CONFIG);
        busy(first);
        final Harness second = new Harness(CONFIG);
        // churn the second book's pools and tables first, then reach the same state through a restore
        for (int i = 0; i < 100; i++) {
            final int price = 900 + i;
            second.place(c -> c.accountId(9).side(BUY).limit(price, 1));
        }
        Harness.restore(second.book, first.snapshot());
        assertArrayEquals(first.snapshot(), second.snapshot());
    }

    @Test
    void anAuctionBookRoundTrips() throws IOException {
        final MarketConfig auction = Harness.config().auction(500).build();
        final Harness original = new Harness(auction);
        original.limit(1, BUY, 100, 5, TimeInForce.IOC);
        original.limit(2, SELL, 99, 3);
        original.limit(3, SELL, 101, 3);
        final Harness copy = restoredCopy(original);
        assertEquals(original.book.nextAuctionAtMs(), copy.book.nextAuctionAtMs());
        original.sink.clear();
        original.book.tick(2_000);
        copy.book.tick(2_000);
        assertEquals(original.sink.events, copy.sink.events);
        assertArrayEquals(original.snapshot(), copy.snapshot());
    }

    @Test
    void aCorruptSnapshotIsRefusedAndLeavesAnEmptyBook() {
        final Harness original = new Harness(CONFIG);
        busy(original);
        final byte[] snapshot = original.snapshot();
        for (final int position : new int[] {0, 5, 40, snapshot.length / 2, snapshot.length - 1}) {
            final byte[] corrupt = snapshot.clone();
            corrupt[position] ^= 0x10;
            final Harness target = new Harness(CONFIG);
            busy(target);
            assertThrows(IOException.class, () -> Harness.restore(target.book, corrupt), "byte " + position);
            assertEquals(0, target.book.orderCount());
            assertEquals(0, target.book.lastSequence());
            BookInvariants.check(target.book);
        }
    }

    @Test
    void aTruncatedSnapshotIsRefused() {
        final Harness original = new Harness(CONFIG);
        busy(original);
        final byte[] truncated = Arrays.copyOf(original.snapshot(), original.snapshot().length - 9);
        final Harness target = new Harness(CONFIG);
        assertThrows(EOFException.class, () -> Harness.restore(target.book, truncated));
    }

    @Test
    void aSnapshotWithAValidChecksumButInconsistentContentIsRefused() throws IOException {
        final Harness original = new Harness(CONFIG);
        original.limit(1, BUY, 100, 5);
        final byte[] snapshot = original.snapshot();
        // the snapshot header: magic, version, config (4+8*7+4*4+1+8 bytes), then sequence and lastOrderId.
        final int lastOrderIdOffset = 4 + 4 + 4 + 8 * 7 + 4 * 4 + 1 + 8 + 8;
        final byte[] edited = withLong(snapshot, lastOrderIdOffset, 0);
        final Harness target = new Harness(CONFIG);
        final IOException error = assertThrows(IOException.class, () -> Harness.restore(target.book, edited));
        assertTrue(error.getMessage().contains("bad order"), error.getMessage());
        // and the unedited snapshot still restores
        Harness.restore(target.book, snapshot);
        assertEquals(1, target.book.orderCount());
    }

    /** Overwrites a big-endian long and recomputes the trailing CRC-32, as a careless writer might. */
    private static byte[] withLong(final byte[] snapshot, final int offset, final long value) {
        final byte[] edited = snapshot.clone();
        for (int i = 0; i < 8; i++) {
            edited[offset + i] = (byte) (value >>> (56 - 8 * i));
        }
        final java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(edited, 0, edited.length - 4);
        final int sum = (int) crc.getValue();
        for (int i = 0; i < 4; i++) {
            edited[edited.length - 4 + i] = (byte) (sum >>> (24 - 8 * i));
        }
        return edited;
    }

    @Test
    void aSnapshotOfAnEmptyBookRoundTrips() throws IOException {
        final Harness empty = new Harness(CONFIG);
        final Harness copy = new Harness(CONFIG);
        Harness.restore(copy.book, empty.snapshot());
        assertArrayEquals(empty.snapshot(), copy.snapshot());
        final Consumer<Harness> firstOrder = x -> x.limit(1, BUY, 100, 1);
        firstOrder.accept(empty);
        firstOrder.accept(copy);
        assertEquals(empty.sink.events, copy.sink.events);
    }
}
