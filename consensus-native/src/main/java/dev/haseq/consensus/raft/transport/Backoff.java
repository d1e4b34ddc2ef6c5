package dev.haseq.consensus.raft.transport;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Reconnect delays: {@code min * 2^failures}, capped at {@code max}, each spread by +-20% so that
 * the members of a cluster do not all redial a restarted peer in the same instant.
 * Not thread-safe (each peer link owns one, used on its event loop).
 */
final class Backoff {
    private final long minNanos;
    private final long maxNanos;
    private final RandomGenerator random;
    private int failures;

    Backoff(Duration min, Duration max, RandomGenerator random) {
        this.minNanos = min.toNanos();
        this.maxNanos = max.toNanos();
        this.random = random;
    }

    /** The delay before the next attempt; each call counts one more failure. */
    Duration next() {
        int shift = Math.min(failures, 62);
        long base = minNanos > (maxNanos >> shift) ? maxNanos : minNanos << shift;
        failures++;
        double spread = 0.8 + 0.4 * random.nextDouble();
        return Duration.ofNanos(Math.min(maxNanos, Math.max(1, (long) (base * spread))));
    }

    void reset() {
        failures = 0;
    }

    int failures() {
        return failures;
    }
}
