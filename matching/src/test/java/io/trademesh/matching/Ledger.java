package io.trademesh.matching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Follows every order through the event stream alone and checks it against the book: quantity and quote amounts are
 * conserved, and each order's fees add up to one rounding of its traded value.
 */
final class Ledger {
    private static final BigInteger BPS = BigInteger.valueOf(10_000);

    static final class Track {
        final Event.Accepted accepted;
        long price;
        long quantity;
        long filled;
        long notional;
        long fees;
        BigInteger exactFeeScaled = BigInteger.ZERO;
        Event.Done done;

        Track(final Event.Accepted accepted) {
            this.accepted = accepted;
            this.price = accepted.price();
            this.quantity = accepted.quantity();
        }

        boolean byQuote() {
            return accepted.quoteQuantity() != 0;
        }
    }

    final Map<Long, Track> orders = new LinkedHashMap<>();
    private final MarketConfig config;

    Ledger(final MarketConfig config) {
        this.config = config;
    }

    void consume(final List<Event> events) {
        for (final Event event : events) {
            if (event instanceof Event.Accepted accepted) {
                assertNull(orders.put(accepted.orderId(), new Track(accepted)), "accepted twice");
            } else if (event instanceof Event.Amended amended) {
                final Track track = orders.get(amended.orderId());
                assertNotNull(track);
                assertNull(track.done);
                track.quantity = amended.quantity();
                track.price = amended.price();
                assertEquals(amended.quantity() - track.filled, amended.leavesQuantity());
            } else if (event instanceof Event.Fill fill) {
                final Track maker = orders.get(fill.makerOrderId());
                final Track taker = orders.get(fill.takerOrderId());
                assertNotNull(maker);
                assertNotNull(taker);
                assertNull(maker.done);
                assertNull(taker.done);
                assertTrue(fill.quantity() > 0);
                assertEquals(maker.accepted.side(), fill.takerSide().opposite());
                assertEquals(taker.accepted.side(), fill.takerSide());
                final long notional = config.notional(fill.price(), fill.quantity());
                assertEquals(BigInteger.valueOf(fill.price()).multiply(BigInteger.valueOf(fill.quantity()))
                    .mod(BigInteger.valueOf(config.notionalDivisor())), BigInteger.ZERO, "inexact notional");
                record(maker, fill.quantity(), notional, fill.makerFee(), config.makerFeeBps());
                record(taker, fill.quantity(), notional, fill.takerFee(), config.takerFeeBps());
                checkLimit(maker, fill.price());
                checkLimit(taker, fill.price());
            } else if (event instanceof Event.Done done) {
                final Track track = orders.get(done.orderId());
                assertNotNull(track);
                assertNull(track.done, "done twice");
                track.done = done;
                assertEquals(track.filled, done.filledQuantity());
            }
        }
    }

    private static void record(final Track track, final long quantity, final long notional, final long fee,
                               final int bps) {
        track.filled += quantity;
        track.notional += notional;
        track.fees += fee;
        track.exactFeeScaled = track.exactFeeScaled.add(BigInteger.valueOf(notional).multiply(BigInteger.valueOf(bps)));
    }

    private static void checkLimit(final Track track, final long price) {
        if (track.accepted.type() == OrderType.LIMIT) {
            // a limit order trades at its (current) price or better
            assertTrue(track.accepted.side() == Side.BUY ? price <= track.price : price >= track.price,
                "traded through the limit: " + price + " for " + track.accepted);
        }
        if (track.byQuote()) {
            assertTrue(track.notional <= track.accepted.quoteQuantity(), "spent more than the quote amount");
        }
    }

    /** Checks every order seen so far against the book. */
    void checkAgainst(final OrderBook book) {
        long placedQuantity = 0;
        long accountedQuantity = 0;
        long restingLeaves = 0;
        for (final Track track : orders.values()) {
            final OrderView open = book.order(track.accepted.orderId());
            assertEquals(ceil(track.exactFeeScaled), track.fees, "fees of order " + track.accepted.orderId());
            assertTrue(track.fees <= config.maxFee(track.notional), "fee above maxFee");
            if (track.done == null) {
                assertNotNull(open, "order neither done nor open: " + track.accepted);
                assertEquals(track.quantity, open.quantity());
                assertEquals(track.filled, open.filledQuantity());
                assertTrue(open.leavesQuantity() > 0);
                restingLeaves += open.leavesQuantity();
            } else {
                assertNull(open, "done order still open: " + track.accepted);
                if (track.byQuote()) {
                    assertEquals(0, track.done.remainingQuantity());
                    assertEquals(track.accepted.quoteQuantity(), track.notional + track.done.remainingQuote());
                } else {
                    assertEquals(0, track.done.remainingQuote());
                    assertEquals(track.quantity, track.filled + track.done.remainingQuantity(),
                        "quantity not conserved for " + track.accepted);
                    if (track.done.reason() == DoneReason.FILLED) {
                        assertEquals(0, track.done.remainingQuantity());
                    }
                }
            }
            if (!track.byQuote()) {
                placedQuantity += track.quantity;
                accountedQuantity += track.filled + (track.done == null ? track.quantity - track.filled
                    : track.done.remainingQuantity());
            }
        }
        assertEquals(placedQuantity, accountedQuantity, "placed = filled + resting + cancelled/expired");
        assertEquals(book.totalQuantity(Side.BUY) + book.totalQuantity(Side.SELL), restingLeaves);
    }

    private static long ceil(final BigInteger scaled) {
        final BigInteger[] qr = scaled.divideAndRemainder(BPS);
        return (qr[1].signum() > 0 ? qr[0].add(BigInteger.ONE) : qr[0]).longValueExact();
    }
}
