package dev.haseq.it.storage;

import dev.haseq.api.config.RaftSettings;
import dev.haseq.api.storage.StorageContext;
import dev.haseq.api.storage.StorageEvents;
import java.nio.file.Path;
import java.util.Map;

/** Builds the {@link StorageContext}s the suites open stores with. */
public final class StorageContexts {
    private StorageContexts() {
    }

    /** Settings with the guide's defaults except {@code raft.snap_count}. */
    public static RaftSettings settings(Path home, int snapCount) {
        return RaftSettings.parse(Map.of(RaftSettings.SNAP_COUNT, Integer.toString(snapCount)), home).orThrow();
    }

    public static StorageContext context(Path dir, int snapCount, StorageEvents events) {
        return new StorageContext(dir, settings(dir, snapCount), events);
    }

    public static StorageContext context(Path dir, StorageEvents events) {
        return context(dir, RaftSettings.DEFAULT_SNAP_COUNT, events);
    }
}
