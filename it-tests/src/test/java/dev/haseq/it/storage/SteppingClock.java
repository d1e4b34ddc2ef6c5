package dev.haseq.it.storage;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that moves one second forward every {@code callsPerSecond} reads, so a store with
 * time-based files (Chronicle's roll cycles) starts new files often and deterministically.
 */
final class SteppingClock extends Clock {
    private final long start = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    private final int callsPerSecond;
    private final AtomicLong calls = new AtomicLong();

    SteppingClock(int callsPerSecond) {
        this.callsPerSecond = callsPerSecond;
    }

    @Override
    public long millis() {
        return start + calls.getAndIncrement() / callsPerSecond * 1000;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
