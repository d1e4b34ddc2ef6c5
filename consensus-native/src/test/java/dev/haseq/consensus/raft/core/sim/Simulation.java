package dev.haseq.consensus.raft.core.sim;

import dev.haseq.api.NodeId;
import dev.haseq.api.consensus.Role;
import dev.haseq.api.storage.LogEntry;
import dev.haseq.api.storage.SnapshotMeta;
import dev.haseq.consensus.raft.core.CoreConfig;
import dev.haseq.consensus.raft.core.CoreEvent;
import dev.haseq.consensus.raft.core.Message;
import dev.haseq.consensus.raft.core.NotLeader;
import dev.haseq.consensus.raft.core.Proposal;
import dev.haseq.consensus.raft.core.RaftCore;
import dev.haseq.consensus.raft.core.Ready;
import dev.haseq.consensus.raft.core.SnapshotChunk;
import dev.haseq.consensus.raft.core.sim.SimNode.Op;
import dev.haseq.consensus.raft.core.sim.SimNode.SimSnapshot;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * A deterministic simulation of a cluster of {@link RaftCore}s: virtual time, one seeded random
 * source, an adversarial network ({@link SimNetwork}: drop, duplicate, delay, reorder, symmetric
 * and asymmetric partitions, links of limited bandwidth), crashes that lose every unsynced write,
 * slow disks, client proposals, leadership transfers, snapshots with compaction, catching-up
 * state machines. Every parameter derives from the seed, so a seed replays exactly.
 *
 * <p>After every event the {@link #check checkers} verify: at most one leader per term; log
 * matching (chain hashes over every appended prefix); committed entries never change (which also
 * proves acknowledged client writes are never lost); leader completeness; state machine safety;
 * no double vote in a term on durable state; no lease held while another leader of a newer term
 * exists; a catching-up node never campaigns. After the fault phase everything heals and the
 * cluster must elect a leader, commit a fresh proposal and converge within a bounded time.
 *
 * <p>Two families of schedules: the regular mix ({@link #Simulation(long, boolean)}) and the
 * snapshot stall ({@link #snapshotStall}, see {@link SnapshotStall}), a targeted scenario with its
 * own phases.
 */
public final class Simulation {
    static final long TICK = 1000; // micros of virtual time per tick
    static final int HEARTBEAT_TIMEOUT = 10;
    static final int ELECTION_TIMEOUT = 30;
    static final int LEASE = 5;
    static final int SEND_TIMEOUT = 4;
    private static final int SNAP_COUNT = 3;

    /** What a run did, for the test's totals. */
    /**
     * @param snapshotWritesRefused chunks the driver could not write where the core said (its
     *                              partial snapshot was dropped or cut short), reported as such
     * @param snapshotStoreFailures chunks whose write failed in the snapshot store, stopping the node
     */
    public record Result(long seed, int nodes, long events, long proposalsAcked, int leaderTerms, int crashes,
                         int snapshotsInstalled, long virtualMicros, int snapshotWritesRefused,
                         int snapshotStoreFailures) {
    }

    /** A broken safety or liveness property, with the seed that reproduces it. */
    public static final class Failure extends AssertionError {
        private static final long serialVersionUID = 1L;

        Failure(String message) {
            super(message);
        }
    }

    private final long seed;
    final SplittableRandom rnd;
    private final boolean trace;
    private final List<String> traceLines = new ArrayList<>();
    private final PriorityQueue<Event> queue = new PriorityQueue<>();
    private long now;
    private long eventSeq;
    private long events;
    /** A running hash of every event handled (time, order, kind, node, epoch): see {@link #eventDigest}. */
    private long eventDigest;

    final SimNode[] nodes;
    private final NodeId[] ids;
    final SimNetwork net;
    private final CoreConfig[] configs;
    /** The snapshot-stall scenario's phases, or null for the regular mix. */
    private final SnapshotStall stall;

    // fault parameters, all from the seed (set by the family: the regular mix or the stall)
    long faultEnd;
    double chunkCorruptRate;
    double snapshotReadFailRate;
    private double crashWeight;
    /** Frequent short crashes, often of the leader: the interleavings of Raft's Figure 8. */
    private boolean crashStorm;
    private double partitionWeight;
    private long chaosMeanInterval;
    long clientMeanInterval;
    int snapshotPadding;
    long snapshotThreshold;
    // core configuration, from the seed
    long trailingLogs;
    long maxEntriesBytes;
    int maxInflight;
    int chunkBytes;
    long maxCommittedBytes;
    private boolean healed;
    private long liveDeadline;
    private long liveBound;
    private long healedAt;
    private long finalAckedIndex = -1;
    private boolean done;

    // checker state
    private final SafetyChecker checker = new SafetyChecker(this::fail);

    // client state
    private long clientSeq;
    private final Map<Long, Pending> pending = new HashMap<>();
    private long acked;
    private int crashes;
    private int installs;
    private int writesRefused;
    private int storeFailures;

    private record Pending(int node, long index, long term) {
    }

    private enum Kind {
        TICK, DELIVER, PERSIST, PROPOSE, CHAOS, RESTART, HEAL_LINKS, CATCHUP_END, HEAL_ALL, LIVENESS, SCENARIO
    }

    private record Event(long time, long seq, Kind kind, int node, int epoch, Object payload)
            implements Comparable<Event> {
        @Override
        public int compareTo(Event o) {
            int c = Long.compare(time, o.time);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    /** A schedule of the regular mix: 3 or 5 nodes, every kind of fault, then everything heals. */
    public Simulation(long seed, boolean trace) {
        this(seed, trace, false);
    }

    /** A schedule of the snapshot-stall family ({@link SnapshotStall}). */
    public static Simulation snapshotStall(long seed, boolean trace) {
        return new Simulation(seed, trace, true);
    }

    private Simulation(long seed, boolean trace, boolean stallFamily) {
        this.seed = seed;
        this.trace = trace;
        this.rnd = new SplittableRandom(seed);
        int n = stallFamily || Math.floorMod(seed, 5) < 3 ? 3 : 5;
        nodes = new SimNode[n];
        ids = new NodeId[n];
        for (int i = 0; i < n; i++) {
            ids[i] = NodeId.of("n" + (i + 1));
            nodes[i] = new SimNode(ids[i], i);
        }
        net = new SimNetwork(n, rnd, (time, to, epoch, m) -> schedule(time, Kind.DELIVER, to, epoch, m), this::fail);
        if (stallFamily) {
            stall = new SnapshotStall(this);
            stall.drawParameters();
        } else {
            stall = null;
            drawMixParameters();
        }
        configs = new CoreConfig[n];
        for (int i = 0; i < n; i++) {
            List<NodeId> peers = new ArrayList<>(Arrays.asList(ids));
            peers.remove(i);
            configs[i] = new CoreConfig(ids[i], peers, HEARTBEAT_TIMEOUT, 1, ELECTION_TIMEOUT, LEASE, SEND_TIMEOUT,
                    maxEntriesBytes, maxInflight, chunkBytes, trailingLogs, snapshotThreshold, maxCommittedBytes);
            nodes[i].tickPeriod = TICK + rnd.nextInt(21) - 10; // +-1% clock rate skew
            nodes[i].diskLatency = pick(0, 0, 100, 800, 3000);
        }
    }

    private void drawMixParameters() {
        faultEnd = TICK * (200 + rnd.nextInt(400));
        net.dropRate = pick(0, 0, 0.01, 0.05, 0.15);
        net.dupRate = pick(0, 0.01, 0.05);
        net.minDelay = 20 + rnd.nextInt(200);
        net.maxDelay = net.minDelay + pick(100, 500, 1500, 4000);
        net.tailRate = pick(0, 0.01, 0.05);
        net.tailMax = TICK * (rnd.nextInt(4) == 0 ? 3 * ELECTION_TIMEOUT : 10); // sometimes very stale messages
        chunkCorruptRate = pick(0, 0, 0.1);
        snapshotReadFailRate = pick(0, 0, 0.1);
        crashStorm = rnd.nextInt(4) == 0;
        crashWeight = crashStorm ? 6 : pick(0, 1, 2);
        partitionWeight = pick(0, 1, 2);
        chaosMeanInterval = TICK * (crashStorm ? 2 + rnd.nextInt(10) : 10 + rnd.nextInt(60));
        clientMeanInterval = TICK * pick(1, 2, 5) / 2;
        snapshotPadding = rnd.nextInt(1200);
        snapshotThreshold = 4 + rnd.nextInt(40);
        trailingLogs = rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(20);
        maxEntriesBytes = rnd.nextInt(3) == 0 ? 1 : 16 + rnd.nextInt(600); // 1: one entry per append
        maxInflight = 1 + rnd.nextInt(8);
        chunkBytes = 32 + rnd.nextInt(700);
        maxCommittedBytes = 16 + rnd.nextInt(4000);
    }

    long pick(long... options) {
        return options[rnd.nextInt(options.length)];
    }

    double pick(double... options) {
        return options[rnd.nextInt(options.length)];
    }

    // ======================================================================== run

    public Result run() {
        try {
            for (SimNode node : nodes) {
                start(node);
                schedule(rnd.nextLong(TICK), Kind.TICK, node.idx, node.epoch, null);
            }
            if (stall == null) {
                schedule(expo(chaosMeanInterval), Kind.CHAOS, -1, 0, null);
                schedule(expo(clientMeanInterval), Kind.PROPOSE, -1, 0, null);
                schedule(faultEnd, Kind.HEAL_ALL, -1, 0, null);
            } else {
                schedule(expo(clientMeanInterval), Kind.PROPOSE, -1, 0, null);
                stall.begin();
            }
            long hardStop = faultEnd + 20_000 * TICK;
            while (!done) {
                Event ev = queue.poll();
                if (ev == null) {
                    fail("the event queue ran dry");
                }
                now = ev.time;
                if (now > hardStop) {
                    fail("simulation exceeded its time budget");
                }
                events++;
                eventDigest = digest(eventDigest, ev);
                dispatch(ev);
            }
        } catch (Failure f) {
            throw f;
        } catch (RuntimeException e) {
            Failure f = new Failure(header() + "unexpected exception at t=" + now + "us: " + e + traceTail());
            f.initCause(e);
            throw f;
        }
        int terms = checker.leaderTerms();
        return new Result(seed, nodes.length, events, acked, terms, crashes, installs, now, writesRefused,
                storeFailures);
    }

    private static long digest(long h, Event ev) {
        h = h * 1_000_003L + ev.time;
        h = h * 1_000_003L + ev.seq;
        h = h * 1_000_003L + ev.kind.ordinal();
        h = h * 1_000_003L + ev.node;
        return h * 1_000_003L + ev.epoch;
    }

    /**
     * A hash of the whole event sequence this run handled, so a refactoring can prove it changed
     * nothing (see {@code SimulationDigestTest}); it never influences the run.
     */
    long eventDigest() {
        return eventDigest;
    }

    private void dispatch(Event ev) {
        SimNode node = ev.node >= 0 ? nodes[ev.node] : null;
        switch (ev.kind) {
            case TICK -> {
                if (ev.epoch == node.epoch && node.alive) {
                    node.core.tick();
                    afterEvent(node);
                    schedule(now + node.tickPeriod, Kind.TICK, node.idx, node.epoch, null);
                }
            }
            case DELIVER -> {
                Message m = (Message) ev.payload;
                net.arrived(m, ev.node);
                // A sender that crashed since may not have transmitted it (its queues died with it).
                if (nodes[index(m.from())].epoch == ev.epoch || rnd.nextBoolean()) {
                    deliver(m);
                }
            }
            case PERSIST -> {
                if (ev.epoch == node.epoch && node.alive) {
                    persisted(node, (Ready) ev.payload);
                }
            }
            case PROPOSE -> {
                clientPropose();
                if (!healed) {
                    schedule(now + expo(clientMeanInterval), Kind.PROPOSE, -1, 0, null);
                }
            }
            case CHAOS -> {
                if (!healed) {
                    chaos();
                    schedule(now + expo(chaosMeanInterval), Kind.CHAOS, -1, 0, null);
                }
            }
            case RESTART -> {
                if (!node.alive && ev.epoch == node.epoch && !node.heldDown) {
                    restart(node);
                }
            }
            case HEAL_LINKS -> {
                net.unblockAll();
                trace("links healed");
            }
            case CATCHUP_END -> {
                if (ev.epoch == node.epoch && node.alive) {
                    node.catchingUp = false;
                    node.core.setCatchingUp(false);
                }
            }
            case HEAL_ALL -> healAll();
            case LIVENESS -> liveness();
            case SCENARIO -> {
                if (!done) {
                    ((Runnable) ev.payload).run();
                }
            }
        }
    }

    /** Runs {@code action} at virtual time {@code time} (scenario steps). */
    void at(long time, Runnable action) {
        schedule(time, Kind.SCENARIO, -1, 0, action);
    }

    long now() {
        return now;
    }

    private void schedule(long time, Kind kind, int node, int epoch, Object payload) {
        queue.add(new Event(time, eventSeq++, kind, node, epoch, payload));
    }

    long expo(long mean) {
        return 1 + (long) (-Math.log(1 - rnd.nextDouble()) * mean);
    }

    // ======================================================================== nodes

    private void start(SimNode node) {
        SimSnapshot snap = node.latestSnapshot();
        node.restoreStateMachine(snap);
        node.lastSnapshotIndex = snap == null ? 0 : snap.index();
        node.commitSeen = node.lastSnapshotIndex;
        node.catchingUp = false;
        node.visibleLog = node.durableLog.copy();
        node.visibleHard = node.durableHard;
        node.diskFreeAt = now;
        Optional<SnapshotMeta> meta = snap == null ? Optional.empty()
                : Optional.of(new SnapshotMeta(snap.index(), snap.term(), snap.bytes().length));
        node.core = new RaftCore(configs[node.idx], node.durableHard, node.visibleLog, meta,
                new SplittableRandom(seed * 31 + node.idx * 1009L + node.incarnation));
        node.incarnation++;
        drain(node);
    }

    void crash(SimNode node) {
        loseVolatileState(node);
        long down = crashStorm ? 1 + rnd.nextInt(2 * HEARTBEAT_TIMEOUT) : 2 + rnd.nextInt(60);
        schedule(now + TICK * down, Kind.RESTART, node.idx, node.epoch, null);
    }

    /** Crashes {@code node} and keeps it down: only {@link #release} restarts it, not even the final heal. */
    void holdDown(SimNode node) {
        node.heldDown = true;
        loseVolatileState(node);
    }

    /** Restarts a node {@link #holdDown held down}. */
    void release(SimNode node) {
        node.heldDown = false;
        restart(node);
    }

    /** A crash: the node stops; its durable state survives plus a random prefix of its unsynced writes. */
    private void loseVolatileState(SimNode node) {
        crashes++;
        node.alive = false;
        node.epoch++;
        // What survives: the durable state plus a random prefix of the writes in flight (the last
        // append possibly torn), as LogStore and StableStore promise.
        int keep = node.pendingOps.isEmpty() ? 0 : rnd.nextInt(node.pendingOps.size() + 1);
        for (int i = 0; i < keep; i++) {
            Op op = node.pendingOps.poll();
            if (i == keep - 1 && op instanceof SimNode.Append a && a.entries().size() > 1 && rnd.nextBoolean()) {
                int n = 1 + rnd.nextInt(a.entries().size() - 1);
                op = new SimNode.Append(a.seq(), a.entries().subList(0, n), Arrays.copyOf(a.chains(), n));
            }
            makeDurable(node, op);
        }
        node.pendingOps.clear();
        node.partial = null;
        trace("CRASH " + node + (node.heldDown ? " (held down)" : "") + " (kept " + keep + " unsynced writes)");
    }

    void restart(SimNode node) {
        node.alive = true;
        trace("RESTART " + node + " durable log " + node.durableLog.firstIndex() + ".." + node.durableLog.lastIndex()
                + " hard " + node.durableHard);
        start(node);
        schedule(now + rnd.nextLong(TICK), Kind.TICK, node.idx, node.epoch, null);
    }

    private void makeDurable(SimNode node, Op op) {
        if (op instanceof SimNode.SaveHard h) {
            var before = node.durableHard;
            var after = h.value();
            if (after.term() < before.term()) {
                fail(node + " durable term went back from " + before.term() + " to " + after.term());
            }
            if (after.term() == before.term() && before.votedFor().isPresent()
                    && !before.votedFor().equals(after.votedFor())) {
                fail(node + " voted twice in term " + after.term() + ": " + before.votedFor().get() + " then "
                        + after.votedFor());
            }
            node.durableHard = after;
        } else {
            SimNode.apply(op, node.durableLog);
        }
    }

    // ======================================================================== the driver

    private void afterEvent(SimNode node) {
        drain(node);
        checker.check(node, nodes);
    }

    private void drain(SimNode node) {
        for (int guard = 0; node.alive && node.core.hasReady(); guard++) {
            if (guard > 10_000) {
                fail(node + " produces Readys endlessly");
            }
            handleReady(node, node.core.ready());
        }
    }

    private void handleReady(SimNode node, Ready rd) {
        RaftCore core = node.core;
        checkSnapshotAnswers(node, rd);
        for (Message m : rd.messages()) {
            send(m);
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
            long upToTerm;
            long upToChain;
            SimSnapshot s = null;
            for (SimSnapshot x : node.snapshots) {
                if (x.index() == upTo) {
                    s = x; // snapshots hold only committed state, so one chain per index
                }
            }
            if (s != null) {
                upToTerm = s.term();
                upToChain = s.chain();
            } else if (v.has(upTo) || upTo == v.firstIndex() - 1) {
                upToTerm = upTo == v.firstIndex() - 1 ? -1 : v.term(upTo);
                upToChain = v.chain(upTo);
            } else {
                fail(node + " asked to compact up to " + upTo + " which is neither in its log ("
                        + v.firstIndex() + ".." + v.lastIndex() + ") nor a snapshot it holds");
                return;
            }
            queueOp(node, new SimNode.Compact(seq, upTo, upToTerm, upToChain));
        }
        if (!rd.entries().isEmpty()) {
            List<LogEntry> es = rd.entries();
            MemLog v = node.visibleLog;
            if (es.get(0).index() != v.lastIndex() + 1) {
                fail(node + " Ready #" + seq + " appends from " + es.get(0).index() + " but its log ends at "
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
            trace(node + " soft " + st);
            if (st.role() == Role.LEADER) {
                checker.onLeader(node, st.term());
            }
        });
        for (Ready.SnapshotRead r : rd.snapshotReads()) {
            after.add(() -> serveSnapshotRead(node, r));
        }
        for (CoreEvent e : rd.events()) {
            trace(node + " event " + e);
            if (e instanceof CoreEvent.ElectionStarted && node.catchingUp) {
                fail(node + " started an election while its state machine is catching up");
            }
        }
        long delay = node.diskLatency == 0 ? 0 : rnd.nextLong(node.diskLatency * 2);
        if (!rd.mustSync() && rd.entries().isEmpty()) {
            delay = 0;
        }
        node.diskFreeAt = Math.max(node.diskFreeAt, now + delay);
        schedule(node.diskFreeAt, Kind.PERSIST, node.idx, node.epoch, rd);
        for (Runnable r : after) {
            if (node.alive && node.core == core) {
                r.run();
            }
        }
    }

    /**
     * The core acknowledges only snapshot bytes its driver holds: every chunk answer in a Ready
     * (not yet "installed") claims at most the partial snapshot the driver holds when the Ready
     * is handed out.
     */
    private void checkSnapshotAnswers(SimNode node, Ready rd) {
        for (Message m : rd.messagesAfterPersist()) {
            if (m instanceof Message.InstallSnapshotResponse r && !r.done() && r.nextOffset() > 0) {
                SimNode.PartialSnapshot p = node.partial;
                if (p == null || p.index != r.snapshotIndex() || p.term != r.snapshotTerm() || p.size < r.nextOffset()) {
                    fail(node + " acknowledges " + r.nextOffset() + " bytes of snapshot " + r.snapshotIndex() + "@"
                            + r.snapshotTerm() + " but its driver holds " + (p == null ? "no partial snapshot"
                            : p.size + " bytes of " + p.index + "@" + p.term));
                }
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

    private void persisted(SimNode node, Ready rd) {
        while (!node.pendingOps.isEmpty() && node.pendingOps.peek().seq() <= rd.sequence()) {
            makeDurable(node, node.pendingOps.poll());
        }
        for (Message m : rd.messagesAfterPersist()) {
            if (m instanceof Message.VoteResponse v && v.granted()) {
                checker.voteGranted(node, v);
            }
            send(m);
        }
        rd.installSnapshot().ifPresent(meta -> {
            SimSnapshot s = node.snapshotAt(meta.index(), meta.term());
            if (s == null) {
                fail(node + " was told to install snapshot " + meta.index() + "@" + meta.term()
                        + " which is not in its snapshot store");
            }
            trace(node + " installs snapshot " + meta.index() + "@" + meta.term());
            installs++;
            node.restoreStateMachine(s);
            node.lastSnapshotIndex = Math.max(node.lastSnapshotIndex, s.index());
            checker.expectCommitted(node, s.index(), s.chain(), "installed snapshot");
        });
        for (LogEntry e : rd.committedEntries()) {
            apply(node, e);
        }
        if (node.smIndex - node.lastSnapshotIndex >= snapshotThreshold && node.smIndex > 0) {
            SimSnapshot s = SimSnapshot.of(node.smIndex, node.smTerm, node.smChain, rnd.nextInt(snapshotPadding + 1),
                    rnd);
            node.storeSnapshot(s, SNAP_COUNT);
            node.lastSnapshotIndex = s.index();
            node.core.snapshotTaken(s.index(), s.term());
            trace(node + " took snapshot " + s.index());
        }
        node.core.advance(rd);
        afterEvent(node);
    }

    private void apply(SimNode node, LogEntry e) {
        if (e.index() != node.smIndex + 1) {
            fail(node + " applies entry " + e.index() + " after " + node.smIndex + ": a gap or a repeat");
        }
        node.smChain = Chain.next(node.smChain, e.term(), e.data());
        node.smIndex = e.index();
        node.smTerm = e.term();
        checker.expectCommitted(node, e.index(), node.smChain, "applied entry");
        if (e.data().length >= 8) {
            long id = ByteBuffer.wrap(e.data()).getLong();
            Pending p = pending.get(id);
            if (p != null && p.node == node.idx && p.index == e.index() && p.term == e.term()) {
                pending.remove(id);
                acked++;
                if (healed && finalAckedIndex < 0 && id < 0) {
                    finalAckedIndex = e.index();
                    trace("final proposal committed at " + e.index());
                }
            }
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
        if (stall != null && stall.storageFails(node)) {
            int epoch = node.epoch;
            storeFailures++;
            trace(node + " snapshot store fails writing chunk at " + w.offset() + ": the node stops");
            at(now, () -> {
                if (node.alive && node.epoch == epoch) {
                    crash(node);
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
                fail(node + " got snapshot chunk at " + w.offset() + " of " + w.snapshotIndex() + " that does not "
                        + "continue the partial snapshot " + (p == null ? "none" : p.index + " size " + p.size));
            }
            writesRefused++;
            long resume = ours && p.size < w.offset() ? p.size : 0;
            if (resume == 0) {
                node.partial = null;
            }
            trace(node + " cannot continue snapshot " + w.snapshotIndex() + " at " + w.offset() + ", holds " + resume);
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
            if (rnd.nextDouble() < chunkCorruptRate && bytes.length > 0) {
                bytes = bytes.clone();
                bytes[rnd.nextInt(bytes.length)] ^= 0x40; // a bit flipped on the way to disk
            }
            boolean ok = p.size == p.total && SimSnapshot.crc(bytes) == p.crc;
            if (ok) {
                SimSnapshot s = SimSnapshot.parse(bytes);
                if (s.index() != p.index || s.term() != p.term) {
                    fail(node + " received snapshot bytes of " + s.index() + " labelled " + p.index);
                }
                node.storeSnapshot(s, SNAP_COUNT);
                node.snapshotsReceived++;
            }
            trace(node + " received snapshot " + p.index + (ok ? "" : " CORRUPT"));
            after.add(() -> node.core.snapshotReceived(p.index, p.term, ok));
        }
        if (stall != null) {
            stall.chunkWritten(node, w.last());
        }
    }

    private void serveSnapshotRead(SimNode node, Ready.SnapshotRead r) {
        SimSnapshot s = node.latestSnapshot();
        if (s == null || rnd.nextDouble() < snapshotReadFailRate) {
            node.core.snapshotReadFailed(r.peer(), "simulated read failure");
            return;
        }
        long offset = s.index() == r.snapshotIndex() && s.term() == r.snapshotTerm() ? r.offset() : 0;
        int len = (int) Math.min(r.maxBytes(), s.bytes().length - offset);
        byte[] data = Arrays.copyOfRange(s.bytes(), (int) offset, (int) offset + len);
        node.core.snapshotChunkRead(new SnapshotChunk(r.peer(), s.index(), s.term(), s.bytes().length, s.crc(), offset,
                data));
    }

    // ======================================================================== network

    private void send(Message m) {
        int from = index(m.from());
        net.send(m, from, index(m.to()), nodes[from].epoch, now);
    }

    /** Most InstallSnapshot requests in flight to one node at any time in this run. */
    int maxSnapshotRequestsInFlight() {
        return net.maxSnapshotRequestsInFlight();
    }

    private void deliver(Message m) {
        SimNode to = nodes[index(m.to())];
        if (!to.alive || net.blocked[index(m.from())][to.idx]) {
            return;
        }
        if (trace) {
            trace("deliver " + m);
        }
        to.core.step(m);
        afterEvent(to);
    }

    private int index(NodeId id) {
        for (int i = 0; i < ids.length; i++) {
            if (ids[i].equals(id)) {
                return i;
            }
        }
        throw new IllegalArgumentException("unknown node " + id);
    }

    // ======================================================================== client and chaos

    private void clientPropose() {
        SimNode target = null;
        if (rnd.nextInt(10) != 0) {
            for (SimNode n : nodes) {
                if (n.alive && n.core.isLeader()) {
                    target = n;
                }
            }
        }
        if (target == null) {
            target = nodes[rnd.nextInt(nodes.length)];
        }
        propose(target, ++clientSeq);
        if (crashStorm && !healed && target.alive && target.core.isLeader() && rnd.nextInt(8) == 0) {
            crash(target); // dies with the new entry only (or hardly) on its own disk: Raft's Figure 8
        }
    }

    private void propose(SimNode target, long id) {
        if (!target.alive) {
            return;
        }
        byte[] data = new byte[8 + rnd.nextInt(64)];
        ByteBuffer.wrap(data).putLong(id);
        try {
            Proposal p = target.core.propose(data);
            pending.put(id, new Pending(target.idx, p.index(), p.term()));
            trace(target + " proposed #" + id + " at " + p.index() + "@" + p.term());
        } catch (NotLeader e) {
            return;
        }
        afterEvent(target);
    }

    private void chaos() {
        double total = crashWeight + partitionWeight + 3;
        double r = rnd.nextDouble() * total;
        if (r < crashWeight) {
            SimNode n = nodes[rnd.nextInt(nodes.length)];
            if (rnd.nextBoolean()) {
                for (SimNode x : nodes) {
                    if (x.alive && x.core.isLeader()) {
                        n = x;
                    }
                }
            }
            if (n.alive) {
                crash(n);
            }
            return;
        }
        r -= crashWeight;
        if (r < partitionWeight) {
            partition();
            return;
        }
        r -= partitionWeight;
        switch ((int) r) {
            case 0 -> {
                for (SimNode n : nodes) {
                    if (n.alive && n.core.isLeader()) {
                        Optional<NodeId> target = rnd.nextBoolean() ? Optional.empty()
                                : Optional.of(ids[(n.idx + 1 + rnd.nextInt(nodes.length - 1)) % nodes.length]);
                        try {
                            NodeId chosen = n.core.transferLeadership(target);
                            trace(n + " transfers leadership to " + chosen);
                        } catch (IllegalStateException | NotLeader e) {
                            trace(n + " cannot transfer: " + e.getMessage());
                        }
                        afterEvent(n);
                    }
                }
            }
            case 1 -> {
                SimNode n = nodes[rnd.nextInt(nodes.length)];
                if (n.alive && !n.catchingUp) {
                    n.catchingUp = true;
                    n.core.setCatchingUp(true);
                    trace(n + " is catching up");
                    schedule(now + TICK * (5 + rnd.nextInt(80)), Kind.CATCHUP_END, n.idx, n.epoch, null);
                }
            }
            default -> {
                SimNode n = nodes[rnd.nextInt(nodes.length)];
                n.diskLatency = pick(0, 100, 800, 3000, 8000);
            }
        }
    }

    private void partition() {
        int n = nodes.length;
        net.unblockAll();
        boolean[][] blocked = net.blocked;
        switch (rnd.nextInt(4)) {
            case 0 -> { // isolate one node (often the leader)
                int victim = rnd.nextInt(n);
                for (SimNode x : nodes) {
                    if (x.alive && x.core.isLeader() && rnd.nextBoolean()) {
                        victim = x.idx;
                    }
                }
                for (int j = 0; j < n; j++) {
                    blocked[victim][j] = blocked[j][victim] = j != victim;
                }
                trace("partition: isolate " + ids[victim]);
            }
            case 1 -> { // split into two groups
                boolean[] side = new boolean[n];
                for (int i = 0; i < n; i++) {
                    side[i] = rnd.nextBoolean();
                }
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        blocked[i][j] = side[i] != side[j];
                    }
                }
                trace("partition: split " + Arrays.toString(side));
            }
            case 2 -> { // asymmetric: a node hears nobody but is heard (or the reverse)
                int victim = rnd.nextInt(n);
                boolean deaf = rnd.nextBoolean();
                for (int j = 0; j < n; j++) {
                    if (j != victim) {
                        if (deaf) {
                            blocked[j][victim] = true;
                        } else {
                            blocked[victim][j] = true;
                        }
                    }
                }
                trace("partition: " + ids[victim] + (deaf ? " deaf" : " mute"));
            }
            default -> { // random one-way links
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        blocked[i][j] = i != j && rnd.nextInt(4) == 0;
                    }
                }
                trace("partition: random one-way links");
            }
        }
        schedule(now + TICK * (5 + rnd.nextInt(100)), Kind.HEAL_LINKS, -1, 0, null);
    }

    void healAll() {
        healed = true;
        trace("HEAL ALL");
        net.heal();
        for (SimNode n : nodes) {
            n.diskLatency = Math.min(n.diskLatency, 800);
            if (n.heldDown) {
                continue;
            }
            if (!n.alive) {
                restart(n);
            } else if (n.catchingUp) {
                n.catchingUp = false;
                n.core.setCatchingUp(false);
            }
        }
        // Bounded recovery: elections plus draining the backlog the client built up (one entry per
        // round trip in the slowest configurations).
        long backlog = 0;
        for (SimNode n : nodes) {
            for (SimNode m : nodes) {
                if (!n.heldDown && !m.heldDown) {
                    backlog = Math.max(backlog, n.core.lastIndex() - m.core.commitIndex());
                }
            }
        }
        liveBound = 40L * ELECTION_TIMEOUT + 4 * backlog + (stall == null ? 0 : stall.extraLivenessTicks());
        liveDeadline = now + TICK * liveBound;
        healedAt = now;
        schedule(now + TICK, Kind.LIVENESS, -1, 0, null);
    }

    /** Ticks from the final heal to convergence, and the bound they had (after {@link #run}). */
    long recoveryTicks() {
        return (now - healedAt) / TICK;
    }

    long recoveryBound() {
        return liveBound;
    }

    /** After healing: a leader must commit a fresh proposal, and every node must apply it, in bounded time. */
    private void liveness() {
        if (now > liveDeadline) {
            StringBuilder s = new StringBuilder();
            for (SimNode n : nodes) {
                s.append(' ').append(n).append(n.heldDown ? "(held down)" : "").append('=').append(n.core.role())
                        .append("@t").append(n.core.term()).append("/commit ").append(n.core.commitIndex())
                        .append("/applied ").append(n.smIndex).append("/last ").append(n.core.lastIndex());
                if (n.alive && n.core.isLeader()) {
                    s.append("/peers ").append(n.core.peerProgress());
                }
            }
            fail("no progress within " + liveBound + " ticks after all faults healed"
                    + (finalAckedIndex < 0 ? " (no fresh proposal committed)" : " (nodes did not converge on "
                    + finalAckedIndex + ")") + ":" + s);
        }
        if (finalAckedIndex < 0) {
            for (SimNode n : nodes) {
                if (n.core.isLeader() && !n.core.isTransferring() && n.core.commitIndex() >= n.core.lastIndex() - 5) {
                    boolean waiting = pending.values().stream().anyMatch(p -> p.node == n.idx
                            && p.term == n.core.term() && p.index > n.core.commitIndex());
                    if (!waiting) {
                        propose(n, -(++clientSeq));
                    }
                }
            }
        } else {
            boolean converged = true;
            for (SimNode n : nodes) {
                converged &= n.heldDown || n.smIndex >= finalAckedIndex;
            }
            if (converged) {
                if (stall != null) {
                    stall.finished();
                }
                done = true;
                return;
            }
        }
        schedule(now + TICK, Kind.LIVENESS, -1, 0, null);
    }

    // ======================================================================== reporting

    void fail(String message) {
        throw new Failure(header() + message + traceTail());
    }

    private String header() {
        return "simulation seed " + seed + (stall != null ? " (snapshot stall, " : " (") + nodes.length
                + " nodes) failed at t=" + now / TICK + " ticks: ";
    }

    private String traceTail() {
        if (!trace) {
            return "\nreplay with tracing: " + replayCommand(seed, stall != null) + " -Dsim.trace=true";
        }
        int from = Math.max(0, traceLines.size() - 400);
        return "\nlast events:\n  " + String.join("\n  ", traceLines.subList(from, traceLines.size()))
                + "\nreplay: " + replayCommand(seed, stall != null);
    }

    /** The one command that replays exactly this seed of the regular mix or ({@code stall}) the snapshot stall. */
    public static String replayCommand(long seed, boolean stall) {
        return "scripts/with-jdk mvn -B -q -o -pl consensus-native -am verify -Dtest=SimulationTest#replay "
                + "-Dsim.seed=" + seed + (stall ? " -Dsim.family=stall" : "")
                + " -Dsurefire.failIfNoSpecifiedTests=false";
    }

    void trace(String line) {
        if (trace) {
            traceLines.add(String.format("%8.3f %s", now / (double) TICK, line));
        }
    }

    List<String> traceLines() {
        return traceLines;
    }
}
