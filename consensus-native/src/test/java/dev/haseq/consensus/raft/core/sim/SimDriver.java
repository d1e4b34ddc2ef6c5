package dev.haseq.consensus.raft.core.sim;

import dev.haseq.api.consensus.Role;
import dev.haseq.api.storage.LogEntry;
import dev.haseq.consensus.raft.core.CoreEvent;
import dev.haseq.consensus.raft.core.Message;
import dev.haseq.consensus.raft.core.RaftCore;
import dev.haseq.consensus.raft.core.Ready;
import dev.haseq.consensus.raft.core.SnapshotChunk;
import dev.haseq.consensus.raft.core.sim.SimNode.Op;
import dev.haseq.consensus.raft.core.sim.SimNode.SimSnapshot;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The simulated driver: how a member carries out its core's Readys, as {@code node.RaftLoop}
 * does. Messages go out at once; the Ready's writes are applied to the visible log and queued
 * (see the disk model in {@link SimNode}) and become durable when the Ready's persistence
 * completes, after the member's disk delay; then the messages that wait for persistence go out,
 * snapshots are installed, committed entries applied, snapshots taken, and the core advanced.
 * Snapshot chunks are written into the member's partial snapshot as {@code node.SnapshotReceiver}
 * does, and snapshot reads served from its snapshot store. It feeds the {@link SafetyChecker}
 * what it sees on the way, and draws from the simulation's one random source in a fixed order.
 */
final class SimDriver {
    /** Snapshots a member's snapshot store keeps. */
    private static final int SNAP_COUNT = 3;

    private final Simulation sim;
    private final SafetyChecker checker;
    private final SimClient client;
    private int installs;
    private int writesRefused;
    private int storeFailures;

    SimDriver(Simulation sim, SafetyChecker checker, SimClient client) {
        this.sim = sim;
        this.checker = checker;
        this.client = client;
    }

    /** Snapshots installed from a Ready. */
    int installs() {
        return installs;
    }

    /** Chunks the driver could not write where the core said. */
    int writesRefused() {
        return writesRefused;
    }

    /** Chunks whose write failed in the snapshot store, stopping the member. */
    int storeFailures() {
        return storeFailures;
    }

    /** After the core of {@code node} took an input: carry out its Readys, then check the invariants. */
    void afterEvent(SimNode node) {
        drain(node);
        checker.check(node, sim.nodes);
    }

    void drain(SimNode node) {
        for (int guard = 0; node.alive && node.core.hasReady(); guard++) {
            if (guard > 10_000) {
                sim.fail(node + " produces Readys endlessly");
            }
            handleReady(node, node.core.ready());
        }
    }

    private void handleReady(SimNode node, Ready rd) {
        RaftCore core = node.core;
        checker.snapshotAnswers(node, rd);
        for (Message m : rd.messages()) {
            sim.send(m);
        }
        List<Runnable> after = new ArrayList<>();
        for (Ready.SnapshotWrite w : rd.snapshotWrites()) {
            writeChunk(node, w, after);
        }
        long seq = rd.sequence();
        rd.hardState().ifPresent(h -> queueOp(node, new SimNode.SaveHard(seq, h)));
        if (rd.truncateAfter() != Ready.NONE) {
            queueOp(node, new SimNode.Truncate(seq, rd.truncateAfter()));
        }
        if (rd.compactUpTo() != Ready.NONE) {
            long upTo = rd.compactUpTo();
            MemLog v = node.visibleLog;
            long upToChain;
            SimSnapshot s = null;
            for (SimSnapshot x : node.snapshots) {
                if (x.index() == upTo) {
                    s = x; // snapshots hold only committed state, so one chain per index
                }
            }
            if (s != null) {
                upToChain = s.chain();
            } else if (v.has(upTo) || upTo == v.firstIndex() - 1) {
                upToChain = v.chain(upTo);
            } else {
                sim.fail(node + " asked to compact up to " + upTo + " which is neither in its log ("
                        + v.firstIndex() + ".." + v.lastIndex() + ") nor a snapshot it holds");
                return;
            }
            queueOp(node, new SimNode.Compact(seq, upTo, upToChain));
        }
        if (!rd.entries().isEmpty()) {
            List<LogEntry> es = rd.entries();
            MemLog v = node.visibleLog;
            if (es.get(0).index() != v.lastIndex() + 1) {
                sim.fail(node + " Ready #" + seq + " appends from " + es.get(0).index() + " but its log ends at "
                        + v.lastIndex());
            }
            long[] chains = new long[es.size()];
            long prev = v.chain(v.lastIndex());
            for (int i = 0; i < es.size(); i++) {
                LogEntry e = es.get(i);
                prev = Chain.next(prev, e.term(), e.data());
                chains[i] = prev;
                checker.entryAppended(node, e, prev);
            }
            queueOp(node, new SimNode.Append(seq, es, chains));
        }
        rd.softState().ifPresent(st -> {
            sim.trace(node + " soft " + st);
            if (st.role() == Role.LEADER) {
                checker.onLeader(node, st.term());
            }
        });
        for (Ready.SnapshotRead r : rd.snapshotReads()) {
            after.add(() -> serveSnapshotRead(node, r));
        }
        for (CoreEvent e : rd.events()) {
            sim.trace(node + " event " + e);
            checker.coreEvent(node, e);
        }
        long delay = node.diskLatency == 0 ? 0 : sim.rnd.nextLong(node.diskLatency * 2);
        if (!rd.mustSync() && rd.entries().isEmpty()) {
            delay = 0;
        }
        node.diskFreeAt = Math.max(node.diskFreeAt, sim.now() + delay);
        sim.schedule(node.diskFreeAt, Simulation.Kind.PERSIST, node.idx, node.epoch, rd);
        for (Runnable r : after) {
            if (node.alive && node.core == core) {
                r.run();
            }
        }
    }

