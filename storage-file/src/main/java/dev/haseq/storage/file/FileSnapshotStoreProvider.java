package dev.haseq.storage.file;

import dev.haseq.api.storage.SnapshotStore;
import dev.haseq.api.storage.SnapshotStoreProvider;
import dev.haseq.api.storage.StorageContext;
import dev.haseq.storage.file.snapshot.FileSnapshotStore;

/**
 * The {@code file} snapshot store: {@code raft_dir/snapshots/<term>-<index>.snp}, checksummed,
 * keeping {@code raft.snap_count} (see {@link FileSnapshotStore}).
 */
public final class FileSnapshotStoreProvider implements SnapshotStoreProvider {
    public static final String NAME = "file";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public SnapshotStore open(StorageContext context) {
        return FileSnapshotStore.open(context.directory(), context.settings().snapCount(), context.events());
    }
}
