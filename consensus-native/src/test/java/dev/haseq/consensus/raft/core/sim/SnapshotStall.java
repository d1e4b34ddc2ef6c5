package dev.haseq.consensus.raft.core.sim;

import static dev.haseq.consensus.raft.core.sim.Simulation.ELECTION_TIMEOUT;
import static dev.haseq.consensus.raft.core.sim.Simulation.HEARTBEAT_TIMEOUT;
import static dev.haseq.consensus.raft.core.sim.Simulation.TICK;

import java.util.Arrays;

/**
 * The snapshot-stall family of schedules, after a stall seen once in production-like runs: in a
 * three-node cluster whose third node was down, the leader kept re-sending the InstallSnapshot to
 * a just-restarted follower that was behind the snapshot, and nothing committed for over a minute
 * (without that follower there is no quorum).
 *
 * <p>Phases; every timing and fault comes from the seed:
 * <ol>
 *   <li><b>Warm-up:</b> three healthy nodes (no faults, short delays) until a leader commits.</li>
 *   <li><b>Behind:</b> a follower F crashes and stays down while the leader L and the third node T
 *       commit on, until L's log is compacted past F's end: F now needs a snapshot.</li>
 *   <li><b>Stall:</b> T goes down for good and F restarts. In some schedules T goes down only a
 *       little after F restarted, so L may take a newer snapshot in the middle of the transfer.</li>
 *   <li><b>Transfer under faults:</b> loss, duplication, delays and reordering (sometimes very
 *       stale messages), cut links, slow disks, and crashes of F, many of them in the middle of
 *       the transfer: just after a chunk was written (before or after its acknowledgement left,
 *       so the leader may hear acknowledgements of bytes the restarted F no longer has), or just
 *       after the last chunk was committed to the snapshot store (before or after the install).
 *       A crash loses the partly received snapshot and every unsynced write. Sometimes L crashes
 *       too. F's driver also finds its partial snapshot gone or cut short before a chunk (it
 *       reports where it stands, and L must resend from there), or its snapshot store fails while
 *       writing a chunk (F stops, as a storage failure makes it, and restarts later).</li>
 *   <li><b>Calm:</b> crashes and cuts stop, F and L are up, T stays down; some schedules keep a
 *       little loss and duplication. F must get the snapshot, and a fresh proposal must commit
 *       and be applied by L and F within a bound that grows with the snapshot's chunk count and
 *       the backlog (the regular liveness check, minus T).</li>
 * </ol>
 * The links have limited bandwidth in most schedules (each message takes its encoded size's
 * time to leave), so needless re-sends slow everything down as they would on a real link. The
 * safety checkers run throughout, as in every schedule, and so does the check that the leader
 * keeps only about one snapshot chunk in flight per follower (stop-and-wait).
 */
final class SnapshotStall {
    private enum Phase { WARM_UP, BEHIND, TRANSFER, CALM }

    private final Simulation sim;
    private Phase phase = Phase.WARM_UP;
    private long phaseDeadline;
    private SimNode follower;
    private SimNode third;
    /** When the leader's log was first seen compacted past F's end (-1: not yet). */
    private long compactedAt = -1;

    // drawn from the seed
    private long faultMaxDelay;
    private double faultDrop;
    private double faultDup;
    private double faultTail;
    private double calmDrop;
    private double calmDup;
    private long transferTicks;
    private boolean thirdGoesDownLate;
    private double crashPerChunk;
    private double crashAfterLastChunk;
    private long chaosMean;
    private double leaderCrashWeight;
    private double cutWeight;
    private double partialLossPerChunk;
    private double storageFailurePerChunk;

    SnapshotStall(Simulation sim) {
        this.sim = sim;
    }

