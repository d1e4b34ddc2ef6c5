package dev.haseq.api.storage;

/** A {@link StoreProvider} of {@link LogStore}s. */
public interface LogStoreProvider extends StoreProvider<LogStore> {
}
