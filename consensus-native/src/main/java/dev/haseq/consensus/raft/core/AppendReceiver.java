package dev.haseq.consensus.raft.core;

import dev.haseq.consensus.raft.core.Message.AppendRequest;
import dev.haseq.consensus.raft.core.Message.AppendResponse;
import dev.haseq.consensus.raft.core.Message.Heartbeat;
import dev.haseq.consensus.raft.core.Message.HeartbeatResponse;

/**
 * The follower's half of log replication (the leader's is {@link Replicator}): appends that match
 * our log are taken (§5.3), mismatches are refused with a hint so the leader skips back a whole
 * term at a time, and the commit index follows the leader's as far as our log is known to match.
 * Snapshots are the {@link SnapshotReceiver}'s. Owned by {@link RaftCore}, which has already
 * checked the term and recorded the leader.
 */
final class AppendReceiver {
    private final RaftCore core;
    private final RaftLog log;

    AppendReceiver(RaftCore core, RaftLog log) {
        this.core = core;
        this.log = log;
    }

    void onAppend(AppendRequest r) {
        if (r.prevLogIndex() < log.committed) {
            core.sendAfterPersist(new AppendResponse(core.id(), r.from(), core.term(), true, log.committed, 0, 0));
            return;
        }
        if (log.matchTerm(r.prevLogIndex(), r.prevLogTerm())) {
            log.appendFromLeader(r.entries());
            long lastNew = r.lastIndex();
            log.commitTo(Math.min(r.leaderCommit(), lastNew));
            core.sendAfterPersist(new AppendResponse(core.id(), r.from(), core.term(), true, lastNew, 0, 0));
            return;
        }
        long hintIndex = log.lastIndexWithTermAtMost(Math.min(r.prevLogIndex(), log.lastIndex()), r.prevLogTerm(),
                log.committed);
        long hintTerm = Math.max(0, log.term(hintIndex));
        core.sendAfterPersist(new AppendResponse(core.id(), r.from(), core.term(), false, r.prevLogIndex(), hintIndex,
                hintTerm));
    }

    /** The leader's commit index in a heartbeat is capped at what it knows we hold (see Replicator#tick). */
    void onHeartbeat(Heartbeat r) {
        log.commitTo(r.leaderCommit());
        core.send(new HeartbeatResponse(core.id(), r.from(), core.term(), r.leaderTick()));
    }
}
