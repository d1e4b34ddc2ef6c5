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

    /**
     * A snapshot was received from the leader and installed: the end of a successful transfer on
     * the follower's side.
     */
    default void snapshotInstalled(long index, long term) {
    }

    /**
     * The leader <em>started</em> sending its snapshot {@code index} to a follower that needs
     * entries no longer in its log, i.e. that fell behind by more than {@code raft.trailing_logs}
     * (the guide's "snapshot transfers" signal). How the transfer ends is reported with
     * {@link #snapshotSendFinished}; a transfer abandoned because this node stopped leading gets
     * no further call.
     */
    default void snapshotSent(NodeId peer, long index) {
    }

    /** The follower confirmed it holds the snapshot {@code index} this leader sent it. */
    default void snapshotSendFinished(NodeId peer, long index) {
    }

    /**
     * A part of the snapshot transfer to {@code peer} failed (not acknowledged within
     * {@code raft.send_timeout}, or unreadable from the local snapshot store); the provider
     * retries it. Called once per failed attempt, not once per transfer.
     */
    default void snapshotSendFailed(NodeId peer, long index) {
    }

    /** This follower started receiving a snapshot from the leader (a new transfer, or one started over). */
    default void snapshotReceiveStarted(long index, long term) {
    }

    /**
     * A snapshot this follower received was found damaged (size or checksum) and discarded; the
     * leader sends it again.
     */
    default void snapshotReceiveFailed(long index, long term) {
    }

    /**
     * A message to {@code peer} was not acknowledged within {@code raft.send_timeout}; the provider
     * resends it, and repeated failures mark the peer unhealthy ({@link PeerStatus#healthy()}).
     * {@code peer} is always one of the configured members.
     */
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
