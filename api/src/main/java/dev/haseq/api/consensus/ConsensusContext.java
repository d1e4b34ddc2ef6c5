package dev.haseq.api.consensus;

import dev.haseq.api.config.RaftSettings;
import dev.haseq.api.storage.LogStoreProvider;
import dev.haseq.api.storage.SnapshotStoreProvider;
import dev.haseq.api.storage.StableStoreProvider;
import dev.haseq.api.storage.StorageEvents;
import java.time.Clock;

/**
 * Everything a {@link ConsensusProvider} is given to create a node. Storage comes as providers
 * selected by configuration ({@code raft.log_store}); a provider with storage of its own (Atomix)
 * may ignore them and keep its files under {@code settings.raftDir()}.
 */
public record ConsensusContext(RaftSettings settings, StateMachine stateMachine, LogStoreProvider logStore,
                               StableStoreProvider stableStore, SnapshotStoreProvider snapshotStore,
                               StorageEvents storageEvents, ConsensusListener listener, Clock clock) {
    public ConsensusContext {
        if (settings == null || stateMachine == null || logStore == null || stableStore == null
                || snapshotStore == null || storageEvents == null || listener == null || clock == null) {
            throw new IllegalArgumentException("consensus context fields must not be null");
        }
    }
}
