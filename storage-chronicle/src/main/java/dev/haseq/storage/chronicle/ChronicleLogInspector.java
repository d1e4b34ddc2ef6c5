package dev.haseq.storage.chronicle;

import dev.haseq.api.storage.StorageEvents;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Read-only diagnostics of a closed Chronicle log directory: where an entry's record lies on
 * disk. For operators investigating a corruption report, and for the conformance suite's
 * damage hooks. Opens the log (which takes its lock), so never call it on a log a node has open.
 */
public final class ChronicleLogInspector {
    /** The bytes {@code [start, end)} of {@code file} that hold one record (Chronicle's 4-byte header excluded). */
    public record RecordLocation(Path file, long start, long end) {
    }

    private ChronicleLogInspector() {
    }

    /** The first and last index of the log in {@code dir}: {@code {first, last}}. */
    public static long[] bounds(Path dir) {
        try (ChronicleLogStore log = ChronicleLogStore.open(dir, QueueOptions.forLog(), StorageEvents.NONE)) {
            return new long[] {log.firstIndex(), log.lastIndex()};
        }
    }

    /** Where the live record of entry {@code raftIndex} is, if the log holds that index. */
    public static Optional<RecordLocation> locate(Path dir, long raftIndex) {
        try (ChronicleLogStore log = ChronicleLogStore.open(dir, QueueOptions.forLog(), StorageEvents.NONE)) {
            if (raftIndex < log.firstIndex() || raftIndex > log.lastIndex()) {
                return Optional.empty();
            }
            return Optional.of(log.locate(raftIndex));
        }
    }
}
