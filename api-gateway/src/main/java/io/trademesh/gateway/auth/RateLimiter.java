package io.trademesh.gateway.auth;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-key fixed-window limits: request weight per minute and orders per second; and per
 * client address, failed authentications per minute, so that guessing keys or signatures
 * is slow. Counted per gateway replica (documented in the README): N replicas allow N
 * times the limits. Windows of idle keys are dropped, so memory follows the number of
 * active keys and addresses.
 */
public final class RateLimiter {

    /**
     * The decision for one request: allowed, the limit that decided it and its window in
     * seconds, what is left, and seconds to wait if refused.
     */
    public record Decision(boolean allowed, String limitName, int limit, int windowSeconds, int remaining,
                           long retryAfterSeconds) {
    }

    private static final class Window {
        long minute = -1;
        int weight;
        long second = -1;
        int orders;
        long failureMinute = -1;
        int failures;
    }

    private final int weightPerMinute;
    private final int ordersPerSecond;
    private final int failuresPerMinute;
    private final Decision attemptAllowed;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private final Map<String, Window> failureWindows = new ConcurrentHashMap<>();   // by client address

    public RateLimiter(int weightPerMinute, int ordersPerSecond, int failuresPerMinute) {
        this.weightPerMinute = weightPerMinute;
        this.ordersPerSecond = ordersPerSecond;
        this.failuresPerMinute = failuresPerMinute;
        this.attemptAllowed = new Decision(true, "failed-authentications/minute", failuresPerMinute, 60,
                failuresPerMinute, 0);
    }

    /** Counts a request of {@code weight} carrying {@code orders} order commands for {@code who} at {@code nowMs}. */
    public Decision acquire(String who, int weight, int orders, long nowMs) {
        Window w = windows.computeIfAbsent(who, k -> new Window());
        synchronized (w) {
            long minute = nowMs / 60_000;
            long second = nowMs / 1_000;
            if (w.minute != minute) {
                w.minute = minute;
                w.weight = 0;
            }
            if (w.second != second) {
                w.second = second;
                w.orders = 0;
            }
            if (w.weight + weight > weightPerMinute) {
                return new Decision(false, "weight/minute", weightPerMinute, 60, 0, secondsToNextMinute(nowMs));
            }
            if (orders > 0 && w.orders + orders > ordersPerSecond) {
                return new Decision(false, "orders/second", ordersPerSecond, 1, 0, 1);
            }
            w.weight += weight;
            w.orders += orders;
            return new Decision(true, "weight/minute", weightPerMinute, 60, weightPerMinute - w.weight, 0);
        }
    }

    /** Whether {@code address} may try to authenticate now; refused once it has failed too often this minute. */
    public Decision authAttempt(String address, long nowMs) {
        if (!failureWindows.containsKey(address)) {
            // The usual case, on every signed request: no failure from here, nothing to count or allocate.
            return attemptAllowed;
        }
        Window w = failureWindow(address, nowMs);
        synchronized (w) {
            return w.failures >= failuresPerMinute
                    ? new Decision(false, "failed-authentications/minute", failuresPerMinute, 60, 0,
                    secondsToNextMinute(nowMs))
                    : new Decision(true, "failed-authentications/minute", failuresPerMinute, 60,
                    failuresPerMinute - w.failures, 0);
        }
    }

    /** Counts one failed authentication from {@code address}. */
    public void authFailed(String address, long nowMs) {
        Window w = failureWindow(address, nowMs);
        synchronized (w) {
            w.failures++;
        }
    }

    /** The address's failure count, reset when a new minute starts. */
    private Window failureWindow(String address, long nowMs) {
        Window w = failureWindows.computeIfAbsent(address, k -> new Window());
        synchronized (w) {
            long minute = nowMs / 60_000;
            if (w.failureMinute != minute) {
                w.failureMinute = minute;
                w.minute = minute;   // keeps the window alive for sweep
                w.failures = 0;
            }
        }
        return w;
    }

    private static long secondsToNextMinute(long nowMs) {
        return Math.max(1, (60_000 - nowMs % 60_000 + 999) / 1000);
    }

    /** Drops windows idle for over a minute. */
    public void sweep(long nowMs) {
        long minute = nowMs / 60_000;
        windows.entrySet().removeIf(e -> e.getValue().minute < minute - 1);
        failureWindows.entrySet().removeIf(e -> e.getValue().minute < minute - 1);
    }
}
