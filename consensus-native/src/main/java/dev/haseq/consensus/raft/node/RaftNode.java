package dev.haseq.consensus.raft.node;

import dev.haseq.api.NodeId;
import dev.haseq.api.PeerAddress;
import dev.haseq.api.config.RaftSettings;
import dev.haseq.api.consensus.Committed;
import dev.haseq.api.consensus.ConsensusContext;
import dev.haseq.api.consensus.ConsensusListener;
import dev.haseq.api.consensus.ConsensusNode;
import dev.haseq.api.consensus.ConsensusStatus;
import dev.haseq.api.consensus.NotLeaderException;
import dev.haseq.api.consensus.PeerStatus;
import dev.haseq.api.consensus.Role;
import dev.haseq.api.consensus.TransportStats;
import dev.haseq.api.storage.LogStore;
import dev.haseq.api.storage.RaftLayout;
import dev.haseq.api.storage.SnapshotMeta;
import dev.haseq.api.storage.SnapshotStore;
import dev.haseq.api.storage.StableStore;
import dev.haseq.api.storage.StorageContext;
import dev.haseq.consensus.raft.core.CoreConfig;
import dev.haseq.consensus.raft.core.PeerProgress;
import dev.haseq.consensus.raft.core.RaftCore;
import dev.haseq.consensus.raft.transport.CloseReason;
import dev.haseq.consensus.raft.transport.NettyTransport;
import dev.haseq.consensus.raft.transport.PeerLinkStatus;
import dev.haseq.consensus.raft.transport.Transport;
import dev.haseq.consensus.raft.transport.TransportConfig;
import dev.haseq.consensus.raft.transport.TransportCounters;
import dev.haseq.consensus.raft.transport.TransportListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;

/**
 * The native provider's {@link ConsensusNode}: a {@link RaftCore} driven by a {@link RaftLoop}
 * thread, an {@link Applier} thread for the state machine, a {@link NettyTransport} and the
 * storage SPIs (log, stable, snapshots under {@code raft_dir} as {@link RaftLayout} says).
 *
 * <p><b>Start-up.</b> {@link #start()} checks {@code raft_dir} against {@code cluster-identity}
 * ({@link ClusterIdentity}: empty → bootstrap, same node → rejoin, another node id → refused with
 * both ids and the directory), opens the stores, restores the latest snapshot into the state
 * machine (the committed entries after it are re-applied as the core learns the commit index),
 * then starts the threads and the transport.
 *
 * <p><b>Threads.</b> Every public method is thread-safe and non-blocking except {@link #start()}
 * and {@link #close()}. Futures complete on the applier or Raft-loop thread.
 */
public final class RaftNode implements ConsensusNode {
    private static final System.Logger LOG = System.getLogger(RaftNode.class.getName());
    /** Room for the codec's per-message overhead when capping a proposal by the frame limit. */
    private static final int MESSAGE_OVERHEAD = 1024;

    private final ConsensusContext context;
    private final RaftSettings settings;
    private final NodeId self;
    private final RandomGenerator random;
    private final Clock clock;
    private final Listeners listeners = new Listeners();
    private final AtomicBoolean failedOnce = new AtomicBoolean();
    private final Object lifecycle = new Object();
    private LogStore logStore;
    private StableStore stableStore;
    private SnapshotStore snapshotStore;
    private volatile NettyTransport transport;
    private SnapshotReceiver receiver;
    private volatile RaftLoop loop;
    private volatile Applier applier;
    private Thread loopThread;
    private Thread applierThread;
    private volatile boolean closed;
    private ClusterIdentity.StartMode startMode;
    private volatile Optional<NodeId> handedOverTo = Optional.empty();

    public RaftNode(ConsensusContext context, RandomGenerator random) {
        this.context = context;
        this.settings = context.settings();
        this.self = settings.nodeId();
        this.random = random;
        this.clock = context.clock();
        listeners.add(context.listener());
    }

