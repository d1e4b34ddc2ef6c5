package dev.haseq.consensus.raft.core;

import dev.haseq.api.NodeId;
import dev.haseq.api.storage.LogEntry;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A Raft message between two members. Every message names its sender, its addressee and the
 * sender's term; the core ignores or answers stale terms itself, so the transport only has to
 * deliver bytes (it may drop, duplicate, delay or reorder them: the core tolerates all four).
 *
 * <p>Messages are immutable values (their lists are unmodifiable; the byte arrays inside
 * {@link LogEntry} and {@link InstallSnapshotRequest} are shared, never modified). Encode them with
 * {@link MessageCodec}.
 */
public sealed interface Message {

    NodeId from();

    NodeId to();

    long term();

    /**
     * "Would you vote for me if I started an election for {@code term}?" (Raft thesis §9.6). Sent
     * without incrementing the sender's own term, so a node that cannot win never disturbs the cluster.
     *
     * @param term the term the sender would campaign for (its current term + 1)
     */
    record PreVoteRequest(NodeId from, NodeId to, long term, long lastLogIndex, long lastLogTerm) implements Message {
        public PreVoteRequest {
            check(from, to, term);
            nonNegative(lastLogIndex, "lastLogIndex");
            nonNegative(lastLogTerm, "lastLogTerm");
        }
    }

    /**
     * @param term the requested term when granted, else the responder's current term (so a
     *             pre-candidate behind in term catches up)
     */
    record PreVoteResponse(NodeId from, NodeId to, long term, boolean granted) implements Message {
        public PreVoteResponse {
            check(from, to, term);
        }
    }

    /**
     * RequestVote (§5.2).
     *
     * @param leadershipTransfer the election was triggered by {@link TimeoutNow}: receivers skip
     *                           leader stickiness (they still check the log is up to date)
     */
    record VoteRequest(NodeId from, NodeId to, long term, long lastLogIndex, long lastLogTerm,
                       boolean leadershipTransfer) implements Message {
        public VoteRequest {
            check(from, to, term);
            nonNegative(lastLogIndex, "lastLogIndex");
            nonNegative(lastLogTerm, "lastLogTerm");
        }
    }

    record VoteResponse(NodeId from, NodeId to, long term, boolean granted) implements Message {
        public VoteResponse {
            check(from, to, term);
        }
    }

    /**
     * AppendEntries (§5.3). An empty {@code entries} list only carries {@code leaderCommit}
     * (or probes where the follower's log matches). Entries are consecutive and start at
     * {@code prevLogIndex + 1}.
     */
    record AppendRequest(NodeId from, NodeId to, long term, long prevLogIndex, long prevLogTerm,
                         List<LogEntry> entries, long leaderCommit) implements Message {
        public AppendRequest {
            check(from, to, term);
            nonNegative(prevLogIndex, "prevLogIndex");
            nonNegative(prevLogTerm, "prevLogTerm");
            nonNegative(leaderCommit, "leaderCommit");
            entries = List.copyOf(entries);
        }

        /** Index of the last entry carried, or {@code prevLogIndex} when empty. */
        public long lastIndex() {
            return prevLogIndex + entries.size();
        }
    }

    /**
     * The answer to an {@link AppendRequest}, sent only after the entries are durable.
     *
     * @param success   the follower's log matched at {@code prevLogIndex} and now holds the entries
     * @param index     on success the highest index known to match the leader's log; on rejection
     *                  the {@code prevLogIndex} that did not match
     * @param hintIndex on rejection: the follower's guess of the highest index that may match
     *                  (the last index with term &le; the rejected term), for fast backtracking
     * @param hintTerm  the term of the follower's entry at {@code hintIndex} (0 if unknown)
     */
    record AppendResponse(NodeId from, NodeId to, long term, boolean success, long index, long hintIndex,
                          long hintTerm) implements Message {
        public AppendResponse {
            check(from, to, term);
            nonNegative(index, "index");
            nonNegative(hintIndex, "hintIndex");
            nonNegative(hintTerm, "hintTerm");
        }
    }

