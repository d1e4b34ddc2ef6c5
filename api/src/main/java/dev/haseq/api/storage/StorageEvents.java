package dev.haseq.api.storage;

import java.nio.file.Path;

/**
 * What a store reports besides its return values, for logs and metrics: data it had to repair
 * or skip. Implementations must be cheap and thread-safe. Every method has a no-op default.
 */
public interface StorageEvents {
    StorageEvents NONE = new StorageEvents() {
    };

    /** A torn or corrupt record at the end of a log file was cut off on open. */
    default void tornTailTruncated(Path file, long offset, long bytesDropped) {
    }

    /** A corrupt snapshot was skipped in favour of an older one. */
    default void corruptSnapshotSkipped(Path file, String reason) {
    }
}
