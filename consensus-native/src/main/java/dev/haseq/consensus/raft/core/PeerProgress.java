package dev.haseq.consensus.raft.core;

import dev.haseq.api.NodeId;

/**
 * The leader's view of one follower, for status and metrics ({@link RaftCore#peerProgress()}).
 * On a non-leader only {@code peer} and {@code lastContactTicksAgo} mean anything.
 *
 * @param matchIndex              highest index known durable on the follower
 * @param nextIndex               next index the leader will send
 * @param state                   how the leader replicates to it
 * @param healthy                 recent sends were acknowledged within the send timeout and the
 *                                follower was heard from within the lease timeout
 * @param lastContactTicksAgo     ticks since a message from it arrived, -1 if never
 * @param consecutiveSendFailures sends that timed out since the last acknowledgement
 */
public record PeerProgress(NodeId peer, long matchIndex, long nextIndex, ReplicationState state, boolean healthy,
                           long lastContactTicksAgo, int consecutiveSendFailures) {

    /** How the leader replicates to a follower (etcd's progress states). */
    public enum ReplicationState {
        /** Where the follower's log matches is unknown: one append at a time until one is accepted. */
        PROBE,
        /** The logs match: appends are streamed, up to the in-flight limit. */
        REPLICATE,
        /** The follower needs entries the leader compacted: a snapshot is being sent. */
        SNAPSHOT
    }
}
