package dev.haseq.api.storage;

/** A {@link StoreProvider} of {@link BlockStore}s. */
public interface BlockStoreProvider extends StoreProvider<BlockStore> {
}
