package dev.haseq.consensus.raft.core;

import dev.haseq.api.NodeId;
import dev.haseq.consensus.raft.core.Message.TimeoutNow;
import java.util.Optional;

/**
 * Leadership transfer (thesis §3.10), from the request to its reported outcome. As leader: pick
 * the target, wait until it holds our whole log, send it {@code TimeoutNow}, give up after an
 * election timeout. After stepping down with a transfer running: report success when a leader
 * appears, failure when we are elected again or no leader emerged in time. Every outcome is one
 * {@link CoreEvent.TransferFinished}. Owned by {@link RaftCore}; the {@link Replicator} tells it
 * when a follower's log advanced.
 */
final class LeadershipTransfer {
    private final RaftCore core;
    private final CoreConfig cfg;
    private final RaftLog log;
    private final Progress[] peers;

    // as leader
    private Progress target;
    private long deadline;
    /** A TimeoutNow went out this term: a delayed copy may still start an election, so no more lease. */
    private boolean timeoutNowSent;

    // after stepping down with a transfer running
    private NodeId awaiting;
    private long awaitDeadline;

    LeadershipTransfer(RaftCore core, CoreConfig cfg, RaftLog log, Progress[] peers) {
        this.core = core;
        this.cfg = cfg;
        this.log = log;
        this.peers = peers;
    }

    // ---- as leader ----

    /**
     * A new term of leadership: no transfer runs, no TimeoutNow went out. A transfer we handed
     * over before failed: we were elected again instead of its target.
     */
    void becomeLeader() {
        if (awaiting != null) {
            core.emit(new CoreEvent.TransferFinished(awaiting, false, Optional.of(core.id()),
                    core.id() + " was elected again instead of " + awaiting));
            awaiting = null;
        }
        target = null;
        timeoutNowSent = false;
    }

    boolean isTransferring() {
        return target != null;
    }

    /** While a transfer runs, or once a TimeoutNow went out this term, the lease must not be used. */
    boolean blocksLease() {
        return target != null || timeoutNowSent;
    }

    /** The requested target, or the most up-to-date healthy follower. */
    Progress choose(Optional<Progress> requested, long now) {
        return requested.orElseGet(() -> mostUpToDateHealthy(now));
    }

    /**
     * Starts a transfer to {@code to}, superseding a running one. Returns true if {@code to} still
     * needs entries before it can take over (the caller sends them); false if it was told to take
     * over at once or a transfer to it already runs.
     */
    boolean start(Progress to, long now) {
        if (target == to) {
            return false;
        }
        if (target != null) {
            core.emit(new CoreEvent.TransferFinished(target.id, false, Optional.of(core.id()),
                    "superseded by a transfer to " + to.id));
        }
        target = to;
        deadline = now + cfg.electionTimeoutTicks();
        return !maybeSendTimeoutNow(to);
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

    /** {@code pr}'s log advanced: if it is the target and holds our whole log, tell it to take over. */
    boolean maybeSendTimeoutNow(Progress pr) {
        if (target == pr && pr.match == log.lastIndex()) {
            core.send(new TimeoutNow(core.id(), pr.id, core.term()));
            timeoutNowSent = true;
            return true;
        }
        return false;
    }

    /** One tick as leader (with a quorum still heard): abandon a transfer past its deadline. */
    void leaderTick(long now) {
        if (target != null && now >= deadline) {
            Progress t = target;
            target = null;
            core.emit(new CoreEvent.TransferFinished(t.id, false, Optional.of(core.id()), t.id
                    + " did not take over within the election timeout (" + cfg.electionTimeoutTicks()
                    + " ticks); " + core.id() + " stays leader"));
        }
    }

    /** We stop leading: a running transfer's outcome is now up to the election that follows. */
    void steppedDown() {
        if (target != null) {
            awaiting = target.id;
            awaitDeadline = deadline;
            target = null;
        }
    }

    // ---- after stepping down ----

    /** One tick in any role: a transfer we handed over gives up when no leader emerged in time. */
    void tick(long now) {
        if (awaiting != null && now >= awaitDeadline) {
            core.emit(new CoreEvent.TransferFinished(awaiting, false, Optional.ofNullable(core.leaderOrNull()),
                    "no leader emerged within the election timeout after handing over to " + awaiting));
            awaiting = null;
        }
    }

    /** A leader of our term is known now: the transfer we handed over succeeded. */
    void leaderKnown(NodeId leader) {
        if (awaiting != null) {
            core.emit(new CoreEvent.TransferFinished(awaiting, true, Optional.of(leader), "leader is now " + leader));
            awaiting = null;
        }
    }
}
