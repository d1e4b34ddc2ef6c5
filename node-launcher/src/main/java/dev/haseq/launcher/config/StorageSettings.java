package dev.haseq.launcher.config;

import java.nio.file.Path;

/**
 * The {@code storage.*} keys: where the node keeps its data besides the Raft state, and which
 * providers implement the stores ({@code raft.log_store} chooses the Raft log's).
 *
 * @param dataDir       the node's data directory (resolved against home): {@code blocks/} and
 *                      {@code executor/} live under it
 * @param blockStore    the block store provider's name
 * @param stableStore   the stable store (term and vote) provider's name
 * @param snapshotStore the snapshot store provider's name
 */
public record StorageSettings(Path dataDir, String blockStore, String stableStore, String snapshotStore) {
    public static final String DATA_DIR = "storage.data_dir";
    public static final String BLOCK_STORE = "storage.block_store";
    public static final String STABLE_STORE = "storage.stable_store";
    public static final String SNAPSHOT_STORE = "storage.snapshot_store";
    /** Sub-directory of {@link #dataDir} for the block store. */
    public static final String BLOCKS_DIR = "blocks";
    /** Sub-directory of {@link #dataDir} for the executor. */
    public static final String EXECUTOR_DIR = "executor";

    public StorageSettings {
        if (dataDir == null || blockStore == null || stableStore == null || snapshotStore == null) {
            throw new IllegalArgumentException("StorageSettings fields must not be null");
        }
    }

    /** Where the block store keeps committed blocks: {@code <data_dir>/blocks}. */
    public Path blocksDir() {
        return dataDir.resolve(BLOCKS_DIR);
    }

    /** The directory handed to the executor: {@code <data_dir>/executor}. */
    public Path executorDir() {
        return dataDir.resolve(EXECUTOR_DIR);
    }

    static StorageSettings parse(ValueReader r) {
        return new StorageSettings(r.path(DATA_DIR), r.providerName(BLOCK_STORE, false),
                r.providerName(STABLE_STORE, false), r.providerName(SNAPSHOT_STORE, false));
    }
}
