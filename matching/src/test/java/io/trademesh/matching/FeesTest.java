package io.trademesh.matching;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.util.List;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

import org.junit.jupiter.api.Test;

class FeesTest {

    @Test
    void feesRoundTowardTheVenue() {
        assertEquals(0, Fees.fee(0, 25));
        assertEquals(1, Fees.fee(1, 1));
        assertEquals(1, Fees.fee(10_000, 1));
        assertEquals(2, Fees.fee(10_001, 1));
        assertEquals(0, Fees.fee(9_999, -1));
        assertEquals(-1, Fees.fee(10_000, -1));
        assertEquals(-1, Fees.fee(10_001, -1));
        assertEquals(Long.MAX_VALUE, Fees.fee(Long.MAX_VALUE, 10_000));
        assertEquals(-(Long.MAX_VALUE / 10_000), Fees.fee(Long.MAX_VALUE, -1));
    }

    @Test
    void maxFeeUsesTheLargerRateAndNeverARebate() {
        assertEquals(Fees.fee(123_456, 7), Fees.maxFee(123_456, -2, 7));
        assertEquals(Fees.fee(123_456, 9), Fees.maxFee(123_456, 9, 7));
        assertEquals(0, Fees.maxFee(123_456, -2, -1));
        final MarketConfig config = MarketConfig.builder().makerFeeBps(-1).takerFeeBps(5).build();
        assertEquals(Fees.fee(5_000_000, 5), config.maxFee(5_000_000));
    }

    @Property(tries = 300)
    void feeIsTheExactCeiling(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) final long notional,
                              @ForAll @IntRange(min = -10_000, max = 10_000) final int bps) {
        assertEquals(ceil(BigInteger.valueOf(notional).multiply(BigInteger.valueOf(bps))), Fees.fee(notional, bps));
    }

    /** However an order's trading is split into fills and roles, its fees add up to one rounding of the total. */
    @Property(tries = 300)
    void perOrderFeesAddUpToOneRounding(
        @ForAll @Size(min = 1, max = 40) final List<@LongRange(min = 0, max = 1_000_000_000_000L) Long> notionals,
        @ForAll @IntRange(min = -10_000, max = 0) final int makerBps,
        @ForAll @IntRange(min = 0, max = 10_000) final int takerBps,
        @ForAll final long roleSeed) {
        final Order order = new Order();
        long charged = 0;
        long total = 0;
        BigInteger exact = BigInteger.ZERO;
        for (int i = 0; i < notionals.size(); i++) {
            final int bps = ((roleSeed >>> (i % 64)) & 1) == 0 ? makerBps : takerBps;
            final long notional = notionals.get(i);
            charged += order.chargeFee(notional, bps);
            total += notional;
            exact = exact.add(BigInteger.valueOf(notional).multiply(BigInteger.valueOf(bps)));
            assertEquals(ceil(exact), charged);
        }
        assertEquals(true, charged <= Fees.maxFee(total, makerBps, takerBps));
    }

    private static long ceil(final BigInteger scaled) {
        final BigInteger[] qr = scaled.divideAndRemainder(BigInteger.valueOf(10_000));
        return (qr[1].signum() > 0 ? qr[0].add(BigInteger.ONE) : qr[0]).longValueExact();
    }
}
