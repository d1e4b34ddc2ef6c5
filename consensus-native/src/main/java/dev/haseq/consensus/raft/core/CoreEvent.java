package dev.haseq.consensus.raft.core;

import dev.haseq.api.NodeId;
import java.util.Optional;

/**
 * Something that happened inside the core that the driver reports (to metrics, listeners, or
 * waiting callers). Delivered in {@link Ready#events()}, in the order they happened.
 */
public sealed interface CoreEvent {

    /** This node's timer fired and it started a pre-vote ({@code preVote}) or an election for {@code term}. */
    record ElectionStarted(long term, boolean preVote) implements CoreEvent {
    }

    /** A message to {@code peer} was not acknowledged within the send timeout; it will be retried. */
    record SendFailed(NodeId peer, int consecutiveFailures) implements CoreEvent {
    }

    /** The leader started sending snapshot {@code index} to a follower that is too far behind. */
    record SnapshotSendStarted(NodeId peer, long index, long term) implements CoreEvent {
    }

    /** A follower finished installing the snapshot the leader sent it. */
    record SnapshotSendFinished(NodeId peer, long index) implements CoreEvent {
    }

    /**
     * A chunk of the snapshot transfer to {@code peer} was not acknowledged within the send
     * timeout (with backoff), or could not be read from the local snapshot; the transfer goes on
     * from the last acknowledged offset. Reported together with the {@link SendFailed} it also is.
     */
    record SnapshotSendFailed(NodeId peer, long index) implements CoreEvent {
    }

    /** This follower took the first chunk of a snapshot transfer from {@code leader} (a new transfer, or one started over). */
    record SnapshotReceiveStarted(NodeId leader, long index, long term) implements CoreEvent {
    }

    /**
     * The snapshot this follower received was found damaged (size or checksum) when its last chunk
     * was in, and was discarded; the leader sends it again from the start.
     */
    record SnapshotReceiveFailed(NodeId leader, long index, long term) implements CoreEvent {
    }

    /**
     * A leadership transfer requested with {@link RaftCore#transferLeadership} ended.
     *
     * @param target    the follower leadership was handed to
     * @param success   a new leader is known and this node is no longer leader
     * @param newLeader the leader known at the end (the target on success, normally)
     * @param detail    why it failed, for the caller's error message
     */
    record TransferFinished(NodeId target, boolean success, Optional<NodeId> newLeader, String detail)
            implements CoreEvent {
    }
}
