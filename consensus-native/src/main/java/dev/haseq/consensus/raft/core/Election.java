package dev.haseq.consensus.raft.core;

import dev.haseq.api.NodeId;
import dev.haseq.api.consensus.Role;
import dev.haseq.consensus.raft.core.Message.PreVoteRequest;
import dev.haseq.consensus.raft.core.Message.PreVoteResponse;
import dev.haseq.consensus.raft.core.Message.VoteRequest;
import dev.haseq.consensus.raft.core.Message.VoteResponse;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Campaigns and votes: the randomized election timer, leader stickiness (thesis §4.2.3), pre-vote
 * (thesis §9.6) and the election itself (§5.2), on both sides: starting a campaign and counting
 * its answers, and answering the campaigns of others. A node whose state machine is catching up
 * never campaigns. Owned by {@link RaftCore}, which keeps the term, vote and role and makes the
 * role changes this class asks for.
 */
final class Election {
    private static final byte VOTE_UNKNOWN = 0;
    private static final byte VOTE_GRANTED = 1;
    private static final byte VOTE_REJECTED = 2;

    private final RaftCore core;
    private final CoreConfig cfg;
    private final RaftLog log;
    private final Progress[] peers;
    private final RandomGenerator random;
    /** This campaign's answers, by {@link Progress#slot}. */
    private final byte[] votes;

    private int elapsed;
    private int randomizedTimeout;
    /** Tick of the last message from a live leader (stickiness); see {@link #inLease()}. */
    private long leaderContactTick;
    private boolean catchingUp;

    Election(RaftCore core, CoreConfig cfg, RaftLog log, Progress[] peers, RandomGenerator random) {
        this.core = core;
        this.cfg = cfg;
        this.log = log;
        this.peers = peers;
        this.random = random;
        this.votes = new byte[peers.length];
        // A restarted node behaves as if it had just heard from a leader: it refuses votes for one
        // heartbeat timeout, so a lease the leader granted before the restart stays safe.
        this.leaderContactTick = 0;
    }

    // ---- timer and stickiness ----

    /** Restarts the timer with a random timeout in {@code [base, 2 * base)} ticks. */
    void resetTimer(int base) {
        elapsed = 0;
        randomizedTimeout = base + random.nextInt(base);
    }

    /** A message from the leader of our term arrived. */
    void heardFromLeader() {
        elapsed = 0;
        leaderContactTick = core.now();
    }

    /** Stickiness (thesis §9.6): we heard from a live leader within the heartbeat timeout, or we lead. */
    boolean inLease() {
        Role role = core.role();
        return role == Role.LEADER
                || (role == Role.FOLLOWER && core.now() - leaderContactTick < cfg.heartbeatTimeoutTicks());
    }

    /** One tick as follower or (pre-)candidate: when the timer fires, campaign (unless catching up). */
    void tick() {
        if (++elapsed >= randomizedTimeout) {
            if (!catchingUp) {
                startPreVote();
            } else if (core.role() != Role.FOLLOWER) {
                core.becomeFollower(core.term(), null);
            } else {
                resetTimer(cfg.heartbeatTimeoutTicks());
            }
        }
    }

    void setCatchingUp(boolean value) {
        catchingUp = value;
    }

    boolean isCatchingUp() {
        return catchingUp;
    }

    // ---- our campaign ----

    private void startPreVote() {
        if (cfg.quorum() == 1) {
            startElection(false);
            return;
        }
        core.becomePreCandidate();
        resetTimer(cfg.electionTimeoutTicks());
        Arrays.fill(votes, VOTE_UNKNOWN);
        long nextTerm = core.term() + 1;
        core.emit(new CoreEvent.ElectionStarted(nextTerm, true));
        long lastIdx = log.lastIndex();
        long lastTerm = log.lastTerm();
        for (Progress pr : peers) {
            core.send(new PreVoteRequest(core.id(), pr.id, nextTerm, lastIdx, lastTerm));
        }
    }

    /** A leader handed over to us (thesis §3.10): campaign now, skipping pre-vote and stickiness. */
    void onTimeoutNow() {
        if (core.role() == Role.FOLLOWER && !catchingUp) {
            startElection(true);
        }
    }

    private void startElection(boolean transfer) {
        core.becomeCandidate();
        resetTimer(cfg.electionTimeoutTicks());
        Arrays.fill(votes, VOTE_UNKNOWN);
        long term = core.term();
        core.emit(new CoreEvent.ElectionStarted(term, false));
        if (cfg.quorum() == 1) {
            core.becomeLeader();
            return;
        }
        long lastIdx = log.lastIndex();
        long lastTerm = log.lastTerm();
        for (Progress pr : peers) {
            // After persisting: our own vote must be durable before anyone can count on it.
            core.sendAfterPersist(new VoteRequest(core.id(), pr.id, term, lastIdx, lastTerm, transfer));
        }
    }

    void onPreVoteResponse(Progress pr, PreVoteResponse r) {
        if (core.role() != Role.PRE_CANDIDATE) {
            return;
        }
        long term = core.term();
        if (r.granted() && r.term() == term + 1) {
            votes[pr.slot] = VOTE_GRANTED;
        } else if (!r.granted() && r.term() == term) {
            votes[pr.slot] = VOTE_REJECTED;
        } else {
            return;
        }
        switch (tally()) {
            case VOTE_GRANTED -> {
                if (catchingUp) {
                    core.becomeFollower(term, null); // started before the state machine fell behind
                } else {
                    startElection(false);
                }
            }
            case VOTE_REJECTED -> core.becomeFollower(term, null);
            default -> {
            }
        }
    }

    void onVoteResponse(Progress pr, VoteResponse r) {
        if (core.role() != Role.CANDIDATE) {
            return;
        }
        votes[pr.slot] = r.granted() ? VOTE_GRANTED : VOTE_REJECTED;
        switch (tally()) {
            case VOTE_GRANTED -> core.becomeLeader();
            case VOTE_REJECTED -> core.becomeFollower(core.term(), null);
            default -> {
            }
        }
    }

    /** Won (a quorum granted, counting our own vote), lost (a quorum refused), or undecided. */
    private byte tally() {
        int granted = 1;
        int rejected = 0;
        for (byte v : votes) {
            if (v == VOTE_GRANTED) {
                granted++;
            } else if (v == VOTE_REJECTED) {
                rejected++;
            }
        }
        if (granted >= cfg.quorum()) {
            return VOTE_GRANTED;
        }
        return rejected >= cfg.quorum() ? VOTE_REJECTED : VOTE_UNKNOWN;
    }

    // ---- the campaigns of others ----

    void onPreVoteRequest(PreVoteRequest r) {
        long term = core.term();
        boolean grant = r.term() > term && !inLease() && log.isUpToDate(r.lastLogIndex(), r.lastLogTerm());
        core.send(new PreVoteResponse(core.id(), r.from(), grant ? r.term() : term, grant));
    }

    void onVoteRequest(VoteRequest r) {
        NodeId vote = core.votedFor();
        boolean canVote = r.from().equals(vote) || (vote == null && core.leaderOrNull() == null);
        boolean grant = canVote && log.isUpToDate(r.lastLogIndex(), r.lastLogTerm());
        if (grant) {
            core.voteFor(r.from());
            elapsed = 0;
        }
        core.sendAfterPersist(new VoteResponse(core.id(), r.from(), core.term(), grant));
    }
}