    private void queueOp(SimNode node, Op op) {
        if (!(op instanceof SimNode.SaveHard h)) {
            SimNode.apply(op, node.visibleLog);
        } else {
            node.visibleHard = h.value();
        }
        node.pendingOps.add(op);
    }

    /** The persistence of {@code rd} completed (the member did not crash since). */
    void persisted(SimNode node, Ready rd) {
        while (!node.pendingOps.isEmpty() && node.pendingOps.peek().seq() <= rd.sequence()) {
            makeDurable(node, node.pendingOps.poll());
        }
        for (Message m : rd.messagesAfterPersist()) {
            if (m instanceof Message.VoteResponse v && v.granted()) {
                checker.voteGranted(node, v);
            }
            sim.send(m);
        }
        rd.installSnapshot().ifPresent(meta -> {
            SimSnapshot s = node.snapshotAt(meta.index(), meta.term());
            if (s == null) {
                sim.fail(node + " was told to install snapshot " + meta.index() + "@" + meta.term()
                        + " which is not in its snapshot store");
            }
            sim.trace(node + " installs snapshot " + meta.index() + "@" + meta.term());
            installs++;
            node.restoreStateMachine(s);
            node.lastSnapshotIndex = Math.max(node.lastSnapshotIndex, s.index());
            checker.expectCommitted(node, s.index(), s.chain(), "installed snapshot");
        });
        for (LogEntry e : rd.committedEntries()) {
            apply(node, e);
        }
        if (node.smIndex - node.lastSnapshotIndex >= sim.snapshotThreshold && node.smIndex > 0) {
            SimSnapshot s = SimSnapshot.of(node.smIndex, node.smTerm, node.smChain,
                    sim.rnd.nextInt(sim.snapshotPadding + 1), sim.rnd);
            node.storeSnapshot(s, SNAP_COUNT);
            node.lastSnapshotIndex = s.index();
            node.core.snapshotTaken(s.index(), s.term());
            sim.trace(node + " took snapshot " + s.index());
        }
        node.core.advance(rd);
        afterEvent(node);
    }

    private void apply(SimNode node, LogEntry e) {
        checker.applying(node, e);
        node.smChain = Chain.next(node.smChain, e.term(), e.data());
        node.smIndex = e.index();
        node.smTerm = e.term();
        checker.expectCommitted(node, e.index(), node.smChain, "applied entry");
        client.applied(node, e);
    }

    /**
     * A crash of {@code node}'s disk: what survives is the durable state plus a random prefix of
     * the writes in flight (the last append possibly torn), as LogStore and StableStore promise;
     * the partly received snapshot is lost. Returns how many unsynced writes survived.
     */
    int loseUnsyncedWrites(SimNode node) {
        int keep = node.pendingOps.isEmpty() ? 0 : sim.rnd.nextInt(node.pendingOps.size() + 1);
        for (int i = 0; i < keep; i++) {
            Op op = node.pendingOps.poll();
            if (i == keep - 1 && op instanceof SimNode.Append a && a.entries().size() > 1 && sim.rnd.nextBoolean()) {
                int n = 1 + sim.rnd.nextInt(a.entries().size() - 1);
                op = new SimNode.Append(a.seq(), a.entries().subList(0, n), Arrays.copyOf(a.chains(), n));
            }
            makeDurable(node, op);
        }
        node.pendingOps.clear();
        node.partial = null;
        return keep;
    }

