package dev.haseq.api.storage;

/** A {@link StoreProvider} of {@link StableStore}s. */
public interface StableStoreProvider extends StoreProvider<StableStore> {
}
