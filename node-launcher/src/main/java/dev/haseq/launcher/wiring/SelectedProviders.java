package dev.haseq.launcher.wiring;

import dev.haseq.api.config.ConfigException;
import dev.haseq.api.config.ConfigProblem;
import dev.haseq.api.config.Providers;
import dev.haseq.api.config.RaftSettings;
import dev.haseq.api.consensus.ConsensusProvider;
import dev.haseq.api.exec.DataAvailabilityProvider;
import dev.haseq.api.exec.ExecutorProvider;
import dev.haseq.api.storage.BlockStoreProvider;
import dev.haseq.api.storage.LogStoreProvider;
import dev.haseq.api.storage.SnapshotStoreProvider;
import dev.haseq.api.storage.StableStoreProvider;
import dev.haseq.launcher.config.DaSettings;
import dev.haseq.launcher.config.ExecutorSettings;
import dev.haseq.launcher.config.HaseqConfig;
import dev.haseq.launcher.config.StorageSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The providers the configuration names, found with {@code ServiceLoader} on the module path (or
 * class path) through {@link Providers#select}. Selecting reports every unknown name at once,
 * each listing the providers that are available, before anything is opened.
 *
 * @param consensus     {@code raft.provider}
 * @param logStore      {@code raft.log_store}
 * @param stableStore   {@code storage.stable_store}
 * @param snapshotStore {@code storage.snapshot_store}
 * @param blockStore    {@code storage.block_store}
 * @param executor      {@code executor.provider}
 * @param da            {@code da.provider}, if one is configured
 */
public record SelectedProviders(ConsensusProvider consensus, LogStoreProvider logStore,
                                StableStoreProvider stableStore, SnapshotStoreProvider snapshotStore,
                                BlockStoreProvider blockStore, ExecutorProvider executor,
                                Optional<DataAvailabilityProvider> da) {

    public SelectedProviders {
        if (consensus == null || logStore == null || stableStore == null || snapshotStore == null
                || blockStore == null || executor == null || da == null) {
            throw new IllegalArgumentException("every provider must be selected; use SelectedProviders.select");
        }
    }

    /**
     * Selects every provider {@code config} names.
     *
     * @throws ConfigException listing every name that matches no available provider
     */
    public static SelectedProviders select(HaseqConfig config) {
        List<ConfigProblem> problems = new ArrayList<>();
        RaftSettings raft = config.raft();
        StorageSettings storage = config.storage();
        ExecutorSettings exec = config.executor();
        DaSettings daSettings = config.da();
        ConsensusProvider consensus = pick(problems, () -> Providers.select(ConsensusProvider.class,
                ConsensusProvider::name, RaftSettings.PROVIDER, raft.provider()));
        LogStoreProvider log = pick(problems, () -> Providers.select(LogStoreProvider.class, LogStoreProvider::name,
                RaftSettings.LOG_STORE, raft.logStore()));
        StableStoreProvider stable = pick(problems, () -> Providers.select(StableStoreProvider.class,
                StableStoreProvider::name, StorageSettings.STABLE_STORE, storage.stableStore()));
        SnapshotStoreProvider snapshots = pick(problems, () -> Providers.select(SnapshotStoreProvider.class,
                SnapshotStoreProvider::name, StorageSettings.SNAPSHOT_STORE, storage.snapshotStore()));
        BlockStoreProvider blocks = pick(problems, () -> Providers.select(BlockStoreProvider.class,
                BlockStoreProvider::name, StorageSettings.BLOCK_STORE, storage.blockStore()));
        ExecutorProvider executor = pick(problems, () -> Providers.select(ExecutorProvider.class, ExecutorProvider::name,
                ExecutorSettings.PROVIDER, exec.provider()));
        Optional<DataAvailabilityProvider> da = Optional.empty();
        if (daSettings.provider().isPresent()) {
            da = Optional.ofNullable(pick(problems, () -> Providers.select(DataAvailabilityProvider.class,
                    DataAvailabilityProvider::name, DaSettings.PROVIDER, daSettings.provider().get())));
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new SelectedProviders(consensus, log, stable, snapshots, blocks, executor, da);
    }

    private static <P> P pick(List<ConfigProblem> problems, Supplier<P> selection) {
        try {
            return selection.get();
        } catch (ConfigException e) {
            problems.addAll(e.problems());
            return null;
        }
    }
}
