package dev.haseq.consensus.raft.core.sim;

import dev.haseq.api.NodeId;
import dev.haseq.api.storage.SnapshotMeta;
import dev.haseq.consensus.raft.core.CoreConfig;
import dev.haseq.consensus.raft.core.Message;
import dev.haseq.consensus.raft.core.RaftCore;
import dev.haseq.consensus.raft.core.Ready;
import dev.haseq.consensus.raft.core.sim.SimNode.SimSnapshot;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
 * <p>This class is the orchestrator: the event queue and virtual time, the members' lifecycle
 * (start, crash, restart), message delivery, the final heal and the liveness check. The parts:
 * {@link SimNetwork} (the network model), {@link SimNode} (a member, its disk and state machine),
 * {@link SimDriver} (how a member carries out its core's Readys), {@link SimClient} (proposals and
 * their acknowledgements), {@link SafetyChecker} (the invariants), {@link RegularMix} and
 * {@link SnapshotStall} (the two families of fault schedules).
 *
 * <p>After every event the {@link SafetyChecker checkers} verify: at most one leader per term; log
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

    /**
     * What a run did, for the test's totals.
     *
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
    /** The regular mix's fault injection, or null for the snapshot stall. */
    private final RegularMix mix;

    // fault parameters, all from the seed (set by the family: the regular mix or the stall)
    long faultEnd;
    double chunkCorruptRate;
    double snapshotReadFailRate;
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
    private boolean done;
    private int crashes;

    private final SafetyChecker checker = new SafetyChecker(this::fail);
    private final SimClient client = new SimClient(this);
    private final SimDriver driver = new SimDriver(this, checker, client);

    enum Kind {
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
            mix = null;
            stall.drawParameters();
        } else {
            stall = null;
            mix = new RegularMix(this);
            mix.drawParameters();
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
                schedule(expo(mix.chaosMeanInterval()), Kind.CHAOS, -1, 0, null);
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
        return new Result(seed, nodes.length, events, client.acked(), terms, crashes, driver.installs(), now,
                driver.writesRefused(), driver.storeFailures());
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
                    driver.persisted(node, (Ready) ev.payload);
                }
            }
            case PROPOSE -> {
                client.proposeNext();
                if (!healed) {
                    schedule(now + expo(clientMeanInterval), Kind.PROPOSE, -1, 0, null);
                }
            }
            case CHAOS -> {
                if (!healed) {
                    mix.chaos();
                    schedule(now + expo(mix.chaosMeanInterval()), Kind.CHAOS, -1, 0, null);
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

    void schedule(long time, Kind kind, int node, int epoch, Object payload) {
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
        driver.drain(node);
    }

    void crash(SimNode node) {
        loseVolatileState(node);
        long down = crashStorm() ? 1 + rnd.nextInt(2 * HEARTBEAT_TIMEOUT) : 2 + rnd.nextInt(60);
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
        int keep = driver.loseUnsyncedWrites(node);
        trace("CRASH " + node + (node.heldDown ? " (held down)" : "") + " (kept " + keep + " unsynced writes)");
    }

    void restart(SimNode node) {
        node.alive = true;
        trace("RESTART " + node + " durable log " + node.durableLog.firstIndex() + ".." + node.durableLog.lastIndex()
                + " hard " + node.durableHard);
        start(node);
        schedule(now + rnd.nextLong(TICK), Kind.TICK, node.idx, node.epoch, null);
    }

    // ======================================================================== network

    void send(Message m) {
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
        driver.afterEvent(to);
    }

    /** After the core of {@code node} took an input (see {@link SimDriver#afterEvent}). */
    void afterEvent(SimNode node) {
        driver.afterEvent(node);
    }

    private int index(NodeId id) {
        for (int i = 0; i < ids.length; i++) {
            if (ids[i].equals(id)) {
                return i;
            }
        }
        throw new IllegalArgumentException("unknown node " + id);
    }

    // ======================================================================== heal and liveness

    /** Frequent short crashes (regular mix only), often of the leader: Raft's Figure 8. */
    boolean crashStorm() {
        return mix != null && mix.crashStorm();
    }

    /** Whether the final heal happened: faults and regular proposals have stopped. */
    boolean healed() {
        return healed;
    }

    SnapshotStall stall() {
        return stall;
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
        long finalAckedIndex = client.finalAckedIndex();
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
                    client.proposeFreshUnlessPending(n);
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
