package dev.haseq.consensus.raft.node;

import dev.haseq.api.NodeId;
import dev.haseq.api.consensus.NotLeaderException;
import dev.haseq.api.consensus.Role;
import dev.haseq.api.consensus.StateMachine;
import dev.haseq.api.storage.LogStore;
import dev.haseq.api.storage.SnapshotMeta;
import dev.haseq.api.storage.StableStore;
import dev.haseq.consensus.raft.core.CoreEvent;
import dev.haseq.consensus.raft.core.Message;
import dev.haseq.consensus.raft.core.MessageCodec;
import dev.haseq.consensus.raft.core.NotLeader;
import dev.haseq.consensus.raft.core.Proposal;
import dev.haseq.consensus.raft.core.RaftCore;
import dev.haseq.consensus.raft.core.Ready;
import dev.haseq.consensus.raft.core.SoftState;
import dev.haseq.consensus.raft.transport.Transport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The one thread that owns the {@link RaftCore}. Each turn it waits for the next command or the
 * next tick, feeds everything queued to the core, ticks when the {@link Clock} says a tick is due,
 * then carries out every {@link Ready}. The common ones (sends, entries, acknowledgements,
 * committed entries) are split: messages leave at once, the persistence step and the
 * acknowledgements go to the {@link LogWriter} thread, and the Readys are advanced in order once
 * persisted ({@link #hand}, {@link #advancePersisted}). The others are carried out here, after
 * the writer drained, in the order {@link Ready}'s javadoc prescribes: send the messages that
 * need no persistence (the leader's appends leave before its own fsync), write received snapshot
 * chunks, save the hard state, queue a snapshot restore, truncate/compact/append/sync the log, send
 * the messages that promise durability (votes, acks), hand committed entries to the
 * {@link Applier}, then {@code advance}. Afterwards it publishes a {@link NodeView}. One
 * departure from that order: committed entries that were durable locally before the Ready
 * (always the case on a leader) go to the applier first, so a proposer's latency does not include
 * the sends and the fsync of later entries in the same Ready.
 *
 * <p><b>Turns on the I/O thread.</b> A turn (drain the inbox, carry out the Readys) runs under one
 * lock, on the loop thread or, after a network read, inline on the transport's I/O thread when no
 * turn is running ({@link #runOrWake}). That takes two thread hand-offs off every commit: a
 * follower's I/O thread appends (and syncs) the entries and queues the acknowledgement on its own
 * event loop, which writes it without waking anyone, and the leader's I/O thread counts the
 * acknowledgement and hands the committed entries to the applier. Commands from other threads
 * (proposals, ticks' work, stop) still wake the loop thread. Turns never overlap and the inbox is
 * FIFO, so messages are handled in arrival order whichever thread runs the turn.
 *
 * <p>Any exception from storage stops the loop (fail-stop: a member that cannot persist must not
 * vote or acknowledge); {@link #failure()} tells why.
 */
final class RaftLoop implements Runnable {
    private static final System.Logger LOG = System.getLogger(RaftLoop.class.getName());
    /** Commands handled per turn before the loop checks the clock and processes Readys. */
    private static final int MAX_COMMANDS_PER_TURN = 4096;
    /** Missed ticks replayed at once after a stall; more would fire timeouts the stall caused, not the peers. */
    private static final int MAX_CATCH_UP_TICKS = 2;

    private final NodeId self;
    private final RaftCore core;
    private final Transport transport;
    private final LogStore log;
    private final StableStore stable;
    private final Applier applier;
    private final SnapshotReceiver receiver;
    private final SnapshotSender sender;
    private final StateMachine stateMachine;
    private final Listeners listeners;
    private final Clock clock;
    private final long tickNanos;
    private final Function<Optional<NodeId>, NotLeaderException> notLeader;
    private final java.util.function.Consumer<Throwable> onFatal;
    private final ConcurrentLinkedQueue<Command> inbox = new ConcurrentLinkedQueue<>();
    /** Held by whichever thread runs a turn: the loop thread, or an I/O thread inline. */
    private final ReentrantLock turn = new ReentrantLock();
    private volatile Thread loopThread;
    /** The loop thread is (about to be) parked: a submitter must unpark it. */
    private volatile boolean sleeping;
    private volatile NodeView view = NodeView.INITIAL;
    private volatile Throwable failure;
    private volatile boolean running = true;
    private final LogWriter writer;
    /** Readys whose persistence step is with the {@link #writer}, oldest first; advanced in order. */
    private final ArrayDeque<LogWriter.Job> outstanding = new ArrayDeque<>();
    /** Outstanding jobs whose committed entries wait for their persistence before being applied. */
    private int waitingApplies;
    private CompletableFuture<NodeId> pendingTransfer;
    private SoftState soft;
    private boolean catchingUp;

    RaftLoop(RaftCore core, Transport transport, LogStore log, StableStore stable, Applier applier,
             SnapshotReceiver receiver, SnapshotSender sender, StateMachine stateMachine, Listeners listeners,
             Clock clock, Duration tick, Function<Optional<NodeId>, NotLeaderException> notLeader,
             java.util.function.Consumer<Throwable> onFatal) {
        this.onFatal = onFatal;
        this.self = core.id();
        this.core = core;
        this.transport = transport;
        this.log = log;
        this.stable = stable;
        this.applier = applier;
        this.receiver = receiver;
        this.sender = sender;
        this.stateMachine = stateMachine;
        this.listeners = listeners;
        this.clock = clock;
        this.tickNanos = tick.toNanos();
        this.notLeader = notLeader;
        this.soft = new SoftState(core.role(), core.term(), core.leader());
        this.writer = new LogWriter(self.toString(), log, this::send, () -> submit(new Command.Persisted()));
        publish();
    }

    /** Thread-safe: queues {@code c} and wakes the loop thread. */
    void submit(Command c) {
        inbox.offer(c);
        wake();
    }

    /**
     * Thread-safe: queues {@code c} without waking anyone. The caller (an I/O thread handing over
     * what one read decoded) calls {@link #runOrWake} once the read is done.
     */
    void enqueue(Command c) {
        inbox.offer(c);
    }

    /**
     * After a read on an I/O thread: if no turn is running, runs one here (the queued messages are
     * handled and their Readys carried out, including a follower's log append and sync); otherwise
     * wakes the loop thread, which runs the next turn. Never throws: a failure stops the loop
     * (fail-stop) as it would on the loop thread.
     */
    void runOrWake() {
        if (inbox.isEmpty()) {
            return;
        }
        if (!running || !turn.tryLock()) {
            wake();
            return;
        }
        try {
            if (running) {
                drainInbox();
                processReadies();
                publish();
            }
        } catch (RuntimeException | Error e) {
            fail(e);
        } finally {
            turn.unlock();
        }
        if (!running || !inbox.isEmpty()) {
            wake(); // stopped, or more than one turn's worth queued: the loop thread takes over
        }
    }

    private void wake() {
        Thread t = loopThread;
        if (t != null && (sleeping || !running)) {
            LockSupport.unpark(t);
        }
    }

    /** Under {@link #turn} or after the loop thread left it: stops the loop for good. */
    private void fail(Throwable e) {
        running = false;
        if (failure == null) {
            failure = e;
            LOG.log(System.Logger.Level.ERROR, self + ": the Raft loop stopped: " + e, e);
            onFatal.accept(e);
        }
    }

    NodeView view() {
        return view;
    }

    Throwable failure() {
        return failure;
    }

    boolean isRunning() {
        return running;
    }

    private long nowNanos() {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    @Override
    public void run() {
        loopThread = Thread.currentThread();
        Thread.ofPlatform().name("raft-log-" + self).daemon().start(writer);
        long nextTick = nowNanos() + tickNanos;
        try {
            while (running) {
                long wait = nextTick - nowNanos();
                if (wait > 0 && inbox.isEmpty()) {
                    sleeping = true;
                    if (inbox.isEmpty() && running) { // re-checked after announcing the park: no lost wake-up
                        LockSupport.parkNanos(this, wait);
                    }
                    sleeping = false;
                    if (Thread.currentThread().isInterrupted()) {
                        return;
                    }
                }
                turn.lock();
                try {
                    if (!running) {
                        break;
                    }
                    drainInbox();
                    long now = nowNanos();
                    if (now >= nextTick) {
                        int ticks = 0;
                        while (now >= nextTick && ticks < MAX_CATCH_UP_TICKS) {
                            core.tick();
                            nextTick += tickNanos;
                            ticks++;
                        }
                        if (now >= nextTick) {
                            nextTick = now + tickNanos;
                        }
                        pollCatchingUp();
                    }
                    processReadies();
                    publish();
                } finally {
                    turn.unlock();
                }
            }
        } catch (RuntimeException | Error e) {
            fail(e);
        } finally {
            running = false;
            writer.stop();
            try {
                if (!writer.join(10_000)) {
                    LOG.log(System.Logger.Level.WARNING, self + ": the log writer did not stop within 10 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            turn.lock(); // waits for an inline turn still running on an I/O thread
            try {
                if (pendingTransfer != null) {
                    pendingTransfer.completeExceptionally(new IllegalStateException(self + " stopped"));
                }
                failQueued();
            } finally {
                turn.unlock();
            }
        }
    }

    /** Under {@link #turn}: handles queued commands, at most {@link #MAX_COMMANDS_PER_TURN}. */
    private void drainInbox() {
        int handled = 0;
        Command c;
        while (running && handled < MAX_COMMANDS_PER_TURN && (c = inbox.poll()) != null) {
            handle(c);
            handled++;
        }
    }

    private void failQueued() {
        Command c;
        while ((c = inbox.poll()) != null) {
            RuntimeException stopped = new IllegalStateException(self + " is stopped");
            switch (c) {
                case Command.Propose p -> p.future().completeExceptionally(stopped);
                case Command.Barrier b -> b.future().completeExceptionally(stopped);
                case Command.Transfer t -> t.future().completeExceptionally(stopped);
                default -> {
                }
            }
        }
    }

    private void handle(Command c) {
        switch (c) {
            case Command.Inbound in -> core.step(in.message());
            case Command.Propose p -> {
                try {
                    Proposal prop = core.propose(Entries.user(p.data()));
                    applier.submit(new Applier.Track(prop.index(), prop.term(), p.future()));
                } catch (NotLeader e) {
                    p.future().completeExceptionally(notLeader.apply(e.leaderHint()));
                }
            }
            case Command.Barrier b -> {
                if (!core.isLeader()) {
                    b.future().completeExceptionally(notLeader.apply(core.leader()));
                } else {
                    // The last index covers every committed entry and this term's no-op.
                    applier.submit(new Applier.Barrier(Math.max(core.lastIndex(), core.commitIndex()), b.future()));
                }
            }
            case Command.Transfer t -> {
                try {
                    core.transferLeadership(t.target());
                    if (pendingTransfer != null) {
                        CompletableFuture<NodeId> old = pendingTransfer;
                        pendingTransfer = t.future();
                        t.future().whenComplete((v, e) -> {
                            if (e == null) {
                                old.complete(v);
                            } else {
                                old.completeExceptionally(e);
                            }
                        });
                    } else {
                        pendingTransfer = t.future();
                    }
                } catch (NotLeader e) {
                    t.future().completeExceptionally(notLeader.apply(e.leaderHint()));
                } catch (IllegalArgumentException | IllegalStateException e) {
                    t.future().completeExceptionally(e);
                }
            }
            case Command.SnapshotTaken s -> core.snapshotTaken(s.index(), s.term());
            case Command.SnapshotRestored r -> core.setRestoringSnapshot(false);
            case Command.Unreachable u -> core.reportUnreachable(u.peer());
            case Command.Persisted p -> rethrowWriterFailure();
            case Command.Stop s -> running = false;
        }
    }

    private void pollCatchingUp() {
        boolean now = stateMachine.isCatchingUp();
        if (now != catchingUp) {
            catchingUp = now;
            core.setCatchingUp(now);
        }
    }

    private void processReadies() {
        advancePersisted();
        while (running && core.hasReady()) {
            Ready rd = core.ready();
            boolean persists = !rd.entries().isEmpty() || rd.mustSync();
            if (pipelined(rd) && (!outstanding.isEmpty() || core.isLeader() && persists)) {
                hand(rd);
                continue;
            }
            awaitWriter();
            execute(rd);
            core.advance(rd);
            for (Ready.SnapshotRead r : rd.snapshotReads()) {
                sender.read(r, core);
            }
        }
    }

    /**
     * The common Readys (sends, entries to append, acknowledgements, committed entries) go through
     * the {@link LogWriter}; the rare ones that save the hard state, change roles, truncate,
     * compact or move snapshots are carried out here once every earlier one is persisted, exactly
     * in the order {@link Ready} prescribes. So is any Ready while nothing is with the writer if it
     * has nothing to persist (a leader's commit-only Readys, heartbeat answers) or belongs to a
     * follower: the follower then persists here, usually on the I/O thread that read the entries,
     * so its acknowledgement leaves from that event loop without two thread wake-ups, and entries
     * arriving meanwhile wait in the socket and share the next sync. A leader always hands its
     * entries over, so it keeps sending and counting acknowledgements while its own fsync runs.
     */
    private static boolean pipelined(Ready rd) {
        return rd.hardState().isEmpty() && rd.softState().isEmpty() && rd.snapshotWrites().isEmpty()
                && rd.installSnapshot().isEmpty() && rd.truncateAfter() == Ready.NONE
                && rd.compactUpTo() == Ready.NONE && rd.snapshotReads().isEmpty();
    }

    /** Steps 1 and 7 of {@code rd} here, step 5 and 6 on the writer; advanced by {@link #advancePersisted}. */
    private void hand(Ready rd) {
        for (Message m : rd.messages()) {
            send(m);
        }
        for (CoreEvent e : rd.events()) {
            event(e);
        }
        LogWriter.Job job = new LogWriter.Job(rd);
        if (!rd.committedEntries().isEmpty()) {
            // Committed entries below everything still being written are durable here: apply them
            // now (on a leader that is every entry a follower's acknowledgement commits while the
            // leader's own write of later entries runs), unless earlier ones are still waiting.
            if (waitingApplies == 0 && rd.lastCommittedIndex() < firstUnpersisted(rd)) {
                applier.submit(new Applier.Apply(rd.committedEntries()));
                job.applied = true;
            } else {
                waitingApplies++;
            }
        }
        outstanding.addLast(job);
        writer.submit(job);
    }

    /** The lowest entry index that is handed to the writer and not yet persisted, counting {@code rd}'s. */
    private long firstUnpersisted(Ready rd) {
        for (LogWriter.Job j : outstanding) {
            if (!j.persisted() && !j.ready().entries().isEmpty()) {
                return j.ready().entries().getFirst().index();
            }
        }
        return rd.entries().isEmpty() ? Long.MAX_VALUE : rd.entries().getFirst().index();
    }

    /** Applies and advances, in order, the handed Readys whose persistence finished. */
    private void advancePersisted() {
        LogWriter.Job j;
        while ((j = outstanding.peekFirst()) != null && j.persisted()) {
            outstanding.pollFirst();
            if (!j.applied && !j.ready().committedEntries().isEmpty()) {
                applier.submit(new Applier.Apply(j.ready().committedEntries()));
                waitingApplies--;
            }
            core.advance(j.ready());
        }
    }

    /** A storage failure on the writer stops this loop too (fail-stop), with the writer's exception. */
    private void rethrowWriterFailure() {
        Throwable f = writer.failure();
        if (f != null) {
            throw f instanceof RuntimeException r ? r : new IllegalStateException(writer + " failed: " + f, f);
        }
    }

    /** Waits until the writer persisted every handed Ready and advances them (before a Ready carried out here). */
    private void awaitWriter() {
        while (!outstanding.isEmpty()) {
            advancePersisted();
            if (outstanding.isEmpty()) {
                return;
            }
            rethrowWriterFailure();
            if (!running) {
                return;
            }
            LockSupport.parkNanos(this, 50_000); // the writer is in an fsync; rare path (term/role changes, snapshots)
        }
    }

    private void execute(Ready rd) {
        // Entries that were already durable here before this Ready (all of them, on a leader) are
        // handed to the applier first: their proposers wait neither for this Ready's sends nor for
        // its fsync. Committed entries among this Ready's new entries wait for step 5 as prescribed.
        boolean applyFirst = !rd.committedEntries().isEmpty()
                && (rd.entries().isEmpty() || rd.lastCommittedIndex() < rd.entries().getFirst().index());
        if (applyFirst) {
            applier.submit(new Applier.Apply(rd.committedEntries()));
        }
        for (Message m : rd.messages()) {
            send(m);
        }
        for (Ready.SnapshotWrite w : rd.snapshotWrites()) {
            receiver.write(w, core);
        }
        rd.hardState().ifPresent(stable::save);
        rd.installSnapshot().ifPresent(this::restoreReceived);
        if (rd.truncateAfter() != Ready.NONE && log.lastIndex() > rd.truncateAfter()) {
            log.truncateSuffix(rd.truncateAfter());
        }
        if (rd.compactUpTo() != Ready.NONE) {
            log.compactPrefix(rd.compactUpTo());
        }
        if (!rd.entries().isEmpty()) {
            log.append(rd.entries());
        }
        if (rd.mustSync()) {
            log.sync();
        }
        for (Message m : rd.messagesAfterPersist()) {
            send(m);
        }
        if (!applyFirst && !rd.committedEntries().isEmpty()) {
            applier.submit(new Applier.Apply(rd.committedEntries()));
        }
        rd.softState().ifPresent(this::softStateChanged);
        for (CoreEvent e : rd.events()) {
            event(e);
        }
    }

    /**
     * Hands the restore of a received snapshot to the applier, which runs it on its own thread
     * after this Ready is advanced. Until it is done, the core takes no further snapshot from the
     * leader: committing a newer one would replace, in the store, the snapshot the restore reads.
     */
    private void restoreReceived(SnapshotMeta meta) {
        CompletableFuture<Void> restored = new CompletableFuture<>();
        core.setRestoringSnapshot(true);
        restored.whenComplete((v, e) -> submit(new Command.SnapshotRestored()));
        applier.submit(new Applier.Restore(meta, true, restored));
    }

    private void send(Message m) {
        try {
            transport.send(m.to(), MessageCodec.encode(m));
        } catch (IllegalArgumentException e) {
            // Only an entry larger than the frame limit gets here; propose() refuses those up front.
            LOG.log(System.Logger.Level.ERROR, self + ": cannot send " + m.getClass().getSimpleName() + " to "
                    + m.to() + ": " + e.getMessage());
        }
    }

    private void softStateChanged(SoftState s) {
        SoftState old = soft;
        soft = s;
        if (!s.leader().equals(old.leader()) || s.term() != old.term() && s.leader().isPresent()) {
            listeners.leaderChanged(s.term(), s.leader(), s.leader().map(self::equals).orElse(false));
        }
        if (old.role() == Role.LEADER && s.role() != Role.LEADER) {
            Optional<NodeId> hint = s.leader();
            applier.submit(new Applier.LeadershipLost(() -> notLeader.apply(hint)));
        }
    }

    private void event(CoreEvent e) {
        switch (e) {
            case CoreEvent.ElectionStarted es -> listeners.electionStarted(es.term(), es.preVote());
            case CoreEvent.SendFailed sf -> listeners.sendFailed(sf.peer());
            case CoreEvent.SnapshotSendStarted ss -> listeners.snapshotSent(ss.peer(), ss.index());
            case CoreEvent.SnapshotSendFinished sf -> listeners.snapshotSendFinished(sf.peer(), sf.index());
            case CoreEvent.SnapshotSendFailed sf -> listeners.snapshotSendFailed(sf.peer(), sf.index());
            case CoreEvent.SnapshotReceiveStarted rs -> listeners.snapshotReceiveStarted(rs.index(), rs.term());
            case CoreEvent.SnapshotReceiveFailed rf -> listeners.snapshotReceiveFailed(rf.index(), rf.term());
            case CoreEvent.TransferFinished tf -> {
                if (pendingTransfer != null) {
                    CompletableFuture<NodeId> f = pendingTransfer;
                    pendingTransfer = null;
                    if (tf.success()) {
                        f.complete(tf.newLeader().orElse(tf.target()));
                    } else {
                        f.completeExceptionally(new IllegalStateException("leadership transfer from " + self + " to "
                                + tf.target() + " failed: " + tf.detail()));
                    }
                }
            }
        }
    }

    private void publish() {
        view = new NodeView(core.role(), core.term(), core.leader(), core.commitIndex(), core.lastIndex(),
                core.snapshotIndex(), core.peerProgress());
    }
}
