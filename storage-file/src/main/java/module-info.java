/**
 * The {@code file} storage provider: a segmented-file Raft log, the stable store (term and vote)
 * and the snapshot store. Found through {@code ServiceLoader}; exports nothing.
 */
module dev.haseq.storage.file {
    requires dev.haseq.api;

    provides dev.haseq.api.storage.LogStoreProvider with dev.haseq.storage.file.FileLogStoreProvider;
    provides dev.haseq.api.storage.StableStoreProvider with dev.haseq.storage.file.FileStableStoreProvider;
    provides dev.haseq.api.storage.SnapshotStoreProvider with dev.haseq.storage.file.FileSnapshotStoreProvider;
}
