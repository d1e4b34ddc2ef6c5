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

    /**
     * The node stopped taking part in consensus for good after a fatal error: a storage failure
     * (it can no longer persist what it would acknowledge) or a state machine failure other than a
     * rejected entry. It will not recover by itself; the cause names what to fix, and restarting
     * the process rejoins from the node's data. Called at most once per node, from an internal
     * thread, possibly while the node is still shutting down; must not block.
     */
    default void failed(Throwable cause) {
    }
}
