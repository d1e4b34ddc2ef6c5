package dev.haseq.it.storage;

import dev.haseq.api.storage.LogEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Log entries whose data is derived deterministically from (index, term), so any process can
 * tell a correct entry from a misplaced, stale or garbage one without remembering what it wrote.
 * Data lengths vary from 0 to {@value #MAX_DATA} bytes.
 */
public final class LogEntries {
    public static final int MAX_DATA = 300;

    private LogEntries() {
    }

    private static long mix(long index, long term) {
        long z = index * 0x9E3779B97F4A7C15L + term * 0xC2B2AE3D27D4EB4FL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The data of the entry at {@code index} in {@code term}. */
    public static byte[] dataFor(long index, long term) {
        long m = mix(index, term);
        byte[] data = new byte[(int) Long.remainderUnsigned(m, MAX_DATA + 1)];
        new SplittableRandom(m).nextBytes(data);
        return data;
    }

    /** Data of exactly {@code size} bytes, still derived from (index, term). */
    public static byte[] dataFor(long index, long term, int size) {
        byte[] data = new byte[size];
        new SplittableRandom(mix(index, term)).nextBytes(data);
        return data;
    }

    public static LogEntry entry(long index, long term) {
        return new LogEntry(index, term, dataFor(index, term));
    }

    /** Entries {@code [from, toInclusive]}, all in {@code term}. */
    public static List<LogEntry> range(long from, long toInclusive, long term) {
        List<LogEntry> out = new ArrayList<>();
        for (long i = from; i <= toInclusive; i++) {
            out.add(entry(i, term));
        }
        return out;
    }

    /** True when the entry's data is exactly what {@link #dataFor(long, long)} gives for its index and term. */
    public static boolean isIntact(LogEntry e) {
        return Arrays.equals(e.data(), dataFor(e.index(), e.term()));
    }
}
