package dev.haseq.storage.chronicle;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;
import net.openhft.chronicle.core.time.TimeProvider;

/**
 * The time Chronicle uses to pick a roll cycle: the injected clock, but never earlier than a floor
 * nor earlier than any value returned before. Queue order must equal write order because the
 * log's truncation scheme replays records in queue order, and Chronicle would write into an
 * <em>earlier</em> cycle file if the wall clock stepped back (NTP, or a clock changed while the
 * node was down). Thread-safe.
 */
final class MonotonicTime implements TimeProvider {
    private final Clock clock;
    private final AtomicLong floor = new AtomicLong(Long.MIN_VALUE);

    MonotonicTime(Clock clock) {
        this.clock = clock;
    }

    /** Never return less than {@code millis} from now on. */
    void raiseFloor(long millis) {
        floor.accumulateAndGet(millis, Math::max);
    }

    @Override
    public long currentTimeMillis() {
        return floor.accumulateAndGet(clock.millis(), Math::max);
    }

    @Override
    public long currentTimeMicros() {
        return currentTimeMillis() * 1000;
    }

    @Override
    public long currentTimeNanos() {
        return currentTimeMillis() * 1_000_000;
    }
}
