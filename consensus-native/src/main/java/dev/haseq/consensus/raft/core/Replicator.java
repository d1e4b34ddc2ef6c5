package dev.haseq.consensus.raft.core;

import dev.haseq.api.NodeId;
import dev.haseq.api.storage.LogEntry;
import dev.haseq.consensus.raft.core.Message.AppendRequest;
import dev.haseq.consensus.raft.core.Message.AppendResponse;
import dev.haseq.consensus.raft.core.Message.Heartbeat;
import dev.haseq.consensus.raft.core.Message.HeartbeatResponse;
import dev.haseq.consensus.raft.core.Message.InstallSnapshotRequest;
import dev.haseq.consensus.raft.core.Message.InstallSnapshotResponse;
import dev.haseq.consensus.raft.core.Message.TimeoutNow;
import dev.haseq.consensus.raft.core.PeerProgress.ReplicationState;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The leader's half of the core: replication with batching and pipelining (progress states as in
 * etcd's tracker), heartbeats, commit by quorum with the current-term rule (§5.4.2), send
 * timeouts with backoff, check-quorum, the lease, snapshot transfer, and leadership transfer.
 * Owned by {@link RaftCore}; everything here runs only while this node is leader.
 */
final class Replicator {
    private final RaftCore core;
    private final CoreConfig cfg;
    private final RaftLog log;
    private final Progress[] peers;
    private final long[] matchScratch;

    private int heartbeatElapsed;
    /** Highest index of our own log known durable: our own vote in the commit quorum. */
    private long selfMatch;
    /** New entries to send (proposals since the last flush). */
    private boolean appendPending;
    /** The commit index advanced: the next append round also goes to followers with nothing new to send. */
    private boolean commitPending;

    private Progress transferTarget;
    private long transferDeadline;
    /** A TimeoutNow went out this term: a delayed copy may still start an election, so no more lease. */
    private boolean timeoutNowSent;

    Replicator(RaftCore core, CoreConfig cfg, RaftLog log, Progress[] peers) {
        this.core = core;
        this.cfg = cfg;
        this.log = log;
        this.peers = peers;
        this.matchScratch = new long[peers.length + 1];
    }

    void becomeLeader(long now) {
        heartbeatElapsed = 0;
        selfMatch = log.stableLastIndex();
        for (Progress pr : peers) {
            pr.resetForLeadership(log.lastIndex(), now);
        }
        transferTarget = null;
        timeoutNowSent = false;
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

    private void sendAppends(Progress pr, boolean sendIfEmpty) {
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
            startSnapshot(pr);
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
            maybeSendTimeoutNow(pr);
        }
    }

    void onHeartbeatResponse(Progress pr, HeartbeatResponse m) {
        pr.leaseTick = Math.max(pr.leaseTick, m.leaderTick());
        if (pr.match < log.lastIndex()) {
            sendAppends(pr, false);
        }
        if (transferTarget == pr) {
            maybeSendTimeoutNow(pr);
        }
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
        if (transferTarget != null && now >= transferDeadline) {
            Progress t = transferTarget;
            transferTarget = null;
            core.emit(new CoreEvent.TransferFinished(t.id, false, Optional.of(core.id()), t.id
                    + " did not take over within the election timeout (" + cfg.electionTimeoutTicks()
                    + " ticks); " + core.id() + " stays leader"));
        }
        return true;
    }

    private void checkSendTimeout(Progress pr, long now) {
        long limit = backoff(pr.consecutiveFailures);
        switch (pr.state) {
            case REPLICATE -> {
                if (pr.hasInflight() && now - pr.oldestInflightTick() >= cfg.sendTimeoutTicks()) {
                    failed(pr);
                    pr.becomeProbe();
                    sendAppends(pr, false);
                }
            }
            case PROBE -> {
                if (pr.probeSent && now - pr.probeSentTick >= limit) {
                    failed(pr);
                    pr.probeSent = false;
                    sendAppends(pr, false);
                }
            }
            case SNAPSHOT -> {
                if (now - pr.snapWaitSince >= limit) {
                    failed(pr);
                    pr.snapReadPending = false;
                    pr.snapChunkInFlight = false;
                    if (pr.snapTotal >= 0 && pr.snapAcked >= pr.snapTotal) {
                        pokeSnapshot(pr);
                    } else {
                        requestChunk(pr);
                    }
                }
            }
        }
    }

    /** Send timeout, doubled per consecutive failure, capped at the heartbeat timeout. */
    private long backoff(int failures) {
        long cap = Math.max(cfg.sendTimeoutTicks(), cfg.heartbeatTimeoutTicks());
        return Math.min(cap, (long) cfg.sendTimeoutTicks() << Math.min(failures, 16));
    }

    private void failed(Progress pr) {
        pr.consecutiveFailures++;
        core.emit(new CoreEvent.SendFailed(pr.id, pr.consecutiveFailures));
    }

    void unreachable(Progress pr) {
        if (pr.state == ReplicationState.REPLICATE) {
            pr.becomeProbe();
        }
    }