    /** Sets the simulation's parameters (three nodes; the faults start with the transfer). */
    void drawParameters() {
        var rnd = sim.rnd;
        sim.faultEnd = TICK * 10_000; // only the simulation's hard stop; the phases decide the rest
        sim.net.minDelay = 20 + rnd.nextInt(200);
        faultMaxDelay = sim.net.minDelay + sim.pick(100, 500, 1500, 4000);
        // Set-up runs on a healthy network (round trips within the send timeout), as after the final heal.
        sim.net.maxDelay = Math.min(faultMaxDelay, sim.net.minDelay + 1000);
        sim.net.tailMax = TICK * (rnd.nextInt(4) == 0 ? 3 * ELECTION_TIMEOUT : 10);
        sim.chunkCorruptRate = sim.pick(0, 0, 0.1);
        sim.snapshotReadFailRate = sim.pick(0, 0, 0.1);
        sim.clientMeanInterval = TICK * sim.pick(1, 2, 5) / 2;
        sim.snapshotPadding = 200 + rnd.nextInt(3000); // up to ~100 chunks
        sim.snapshotThreshold = 4 + rnd.nextInt(20);
        sim.trailingLogs = rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(10);
        sim.maxEntriesBytes = rnd.nextInt(3) == 0 ? 1 : 16 + rnd.nextInt(600);
        sim.maxInflight = 1 + rnd.nextInt(8);
        sim.chunkBytes = 32 + rnd.nextInt(500);
        sim.maxCommittedBytes = 16 + rnd.nextInt(4000);
        faultDrop = sim.pick(0.01, 0.05, 0.15, 0.3);
        faultDup = sim.pick(0, 0.05, 0.2);
        faultTail = sim.pick(0, 0.02, 0.1);
        calmDrop = sim.pick(0, 0, 0.02, 0.05);
        calmDup = sim.pick(0, 0, 0.05);
        transferTicks = 100 + rnd.nextInt(500);
        thirdGoesDownLate = rnd.nextInt(3) == 0;
        crashPerChunk = sim.pick(0, 0.01, 0.03, 0.1);
        crashAfterLastChunk = sim.pick(0, 0.25, 0.5);
        chaosMean = TICK * (10 + rnd.nextInt(60));
        leaderCrashWeight = sim.pick(0, 0, 0.5);
        cutWeight = sim.pick(0, 1);
        // Links of limited bandwidth (a chunk of up to ~530 bytes takes up to about one tick to
        // send), so copies of chunks the leader sends needlessly cost time, as on a real link.
        sim.net.microsPerByte = sim.pick(0, 0.25, 1, 2);
        // The driver's own troubles while receiving: it finds its partial snapshot gone or cut
        // short (the chunk does not continue it: reported, the leader resends from what is left),
        // or its snapshot store fails (a storage failure: the node stops, and restarts later).
        partialLossPerChunk = sim.pick(0, 0.05, 0.2);
        storageFailurePerChunk = sim.pick(0, 0, 0.02, 0.05);
    }

    void begin() {
        phaseDeadline = sim.now() + 3000 * TICK;
        sim.at(sim.now() + TICK, this::step);
    }

    /** Moves through the set-up phases, once per tick. */
    private void step() {
        if (phase == Phase.TRANSFER || phase == Phase.CALM) {
            return;
        }
        if (sim.now() > phaseDeadline) {
            sim.fail("snapshot stall set-up stuck in phase " + phase + (follower == null ? ""
                    : ": " + follower + " log ends at " + follower.durableLog.lastIndex()));
        }
        SimNode leader = leader();
        if (phase == Phase.WARM_UP && leader != null && leader.core.commitIndex() >= 3) {
            follower = sim.nodes[(leader.idx + 1 + sim.rnd.nextInt(2)) % 3];
            sim.trace("stall: " + follower + " goes down while " + leader + " commits on");
            sim.holdDown(follower);
            phase = Phase.BEHIND;
            phaseDeadline = sim.now() + 3000 * TICK;
        } else if (phase == Phase.BEHIND && leader != null
                && leader.core.firstIndex() > follower.durableLog.lastIndex() + 1) {
            // Appends sent before the compaction may still be on their way to F (no loss yet, so
            // they would arrive): wait until they are delivered or dropped.
            if (compactedAt < 0) {
                compactedAt = sim.now();
            } else if (sim.now() > compactedAt + sim.net.maxDelay + sim.net.tailMax) {
                startTransfer(leader);
                return;
            }
        }
        sim.at(sim.now() + TICK, this::step);
    }

    private void startTransfer(SimNode leader) {
        third = sim.nodes[3 - leader.idx - follower.idx];
        sim.trace("stall: " + leader + " compacted to " + leader.core.firstIndex() + " (snapshot "
                + leader.core.snapshotIndex() + "), past " + follower + "'s log end "
                + follower.durableLog.lastIndex() + "; " + third + " goes down for good "
                + (thirdGoesDownLate ? "a little after " : "before ") + follower + " restarts");
        if (!thirdGoesDownLate) {
            sim.holdDown(third);
        } else {
            sim.at(sim.now() + TICK * sim.rnd.nextInt(40), () -> {
                if (third.alive) {
                    sim.holdDown(third);
                }
            });
        }
        sim.release(follower);
        sim.net.maxDelay = faultMaxDelay;
        sim.net.dropRate = faultDrop;
        sim.net.dupRate = faultDup;
        sim.net.tailRate = faultTail;
        phase = Phase.TRANSFER;
        sim.at(sim.now() + sim.expo(chaosMean), this::chaos);
        sim.at(sim.now() + TICK * transferTicks, this::calm);
    }

