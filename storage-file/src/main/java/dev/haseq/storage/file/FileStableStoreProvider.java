package dev.haseq.storage.file;

import dev.haseq.api.storage.StableStore;
import dev.haseq.api.storage.StableStoreProvider;
import dev.haseq.api.storage.StorageContext;
import dev.haseq.storage.file.stable.FileStableStore;

/** The {@code file} stable store: term and vote in {@code raft_dir/raft-stable} (see {@link FileStableStore}). */
public final class FileStableStoreProvider implements StableStoreProvider {
    public static final String NAME = "file";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public StableStore open(StorageContext context) {
        return FileStableStore.open(context.directory());
    }
}
