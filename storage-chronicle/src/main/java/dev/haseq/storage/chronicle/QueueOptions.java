package dev.haseq.storage.chronicle;

import java.time.Clock;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;

/**
 * How a store lays out its Chronicle queue.
 *
 * @param rollCycle    the name of a {@code net.openhft.chronicle.queue.RollCycles} constant (or, for
 *                     tests, of a {@code TestRollCycles} one such as {@code TEST_SECONDLY}): one
 *                     file per period. Compaction frees disk a whole file at a time, so shorter
 *                     periods free it sooner; each new file costs one directory fsync.
 * @param indexSpacing Chronicle indexes every {@code indexSpacing}-th excerpt (power of two); a
 *                     positional read scans at most that many excerpts from the nearest index entry
 * @param clock        time for choosing the roll cycle (made monotonic, see {@link MonotonicTime})
 * @param preallocateBytes how many bytes past the last excerpt a background thread keeps
 *                     allocated and zero-filled ({@link Preallocator}); 0 turns that off
 */
public record QueueOptions(String rollCycle, int indexSpacing, Clock clock, long preallocateBytes) {
    /** System property that overrides the log store's roll cycle, e.g. {@code FAST_HOURLY}. */
    public static final String LOG_ROLL_CYCLE_PROPERTY = "haseq.chronicle.log.roll_cycle";
    /** System property that overrides the block store's roll cycle. */
    public static final String BLOCK_ROLL_CYCLE_PROPERTY = "haseq.chronicle.blocks.roll_cycle";
    /**
     * Ten-minute files: with the guide's {@code snapshot_threshold} (500) and {@code trailing_logs}
     * (200) the log is compacted every few hundred entries, so a short period lets that free disk
     * soon, and 144 files a day is still few. Up to 2^30 entries per file.
     */
    public static final String DEFAULT_LOG_ROLL_CYCLE = "TEN_MINUTELY";
    /** Blocks are never deleted: one file a day keeps the file count low. */
    public static final String DEFAULT_BLOCK_ROLL_CYCLE = "FAST_DAILY";
    public static final int DEFAULT_INDEX_SPACING = 16;
    /**
     * 8 MiB ahead: at 1 KiB entries that is ~8,000 entries, far more than the zeroing thread falls
     * behind between its wake-ups even at the benchmark's peak rate; the cost is at most 8 MiB of
     * zeros per cycle file.
     */
    public static final long DEFAULT_PREALLOCATE_BYTES = 8L << 20;
    /** System property that overrides {@link #DEFAULT_PREALLOCATE_BYTES} (0 turns preallocation off). */
    public static final String PREALLOCATE_PROPERTY = "haseq.chronicle.preallocate_bytes";

    static {
        ChronicleDefaults.apply(); // before RollCycles (a Chronicle class) is touched below
    }

    public QueueOptions {
        if (rollCycle == null || clock == null) {
            throw new IllegalArgumentException("rollCycle and clock must not be null");
        }
        rollCycle(rollCycle);
        if (indexSpacing < 1 || Integer.bitCount(indexSpacing) != 1) {
            throw new IllegalArgumentException("indexSpacing must be a power of two >= 1, got " + indexSpacing);
        }
        if (preallocateBytes < 0) {
            throw new IllegalArgumentException("preallocateBytes must be >= 0, got " + preallocateBytes);
        }
    }

    /** The log store's options: {@link #DEFAULT_LOG_ROLL_CYCLE} unless {@value #LOG_ROLL_CYCLE_PROPERTY} is set. */
    public static QueueOptions forLog() {
        return new QueueOptions(System.getProperty(LOG_ROLL_CYCLE_PROPERTY, DEFAULT_LOG_ROLL_CYCLE),
                DEFAULT_INDEX_SPACING, Clock.systemUTC(), preallocateFromProperty());
    }

    /** The block store's options: {@link #DEFAULT_BLOCK_ROLL_CYCLE} unless {@value #BLOCK_ROLL_CYCLE_PROPERTY} is set. */
    public static QueueOptions forBlocks() {
        return new QueueOptions(System.getProperty(BLOCK_ROLL_CYCLE_PROPERTY, DEFAULT_BLOCK_ROLL_CYCLE),
                DEFAULT_INDEX_SPACING, Clock.systemUTC(), preallocateFromProperty());
    }

    public QueueOptions withClock(Clock c) {
        return new QueueOptions(rollCycle, indexSpacing, c, preallocateBytes);
    }

    public QueueOptions withRollCycle(String name) {
        return new QueueOptions(name, indexSpacing, clock, preallocateBytes);
    }

    public QueueOptions withPreallocateBytes(long bytes) {
        return new QueueOptions(rollCycle, indexSpacing, clock, bytes);
    }

    private static long preallocateFromProperty() {
        String v = System.getProperty(PREALLOCATE_PROPERTY);
        if (v == null || v.isBlank()) {
            return DEFAULT_PREALLOCATE_BYTES;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + PREALLOCATE_PROPERTY + " must be a number of bytes, got '" + v + "'");
        }
    }

    RollCycle chronicleRollCycle() {
        return rollCycle(rollCycle);
    }

    private static RollCycle rollCycle(String name) {
        String n = name.trim().toUpperCase(Locale.ROOT);
        for (RollCycles r : RollCycles.values()) {
            if (r.name().equals(n)) {
                return r;
            }
        }
        for (TestRollCycles r : TestRollCycles.values()) {
            if (r.name().equals(n)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown Chronicle roll cycle '" + name + "'; use one of "
                + Arrays.stream(RollCycles.values()).map(Enum::name).collect(Collectors.joining(", "))
                + " (or, in tests, " + Arrays.stream(TestRollCycles.values()).map(Enum::name)
                .collect(Collectors.joining(", ")) + ")");
    }
}
