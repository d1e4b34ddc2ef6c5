package dev.haseq.node.testing;

import dev.haseq.api.NodeId;
import dev.haseq.api.PeerAddress;
import dev.haseq.api.consensus.Committed;
import dev.haseq.api.consensus.ConsensusListener;
import dev.haseq.api.consensus.ConsensusNode;
import dev.haseq.api.consensus.ConsensusStatus;
import dev.haseq.api.consensus.NotLeaderException;
import dev.haseq.api.consensus.PeerStatus;
import dev.haseq.api.consensus.RejectedEntryException;
import dev.haseq.api.consensus.Role;
import dev.haseq.api.consensus.StateMachine;
import dev.haseq.api.storage.LogEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * TEST-ONLY in-process consensus double (never registered with ServiceLoader). A "cluster" of one
 * whose leadership the test controls: {@link #elect()}, {@link #stepDown}. With auto-commit on,
 * {@link #propose} commits and applies at once, synchronously; with it off, proposals wait for
 * {@link #commitNext()}. On step-down, pending proposals fail with {@link NotLeaderException} and
 * are kept as "orphans" that {@link #commitOrphans()} can still commit, as a later leader might.
 */
public final class FakeConsensusNode implements ConsensusNode {
    private final NodeId self;
    private final StateMachine sm;
    private final List<ConsensusListener> listeners = new CopyOnWriteArrayList<>();
    private final List<LogEntry> log = new ArrayList<>();
    private final List<Pending> pending = new ArrayList<>();
    private final List<Pending> orphans = new ArrayList<>();
    private volatile List<PeerStatus> peers = List.of();
    private boolean leader;
    private Optional<NodeId> leaderId = Optional.empty();
    private long term;
    private long applied;
    private boolean autoCommit = true;
    private CompletableFuture<Long> heldBarrier;
    private boolean holdBarrier;
    private int proposals;

    private record Pending(byte[] entry, CompletableFuture<Committed> future) {
    }

    public FakeConsensusNode(NodeId self, StateMachine sm) {
        this.self = self;
        this.sm = sm;
    }

    // ---- test controls

    public void elect() {
        long t;
        synchronized (this) {
            leader = true;
            leaderId = Optional.of(self);
            t = ++term;
        }
        listeners.forEach(l -> l.leaderChanged(t, Optional.of(self), true));
    }

    /** Loses leadership to {@code newLeader} (or to nobody); pending proposals fail and become orphans. */
    public void stepDown(Optional<NodeId> newLeader) {
        long t;
        List<Pending> failed;
        synchronized (this) {
            leader = false;
            leaderId = newLeader;
            t = ++term;
            failed = new ArrayList<>(pending);
            orphans.addAll(pending);
            pending.clear();
        }
        listeners.forEach(l -> l.leaderChanged(t, newLeader, false));
        failed.forEach(p -> p.future.completeExceptionally(new NotLeaderException(self, Optional.empty())));
    }

    /** A follower that knows {@code leader} (no events). */
    public synchronized void followerOf(Optional<NodeId> leader) {
        this.leader = false;
        this.leaderId = leader;
    }

    public synchronized void autoCommit(boolean on) {
        this.autoCommit = on;
    }

    public synchronized void holdBarrier(boolean hold) {
        this.holdBarrier = hold;
    }

    public void releaseBarrier() {
        CompletableFuture<Long> b;
        long a;
        synchronized (this) {
            b = heldBarrier;
            heldBarrier = null;
            holdBarrier = false;
            a = applied;
        }
        if (b != null) {
            b.complete(a);
        }
    }

    /** Commits the oldest pending proposal; false if none. */
    public boolean commitNext() {
        Pending p;
        synchronized (this) {
            if (pending.isEmpty()) {
                return false;
            }
            p = pending.remove(0);
        }
        commit(p);
        return true;
    }

    /** Commits the orphaned proposals (a later leader had them replicated). */
    public void commitOrphans() {
        List<Pending> o;
        synchronized (this) {
            o = new ArrayList<>(orphans);
            orphans.clear();
        }
        o.forEach(p -> commit(new Pending(p.entry, new CompletableFuture<>())));
    }

    /** Appends and applies an entry as if another leader committed it. */
    public CompletableFuture<Committed> commitForeign(byte[] entry) {
        Pending p = new Pending(entry, new CompletableFuture<>());
        commit(p);
        return p.future;
    }

    public void setPeers(List<PeerStatus> peers) {
        this.peers = List.copyOf(peers);
    }

    public synchronized List<LogEntry> log() {
        return List.copyOf(log);
    }

    public synchronized int pendingCount() {
        return pending.size();
    }

    public synchronized int proposals() {
        return proposals;
    }

    public List<ConsensusListener> listeners() {
        return listeners;
    }

    private void commit(Pending p) {
        Committed result = null;
        RejectedEntryException rejected = null;
        synchronized (this) {
            long index = log.size() + 1;
            log.add(new LogEntry(index, term, p.entry));
            try {
                result = new Committed(index, term, sm.apply(index, p.entry));
            } catch (RejectedEntryException e) {
                rejected = e;
            }
            applied = index;
        }
        if (rejected != null) {
            p.future.completeExceptionally(rejected);
        } else {
            p.future.complete(result);
        }
    }

    // ---- ConsensusNode

    @Override
    public void start() {
    }

    @Override
    public CompletableFuture<Committed> propose(byte[] entry) {
        Pending p;
        synchronized (this) {
            proposals++;
            if (!leader) {
                return CompletableFuture.failedFuture(new NotLeaderException(self, Optional.empty()));
            }
            p = new Pending(entry, new CompletableFuture<>());
            if (!autoCommit) {
                pending.add(p);
                return p.future;
            }
        }
        commit(p);
        return p.future;
    }

    @Override
    public synchronized CompletableFuture<Long> barrier() {
        if (!leader) {
            return CompletableFuture.failedFuture(new NotLeaderException(self, Optional.empty()));
        }
        if (holdBarrier) {
            heldBarrier = new CompletableFuture<>();
            return heldBarrier;
        }
        return CompletableFuture.completedFuture(applied);
    }

    @Override
    public synchronized boolean isLeader() {
        return leader;
    }

    @Override
    public synchronized Optional<NodeId> leader() {
        return leaderId;
    }

    @Override
    public synchronized long term() {
        return term;
    }

    @Override
    public CompletableFuture<NodeId> transferLeadership(Optional<NodeId> target) {
        if (!isLeader()) {
            return CompletableFuture.failedFuture(new NotLeaderException(self, Optional.empty()));
        }
        NodeId to = target.orElseGet(() -> peers.isEmpty() ? NodeId.of("node-2") : peers.get(0).address().id());
        stepDown(Optional.of(to));
        return CompletableFuture.completedFuture(to);
    }

    @Override
    public synchronized ConsensusStatus status() {
        return new ConsensusStatus(self, leader ? Role.LEADER : Role.FOLLOWER, term, leaderId, applied, applied,
                log.size(), 0, peers);
    }

    @Override
    public void addListener(ConsensusListener listener) {
        listeners.add(listener);
    }

    @Override
    public void close() {
    }

    public static PeerStatus peer(String spec, long match, Optional<java.time.Duration> lastContact) {
        return new PeerStatus(PeerAddress.parse(spec), match, lastContact, true);
    }
}
