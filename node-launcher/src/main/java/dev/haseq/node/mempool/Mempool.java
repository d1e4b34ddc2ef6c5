package dev.haseq.node.mempool;

import dev.haseq.api.Hash;
import dev.haseq.api.Tx;
import dev.haseq.api.exec.InvalidTxException;
import dev.haseq.node.chain.ChainHead;
import dev.haseq.node.chain.ChainListener;
import dev.haseq.node.chain.CommittedBlock;
import dev.haseq.node.time.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * The leader's queue of transactions waiting for a block: FIFO, bounded by count and bytes,
 * de-duplicated by transaction hash.
 *
 * <p>A transaction is <em>pending</em> until {@link #drain} hands it to a block proposal, then
 * <em>in flight</em> until the block commits ({@link #blockApplied}: removed) or the proposal fails
 * ({@link #giveBack}: back at the head of the queue, unless it was committed meanwhile). In-flight
 * transactions still count against the bounds, so giving them back never overflows: an accepted
 * transaction is never silently dropped. Committed transactions are removed on every node (this is
 * a {@link ChainListener}), and their hashes are remembered ({@link MempoolSettings#committedMemory})
 * for {@link #status} and {@link #awaitCommit}.
 *
 * <p>Thread-safe; futures are completed outside the lock.
 */
public final class Mempool implements ChainListener {
    private final MempoolSettings settings;
    private final TxValidator validator;
    private final Scheduler scheduler;
    private LinkedHashMap<Hash, Tx> pending = new LinkedHashMap<>();
    private final Map<Hash, Tx> inFlight = new HashMap<>();
    private final LinkedHashMap<Hash, Long> committed;
    private final Map<Hash, List<CompletableFuture<Long>>> waiters = new HashMap<>();
    private long bytes;

    public Mempool(MempoolSettings settings, TxValidator validator, Scheduler scheduler) {
        this.settings = settings;
        this.validator = validator;
        this.scheduler = scheduler;
        int memory = settings.committedMemory();
        this.committed = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Hash, Long> eldest) {
                return size() > memory;
            }
        };
    }

    public MempoolSettings settings() {
        return settings;
    }

    public AddResult add(Tx tx) {
        Hash hash = tx.hash();
        if (tx.size() > settings.maxTxBytes()) {
            return AddResult.of(AddResult.Outcome.TOO_LARGE, hash, "transaction of " + tx.size()
                    + " bytes exceeds the limit of " + settings.maxTxBytes() + " bytes");
        }
        try {
            validator.validate(tx);
        } catch (InvalidTxException e) {
            return AddResult.of(AddResult.Outcome.INVALID, hash, e.getMessage());
        }
        synchronized (this) {
            Long height = committed.get(hash);
            if (height != null) {
                return new AddResult(AddResult.Outcome.DUPLICATE, hash, "", OptionalLong.of(height));
            }
            if (pending.containsKey(hash) || inFlight.containsKey(hash)) {
                return AddResult.of(AddResult.Outcome.DUPLICATE, hash);
            }
            int count = pending.size() + inFlight.size();
            if (count >= settings.maxTxs() || bytes + tx.size() > settings.maxBytes()) {
                return AddResult.of(AddResult.Outcome.FULL, hash, "mempool is full (" + count + " of "
                        + settings.maxTxs() + " transactions, " + bytes + " of " + settings.maxBytes() + " bytes)");
            }
            pending.put(hash, tx);
            bytes += tx.size();
            return AddResult.of(AddResult.Outcome.ACCEPTED, hash);
        }
    }

    /**
     * Takes pending transactions in FIFO order while their total stays within {@code maxBytes};
     * stops at the first one that does not fit (no reordering). They are in flight until committed
     * or {@linkplain #giveBack given back}.
     */
    public synchronized List<Tx> drain(long maxBytes) {
        List<Tx> out = new ArrayList<>();
        long total = 0;
        Iterator<Map.Entry<Hash, Tx>> it = pending.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Hash, Tx> e = it.next();
            if (total + e.getValue().size() > maxBytes) {
                break;
            }
            total += e.getValue().size();
            out.add(e.getValue());
            inFlight.put(e.getKey(), e.getValue());
            it.remove();
        }
        return out;
    }

    /**
     * Returns the transactions of a failed proposal to the head of the queue, in their order.
     * Those committed in the meantime (or otherwise no longer in flight) are left out.
     */
    public synchronized void giveBack(List<Tx> txs) {
        LinkedHashMap<Hash, Tx> requeued = new LinkedHashMap<>();
        for (Tx tx : txs) {
            Hash h = tx.hash();
            Tx t = inFlight.remove(h);
            if (t != null) {
                requeued.put(h, t);
            }
        }
        if (requeued.isEmpty()) {
            return;
        }
        requeued.putAll(pending);
        pending = requeued;
    }

    @Override
    public void blockApplied(long index, CommittedBlock block, ChainHead head) {
        List<CompletableFuture<Long>> done = new ArrayList<>();
        long height = block.height();
        synchronized (this) {
            for (Tx tx : block.block().txs()) {
                Hash h = tx.hash();
                Tx removed = pending.remove(h);
                if (removed == null) {
                    removed = inFlight.remove(h);
                }
                if (removed != null) {
                    bytes -= removed.size();
                }
                committed.put(h, height);
                List<CompletableFuture<Long>> w = waiters.remove(h);
                if (w != null) {
                    done.addAll(w);
                }
            }
        }
        done.forEach(f -> f.complete(height));
    }

    public synchronized TxStatus status(Hash hash) {
        Long height = committed.get(hash);
        if (height != null) {
            return new TxStatus.Committed(height);
        }
        if (pending.containsKey(hash) || inFlight.containsKey(hash)) {
            return new TxStatus.Pending();
        }
        return new TxStatus.Unknown();
    }

    /**
     * Completes with the height of the block that commits {@code hash} (at once if it is already
     * known to be committed), or exceptionally with {@link TimeoutException} after {@code timeout}.
     */
    public CompletableFuture<Long> awaitCommit(Hash hash, Duration timeout) {
        CompletableFuture<Long> f = new CompletableFuture<>();
        synchronized (this) {
            Long height = committed.get(hash);
            if (height != null) {
                f.complete(height);
                return f;
            }
            waiters.computeIfAbsent(hash, k -> new ArrayList<>()).add(f);
        }
        Scheduler.Cancellable timer = scheduler.schedule(() -> f.completeExceptionally(
                new TimeoutException("transaction " + hash + " not committed within " + timeout)), timeout);
        f.whenComplete((h, e) -> {
            timer.cancel();
            if (e != null) {
                forget(hash, f);
            }
        });
        return f;
    }

    private synchronized void forget(Hash hash, CompletableFuture<Long> f) {
        List<CompletableFuture<Long>> w = waiters.get(hash);
        if (w != null) {
            w.remove(f);
            if (w.isEmpty()) {
                waiters.remove(hash);
            }
        }
    }

    /** Transactions held: pending plus in flight. */
    public synchronized int size() {
        return pending.size() + inFlight.size();
    }

    public synchronized int pendingCount() {
        return pending.size();
    }

    /** Bytes held: pending plus in flight. */
    public synchronized long bytes() {
        return bytes;
    }

    synchronized int waiterCount() {
        return waiters.values().stream().mapToInt(List::size).sum();
    }
}
