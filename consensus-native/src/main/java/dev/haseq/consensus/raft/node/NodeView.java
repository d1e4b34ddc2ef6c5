package dev.haseq.consensus.raft.node;

import dev.haseq.api.NodeId;
import dev.haseq.api.consensus.Role;
import dev.haseq.consensus.raft.core.PeerProgress;
import java.util.List;
import java.util.Optional;

/** What the Raft loop publishes after each turn for other threads (status, fast checks). Immutable. */
record NodeView(Role role, long term, Optional<NodeId> leader, long commitIndex, long lastIndex, long snapshotIndex,
                List<PeerProgress> peers) {
    static final NodeView INITIAL = new NodeView(Role.FOLLOWER, 0, Optional.empty(), 0, 0, 0, List.of());
}
