package dev.haseq.it.consensus;

import dev.haseq.api.NodeId;
import dev.haseq.api.consensus.RejectedEntryException;
import dev.haseq.api.consensus.StateMachine;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * The state machine the consensus suite drives: its state is the list of entries it applied, each
 * with its log index and the result it returned. Entries are UTF-8 strings; those the rejection
 * rule matches (by default: starting with {@value #REJECT_PREFIX}) are refused with
 * {@link RejectedEntryException} and leave the state unchanged.
 *
 * <p>The result of an entry is {@code "<entry>#<state size after it>"}: deterministic, and
 * different on a replica whose history differs. {@link #snapshot} writes the whole state,
 * {@link #restore} replaces it.
 *
 * <p>Besides the state it keeps observations that are not state: every {@code apply} call of this
 * incarnation (so a test can tell entries it applied from entries it got through a snapshot),
 * rejections, and snapshot/restore counts. It reports every outcome to the cluster's
 * {@link ClusterLedger}, and contract breaches there too (an index applied twice, out of order or
 * at or below a restored snapshot; apply, snapshot or restore overlapping, or called from more
 * than one thread in one instance's life). Reads are thread-safe.
 */
public final class RecordingStateMachine implements StateMachine {
    public static final String REJECT_PREFIX = "reject";
    private static final int SNAPSHOT_MAGIC = 0x52534d31; // "RSM1"
    private static final String REJECTED = "REJECTED";

    /** One applied entry. */
    public record Applied(long index, String entry, String result) {
    }

    private final NodeId node;
    private final ClusterLedger ledger;
    private final Predicate<String> rejects;
    private final AtomicInteger inside = new AtomicInteger();
    private final AtomicReference<Thread> applier = new AtomicReference<>();
    private volatile boolean otherThreadReported;
    private final List<Applied> state = new ArrayList<>();
    private final List<Long> appliedHere = new ArrayList<>();
    private final List<Applied> rejections = new ArrayList<>();
    private long lastIndex;
    private int restores;
    private int snapshots;
    private volatile boolean catchingUp;

    public RecordingStateMachine(NodeId node, ClusterLedger ledger, Predicate<String> rejects) {
        this.node = node;
        this.ledger = ledger;
        this.rejects = rejects;
    }

    public RecordingStateMachine(NodeId node, ClusterLedger ledger) {
        this(node, ledger, e -> e.startsWith(REJECT_PREFIX));
    }

    @Override
    public byte[] apply(long index, byte[] entry) throws RejectedEntryException {
        enter("apply(" + index + ")");
        try {
            String e = new String(entry, StandardCharsets.UTF_8);
            synchronized (this) {
                if (index <= lastIndex) {
                    ledger.violation(node + ": apply(" + index + ", '" + e + "') after index " + lastIndex
                            + " was already applied or restored (entries must be applied once, in log order)");
                }
                lastIndex = Math.max(lastIndex, index);
                appliedHere.add(index);
                if (rejects.test(e)) {
                    rejections.add(new Applied(index, e, REJECTED));
                    ledger.record(node, index, new ClusterLedger.Outcome(e, REJECTED));
                    throw new RejectedEntryException(node + " refuses '" + e + "' at index " + index);
                }
                Applied a = new Applied(index, e, e + "#" + (state.size() + 1));
                state.add(a);
                ledger.record(node, index, new ClusterLedger.Outcome(a.entry(), a.result()));
                return a.result().getBytes(StandardCharsets.UTF_8);
            }
        } finally {
            inside.decrementAndGet();
        }
    }

    @Override
    public void snapshot(OutputStream out) throws IOException {
        enter("snapshot");
        try {
            DataOutputStream d = new DataOutputStream(out);
            synchronized (this) {
                d.writeInt(SNAPSHOT_MAGIC);
                d.writeLong(lastIndex);
                d.writeInt(state.size());
                for (Applied a : state) {
                    d.writeLong(a.index());
                    d.writeUTF(a.entry());
                    d.writeUTF(a.result());
                }
                snapshots++;
            }
            d.flush();
        } finally {
            inside.decrementAndGet();
        }
    }

    @Override
    public void restore(InputStream in) throws IOException {
        enter("restore");
        try {
            DataInputStream d = new DataInputStream(in);
            int magic = d.readInt();
            if (magic != SNAPSHOT_MAGIC) {
                throw new IOException(node + ": not a RecordingStateMachine snapshot (magic " + Integer.toHexString(magic)
                        + ")");
            }
            long last = d.readLong();
            int n = d.readInt();
            List<Applied> restored = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                restored.add(new Applied(d.readLong(), d.readUTF(), d.readUTF()));
            }
            synchronized (this) {
                state.clear();
                state.addAll(restored);
                lastIndex = last;
                restores++;
            }
            for (Applied a : restored) {
                ledger.record(node, a.index(), new ClusterLedger.Outcome(a.entry(), a.result()));
            }
        } finally {
            inside.decrementAndGet();
        }
    }

    private void enter(String call) {
        if (inside.incrementAndGet() != 1) {
            ledger.violation(node + ": " + call + " was called while another apply/snapshot/restore was running");
        }
        Thread t = Thread.currentThread();
        Thread first = applier.compareAndExchange(null, t);
        if (first != null && first != t && !otherThreadReported) {
            otherThreadReported = true;
            ledger.violation(node + ": " + call + " was called on thread '" + t.getName() + "' but earlier calls on '"
                    + first.getName() + "' (apply, snapshot and restore come from one applier thread)");
        }
    }

    @Override
    public boolean isCatchingUp() {
        return catchingUp;
    }

    /** What {@link #isCatchingUp()} answers from now on. */
    public void catchingUp(boolean value) {
        catchingUp = value;
    }

    /** The state: every entry applied (here or before the snapshot this machine restored), in order. */
    public synchronized List<Applied> state() {
        return List.copyOf(state);
    }

    /** The entries of {@link #state()}. */
    public synchronized List<String> entries() {
        return state.stream().map(Applied::entry).toList();
    }

    public synchronized int size() {
        return state.size();
    }

    public synchronized Optional<Applied> find(String entry) {
        return state.stream().filter(a -> a.entry().equals(entry)).findFirst();
    }

    /** The indexes {@link #apply} was called with on this instance, in call order (rejections included). */
    public synchronized List<Long> appliedHere() {
        return List.copyOf(appliedHere);
    }

    /** Entries this instance refused, with their indexes. */
    public synchronized List<Applied> rejections() {
        return List.copyOf(rejections);
    }

    public synchronized int restores() {
        return restores;
    }

    public synchronized int snapshots() {
        return snapshots;
    }
}
