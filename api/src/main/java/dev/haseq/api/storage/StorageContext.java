package dev.haseq.api.storage;

import dev.haseq.api.config.RaftSettings;
import java.nio.file.Path;

/**
 * What a storage provider is given to open a store.
 *
 * @param directory the directory the store owns (created if missing). The node passes
 *                  {@code raft_dir/raft-log} to a log store, {@code raft_dir} to a stable store
 *                  (which writes {@code raft-stable} in it), {@code raft_dir/snapshots} to a
 *                  snapshot store and {@code <storage.data_dir>/blocks} (default
 *                  {@code <home>/data/blocks}) to a block store; see {@link RaftLayout}.
 * @param settings  the validated Raft settings (for {@code snap_count} and the like)
 * @param events    where repairs and skips are reported
 */
public record StorageContext(Path directory, RaftSettings settings, StorageEvents events) {
    public StorageContext {
        if (directory == null || settings == null || events == null) {
            throw new IllegalArgumentException("storage context fields must not be null");
        }
    }
}
