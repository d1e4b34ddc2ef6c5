package dev.haseq.api.consensus;

import dev.haseq.api.NodeId;
import java.util.Optional;

/**
 * Events for metrics and logs (the guide's Monitoring signals). Called from consensus threads:
 * implementations must be fast, thread-safe and must not call back into the node. Every method
 * has a no-op default.
 */
public interface ConsensusListener {
    ConsensusListener NONE = new ConsensusListener() {
    };

    /** The known leader changed (empty: no leader known). {@code self} tells whether it is us. */
    default void leaderChanged(long term, Optional<NodeId> leader, boolean self) {
    }

    /** This node's election timer fired and it started a (pre-)election. */
    default void electionStarted(long term, boolean preVote) {
    }

    default void snapshotTaken(long index, long term) {
    }

    /** A snapshot was received from the leader and installed. */
    default void snapshotInstalled(long index, long term) {
    }

    /** A snapshot was sent to a lagging follower (the guide's "snapshot transfers" signal). */
    default void snapshotSent(NodeId peer, long index) {
    }

    default void sendFailed(NodeId peer) {
    }
}