    /** Random faults during the transfer: crashes of F (or L), cut links, slow disks. */
    private void chaos() {
        if (phase != Phase.TRANSFER) {
            return;
        }
        var rnd = sim.rnd;
        double r = rnd.nextDouble() * (3 + leaderCrashWeight + cutWeight + 1);
        if (r < 3) {
            if (follower.alive) {
                sim.trace("stall: crash " + follower);
                sim.crash(follower);
            }
        } else if ((r -= 3) < leaderCrashWeight) {
            SimNode leader = leader();
            if (leader != null) {
                sim.trace("stall: crash the leader " + leader);
                sim.crash(leader);
            }
        } else if ((r -= leaderCrashWeight) < cutWeight) {
            cutLink();
        } else {
            SimNode n = rnd.nextBoolean() ? follower : sim.nodes[3 - third.idx - follower.idx];
            n.diskLatency = sim.pick(0, 100, 800, 3000, 8000);
        }
        sim.at(sim.now() + sim.expo(chaosMean), this::chaos);
    }

    /** Cuts the link between the two live nodes, one way or both, for a while. */
    private void cutLink() {
        int f = follower.idx;
        int l = 3 - third.idx - f;
        switch (sim.rnd.nextInt(3)) {
            case 0 -> sim.net.blocked[l][f] = true;
            case 1 -> sim.net.blocked[f][l] = true;
            default -> sim.net.blocked[l][f] = sim.net.blocked[f][l] = true;
        }
        sim.trace("stall: link cut " + Arrays.deepToString(sim.net.blocked));
        sim.at(sim.now() + TICK * (5 + sim.rnd.nextInt(60)), () -> {
            sim.net.unblockAll();
        });
    }

    /** The simulation wrote a snapshot chunk on {@code node}: maybe crash it in the middle of the transfer. */
    void chunkWritten(SimNode node, boolean last) {
        if (phase != Phase.TRANSFER || node != follower) {
            return;
        }
        if (sim.rnd.nextDouble() < (last ? crashAfterLastChunk : crashPerChunk)) {
            int epoch = node.epoch;
            // Within three ticks: before or after the Ready carrying the chunk is durable (its
            // acknowledgement leaves then), before or after a complete snapshot is installed.
            sim.at(sim.now() + sim.rnd.nextLong(3 * TICK), () -> {
                if (phase == Phase.TRANSFER && node.alive && node.epoch == epoch) {
                    sim.trace("stall: crash " + node + " in the middle of the snapshot transfer");
                    sim.crash(node);
                }
            });
        }
    }

    /**
     * Before the driver writes chunk {@code w} (at an offset above 0) on {@code node}: maybe drop
     * its partial snapshot or cut it short. Returns true if it did.
     */
    boolean losePartial(SimNode node, dev.haseq.consensus.raft.core.Ready.SnapshotWrite w) {
        if (phase != Phase.TRANSFER || node != follower || sim.rnd.nextDouble() >= partialLossPerChunk) {
            return false;
        }
        SimNode.PartialSnapshot p = node.partial;
        if (p != null && p.size > 0 && sim.rnd.nextBoolean()) {
            p.size = sim.rnd.nextInt(p.size);
            sim.trace("stall: " + node + "'s partial snapshot is cut to " + p.size + " bytes before chunk "
                    + w.offset());
        } else {
            node.partial = null;
            sim.trace("stall: " + node + "'s partial snapshot is gone before chunk " + w.offset());
        }
        return true;
    }

    /** The snapshot store of {@code node} fails writing the next chunk (a storage failure: fail-stop). */
    boolean storageFails(SimNode node) {
        return phase == Phase.TRANSFER && node == follower && sim.rnd.nextDouble() < storageFailurePerChunk;
    }

    private void calm() {
        phase = Phase.CALM;
        sim.trace("stall: calm (" + third + " stays down)");
        sim.healAll();
        sim.net.dropRate = calmDrop;
        sim.net.dupRate = calmDup;
    }

    /**
     * Extra ticks the calm phase may take over the regular bound: a whole transfer, each chunk
     * allowed two heartbeat timeouts (a lost chunk waits out a backed-off send timeout), and
     * twice that with loss.
     */
    long extraLivenessTicks() {
        long chunks = (24 + sim.snapshotPadding + sim.chunkBytes - 1) / sim.chunkBytes;
        long perChunk = 2L * HEARTBEAT_TIMEOUT * (calmDrop > 0 || calmDup > 0 ? 2 : 1);
        return chunks * perChunk * (calmDrop > 0 ? 2 : 1);
    }

    /** Liveness held: check the schedule did what it is for. */
    void finished() {
        if (follower == null || third == null || follower.snapshotsReceived == 0) {
            sim.fail("the snapshot stall schedule never sent " + follower + " a snapshot (phase " + phase + ")");
        }
    }

    private SimNode leader() {
        SimNode best = null;
        for (SimNode n : sim.nodes) {
            if (n.alive && n.core.isLeader() && (best == null || n.core.term() > best.core.term())) {
                best = n;
            }
        }
        return best;
    }
}