    private void makeDurable(SimNode node, Op op) {
        if (op instanceof SimNode.SaveHard h) {
            checker.durableHardState(node, node.durableHard, h.value());
            node.durableHard = h.value();
        } else {
            SimNode.apply(op, node.durableLog);
        }
    }

    /**
     * The driver's snapshot receiving, as {@code node.SnapshotReceiver} does it: a chunk that
     * does not continue the partial snapshot is reported failed with the bytes still held, a
     * storage failure stops the node (fail-stop, modelled as a crash), every other chunk is
     * reported written. A non-continuing chunk the schedule did not cause (by dropping or cutting
     * the partial snapshot) means the core and the driver disagree: a failure.
     */
    private void writeChunk(SimNode node, Ready.SnapshotWrite w, List<Runnable> after) {
        SnapshotStall stall = sim.stall();
        if (stall != null && stall.storageFails(node)) {
            int epoch = node.epoch;
            storeFailures++;
            sim.trace(node + " snapshot store fails writing chunk at " + w.offset() + ": the node stops");
            sim.at(sim.now(), () -> {
                if (node.alive && node.epoch == epoch) {
                    sim.crash(node);
                }
            });
            return; // nothing reported: the Raft loop died in the middle of this Ready
        }
        boolean injected = w.offset() > 0 && stall != null && stall.losePartial(node, w);
        if (w.offset() == 0) {
            node.partial = new SimNode.PartialSnapshot(w.snapshotIndex(), w.snapshotTerm(), w.totalSize(), w.checksum());
        }
        SimNode.PartialSnapshot p = node.partial;
        boolean ours = p != null && p.index == w.snapshotIndex() && p.term == w.snapshotTerm() && p.total == w.totalSize()
                && p.crc == w.checksum();
        if (!ours || p.size != w.offset()) {
            if (!injected) {
                sim.fail(node + " got snapshot chunk at " + w.offset() + " of " + w.snapshotIndex() + " that does not "
                        + "continue the partial snapshot " + (p == null ? "none" : p.index + " size " + p.size));
            }
            writesRefused++;
            long resume = ours && p.size < w.offset() ? p.size : 0;
            if (resume == 0) {
                node.partial = null;
            }
            sim.trace(node + " cannot continue snapshot " + w.snapshotIndex() + " at " + w.offset() + ", holds "
                    + resume);
            after.add(() -> node.core.snapshotWriteFailed(w, resume));
            return;
        }
        System.arraycopy(w.data(), 0, p.bytes, p.size, w.data().length);
        p.size += w.data().length;
        if (!w.last()) {
            after.add(() -> node.core.snapshotChunkWritten(w));
        } else {
            node.partial = null;
            byte[] bytes = p.bytes;
            if (sim.rnd.nextDouble() < sim.chunkCorruptRate && bytes.length > 0) {
                bytes = bytes.clone();
                bytes[sim.rnd.nextInt(bytes.length)] ^= 0x40; // a bit flipped on the way to disk
            }
            boolean ok = p.size == p.total && SimSnapshot.crc(bytes) == p.crc;
            if (ok) {
                SimSnapshot s = SimSnapshot.parse(bytes);
                if (s.index() != p.index || s.term() != p.term) {
                    sim.fail(node + " received snapshot bytes of " + s.index() + " labelled " + p.index);
                }
                node.storeSnapshot(s, SNAP_COUNT);
                node.snapshotsReceived++;
            }
            sim.trace(node + " received snapshot " + p.index + (ok ? "" : " CORRUPT"));
            after.add(() -> node.core.snapshotReceived(p.index, p.term, ok));
        }
        if (stall != null) {
            stall.chunkWritten(node, w.last());
        }
    }

    private void serveSnapshotRead(SimNode node, Ready.SnapshotRead r) {
        SimSnapshot s = node.latestSnapshot();
        if (s == null || sim.rnd.nextDouble() < sim.snapshotReadFailRate) {
            node.core.snapshotReadFailed(r.peer(), "simulated read failure");
            return;
        }
        long offset = s.index() == r.snapshotIndex() && s.term() == r.snapshotTerm() ? r.offset() : 0;
        int len = (int) Math.min(r.maxBytes(), s.bytes().length - offset);
        byte[] data = Arrays.copyOfRange(s.bytes(), (int) offset, (int) offset + len);
        node.core.snapshotChunkRead(new SnapshotChunk(r.peer(), s.index(), s.term(), s.bytes().length, s.crc(), offset,
                data));
    }
}
