package dev.haseq.storage.chronicle;

import dev.haseq.api.storage.LogStore;
import dev.haseq.api.storage.LogStoreProvider;
import dev.haseq.api.storage.StorageContext;

/**
 * The {@code chronicle} log store provider, haseq's default ({@code raft.log_store}). Opens a
 * {@link ChronicleLogStore} in the context's directory with {@link QueueOptions#forLog()}.
 * Loading this class (which {@code ServiceLoader} does before anything else of this module)
 * disables Chronicle's usage analytics ({@link ChronicleDefaults}).
 */
public final class ChronicleLogStoreProvider implements LogStoreProvider {
    public static final String NAME = "chronicle";

    static {
        ChronicleDefaults.apply();
    }

    public ChronicleLogStoreProvider() {
        ChronicleDefaults.apply();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public LogStore open(StorageContext context) {
        return ChronicleLogStore.open(context.directory(), QueueOptions.forLog(), context.events());
    }
}
