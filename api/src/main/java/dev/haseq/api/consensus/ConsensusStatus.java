package dev.haseq.api.consensus;

import dev.haseq.api.NodeId;
import java.util.List;
import java.util.Optional;

/** A point-in-time view of a consensus node, for the API and metrics. */
public record ConsensusStatus(NodeId self, Role role, long term, Optional<NodeId> leader, long commitIndex,
                              long appliedIndex, long lastLogIndex, long snapshotIndex, List<PeerStatus> peers) {
    public ConsensusStatus {
        peers = List.copyOf(peers);
    }
}
