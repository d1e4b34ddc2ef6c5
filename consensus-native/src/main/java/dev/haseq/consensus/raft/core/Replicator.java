package dev.haseq.consensus.raft.core;

import dev.haseq.api.storage.LogEntry;
import dev.haseq.consensus.raft.core.Message.AppendRequest;
import dev.haseq.consensus.raft.core.Message.AppendResponse;
import dev.haseq.consensus.raft.core.Message.Heartbeat;
import dev.haseq.consensus.raft.core.Message.HeartbeatResponse;
import dev.haseq.consensus.raft.core.Message.InstallSnapshotResponse;
import dev.haseq.consensus.raft.core.PeerProgress.ReplicationState;
import java.util.Arrays;
import java.util.List;

/**
 * The leader's half of log replication: batching and pipelining (progress states as in etcd's
 * tracker), heartbeats, commit by quorum with the current-term rule (§5.4.2), send timeouts with
 * backoff, check-quorum and the lease. A follower that needs compacted entries is handed to the
 * {@link SnapshotSender}; acknowledgements are passed on to the {@link LeadershipTransfer}.
 * Owned by {@link RaftCore}; everything here runs only while this node is leader.
 */
final class Replicator {
    private final RaftCore core;
    private final CoreConfig cfg;
    private final RaftLog log;
    private final Progress[] peers;
    private final SnapshotSender snapshots;
    private final LeadershipTransfer transfer;
    private final long[] matchScratch;

    private int heartbeatElapsed;
    /** Highest index of our own log known durable: our own vote in the commit quorum. */
    private long selfMatch;
    /** New entries to send (proposals since the last flush). */
    private boolean appendPending;
    /** The commit index advanced: the next append round also goes to followers with nothing new to send. */
    private boolean commitPending;

    Replicator(RaftCore core, CoreConfig cfg, RaftLog log, Progress[] peers, SnapshotSender snapshots,
               LeadershipTransfer transfer) {
        this.core = core;
        this.cfg = cfg;
        this.log = log;
        this.peers = peers;
        this.snapshots = snapshots;
        this.transfer = transfer;
        this.matchScratch = new long[peers.length + 1];
    }

    void becomeLeader(long now) {
        heartbeatElapsed = 0;
        selfMatch = log.stableLastIndex();
        for (Progress pr : peers) {
            pr.resetForLeadership(log.lastIndex(), now);
        }
        appendPending = true;
        commitPending = false;
    }

    /** A new entry was appended to the leader's log. */
    void appended() {
        appendPending = true;
    }

    boolean hasPendingSends() {
        return appendPending || commitPending;
    }

    /** Sends what accumulated since the last Ready: one batched append per follower. */
    void flush() {
        if (!appendPending) {
            // Only the commit index moved: the next append or heartbeat (at most one heartbeat
            // interval away) carries it. Sending it at once would cost every follower a wake-up of
            // its I/O thread, Raft loop and applier per commit, which on a small machine compete
            // for the CPUs with the commit path of the next proposal.
            commitPending = false;
            return;
        }
        boolean sendIfEmpty = commitPending;
        appendPending = false;
        commitPending = false;
        for (Progress pr : peers) {
            sendAppends(pr, sendIfEmpty);
        }
    }

    /** Our own write reached disk up to {@code index}. */
    void selfPersisted(long index) {
        if (index > selfMatch) {
            selfMatch = index;
            if (maybeCommit()) {
                commitPending = true;
            }
        }
    }

    /** Sends {@code pr} what it lacks, as far as flow control allows. */
    void sendAppends(Progress pr, boolean sendIfEmpty) {
        if (!sendAppend(pr, sendIfEmpty)) {
            return;
        }
        while (pr.state == ReplicationState.REPLICATE && pr.next <= log.lastIndex() && sendAppend(pr, false)) {
            // keep streaming until the in-flight window is full or everything is sent
        }
    }

    /** Sends one append (or starts a snapshot when the entries are gone). Returns true if sent. */
    private boolean sendAppend(Progress pr, boolean sendIfEmpty) {
        if (pr.isPaused()) {
            return false;
        }
        long prev = pr.next - 1;
        long last = log.lastIndex();
        if (prev > last) {
            throw new IllegalStateException("next index " + pr.next + " of " + pr.id + " is beyond the log end " + last);
        }
        long prevTerm = log.term(prev);
        if (prevTerm < 0 || pr.next < log.firstIndex()) {
            snapshots.start(pr);
            return false;
        }
        List<LogEntry> entries = pr.next <= last ? log.entries(pr.next, last, cfg.maxEntriesBytesPerMessage())
                : List.of();
        if (entries.isEmpty() && !sendIfEmpty && pr.state != ReplicationState.PROBE) {
            return false;
        }
        core.send(new AppendRequest(core.id(), pr.id, core.term(), prev, prevTerm, entries, log.committed));
        pr.sentAppend(prev + entries.size(), !entries.isEmpty(), core.now());
        return true;
    }

