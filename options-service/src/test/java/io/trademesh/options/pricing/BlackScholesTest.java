package io.trademesh.options.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Black-Scholes against the textbook's published examples (Hull, "Options, Futures, and Other
 * Derivatives": the call and put of its worked example, and the greeks of its delta-hedging
 * example), put-call parity, and implied volatility solved back from prices.
 */
class BlackScholesTest {

    @Test
    void hullsWorkedExample() {
        // S = 42, K = 40, r = 10%, sigma = 20%, T = 0.5: c = 4.76, p = 0.81
        assertEquals(4.76, BlackScholes.price(true, 42, 40, 0.5, 0.2, 0.1), 0.005);
        assertEquals(0.81, BlackScholes.price(false, 42, 40, 0.5, 0.2, 0.1), 0.005);
        assertEquals(4.759422392871535, BlackScholes.price(true, 42, 40, 0.5, 0.2, 0.1), 1e-12);
        assertEquals(0.8085993729000958, BlackScholes.price(false, 42, 40, 0.5, 0.2, 0.1), 1e-12);
    }

    @Test
    void hullsGreeksExample() {
        // S = 49, K = 50, r = 5%, sigma = 20%, T = 20 weeks: price 2.40, delta 0.522, gamma 0.066,
        // vega 12.1 per unit of volatility, theta -4.31 per year
        Greeks g = BlackScholes.greeks(true, 49, 50, 20 / 52.0, 0.2, 0.05, new Greeks());
        assertEquals(2.40, g.price, 0.005);
        assertEquals(0.522, g.delta, 0.0005);
        assertEquals(0.066, g.gamma, 0.0005);
        assertEquals(12.1 / 100, g.vega, 0.0005, "per volatility point");
        assertEquals(-4.31 / 365, g.theta, 0.0001, "per calendar day");
        Greeks put = BlackScholes.greeks(false, 49, 50, 20 / 52.0, 0.2, 0.05, new Greeks());
        assertEquals(g.delta - 1, put.delta, 1e-12);
        assertEquals(g.gamma, put.gamma, 1e-15);
        assertEquals(g.vega, put.vega, 1e-15);
    }

    @Test
    void putCallParityHolds() {
        Random random = new Random(7);
        for (int i = 0; i < 10_000; i++) {
            double s = 1 + random.nextDouble() * 100_000;
            double k = s * (0.3 + random.nextDouble() * 1.4);
            double t = 0.001 + random.nextDouble() * 2;
            double vol = 0.05 + random.nextDouble() * 2;
            double r = random.nextDouble() * 0.1;
            double c = BlackScholes.price(true, s, k, t, vol, r);
            double p = BlackScholes.price(false, s, k, t, vol, r);
            assertEquals(s - k * Math.exp(-r * t), c - p, 1e-9 * s, "c - p = S - K e^-rT");
        }
    }

    @Test
    void impliedVolatilityComesBackWithinOneMillionth() {
        Random random = new Random(11);
        int solved = 0;
        for (int i = 0; i < 10_000; i++) {
            boolean call = random.nextBoolean();
            double s = 30_000;
            double k = s * (0.5 + random.nextDouble());
            double t = 1 / 365.0 + random.nextDouble();
            double vol = 0.1 + random.nextDouble() * 1.5;
            double price = BlackScholes.price(call, s, k, t, vol, 0);
            double intrinsic = Math.max(0, call ? s - k : k - s);
            if (price - intrinsic < 1e-6 * s) {
                continue;   // almost no time value (far from the money, or about to expire): no volatility to read
            }
            double iv = ImpliedVolatility.solve(call, price, s, k, t, 0, 1e-9);
            assertEquals(vol, iv, 1e-6, "call " + call + " k " + k + " t " + t);
            solved++;
        }
        assertTrue(solved > 8_000, "solved " + solved);
    }

    @Test
    void pricesOutsideTheBoundsHaveNoImpliedVolatility() {
        assertTrue(Double.isNaN(ImpliedVolatility.solve(true, 9, 110, 100, 0.5, 0, 1e-9)), "under intrinsic");
        assertTrue(Double.isNaN(ImpliedVolatility.solve(true, 111, 110, 100, 0.5, 0, 1e-9)), "over the underlying");
        assertTrue(Double.isNaN(ImpliedVolatility.solve(false, 0, 110, 100, 0.5, 0, 1e-9)));
    }

    @Test
    void atExpiryAnOptionIsWorthItsIntrinsicValue() {
        assertEquals(10, BlackScholes.price(true, 110, 100, 0, 0.5, 0), 0);
        assertEquals(0, BlackScholes.price(false, 110, 100, 0, 0.5, 0), 0);
        Greeks g = BlackScholes.greeks(true, 110, 100, 0, 0.5, 0, new Greeks());
        assertEquals(1, g.delta);
        assertEquals(0, g.gamma);
    }
}