    @Override
    public void start() {
        synchronized (lifecycle) {
            if (loop != null || closed) {
                throw new IllegalStateException(self + ": start() may be called once, before close()");
            }
            startMode = ClusterIdentity.establish(settings.raftDir(), settings);
            LOG.log(System.Logger.Level.INFO, "{0}: {1} in {2}", self,
                    startMode == ClusterIdentity.StartMode.BOOTSTRAP ? "bootstrapping a new cluster member"
                            : "rejoining with existing state", settings.raftDir());
            try {
                openAndStart();
            } catch (RuntimeException | Error e) {
                closed = true;
                shutdown(false);
                throw e;
            }
        }
    }

    private void openAndStart() {
        var events = context.storageEvents();
        logStore = new RecentEntriesLog(
                context.logStore().open(new StorageContext(RaftLayout.logDir(settings.raftDir()), settings, events)));
        stableStore = context.stableStore().open(new StorageContext(settings.raftDir(), settings, events));
        snapshotStore = context.snapshotStore().open(
                new StorageContext(RaftLayout.snapshotDir(settings.raftDir()), settings, events));

        // The core takes everything in the log as durable: make it so (a graceful stop may have
        // left appends that were never synced).
        logStore.sync();
        Optional<SnapshotMeta> latest;
        try (var reader = snapshotStore.openLatest().orElse(null)) {
            latest = reader == null ? Optional.empty() : Optional.of(reader.meta());
        }
        Duration tick = CoreConfig.recommendedTick(settings);
        RaftCore core = new RaftCore(CoreConfig.from(settings, tick), stableStore.load(), new StoreLogView(logStore),
                latest, random);

        Applier a = new Applier(self, context.stateMachine(), snapshotStore, settings.snapshotThreshold(), listeners,
                (index, term) -> loop.submit(new Command.SnapshotTaken(index, term)),
                () -> notLeader(leader()), this::fatal);
        applier = a;
        if (latest.isPresent()) {
            CompletableFuture<Void> restored = new CompletableFuture<>();
            a.submit(new Applier.Restore(latest.get(), false, restored));
            applierThread = Thread.ofPlatform().name("raft-apply-" + self).daemon().start(a);
            try {
                restored.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(self + ": interrupted while restoring the latest snapshot", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException(self + ": restoring snapshot " + latest.get().name() + " from "
                        + RaftLayout.snapshotDir(settings.raftDir()) + " failed: " + e.getCause(), e.getCause());
            }
        } else {
            applierThread = Thread.ofPlatform().name("raft-apply-" + self).daemon().start(a);
        }

        int maxPayload = TransportConfig.DEFAULT_MAX_PAYLOAD;
        TransportConfig tc = TransportConfig.from(settings).withMaxPayloadBytes(maxPayload);
        receiver = new SnapshotReceiver(self, snapshotStore);
        InboundDecoder decoder = new InboundDecoder(self, c -> loop.enqueue(c), () -> loop.runOrWake());
        transport = new NettyTransport(tc, decoder, new TransportListener() {
            @Override
            public void connectionClosed(Optional<NodeId> peer, boolean inbound, CloseReason reason) {
                RaftLoop l = loop;
                if (!inbound && peer.isPresent() && reason != CloseReason.SHUTDOWN && l != null) {
                    l.submit(new Command.Unreachable(peer.get()));
                }
            }
        }, clock, random);
        loop = new RaftLoop(core, transport, logStore, stableStore, a, receiver, new SnapshotSender(snapshotStore),
                context.stateMachine(), listeners, clock, tick, this::notLeader, this::fatal);
        loopThread = Thread.ofPlatform().name("raft-loop-" + self).daemon().start(loop);
        transport.start();
    }

    /**
     * A storage or state-machine failure stopped the Raft loop or the applier: the node stops
     * taking part (fail-stop), so its peers see it as down instead of as a member that votes or
     * acknowledges but cannot persist or apply. {@link #failure()} keeps the cause.
     */
    private void fatal(Throwable cause) {
        if (!failedOnce.compareAndSet(false, true)) {
            return; // the loop and the applier may both fail; one stop, one report
        }
        LOG.log(System.Logger.Level.ERROR, "{0}: stopping after a fatal error ({1}); fix the cause and restart "
                + "the node, it rejoins from its raft_dir", self, cause.toString());
        Thread.ofPlatform().name("raft-stop-" + self).daemon().start(() -> {
            halt();
            listeners.failed(cause);
        });
    }

    /** Started and neither closed nor halted. */
    boolean isStartedAndOpen() {
        RaftLoop l = loop;
        return l != null && !closed && l.isRunning();
    }

    /** How this node found its {@code raft_dir} at {@link #start()}. */
    ClusterIdentity.StartMode startMode() {
        return startMode;
    }

    private NotLeaderException notLeader(Optional<NodeId> leaderHint) {
        return new NotLeaderException(self, leaderHint.flatMap(settings::peer));
    }

    private int maxEntryBytes() {
        return TransportConfig.DEFAULT_MAX_PAYLOAD - MESSAGE_OVERHEAD;
    }

    private RaftLoop runningLoop() {
        RaftLoop l = loop;
        if (l == null) {
            throw new IllegalStateException(self + " is not started");
        }
        return l;
    }

    private <T> Optional<CompletableFuture<T>> refuse(RaftLoop l) {
        if (closed || !l.isRunning()) {
            Throwable why = l.failure() != null ? l.failure() : applier.failure();
            return Optional.of(CompletableFuture.failedFuture(new IllegalStateException(self + " is "
                    + (closed ? "closed" : "stopped") + (why == null ? "" : " after a failure: " + why), why)));
        }
        return Optional.empty();
    }

    @Override
    public CompletableFuture<Committed> propose(byte[] entry) {
        RaftLoop l = runningLoop();
        if (entry.length > maxEntryBytes()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("an entry of " + entry.length
                    + " bytes exceeds the limit of " + maxEntryBytes() + " bytes"));
        }
        Optional<CompletableFuture<Committed>> refused = refuse(l);
        if (refused.isPresent()) {
            return refused.get();
        }
        NodeView v = l.view();
        if (v.role() != Role.LEADER) {
            return CompletableFuture.failedFuture(notLeader(v.leader()));
        }
        CompletableFuture<Committed> f = new CompletableFuture<>();
        l.submit(new Command.Propose(entry.clone(), f));
        return f;
    }

