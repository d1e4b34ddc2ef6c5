package dev.haseq.it.consensus;

import dev.haseq.api.config.Providers;
import dev.haseq.api.config.RaftSettings;
import dev.haseq.api.consensus.ConsensusNode;
import dev.haseq.api.consensus.ConsensusProvider;
import dev.haseq.api.storage.LogStoreProvider;
import dev.haseq.api.storage.SnapshotStoreProvider;
import dev.haseq.api.storage.StableStoreProvider;
import java.util.function.Consumer;

/**
 * What a consensus conformance run tests: a consensus provider and the three stores it is given,
 * all found by name through {@code ServiceLoader} exactly as the node finds them
 * ({@code raft.provider}, {@code raft.log_store}, ...), plus the provider's crash hook.
 *
 * @param crash stops a started node the way a crashed process would: no leadership transfer and
 *              no message after it returns; what the node synced stays on disk
 */
public record Backend(ConsensusProvider provider, LogStoreProvider logStore, StableStoreProvider stableStore,
                      SnapshotStoreProvider snapshotStore, Consumer<ConsensusNode> crash) {

    /** Looks every part up by name; an unknown name fails with the names that are available. */
    public static Backend select(String provider, String logStore, String stableStore, String snapshotStore,
                                 Consumer<ConsensusNode> crash) {
        return new Backend(
                Providers.select(ConsensusProvider.class, ConsensusProvider::name, RaftSettings.PROVIDER, provider),
                Providers.select(LogStoreProvider.class, LogStoreProvider::name, RaftSettings.LOG_STORE, logStore),
                Providers.select(StableStoreProvider.class, StableStoreProvider::name, "storage.stable_store",
                        stableStore),
                Providers.select(SnapshotStoreProvider.class, SnapshotStoreProvider::name, "storage.snapshot_store",
                        snapshotStore),
                crash);
    }

    public String describe() {
        return "consensus " + provider.name() + " on log " + logStore.name() + ", stable " + stableStore.name()
                + ", snapshots " + snapshotStore.name();
    }
}