    /** Raft thesis §6.4.1: a quorum acknowledged heartbeats sent within the lease timeout. */
    boolean hasValidLease(long now) {
        if (transferTarget != null || timeoutNowSent || log.term(log.committed) != core.term()) {
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

    private void startSnapshot(Progress pr) {
        if (log.snapshotIndex() == 0) {
            throw new IllegalStateException(pr.id + " needs entries from index " + pr.next
                    + " which are no longer in the log, and there is no snapshot");
        }
        pr.becomeSnapshot(log.snapshotIndex(), log.snapshotTerm(), core.now());
        core.emit(new CoreEvent.SnapshotSendStarted(pr.id, pr.snapIndex, pr.snapTerm));
        requestChunk(pr);
    }

    private void requestChunk(Progress pr) {
        pr.snapReadPending = true;
        pr.snapWaitSince = core.now();
        core.requestSnapshotRead(new Ready.SnapshotRead(pr.id, pr.snapIndex, pr.snapTerm, pr.snapAcked,
                cfg.snapshotChunkBytes()));
    }

    /** Asks a follower that has every chunk where it stands (its answer to the last chunk got lost). */
    private void pokeSnapshot(Progress pr) {
        pr.snapChunkInFlight = true;
        pr.snapWaitSince = core.now();
        core.send(new InstallSnapshotRequest(core.id(), pr.id, core.term(), pr.snapIndex, pr.snapTerm, pr.snapTotal,
                pr.snapChecksum, pr.snapTotal, new byte[0], true));
    }

    void onChunkRead(Progress pr, SnapshotChunk chunk) {
        if (pr.state != ReplicationState.SNAPSHOT || !pr.snapReadPending || chunk.snapshotIndex() < pr.snapIndex) {
            return;
        }
        if (chunk.snapshotIndex() != pr.snapIndex || chunk.snapshotTerm() != pr.snapTerm) {
            if (chunk.offset() != 0) {
                return;
            }
            pr.snapIndex = chunk.snapshotIndex(); // a newer snapshot was taken meanwhile: send that one
            pr.snapTerm = chunk.snapshotTerm();
            pr.snapAcked = 0;
        }
        if (chunk.offset() != pr.snapAcked || (chunk.data().length == 0 && !chunk.last())) {
            return;
        }
        pr.snapTotal = chunk.totalSize();
        pr.snapChecksum = chunk.checksum();
        pr.snapReadPending = false;
        pr.snapChunkInFlight = true;
        pr.snapWaitSince = core.now();
        core.send(new InstallSnapshotRequest(core.id(), pr.id, core.term(), pr.snapIndex, pr.snapTerm,
                chunk.totalSize(), chunk.checksum(), chunk.offset(), chunk.data(), chunk.last()));
    }

    void onChunkReadFailed(Progress pr) {
        if (pr.state == ReplicationState.SNAPSHOT && pr.snapReadPending) {
            pr.snapReadPending = false;
            failed(pr);
            pr.snapWaitSince = core.now(); // retried by the send timeout, with backoff
        }
    }

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
            maybeSendTimeoutNow(pr);
            return;
        }
        if (pr.state != ReplicationState.SNAPSHOT || !pr.snapChunkInFlight || m.snapshotIndex() != pr.snapIndex
                || m.snapshotTerm() != pr.snapTerm) {
            return;
        }
        pr.snapChunkInFlight = false;
        if (m.nextOffset() > pr.snapAcked) {
            pr.consecutiveFailures = 0;
        }
        pr.snapAcked = m.nextOffset();
        if (pr.snapTotal >= 0 && pr.snapAcked >= pr.snapTotal) {
            pr.snapChunkInFlight = true; // every byte is there: wait for the follower to install it
            pr.snapWaitSince = core.now();
        } else {
            requestChunk(pr);
        }
    }

    // ---- leadership transfer (thesis §3.10) ----

    boolean isTransferring() {
        return transferTarget != null;
    }

    NodeId transferTo(Optional<Progress> requested, long now) {
        Progress target = requested.orElseGet(() -> mostUpToDateHealthy(now));
        if (transferTarget == target) {
            return target.id;
        }
        if (transferTarget != null) {
            core.emit(new CoreEvent.TransferFinished(transferTarget.id, false, Optional.of(core.id()),
                    "superseded by a transfer to " + target.id));
        }
        transferTarget = target;
        transferDeadline = now + cfg.electionTimeoutTicks();
        if (!maybeSendTimeoutNow(target)) {
            sendAppends(target, false);
        }
        return target.id;
    }

    private Progress mostUpToDateHealthy(long now) {
        Progress best = null;
        for (Progress pr : peers) {
            if (pr.view(now, true, cfg.leaseTimeoutTicks()).healthy() && (best == null || pr.match > best.match)) {
                best = pr;
            }
        }
        if (best == null) {
            throw new IllegalStateException("no healthy follower to hand leadership to (none acknowledged within the "
                    + "lease timeout); name a target or retry once followers are back");
        }
        return best;
    }

    private boolean maybeSendTimeoutNow(Progress pr) {
        if (transferTarget == pr && pr.match == log.lastIndex()) {
            core.send(new TimeoutNow(core.id(), pr.id, core.term()));
            timeoutNowSent = true;
            return true;
        }
        return false;
    }

    /** On stepping down: the transfer in progress, if any (its outcome is now up to the election). */
    Optional<NodeId> takeTransferTarget() {
        Progress t = transferTarget;
        transferTarget = null;
        return t == null ? Optional.empty() : Optional.of(t.id);
    }

    long transferDeadline() {
        return transferDeadline;
    }
}
