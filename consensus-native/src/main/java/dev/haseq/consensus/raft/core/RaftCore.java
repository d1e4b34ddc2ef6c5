package dev.haseq.consensus.raft.core;

import dev.haseq.api.NodeId;
import dev.haseq.api.consensus.Role;
import dev.haseq.api.storage.LogEntry;
import dev.haseq.api.storage.SnapshotMeta;
import dev.haseq.api.storage.TermAndVote;
import dev.haseq.consensus.raft.core.Message.AppendRequest;
import dev.haseq.consensus.raft.core.Message.AppendResponse;
import dev.haseq.consensus.raft.core.Message.Heartbeat;
import dev.haseq.consensus.raft.core.Message.HeartbeatResponse;
import dev.haseq.consensus.raft.core.Message.InstallSnapshotRequest;
import dev.haseq.consensus.raft.core.Message.InstallSnapshotResponse;
import dev.haseq.consensus.raft.core.Message.PreVoteRequest;
import dev.haseq.consensus.raft.core.Message.PreVoteResponse;
import dev.haseq.consensus.raft.core.Message.TimeoutNow;
import dev.haseq.consensus.raft.core.Message.VoteRequest;
import dev.haseq.consensus.raft.core.Message.VoteResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The Raft algorithm as a pure, deterministic state machine (the etcd-raft shape): inputs are
 * {@link #step} (a message), {@link #tick} (the only way time passes), {@link #propose} and the
 * driver's reports; the output is {@link Ready}, acknowledged with {@link #advance}. No clock,
 * thread, socket, disk or unseeded randomness: the same inputs give the same outputs.
 *
 * <p>Features: pre-vote, check-quorum, leader stickiness, a no-op entry per term with the
 * current-term commit rule, batched and pipelined replication with the leader's disk write in
 * parallel, send timeouts with backoff, chunked resumable snapshots, log compaction keeping
 * trailing logs, leadership transfer, a lease. Static membership. See
 * {@code consensus-native/README-core.md} and {@code docs/raft-divergence.md}.
 *
 * <p>Errors: misuse by the driver (advancing out of order, an empty proposal) is an
 * {@link IllegalArgumentException}/{@link IllegalStateException}; a broken safety invariant
 * (e.g. a committed entry about to be overwritten) is an {@link IllegalStateException} naming it.
 *
 * <p>This class holds the term, vote and role and dispatches inputs; the algorithm's parts live in
 * package-private helpers: {@link Election} (timer, stickiness, pre-vote, votes),
 * {@link Replicator} and {@link AppendReceiver} (the leader's and the follower's half of
 * replication), {@link SnapshotSender} and {@link SnapshotReceiver} (chunked snapshots),
 * {@link LeadershipTransfer}, {@link RaftLog} and {@link Outbox} (what the next Ready carries).
 *
 * <p>Not thread-safe: one thread (the driver's Raft loop) calls everything.
 */
public final class RaftCore {
    private final CoreConfig cfg;
    private final NodeId self;
    private final RaftLog log;
    private final Progress[] peers;
    private final Election election;
    private final LeadershipTransfer transfer;
    private final Replicator replicator;
    private final AppendReceiver appendReceiver;
    private final SnapshotSender snapshotSender;
    private final SnapshotReceiver snapshotReceiver;

    private final Outbox out;

    // persistent state (§5.1)
    private long term;
    private NodeId vote;

    private Role role = Role.FOLLOWER;
    private NodeId leader;

    private long now;
    /** See {@link #setRestoringSnapshot}. */
    private boolean restoringSnapshot;

    /**
     * @param config    identity, peers and timings
     * @param hardState the persisted term and vote ({@code StableStore.load()})
     * @param log       the persisted log; the driver syncs it before building the core (everything in
     *                  it is taken as durable)
     * @param snapshot  the latest local snapshot, whose state the driver restored before starting
     * @param random    seeded source for randomized timeouts
     */
    public RaftCore(CoreConfig config, TermAndVote hardState, LogView log, Optional<SnapshotMeta> snapshot,
                    RandomGenerator random) {
        this.cfg = Objects.requireNonNull(config, "config");
        this.self = config.self();
        SnapshotMeta snap = snapshot.orElse(SnapshotMeta.of(0, 0));
        this.log = new RaftLog(Objects.requireNonNull(log, "log"), snap.index(), snap.term());
        this.peers = new Progress[config.peers().size()];
        for (int i = 0; i < peers.length; i++) {
            peers[i] = new Progress(config.peers().get(i), i, config.maxInflightMessages());
        }
        this.election = new Election(this, cfg, this.log, peers, Objects.requireNonNull(random, "random"));
        this.transfer = new LeadershipTransfer(this, cfg, this.log, peers);
        this.snapshotSender = new SnapshotSender(this, cfg, this.log);
        this.replicator = new Replicator(this, cfg, this.log, peers, snapshotSender, transfer);
        this.appendReceiver = new AppendReceiver(this, this.log);
        this.snapshotReceiver = new SnapshotReceiver(this, this.log);
        this.term = hardState.term();
        this.vote = hardState.votedFor().orElse(null);
        this.out = new Outbox(term, vote, role);
        if (this.log.needsResetAtStart()) {
            out.pendingCompact = snap.index();
        }
        out.lastCompact = Math.max(0, this.log.firstIndex() - 1);
        election.resetTimer(cfg.heartbeatTimeoutTicks());
    }

    // ======================================================================== inputs

    /** One tick of time. */
    public void tick() {
        now++;
        transfer.tick(now);
        if (role == Role.LEADER) {
            if (!replicator.tick(now)) {
                becomeFollower(term, null); // check-quorum: no quorum heard within the lease timeout
            }
            return;
        }
        election.tick();
    }

    /** A message addressed to this node. Messages for another node or from a non-member are ignored. */
    public void step(Message m) {
        if (!m.to().equals(self)) {
            return;
        }
        Progress pr = peer(m.from());
        if (pr == null) {
            return;
        }
        pr.lastContactTick = now;
        if (m.term() > term) {
            boolean keepTerm = m instanceof PreVoteRequest || (m instanceof PreVoteResponse r && r.granted());
            if (!keepTerm) {
                if (m instanceof VoteRequest r && !r.leadershipTransfer() && election.inLease()) {
                    return; // stickiness: a live leader exists, do not let a disruptive candidate raise our term
                }
                boolean fromLeader = m instanceof AppendRequest || m instanceof Heartbeat
                        || m instanceof InstallSnapshotRequest;
                becomeFollower(m.term(), fromLeader ? m.from() : null);
            }
        } else if (m.term() < term) {
            if (m instanceof AppendRequest || m instanceof Heartbeat || m instanceof InstallSnapshotRequest) {
                // A deposed leader (e.g. back from a partition): our higher term makes it step down.
                send(new AppendResponse(self, m.from(), term, false, 0, 0, 0));
            } else if (m instanceof PreVoteRequest) {
                send(new PreVoteResponse(self, m.from(), term, false));
            }
            return;
        }
        switch (m) {
            case PreVoteRequest r -> election.onPreVoteRequest(r);
            case VoteRequest r -> election.onVoteRequest(r);
            case PreVoteResponse r -> election.onPreVoteResponse(pr, r);
            case VoteResponse r -> election.onVoteResponse(pr, r);
            case AppendRequest r -> {
                followLeader(r.from());
                appendReceiver.onAppend(r);
            }
            case Heartbeat r -> {
                followLeader(r.from());
                appendReceiver.onHeartbeat(r);
            }
            case InstallSnapshotRequest r -> {
                followLeader(r.from());
                snapshotReceiver.onChunk(r);
            }
            case AppendResponse r -> {
                if (role == Role.LEADER) {
                    pr.lastAckTick = now;
                    replicator.onAppendResponse(pr, r);
                }
            }
            case HeartbeatResponse r -> {
                if (role == Role.LEADER) {
                    pr.lastAckTick = now;
                    replicator.onHeartbeatResponse(pr, r);
                }
            }
            case InstallSnapshotResponse r -> {
                if (role == Role.LEADER) {
                    pr.lastAckTick = now;
                    replicator.onSnapshotResponse(pr, r);
                }
            }
            case TimeoutNow r -> election.onTimeoutNow();
        }
    }

    /**
     * Appends {@code data} to the leader's log. The entry goes out with the next {@link Ready}.
     *
     * @throws NotLeader                if this node is not the leader or is handing leadership over
     * @throws IllegalArgumentException if {@code data} is empty (empty entries are Raft's no-ops)
     */
    public Proposal propose(byte[] data) {
        if (data.length == 0) {
            throw new IllegalArgumentException("a proposal must not be empty: empty entries are Raft's own no-ops");
        }
        if (role != Role.LEADER) {
            throw new NotLeader(self, NotLeader.Reason.NOT_LEADER, Optional.ofNullable(leader));
        }
        if (transfer.isTransferring()) {
            throw new NotLeader(self, NotLeader.Reason.TRANSFERRING_LEADERSHIP, Optional.empty());
        }
        long index = log.lastIndex() + 1;
        log.append(new LogEntry(index, term, data));
        replicator.appended();
        return new Proposal(index, term);
    }

    /**
     * Starts handing leadership to {@code target}, or to the most up-to-date healthy follower. The
     * target is first brought up to date, then told to campaign at once (TimeoutNow). Proposals are
     * refused meanwhile. The outcome is reported as {@link CoreEvent.TransferFinished}; the
     * transfer is abandoned after an election timeout.
     *
     * @return the chosen target
     * @throws NotLeader                if this node is not the leader
     * @throws IllegalArgumentException if {@code target} is not a peer
     * @throws IllegalStateException    if no target was given and no follower is healthy
     */
    public NodeId transferLeadership(Optional<NodeId> target) {
        if (role != Role.LEADER) {
            throw new NotLeader(self, NotLeader.Reason.NOT_LEADER, Optional.ofNullable(leader));
        }
        Optional<Progress> pr = Optional.empty();
        if (target.isPresent()) {
            pr = Optional.ofNullable(peer(target.get()));
            if (pr.isEmpty()) {
                throw new IllegalArgumentException("cannot transfer leadership to " + target.get()
                        + ": not a peer of " + self + " (peers: " + cfg.peers() + ")");
            }
        }
        Progress chosen = transfer.choose(pr, now);
        if (transfer.start(chosen, now)) {
            replicator.sendAppends(chosen, false); // bring it up to date first
        }
        return chosen.id;
    }

    /**
     * The driver committed a local snapshot covering the log up to {@code (index, term)}. The core
     * then asks (in a later Ready) to compact the log, keeping {@code trailingLogs} entries before it.
     *
     * @throws IllegalArgumentException if {@code index} was never handed out for applying, or its term differs
     */
    public void snapshotTaken(long index, long snapshotTerm) {
        if (index <= log.snapshotIndex()) {
            return;
        }
        if (index > log.applying) {
            throw new IllegalArgumentException("snapshot at index " + index + " is beyond the entries handed out for "
                    + "applying (" + log.applying + "): snapshot only applied state");
        }
        long t = log.term(index);
        if (t >= 0 && t != snapshotTerm) {
            throw new IllegalArgumentException("snapshot says entry " + index + " has term " + snapshotTerm
                    + " but the log has term " + t);
        }
        log.snapshotTaken(index, snapshotTerm);
        long target = index - cfg.trailingLogs();
        if (target > out.lastCompact && target >= log.firstIndex()) {
            out.pendingCompact = Math.max(out.pendingCompact, target);
        }
    }

    /**
     * True once {@code appliedIndex} is {@code raft.snapshot_threshold} or more entries past the
     * latest snapshot: the driver should snapshot its state machine and report it with
     * {@link #snapshotTaken}.
     */
    public boolean snapshotDue(long appliedIndex) {
        return appliedIndex - log.snapshotIndex() >= cfg.snapshotThreshold();
    }

    /** The state machine is (not) catching up on history; while it is, this node never campaigns. */
    public void setCatchingUp(boolean value) {
        election.setCatchingUp(value);
    }

    /**
     * The driver is (no longer) restoring its state machine from a received snapshot whose Ready
     * ({@link Ready#installSnapshot()}) it already advanced, e.g. on another thread. While it is,
     * snapshot chunks from the leader are dropped (the leader resends after its send timeout), so
     * no newer received snapshot can replace the one being restored in the snapshot store. A
     * driver that restores before it advances that Ready never needs this.
     */
    public void setRestoringSnapshot(boolean value) {
        restoringSnapshot = value;
    }

    /** Snapshot bytes read for a follower, answering a {@link Ready.SnapshotRead}. */
    public void snapshotChunkRead(SnapshotChunk chunk) {
        Progress pr = peer(chunk.peer());
        if (role == Role.LEADER && pr != null) {
            snapshotSender.onChunkRead(pr, chunk);
        }
    }

    /** The snapshot could not be read for {@code peer}; retried after the send timeout (with backoff). */
    public void snapshotReadFailed(NodeId peer, String reason) {
        Progress pr = peer(peer);
        if (role == Role.LEADER && pr != null) {
            snapshotSender.onChunkReadFailed(pr);
        }
    }

    /**
     * The driver wrote {@code chunk} (the very {@link Ready.SnapshotWrite} object a Ready carried,
     * not the last chunk) where it says: the core acknowledges it to the leader in the next
     * Ready's {@link Ready#messagesAfterPersist()}. A chunk is never acknowledged before this
     * report. Reports for a chunk the core no longer waits for (it became leader, or a newer
     * transfer started) are ignored.
     *
     * @throws IllegalArgumentException if {@code chunk} is the last one (report it with {@link #snapshotReceived})
     */
    public void snapshotChunkWritten(Ready.SnapshotWrite chunk) {
        snapshotReceiver.onChunkWritten(Objects.requireNonNull(chunk, "chunk"));
    }

    /**
     * The driver could not write {@code chunk} (the Ready's object; any chunk, the last one
     * included): it does not
     * continue the partial snapshot the driver holds (e.g. the partial is gone), or the driver
     * discarded that partial. The driver holds {@code resumeOffset} bytes of the chunk's snapshot,
     * and the core's next Ready answers the leader with that offset, so it resends from there at
     * once ({@code 0}: the whole snapshot). Reports for a chunk the core no longer waits for are
     * ignored.
     *
     * @param resumeOffset 0, or the bytes the driver still holds of this snapshot, fewer than
     *                     {@code chunk.offset()}
     * @throws IllegalArgumentException if {@code resumeOffset} is negative or not below the chunk's offset
     */
    public void snapshotWriteFailed(Ready.SnapshotWrite chunk, long resumeOffset) {
        snapshotReceiver.onWriteFailed(Objects.requireNonNull(chunk, "chunk"), resumeOffset);
    }

    /**
     * The driver wrote the last chunk of a received snapshot, and either verified its size and
     * CRC32C and committed it to the snapshot store ({@code ok}), or found it corrupt and
     * discarded it (the leader then resends it from the start).
     */
    public void snapshotReceived(long index, long snapshotTerm, boolean ok) {
        snapshotReceiver.onReceived(index, snapshotTerm, ok);
    }

    /** The transport lost its connection to {@code peer}: stop streaming to it and probe. */
    public void reportUnreachable(NodeId peer) {
        Progress pr = peer(peer);
        if (role == Role.LEADER && pr != null) {
            replicator.unreachable(pr);
        }
    }

    // ======================================================================== output

    /** True if {@link #ready()} has something to hand out. */
    public boolean hasReady() {
        if (role == Role.LEADER) {
            replicator.flush();
        }
        return out.hasOutput(role, term, vote, leader, log);
    }

    /** Everything to do now, as one {@link Ready}; see its javadoc for the order. */
    public Ready ready() {
        if (role == Role.LEADER) {
            replicator.flush();
        }
        return out.take(role, term, vote, leader, log, cfg.maxCommittedBytesPerReady());
    }

    /**
     * The driver finished {@code ready}: its writes are durable, its messages sent, its committed
     * entries applied. Readys must be advanced in the order they were handed out.
     */
    public void advance(Ready ready) {
        out.advanced(ready);
        if (!ready.entries().isEmpty()) {
            LogEntry last = ready.entries().get(ready.entries().size() - 1);
            log.stableTo(last.index(), last.term());
        }
        if (ready.lastCommittedIndex() > log.applied) {
            log.applied = ready.lastCommittedIndex();
        }
        if (role == Role.LEADER) {
            replicator.selfPersisted(log.stableLastIndex());
        }
    }

    // ======================================================================== queries

    public NodeId id() {
        return self;
    }

    public Role role() {
        return role;
    }

    public boolean isLeader() {
        return role == Role.LEADER;
    }

    public long term() {
        return term;
    }

    /** The leader this node knows of in the current term (itself when leader). */
    public Optional<NodeId> leader() {
        return Optional.ofNullable(leader);
    }

    public long commitIndex() {
        return log.committed;
    }

    /** Index of the last entry handed out for applying. */
    public long appliedIndex() {
        return log.applying;
    }

    public long lastIndex() {
        return log.lastIndex();
    }

    public long firstIndex() {
        return log.firstIndex();
    }

    public long snapshotIndex() {
        return log.snapshotIndex();
    }

    /**
     * True if this node is leader, has committed an entry of its term, is not transferring
     * leadership, and a quorum acknowledged heartbeats sent less than the lease timeout ago: no
     * other leader can have been elected meanwhile, so local reads are linearizable (assuming
     * clocks tick at the same rate).
     */
    public boolean hasValidLease() {
        return role == Role.LEADER && replicator.hasValidLease(now);
    }

    public boolean isTransferring() {
        return role == Role.LEADER && transfer.isTransferring();
    }

    public boolean isCatchingUp() {
        return election.isCatchingUp();
    }

    /** One entry per peer, in {@link CoreConfig#peers()} order. */
    public List<PeerProgress> peerProgress() {
        List<PeerProgress> out = new ArrayList<>(peers.length);
        for (Progress pr : peers) {
            out.add(pr.view(now, role == Role.LEADER, cfg.leaseTimeoutTicks()));
        }
        return out;
    }

    /** Ticks since this core was built. */
    public long currentTick() {
        return now;
    }

    public CoreConfig config() {
        return cfg;
    }

    // ======================================================================== roles

    void becomeFollower(long newTerm, NodeId newLeader) {
        if (role == Role.LEADER) {
            transfer.steppedDown();
        }
        if (newTerm > term) {
            term = newTerm;
            vote = null;
        }
        role = Role.FOLLOWER;
        leader = null;
        if (newLeader != null) {
            followLeader(newLeader);
        }
        election.resetTimer(cfg.heartbeatTimeoutTicks());
    }

    /** A message from the leader of our term arrived. */
    private void followLeader(NodeId from) {
        if (role == Role.LEADER) {
            throw new IllegalStateException("two leaders in term " + term + ": " + self + " and " + from);
        }
        if (role != Role.FOLLOWER) {
            role = Role.FOLLOWER;
            election.resetTimer(cfg.heartbeatTimeoutTicks());
        }
        if (!from.equals(leader)) {
            leader = from;
            transfer.leaderKnown(from);
        }
        election.heardFromLeader();
    }

    /** Pre-vote (thesis §9.6): campaign for the next term without raising ours. */
    void becomePreCandidate() {
        role = Role.PRE_CANDIDATE;
        leader = null;
    }

    /** A real election (§5.2): a new term, and our own vote in it. */
    void becomeCandidate() {
        role = Role.CANDIDATE;
        term++;
        vote = self;
        leader = null;
    }

    void becomeLeader() {
        role = Role.LEADER;
        leader = self;
        transfer.becomeLeader();
        snapshotReceiver.reset();
        replicator.becomeLeader(now);
        // §5.4.2 / §8: a no-op of our term, so entries of earlier terms commit with it.
        log.append(new LogEntry(log.lastIndex() + 1, term, new byte[0]));
        replicator.appended();
    }

    // ======================================================================== plumbing for helpers

    long now() {
        return now;
    }

    NodeId votedFor() {
        return vote;
    }

    void voteFor(NodeId candidate) {
        vote = candidate;
    }

    NodeId leaderOrNull() {
        return leader;
    }

    void send(Message m) {
        out.messages.add(m);
    }

    void sendAfterPersist(Message m) {
        out.messagesAfterPersist.add(m);
    }

    void emit(CoreEvent e) {
        out.events.add(e);
    }

    void requestSnapshotRead(Ready.SnapshotRead r) {
        out.snapshotReads.add(r);
    }

    void writeSnapshotChunk(Ready.SnapshotWrite w) {
        out.snapshotWrites.add(w);
    }

    /** Replaces the log with a received snapshot (the driver restores the state machine from it). */
    void installSnapshot(long index, long snapshotTerm, long size) {
        log.restore(index, snapshotTerm);
        out.install(new SnapshotMeta(index, snapshotTerm, size));
    }

    /**
     * An installed snapshot is not yet restored by the driver: take no other snapshot meanwhile, or
     * the store's retention could drop the one the pending install names.
     */
    boolean installPending() {
        return out.installPending() || restoringSnapshot;
    }

    private Progress peer(NodeId id) {
        for (Progress pr : peers) {
            if (pr.id.equals(id)) {
                return pr;
            }
        }
        return null;
    }
}