    void onAppendResponse(Progress pr, AppendResponse m) {
        pr.consecutiveFailures = 0;
        if (!m.success()) {
            long hint = m.hintIndex();
            if (m.hintTerm() > 0) {
                hint = log.lastIndexWithTermAtMost(m.hintIndex(), m.hintTerm(), 0);
            }
            if (pr.maybeDecrTo(m.index(), hint)) {
                if (pr.state == ReplicationState.REPLICATE) {
                    pr.becomeProbe();
                }
                sendAppends(pr, false);
            }
            return;
        }
        if (m.index() > log.lastIndex()) {
            throw new IllegalStateException(pr.id + " acknowledged index " + m.index() + " beyond the leader's last "
                    + log.lastIndex() + " in term " + core.term());
        }
        boolean updated = pr.maybeUpdate(m.index());
        if (updated || (pr.state == ReplicationState.PROBE && m.index() == pr.match)) {
            switch (pr.state) {
                case PROBE -> pr.becomeReplicate();
                case REPLICATE -> pr.freeInflightsUpTo(m.index());
                case SNAPSHOT -> {
                    if (log.term(pr.match) >= 0 && pr.match + 1 >= log.firstIndex()) {
                        pr.becomeProbe();
                    }
                }
            }
            if (updated && maybeCommit()) {
                commitPending = true;
            }
            sendAppends(pr, false);
            transfer.maybeSendTimeoutNow(pr);
        }
    }

    void onHeartbeatResponse(Progress pr, HeartbeatResponse m) {
        pr.leaseTick = Math.max(pr.leaseTick, m.leaderTick());
        if (pr.match < log.lastIndex()) {
            sendAppends(pr, false);
        }
        transfer.maybeSendTimeoutNow(pr);
    }

    // ---- commit ----

    /** Raft §5.3/§5.4.2: commit the highest index a quorum holds, only if it is of the current term. */
    private boolean maybeCommit() {
        matchScratch[0] = selfMatch;
        for (int i = 0; i < peers.length; i++) {
            matchScratch[i + 1] = peers[i].match;
        }
        Arrays.sort(matchScratch);
        long candidate = matchScratch[matchScratch.length - cfg.quorum()];
        if (candidate > log.committed && log.term(candidate) == core.term()) {
            log.commitTo(candidate);
            return true;
        }
        return false;
    }

    // ---- time ----

    /** One tick as leader. Returns false if the leader must step down (check-quorum). */
    boolean tick(long now) {
        if (++heartbeatElapsed >= cfg.heartbeatIntervalTicks()) {
            heartbeatElapsed = 0;
            for (Progress pr : peers) {
                core.send(new Heartbeat(core.id(), pr.id, core.term(), Math.min(pr.match, log.committed), now));
            }
        }
        int active = 1;
        for (Progress pr : peers) {
            if (now - pr.lastAckTick < cfg.leaseTimeoutTicks()) {
                active++;
            }
            checkSendTimeout(pr, now);
        }
        if (active < cfg.quorum()) {
            return false;
        }
        transfer.leaderTick(now);
        return true;
    }

    private void checkSendTimeout(Progress pr, long now) {
        long limit = backoff(pr.consecutiveFailures);
        switch (pr.state) {
            case REPLICATE -> {
                if (pr.hasInflight() && now - pr.oldestInflightTick() >= cfg.sendTimeoutTicks()) {
                    core.emit(pr.failed());
                    pr.becomeProbe();
                    sendAppends(pr, false);
                }
            }
            case PROBE -> {
                if (pr.probeSent && now - pr.probeSentTick >= limit) {
                    core.emit(pr.failed());
                    pr.probeSent = false;
                    sendAppends(pr, false);
                }
            }
            case SNAPSHOT -> snapshots.checkTimeout(pr, now, limit);
        }
    }

    /** Send timeout, doubled per consecutive failure, capped at the heartbeat timeout. */
    private long backoff(int failures) {
        long cap = Math.max(cfg.sendTimeoutTicks(), cfg.heartbeatTimeoutTicks());
        return Math.min(cap, (long) cfg.sendTimeoutTicks() << Math.min(failures, 16));
    }

    void unreachable(Progress pr) {
        if (pr.state == ReplicationState.REPLICATE) {
            pr.becomeProbe();
        }
    }

    /** Raft thesis §6.4.1: a quorum acknowledged heartbeats sent within the lease timeout. */
    boolean hasValidLease(long now) {
        if (transfer.blocksLease() || log.term(log.committed) != core.term()) {
            return false;
        }
        int fresh = 1;
        for (Progress pr : peers) {
            if (pr.leaseTick >= 0 && now - pr.leaseTick < cfg.leaseTimeoutTicks()) {
                fresh++;
            }
        }
        return fresh >= cfg.quorum();
    }

    // ---- snapshots ----

    /** A follower answered a snapshot chunk; once it holds the snapshot, replication resumes after it. */
    void onSnapshotResponse(Progress pr, InstallSnapshotResponse m) {
        if (m.done()) {
            pr.consecutiveFailures = 0;
            boolean updated = m.snapshotIndex() > pr.match;
            if (updated) {
                pr.match = m.snapshotIndex();
            }
            pr.next = Math.max(pr.next, m.snapshotIndex() + 1);
            if (pr.state == ReplicationState.SNAPSHOT && m.snapshotIndex() >= pr.snapIndex) {
                pr.becomeProbe();
                core.emit(new CoreEvent.SnapshotSendFinished(pr.id, m.snapshotIndex()));
            }
            if (updated && maybeCommit()) {
                commitPending = true;
            }
            sendAppends(pr, false);
            transfer.maybeSendTimeoutNow(pr);
            return;
        }
        snapshots.onChunkAcked(pr, m);
    }
}
