package dev.haseq.consensus.raft.node;

import dev.haseq.api.NodeId;
import dev.haseq.api.consensus.Committed;
import dev.haseq.api.consensus.NotLeaderException;
import dev.haseq.api.consensus.RejectedEntryException;
import dev.haseq.api.consensus.StateMachine;
import dev.haseq.api.storage.LogEntry;
import dev.haseq.api.storage.SnapshotMeta;
import dev.haseq.api.storage.SnapshotStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The applier thread: the only caller of {@link StateMachine#apply}, {@link StateMachine#snapshot}
 * and {@link StateMachine#restore}. It works through one queue in order, which is what keeps the
 * bookkeeping simple: a proposal is registered ({@link #track}) before the entry can be committed,
 * committed entries arrive in log order, and a leadership loss is queued after the entries that
 * were known committed when it happened.
 *
 * <p>After each batch it takes a snapshot when {@code snapshot_threshold} entries were applied
 * since the last one, and tells the Raft loop (which lets the core compact the log).
 */
final class Applier implements Runnable {
    private static final System.Logger LOG = System.getLogger(Applier.class.getName());

    sealed interface Task {
    }

    record Apply(List<LogEntry> entries) implements Task {
    }

    /** Restore from the snapshot store's latest snapshot, which must be {@code meta}. */
    record Restore(SnapshotMeta meta, boolean received, CompletableFuture<Void> done) implements Task {
    }

    record Track(long index, long term, CompletableFuture<Committed> future) implements Task {
    }

    record Barrier(long index, CompletableFuture<Long> future) implements Task {
    }

    /** Fails every tracked proposal and barrier: this node stopped being the leader. */
    record LeadershipLost(Supplier<NotLeaderException> error) implements Task {
    }

    record Stop(Supplier<RuntimeException> error) implements Task {
    }

    /** Callback to the Raft loop after a local snapshot was committed. */
    interface SnapshotSink {
        void snapshotTaken(long index, long term);
    }

    private final NodeId self;
    private final StateMachine stateMachine;
    private final SnapshotStore snapshots;
    private final long threshold;
    private final Listeners listeners;
    private final SnapshotSink sink;
    private final Supplier<NotLeaderException> notLeader;
    private final java.util.function.Consumer<Throwable> onFatal;
    private final LinkedBlockingQueue<Task> queue = new LinkedBlockingQueue<>();
    private final AtomicLong applied = new AtomicLong();
    private final Map<Long, Track> proposals = new HashMap<>();
    private final TreeMap<Long, List<CompletableFuture<Long>>> barriers = new TreeMap<>();
    private volatile Throwable failure;
    private long appliedTerm;
    private long lastSnapshotIndex;

    Applier(NodeId self, StateMachine stateMachine, SnapshotStore snapshots, long threshold, Listeners listeners,
            SnapshotSink sink, Supplier<NotLeaderException> notLeader, java.util.function.Consumer<Throwable> onFatal) {
        this.notLeader = notLeader;
        this.onFatal = onFatal;
        this.self = self;
        this.stateMachine = stateMachine;
        this.snapshots = snapshots;
        this.threshold = threshold;
        this.listeners = listeners;
        this.sink = sink;
    }

    void submit(Task t) {
        queue.add(t);
    }

    long appliedIndex() {
        return applied.get();
    }

    Throwable failure() {
        return failure;
    }

    @Override
    public void run() {
        try {
            while (true) {
                Task t = queue.take();
                if (t instanceof Stop s) {
                    failAll(s.error());
                    return;
                }
                handle(t);
                // Drain what else is queued before considering a snapshot: snapshot between batches.
                Task more;
                while ((more = queue.poll()) != null) {
                    if (more instanceof Stop s) {
                        failAll(s.error());
                        return;
                    }
                    handle(more);
                }
                completeBarriers();
                maybeSnapshot();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            failure = e;
            LOG.log(System.Logger.Level.ERROR, self + ": the applier stopped: " + e, e);
            onFatal.accept(e);
            failAll(() -> new IllegalStateException(self + ": the state machine failed, this node stopped applying: "
                    + e, e));
        }
    }

    private void handle(Task t) {
        switch (t) {
            case Apply a -> apply(a.entries());
            case Restore r -> restore(r);
            case Track tr -> proposals.put(tr.index(), tr);
            case Barrier b -> {
                if (b.index() <= applied.get()) {
                    b.future().complete(applied.get());
                } else {
                    barriers.computeIfAbsent(b.index(), k -> new ArrayList<>()).add(b.future());
                }
            }
            case LeadershipLost l -> failAll(l.error());
            case Stop s -> throw new IllegalStateException("unreachable");
        }
    }

    private void apply(List<LogEntry> entries) {
        for (LogEntry e : entries) {
            if (e.index() <= applied.get()) {
                continue; // covered by a snapshot restored in the meantime
            }
            byte[] result = null;
            RejectedEntryException rejected = null;
            if (!Entries.isNoop(e)) {
                try {
                    result = stateMachine.apply(e.index(), Entries.userPayload(e));
                } catch (RejectedEntryException r) {
                    rejected = r;
                }
            }
            applied.set(e.index());
            appliedTerm = e.term();
            Track tr = proposals.remove(e.index());
            if (tr != null) {
                if (tr.term() != e.term()) {
                    tr.future().completeExceptionally(notLeader.get());
                } else if (rejected != null) {
                    tr.future().completeExceptionally(rejected);
                } else {
                    tr.future().complete(new Committed(e.index(), e.term(), result == null ? new byte[0] : result));
                }
            }
        }
    }

    private void restore(Restore r) {
        try {
            SnapshotStore.Reader reader = snapshots.openLatest().orElseThrow(() -> new IllegalStateException(
                    self + ": snapshot " + r.meta().name() + " to restore is not in the snapshot store"));
            try (reader) {
                SnapshotMeta m = reader.meta();
                if (m.index() != r.meta().index() || m.term() != r.meta().term()) {
                    throw new IllegalStateException(self + ": expected to restore snapshot " + r.meta().name()
                            + " but the store's latest is " + m.name());
                }
                stateMachine.restore(reader.stream());
            }
            applied.set(r.meta().index());
            appliedTerm = r.meta().term();
            lastSnapshotIndex = r.meta().index();
            // Proposals at or below the snapshot can no longer be matched to their entries.
            for (Iterator<Map.Entry<Long, Track>> it = proposals.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<Long, Track> en = it.next();
                if (en.getKey() <= r.meta().index()) {
                    en.getValue().future().completeExceptionally(notLeader.get());
                    it.remove();
                }
            }
            if (r.received()) {
                listeners.snapshotInstalled(r.meta().index(), r.meta().term());
            }
            r.done().complete(null);
        } catch (IOException e) {
            r.done().completeExceptionally(e);
            throw new UncheckedIOException(self + ": restoring snapshot " + r.meta().name() + " failed: " + e, e);
        } catch (RuntimeException e) {
            r.done().completeExceptionally(e);
            throw e;
        }
    }

    private void completeBarriers() {
        long a = applied.get();
        while (!barriers.isEmpty() && barriers.firstKey() <= a) {
            barriers.pollFirstEntry().getValue().forEach(f -> f.complete(a));
        }
    }

    private void maybeSnapshot() {
        long a = applied.get();
        if (a - lastSnapshotIndex < threshold) {
            return;
        }
        List<SnapshotMeta> existing = snapshots.list();
        if (!existing.isEmpty() && existing.getFirst().index() >= a) {
            lastSnapshotIndex = existing.getFirst().index(); // a received snapshot already covers this
            return;
        }
        SnapshotMeta meta;
        try (SnapshotStore.Writer w = snapshots.create(SnapshotMeta.of(a, appliedTerm))) {
            stateMachine.snapshot(w.stream());
            meta = w.commit();
        } catch (IOException e) {
            throw new UncheckedIOException(self + ": taking a snapshot at index " + a + " failed: " + e, e);
        }
        lastSnapshotIndex = a;
        listeners.snapshotTaken(meta.index(), meta.term());
        sink.snapshotTaken(meta.index(), meta.term());
    }

    private void failAll(Supplier<? extends RuntimeException> error) {
        proposals.values().forEach(t -> t.future().completeExceptionally(error.get()));
        proposals.clear();
        barriers.values().forEach(l -> l.forEach(f -> f.completeExceptionally(error.get())));
        barriers.clear();
    }
}
