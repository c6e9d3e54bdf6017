package io.trademesh.bench.matching;

import io.trademesh.matching.OrderBook;
import io.trademesh.matching.Side;
import java.util.SplittableRandom;

/** How the workload generators pick prices and keep the book near its target depth. */
public final class PriceModel {

    private PriceModel() {
    }

    /** Turns a new limit into a cancel when the book is too deep, and back when it is too shallow. */
    public static byte steer(final byte kind, final byte newLimit, final byte cancel, final int open, final int target,
                             final double band) {
        if (kind == newLimit && open > target * (1 + band)) {
            return cancel;
        }
        if (kind == cancel && open < target * (1 - band)) {
            return newLimit;
        }
        return kind;
    }

    /** The book's mid, one tick inside a lone side, or {@code empty} for an empty book. */
    public static long mid(final OrderBook book, final long empty) {
        final long bid = book.bestBidPrice();
        final long ask = book.bestAskPrice();
        if (bid != 0 && ask != 0) {
            return (bid + ask) / 2;
        }
        return bid != 0 ? bid + 1 : ask != 0 ? ask - 1 : empty;
    }

    /** A price on the passive side of {@code mid}: 1 tick plus a half-normal distance with this spread. */
    public static long passivePrice(final Side side, final long mid, final SplittableRandom random,
                                    final int spreadTicks) {
        final long distance = 1 + (long) Math.abs(gaussian(random) * spreadTicks);
        return Math.max(1, side == Side.BUY ? mid - distance : mid + distance);
    }

    /** A price through the best opposite price by 0 .. depth-1 ticks (so it trades). */
    public static long aggressivePrice(final Side side, final OrderBook book, final long mid,
                                       final SplittableRandom random, final int depthTicks) {
        final long opposite = side == Side.BUY ? book.bestAskPrice() : book.bestBidPrice();
        final long reference = opposite == 0 ? mid : opposite;
        final long through = random.nextInt(depthTicks);
        return Math.max(1, side == Side.BUY ? reference + through : reference - through);
    }

    private static double gaussian(final SplittableRandom random) {
        // Box-Muller; SplittableRandom has no nextGaussian on Java 17
        final double u = 1.0 - random.nextDouble();
        final double v = random.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2.0 * Math.PI * v);
    }
}