    /**
     * The leader's liveness signal, every heartbeat interval.
     *
     * @param leaderCommit the leader's commit index capped at what this follower is known to hold
     * @param leaderTick   an opaque leader-local stamp echoed back, so the leader can date its lease
     *                     from when it <em>sent</em> the heartbeat
     */
    record Heartbeat(NodeId from, NodeId to, long term, long leaderCommit, long leaderTick) implements Message {
        public Heartbeat {
            check(from, to, term);
            nonNegative(leaderCommit, "leaderCommit");
        }
    }

    record HeartbeatResponse(NodeId from, NodeId to, long term, long leaderTick) implements Message {
        public HeartbeatResponse {
            check(from, to, term);
        }
    }

    /**
     * One chunk of a snapshot. Chunks of one snapshot are sent in order, one at a time; after a
     * failure the leader resends from the follower's last acknowledged offset.
     *
     * @param totalSize the snapshot's size in bytes
     * @param checksum  CRC32C of the whole snapshot, checked by the receiver after the last chunk
     * @param offset    where {@code data} starts in the snapshot
     * @param last      {@code offset + data.length == totalSize}
     */
    record InstallSnapshotRequest(NodeId from, NodeId to, long term, long snapshotIndex, long snapshotTerm,
                                  long totalSize, int checksum, long offset, byte[] data, boolean last)
            implements Message {
        public InstallSnapshotRequest {
            check(from, to, term);
            nonNegative(snapshotIndex, "snapshotIndex");
            nonNegative(snapshotTerm, "snapshotTerm");
            nonNegative(totalSize, "totalSize");
            nonNegative(offset, "offset");
            Objects.requireNonNull(data, "data");
            if (offset + data.length > totalSize || last != (offset + data.length == totalSize)) {
                throw new IllegalArgumentException("chunk [" + offset + ", " + (offset + data.length)
                        + ") does not fit a snapshot of " + totalSize + " bytes (last=" + last + ")");
            }
        }

        /** The array itself, not a copy: callers must not modify it. */
        @Override
        public byte[] data() {
            return data;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof InstallSnapshotRequest r && from.equals(r.from) && to.equals(r.to) && term == r.term
                    && snapshotIndex == r.snapshotIndex && snapshotTerm == r.snapshotTerm && totalSize == r.totalSize
                    && checksum == r.checksum && offset == r.offset && last == r.last && Arrays.equals(data, r.data);
        }

        @Override
        public int hashCode() {
            return Objects.hash(from, to, term, snapshotIndex, snapshotTerm, offset) * 31 + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "InstallSnapshotRequest[" + from + "->" + to + " t" + term + " snap " + snapshotIndex + "@"
                    + snapshotTerm + " [" + offset + "+" + data.length + " of " + totalSize + "]" + (last ? " last" : "")
                    + "]";
        }
    }

    /**
     * The answer to an {@link InstallSnapshotRequest}, sent once the follower's driver reported
     * the chunk written (or could not write it).
     *
     * @param nextOffset bytes of this snapshot the follower holds in its partial snapshot (a
     *                   restart loses both); the leader continues there, also backwards after a
     *                   failed write (0 restarts the transfer, e.g. after a checksum mismatch)
     * @param done       the follower has installed this snapshot (or its log already covered it):
     *                   replication continues at {@code snapshotIndex + 1}
     */
    record InstallSnapshotResponse(NodeId from, NodeId to, long term, long snapshotIndex, long snapshotTerm,
                                   long nextOffset, boolean done) implements Message {
        public InstallSnapshotResponse {
            check(from, to, term);
            nonNegative(snapshotIndex, "snapshotIndex");
            nonNegative(snapshotTerm, "snapshotTerm");
            nonNegative(nextOffset, "nextOffset");
        }
    }

    /** Leadership transfer: "start an election now, skipping pre-vote" (thesis §3.10). */
    record TimeoutNow(NodeId from, NodeId to, long term) implements Message {
        public TimeoutNow {
            check(from, to, term);
        }
    }

    private static void check(NodeId from, NodeId to, long term) {
        if (from == null || to == null) {
            throw new IllegalArgumentException("a message needs a sender and an addressee");
        }
        nonNegative(term, "term");
    }

    private static void nonNegative(long v, String what) {
        if (v < 0) {
            throw new IllegalArgumentException(what + " must be >= 0, got " + v);
        }
    }
}
