package dev.haseq.node.time;

import java.time.Clock;
import java.time.Instant;

/** Wall-clock nanoseconds since the epoch from an injected {@link Clock}. */
public final class ClockNanos {
    private ClockNanos() {
    }

    public static long now(Clock clock) {
        Instant i = clock.instant();
        return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000_000L), i.getNano());
    }
}
