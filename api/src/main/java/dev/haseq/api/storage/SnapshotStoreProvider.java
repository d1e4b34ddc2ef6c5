package dev.haseq.api.storage;

/** A {@link StoreProvider} of {@link SnapshotStore}s. */
public interface SnapshotStoreProvider extends StoreProvider<SnapshotStore> {
}
