package io.trademesh.marketdata.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trademesh.proto.common.BookDelta;
import io.trademesh.proto.common.BookLevel;
import io.trademesh.proto.common.BookLevelDelta;
import io.trademesh.proto.common.BookSnapshot;
import io.trademesh.proto.common.Side;
import org.junit.jupiter.api.Test;

/** The streams' copy of a book: seeded, kept by diffs in sequence, unseeded by a gap. */
class LocalBookTest {

    private static BookDelta delta(long sequence, Side side, long price, long total) {
        return BookDelta.newBuilder().setMarket("M").setBookSequence(sequence).addLevels(BookLevelDelta.newBuilder()
                .setSide(side).setPrice(price).setTotalQuantity(total)).build();
    }

    @Test
    void diffsAfterTheSeedKeepTheBookAndAGapUnseedsIt() {
        LocalBook book = new LocalBook("M");
        book.pending.add(delta(10, Side.SIDE_BUY, 99, 5));    // in the snapshot already
        book.pending.add(delta(11, Side.SIDE_SELL, 101, 3));  // held while the snapshot was on its way
        book.seed(BookSnapshot.newBuilder().setBookSequence(10)
                .addBids(BookLevel.newBuilder().setPrice(99).setQuantity(5))
                .addBids(BookLevel.newBuilder().setPrice(98).setQuantity(1)).build());
        assertTrue(book.seeded);
        assertEquals(11, book.bookSequence);
        assertTrue(book.apply(delta(12, Side.SIDE_BUY, 98, 0)));
        BookSnapshot s = book.snapshot();
        assertEquals(12, s.getBookSequence());
        assertEquals(1, s.getBidsCount());
        assertEquals(99, s.getBids(0).getPrice());
        assertEquals(101, s.getAsks(0).getPrice());
        assertSame(s, book.snapshot(), "the same bytes until the next diff");
        assertFalse(book.apply(delta(14, Side.SIDE_BUY, 97, 1)), "13 is missing");
        assertFalse(book.seeded);
    }
}
