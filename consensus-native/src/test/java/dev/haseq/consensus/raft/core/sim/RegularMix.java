package dev.haseq.consensus.raft.core.sim;

import static dev.haseq.consensus.raft.core.sim.Simulation.ELECTION_TIMEOUT;
import static dev.haseq.consensus.raft.core.sim.Simulation.TICK;

import dev.haseq.api.NodeId;
import dev.haseq.consensus.raft.core.NotLeader;
import java.util.Arrays;
import java.util.Optional;

/**
 * The regular mix of schedules: 3 or 5 nodes under every kind of fault until the seed's fault
 * phase ends, then everything heals. It draws the schedule's parameters and, at random
 * intervals, injects one fault: a crash (often of the leader), a partition (isolating one node,
 * splitting the cluster, a deaf or mute node, random one-way links; healed after a while), a
 * leadership transfer, a state machine that starts catching up, or a disk that becomes slow. In
 * a crash storm (a quarter of the schedules) crashes are frequent and short, often of the leader
 * right after a proposal: the interleavings of Raft's Figure 8.
 */
final class RegularMix {
    private final Simulation sim;
    private double crashWeight;
    private boolean crashStorm;
    private double partitionWeight;
    private long chaosMeanInterval;

    RegularMix(Simulation sim) {
        this.sim = sim;
    }

    /** Sets the simulation's parameters and this mix's fault weights, all from the seed. */
    void drawParameters() {
        var rnd = sim.rnd;
        SimNetwork net = sim.net;
        sim.faultEnd = TICK * (200 + rnd.nextInt(400));
        net.dropRate = sim.pick(0, 0, 0.01, 0.05, 0.15);
        net.dupRate = sim.pick(0, 0.01, 0.05);
        net.minDelay = 20 + rnd.nextInt(200);
        net.maxDelay = net.minDelay + sim.pick(100, 500, 1500, 4000);
        net.tailRate = sim.pick(0, 0.01, 0.05);
        net.tailMax = TICK * (rnd.nextInt(4) == 0 ? 3 * ELECTION_TIMEOUT : 10); // sometimes very stale messages
        sim.chunkCorruptRate = sim.pick(0, 0, 0.1);
        sim.snapshotReadFailRate = sim.pick(0, 0, 0.1);
        crashStorm = rnd.nextInt(4) == 0;
        crashWeight = crashStorm ? 6 : sim.pick(0, 1, 2);
        partitionWeight = sim.pick(0, 1, 2);
        chaosMeanInterval = TICK * (crashStorm ? 2 + rnd.nextInt(10) : 10 + rnd.nextInt(60));
        sim.clientMeanInterval = TICK * sim.pick(1, 2, 5) / 2;
        sim.snapshotPadding = rnd.nextInt(1200);
        sim.snapshotThreshold = 4 + rnd.nextInt(40);
        sim.trailingLogs = rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(20);
        sim.maxEntriesBytes = rnd.nextInt(3) == 0 ? 1 : 16 + rnd.nextInt(600); // 1: one entry per append
        sim.maxInflight = 1 + rnd.nextInt(8);
        sim.chunkBytes = 32 + rnd.nextInt(700);
        sim.maxCommittedBytes = 16 + rnd.nextInt(4000);
    }

    /** Frequent short crashes, often of the leader: the interleavings of Raft's Figure 8. */
    boolean crashStorm() {
        return crashStorm;
    }

    /** Mean virtual time between two faults. */
    long chaosMeanInterval() {
        return chaosMeanInterval;
    }

    /** Injects one fault, chosen by the weights drawn for this schedule. */
    void chaos() {
        var rnd = sim.rnd;
        SimNode[] nodes = sim.nodes;
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
                sim.crash(n);
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
                                : Optional.of(nodes[(n.idx + 1 + rnd.nextInt(nodes.length - 1)) % nodes.length].id);
                        try {
                            NodeId chosen = n.core.transferLeadership(target);
                            sim.trace(n + " transfers leadership to " + chosen);
                        } catch (IllegalStateException | NotLeader e) {
                            sim.trace(n + " cannot transfer: " + e.getMessage());
                        }
                        sim.afterEvent(n);
                    }
                }
            }
            case 1 -> {
                SimNode n = nodes[rnd.nextInt(nodes.length)];
                if (n.alive && !n.catchingUp) {
                    n.catchingUp = true;
                    n.core.setCatchingUp(true);
                    sim.trace(n + " is catching up");
                    sim.schedule(sim.now() + TICK * (5 + rnd.nextInt(80)), Simulation.Kind.CATCHUP_END, n.idx, n.epoch,
                            null);
                }
            }
            default -> {
                SimNode n = nodes[rnd.nextInt(nodes.length)];
                n.diskLatency = sim.pick(0, 100, 800, 3000, 8000);
            }
        }
    }

    private void partition() {
        var rnd = sim.rnd;
        SimNode[] nodes = sim.nodes;
        int n = nodes.length;
        sim.net.unblockAll();
        boolean[][] blocked = sim.net.blocked;
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
                sim.trace("partition: isolate " + nodes[victim].id);
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
                sim.trace("partition: split " + Arrays.toString(side));
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
                sim.trace("partition: " + nodes[victim].id + (deaf ? " deaf" : " mute"));
            }
            default -> { // random one-way links
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        blocked[i][j] = i != j && rnd.nextInt(4) == 0;
                    }
                }
                sim.trace("partition: random one-way links");
            }
        }
        sim.schedule(sim.now() + TICK * (5 + rnd.nextInt(100)), Simulation.Kind.HEAL_LINKS, -1, 0, null);
    }
}
