package dev.haseq.api.storage;

/**
 * Opens stores of one kind. Each kind has its own sub-interface so that {@code ServiceLoader} can
 * find providers of that kind: a provider module declares, e.g.,
 * {@code provides dev.haseq.api.storage.LogStoreProvider with my.FastLogStoreProvider;}
 * and the node picks one by {@link #name()}.
 */
public interface StoreProvider<S extends AutoCloseable> {

    /** The name configuration selects this provider by, e.g. {@code chronicle} or {@code file}. */
    String name();

    /** Opens (creating if needed) the store in {@code context.directory()}. */
    S open(StorageContext context);
}