    @Override
    public CompletableFuture<Long> barrier() {
        RaftLoop l = runningLoop();
        Optional<CompletableFuture<Long>> refused = refuse(l);
        if (refused.isPresent()) {
            return refused.get();
        }
        CompletableFuture<Long> f = new CompletableFuture<>();
        l.submit(new Command.Barrier(f));
        return f;
    }

    @Override
    public boolean isLeader() {
        RaftLoop l = loop;
        return l != null && l.isRunning() && l.view().role() == Role.LEADER;
    }

    @Override
    public Optional<NodeId> leader() {
        RaftLoop l = loop;
        return l == null ? Optional.empty() : l.view().leader();
    }

    @Override
    public long term() {
        RaftLoop l = loop;
        return l == null ? 0 : l.view().term();
    }

    @Override
    public CompletableFuture<NodeId> transferLeadership(Optional<NodeId> target) {
        RaftLoop l = runningLoop();
        Optional<CompletableFuture<NodeId>> refused = refuse(l);
        if (refused.isPresent()) {
            return refused.get();
        }
        CompletableFuture<NodeId> f = new CompletableFuture<>();
        l.submit(new Command.Transfer(target, f));
        return f;
    }

    @Override
    public ConsensusStatus status() {
        RaftLoop l = runningLoop();
        NodeView v = l.view();
        Instant now = clock.instant();
        List<PeerStatus> peers = new ArrayList<>();
        for (PeerAddress p : settings.peers()) {
            PeerLinkStatus link = transport.status(p.id());
            PeerProgress progress = v.peers().stream().filter(pp -> pp.peer().equals(p.id())).findFirst().orElse(null);
            boolean leader = v.role() == Role.LEADER;
            peers.add(new PeerStatus(p, leader && progress != null ? progress.matchIndex() : 0,
                    link.lastContact().map(t -> Duration.between(t, now).isNegative() ? Duration.ZERO
                            : Duration.between(t, now)),
                    leader ? progress != null && progress.healthy() : link.connected()));
        }
        return new ConsensusStatus(self, v.role(), v.term(), v.leader(), v.commitIndex(), applier.appliedIndex(),
                v.lastIndex(), v.snapshotIndex(), peers);
    }

