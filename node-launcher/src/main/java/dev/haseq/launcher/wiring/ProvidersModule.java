package dev.haseq.launcher.wiring;

import com.google.inject.AbstractModule;
import dev.haseq.api.consensus.ConsensusProvider;
import dev.haseq.api.exec.ExecutorProvider;
import dev.haseq.api.storage.BlockStoreProvider;
import dev.haseq.api.storage.LogStoreProvider;
import dev.haseq.api.storage.SnapshotStoreProvider;
import dev.haseq.api.storage.StableStoreProvider;

/**
 * Binds each SPI to the provider the configuration selected ({@link SelectedProviders}). The
 * selection happens before the injector is built, so an unknown name is reported with every
 * other one and nothing has been opened yet.
 */
public final class ProvidersModule extends AbstractModule {
    private final SelectedProviders selected;

    public ProvidersModule(SelectedProviders selected) {
        this.selected = selected;
    }

    @Override
    protected void configure() {
        bind(SelectedProviders.class).toInstance(selected);
        bind(ConsensusProvider.class).toInstance(selected.consensus());
        bind(LogStoreProvider.class).toInstance(selected.logStore());
        bind(StableStoreProvider.class).toInstance(selected.stableStore());
        bind(SnapshotStoreProvider.class).toInstance(selected.snapshotStore());
        bind(BlockStoreProvider.class).toInstance(selected.blockStore());
        bind(ExecutorProvider.class).toInstance(selected.executor());
    }
}
