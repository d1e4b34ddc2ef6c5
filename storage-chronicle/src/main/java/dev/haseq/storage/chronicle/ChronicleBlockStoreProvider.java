package dev.haseq.storage.chronicle;

import dev.haseq.api.storage.BlockStore;
import dev.haseq.api.storage.BlockStoreProvider;
import dev.haseq.api.storage.StorageContext;

/**
 * The {@code chronicle} block store provider: a {@link ChronicleBlockStore} in the context's
 * directory with {@link QueueOptions#forBlocks()}. Loading it disables Chronicle's usage analytics
 * ({@link ChronicleDefaults}).
 */
public final class ChronicleBlockStoreProvider implements BlockStoreProvider {
    public static final String NAME = "chronicle";

    static {
        ChronicleDefaults.apply();
    }

    public ChronicleBlockStoreProvider() {
        ChronicleDefaults.apply();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public BlockStore open(StorageContext context) {
        return ChronicleBlockStore.open(context.directory(), QueueOptions.forBlocks(), context.events());
    }
}