    @Override
    public void addListener(ConsensusListener listener) {
        listeners.add(listener);
    }

    /** Why the node stopped on its own (a storage or state-machine failure), if it did. */
    public Optional<Throwable> failure() {
        RaftLoop l = loop;
        Applier a = applier;
        Throwable t = l == null ? null : l.failure();
        if (t == null && a != null) {
            t = a.failure();
        }
        return Optional.ofNullable(t);
    }

    /**
     * Graceful stop: a leader first hands leadership to the most up-to-date follower and waits for
     * it (at most two election timeouts), then the loop, transport, applier and stores close.
     */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            boolean anyPeerReachable = transport != null
                    && transport.statuses().stream().anyMatch(PeerLinkStatus::connected);
            if (isLeader() && anyPeerReachable) {
                Duration bound = settings.electionTimeout().multipliedBy(2);
                try {
                    NodeId next = transferLeadership(Optional.empty()).get(bound.toMillis(), TimeUnit.MILLISECONDS);
                    handedOverTo = Optional.of(next);
                    LOG.log(System.Logger.Level.INFO, "{0}: handed leadership to {1} before stopping", self, next);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (ExecutionException | TimeoutException e) {
                    LOG.log(System.Logger.Level.WARNING, "{0}: leadership transfer before stopping did not finish "
                            + "within {1} ({2}); stopping anyway, the others will elect a leader", self, bound, e);
                }
            }
            closed = true;
            shutdown(true);
        }
    }

    /**
     * Stops without handing over leadership, as a crash would (but the process lives on): the
     * transport drops every connection first, so no further message leaves this node, then the
     * threads stop and the stores are closed (what was synced stays). Idempotent; a halted node
     * cannot be started again (create a new one on the same {@code raft_dir}). Public for failover
     * tests outside this module (the consensus conformance suite's crash hook); the node itself
     * uses it to fail-stop.
     */
    public void halt() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            if (transport != null) {
                transport.close();
            }
            shutdown(false);
        }
    }

    private void shutdown(boolean graceful) {
        RaftLoop l = loop;
        if (l != null) {
            l.submit(new Command.Stop());
        }
        join(loopThread);
        if (transport != null) {
            transport.close();
        }
        Applier a = applier;
        if (a != null) {
            a.submit(new Applier.Stop(() -> new IllegalStateException(self + " is closed")));
        }
        join(applierThread);
        if (receiver != null) {
            receiver.close();
        }
        closeQuietly(snapshotStore);
        closeQuietly(stableStore);
        closeQuietly(logStore);
        LOG.log(System.Logger.Level.INFO, "{0}: stopped{1}", self, graceful ? "" : " (halted)");
    }

    private void join(Thread t) {
        if (t == null) {
            return;
        }
        try {
            t.join(10_000);
            if (t.isAlive()) {
                LOG.log(System.Logger.Level.WARNING, "{0}: thread {1} did not stop within 10 s", self, t.getName());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, self + ": closing " + c + " failed: " + e, e);
        }
    }

    /** The transport's counters, per peer ({@link TransportCounters#stats()}); empty before {@link #start()}. */
    @Override
    public Optional<TransportStats> transportStats() {
        NettyTransport t = transport;
        return t == null ? Optional.empty() : Optional.of(t.counters().stats());
    }

    /**
     * The transport's counters (frames and bytes in/out, connection closes by reason, send
     * failures), for metrics. Only after {@link #start()}.
     */
    public TransportCounters transportCounters() {
        NettyTransport t = transport;
        if (t == null) {
            throw new IllegalStateException(self + " is not started");
        }
        return t.counters();
    }

    /** Whom {@link #close()} handed leadership to, if it did. */
    Optional<NodeId> handedOverTo() {
        return handedOverTo;
    }

    /** The last view the Raft loop published (it stays readable after a halt). */
    NodeView lastView() {
        RaftLoop l = loop;
        return l == null ? NodeView.INITIAL : l.view();
    }

    /** The transport, for tests and metrics. */
    Transport transport() {
        return transport;
    }
}
