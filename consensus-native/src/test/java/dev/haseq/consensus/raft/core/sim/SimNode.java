package dev.haseq.consensus.raft.core.sim;

import dev.haseq.api.NodeId;
import dev.haseq.api.storage.LogEntry;
import dev.haseq.api.storage.TermAndVote;
import dev.haseq.consensus.raft.core.RaftCore;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.zip.CRC32C;

/**
 * One simulated member: its core, its disk (a durable part that survives crashes and a volatile
 * part that does not), its state machine, and the pipeline of Readys being persisted.
 *
 * <p>Disk model: every write a Ready asks for is applied at once to the <em>visible</em> log and
 * hard state (what the driver's LogView shows) and queued; when the Ready's persistence completes
 * (after a possibly slow disk delay, in order) the queued writes become <em>durable</em>. A crash
 * keeps the durable state plus a random prefix of the queued writes (the last append possibly
 * torn), exactly what {@code LogStore}/{@code StableStore} promise. Snapshots committed to the
 * snapshot store are durable at once; a partially received snapshot is lost.
 */
final class SimNode {
    final NodeId id;
    final int idx;
    RaftCore core;
    boolean alive = true;
    /** Down until the scenario restarts it (the final heal leaves it down, liveness ignores it). */
    boolean heldDown;
    int epoch;
    int incarnation;
    /** Snapshots received complete and intact, over all incarnations. */
    int snapshotsReceived;

    MemLog durableLog = new MemLog();
    TermAndVote durableHard = TermAndVote.INITIAL;
    MemLog visibleLog = new MemLog();
    TermAndVote visibleHard = TermAndVote.INITIAL;
    final ArrayDeque<Op> pendingOps = new ArrayDeque<>();
    final List<SimSnapshot> snapshots = new ArrayList<>();
    PartialSnapshot partial;

    // state machine
    long smIndex;
    long smTerm;
    long smChain;
    long lastSnapshotIndex;

    long diskFreeAt;
    /** Mean extra disk latency in micros (slow disks). */
    long diskLatency;
    long commitSeen;
    boolean catchingUp;
    long tickPeriod;

    SimNode(NodeId id, int idx) {
        this.id = id;
        this.idx = idx;
    }

    /** A write requested by a Ready; {@code seq} is the Ready's sequence number. */
    sealed interface Op {
        long seq();
    }

    record SaveHard(long seq, TermAndVote value) implements Op {
    }

    record Truncate(long seq, long after) implements Op {
    }

    record Compact(long seq, long upTo, long upToChain) implements Op {
    }

    record Append(long seq, List<LogEntry> entries, long[] chains) implements Op {
    }

    static void apply(Op op, MemLog log) {
        switch (op) {
            case Truncate t -> log.truncateSuffix(t.after());
            case Compact c -> log.compactPrefix(c.upTo(), c.upToChain());
            case Append a -> log.append(a.entries(), a.chains());
            case SaveHard h -> {
            }
        }
    }

    /** A snapshot in the snapshot store: the state machine (index, term, chain) plus padding. */
    record SimSnapshot(long index, long term, long chain, byte[] bytes, int crc) {
        static SimSnapshot of(long index, long term, long chain, int padding, RandomGenerator rnd) {
            ByteBuffer b = ByteBuffer.allocate(24 + padding);
            b.putLong(index).putLong(term).putLong(chain);
            byte[] pad = new byte[padding];
            rnd.nextBytes(pad);
            b.put(pad);
            byte[] bytes = b.array();
            return new SimSnapshot(index, term, chain, bytes, crc(bytes));
        }

        static SimSnapshot parse(byte[] bytes) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            return new SimSnapshot(b.getLong(), b.getLong(), b.getLong(), bytes, crc(bytes));
        }

        static int crc(byte[] bytes) {
            CRC32C c = new CRC32C();
            c.update(bytes);
            return (int) c.getValue();
        }
    }

    /** A snapshot being received, chunk by chunk. */
    static final class PartialSnapshot {
        final long index;
        final long term;
        final long total;
        final int crc;
        final byte[] bytes;
        int size;

        PartialSnapshot(long index, long term, long total, int crc) {
            this.index = index;
            this.term = term;
            this.total = total;
            this.crc = crc;
            this.bytes = new byte[(int) total];
        }
    }

    SimSnapshot latestSnapshot() {
        return snapshots.isEmpty() ? null : snapshots.get(snapshots.size() - 1);
    }

    SimSnapshot snapshotAt(long index, long term) {
        for (int i = snapshots.size() - 1; i >= 0; i--) {
            SimSnapshot s = snapshots.get(i);
            if (s.index() == index && s.term() == term) {
                return s;
            }
        }
        return null;
    }

    /** Commits a snapshot to the store, keeping the newest {@code keep} (by index). */
    void storeSnapshot(SimSnapshot s, int keep) {
        snapshots.removeIf(x -> x.index() == s.index() && x.term() == s.term());
        int pos = snapshots.size();
        while (pos > 0 && snapshots.get(pos - 1).index() > s.index()) {
            pos--;
        }
        snapshots.add(pos, s);
        while (snapshots.size() > keep) {
            snapshots.remove(0);
        }
    }

    void restoreStateMachine(SimSnapshot s) {
        if (s == null) {
            smIndex = 0;
            smTerm = 0;
            smChain = 0;
        } else {
            smIndex = s.index();
            smTerm = s.term();
            smChain = s.chain();
        }
    }

    @Override
    public String toString() {
        return id.value();
    }
}
