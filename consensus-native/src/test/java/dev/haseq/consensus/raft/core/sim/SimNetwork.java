package dev.haseq.consensus.raft.core.sim;

import static dev.haseq.consensus.raft.core.sim.Simulation.SEND_TIMEOUT;
import static dev.haseq.consensus.raft.core.sim.Simulation.TICK;

import dev.haseq.consensus.raft.core.Message;
import dev.haseq.consensus.raft.core.MessageCodec;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * The simulated network between the members, all in virtual time: loss, duplication, a delay
 * with an occasional long tail (so messages overtake each other), one-way link cuts, and
 * optionally links of limited bandwidth (messages leave one after another, each taking its
 * encoded size's time). Its parameters come from the seed and change as a schedule goes on.
 *
 * <p>It also checks stop-and-wait on snapshot transfers: a leader keeps about one chunk in
 * flight per follower (see {@link #send}).
 */
final class SimNetwork {
    /** Hands a message copy to the simulation's event queue for delivery at {@code time}. */
    interface Delivery {
        void at(long time, int to, int senderEpoch, Message m);
    }

    private final SplittableRandom rnd;
    private final Delivery delivery;
    private final Consumer<String> fail;
    /** {@code blocked[from][to]}: the link from one member to another is cut. */
    final boolean[][] blocked;
    private final long[][] linkFreeAt;

    double dropRate;
    double dupRate;
    long minDelay;
    long maxDelay;
    double tailRate;
    long tailMax;
    /** Link bandwidth as micros of virtual time per byte sent; 0: unlimited. */
    double microsPerByte;

    /** Per destination, InstallSnapshot requests sent but not yet delivered (or dropped at delivery). */
    private final int[] snapshotRequestsInFlight;
    private long snapshotFlowBound;
    private int maxSnapshotRequestsInFlight;

    SimNetwork(int members, SplittableRandom rnd, Delivery delivery, Consumer<String> fail) {
        this.rnd = rnd;
        this.delivery = delivery;
        this.fail = fail;
        this.blocked = new boolean[members][members];
        this.linkFreeAt = new long[members][members];
        this.snapshotRequestsInFlight = new int[members];
    }

    /** Sends {@code m} from member {@code from} to member {@code to} at virtual time {@code now}. */
    void send(Message m, int from, int to, int senderEpoch, long now) {
        if (blocked[from][to] || rnd.nextDouble() < dropRate) {
            return;
        }
        long sent = now;
        if (microsPerByte > 0) {
            long departs = Math.max(now, linkFreeAt[from][to]);
            sent = departs + (long) Math.ceil(MessageCodec.encode(m).length * microsPerByte);
            linkFreeAt[from][to] = sent;
        }
        delivery.at(sent + delay(), to, senderEpoch, m);
        boolean dup = rnd.nextDouble() < dupRate;
        if (dup) {
            delivery.at(sent + delay(), to, senderEpoch, m);
        }
        if (m instanceof Message.InstallSnapshotRequest) {
            checkSnapshotFlow(m, to, dup ? 2 : 1);
        }
    }

    /** A copy reached its delivery time (whether or not its addressee takes it). */
    void arrived(Message m, int to) {
        if (m instanceof Message.InstallSnapshotRequest) {
            snapshotRequestsInFlight[to]--;
        }
    }

    /**
     * Stop-and-wait snapshot transfer: the leader keeps one chunk in flight per follower. Copies
     * come only from network duplicates, send timeouts (while older copies may still be on their
     * way) and answers that moved the acknowledged offset back, so their number stays within a
     * bound set by how long a message can travel. An answer that re-triggers a send without moving
     * anything would let copies pile up (one more per duplicate or timeout, never retired).
     */
    private void checkSnapshotFlow(Message m, int to, int copies) {
        snapshotRequestsInFlight[to] += copies;
        maxSnapshotRequestsInFlight = Math.max(maxSnapshotRequestsInFlight, snapshotRequestsInFlight[to]);
        // The longest a copy can travel: the largest delay this run has used so far.
        snapshotFlowBound = Math.max(snapshotFlowBound, 4 * (2 + (maxDelay + tailMax) / (SEND_TIMEOUT * TICK)));
        if (snapshotRequestsInFlight[to] > snapshotFlowBound) {
            fail.accept(snapshotRequestsInFlight[to] + " InstallSnapshot requests in flight to " + m.to() + " (bound "
                    + snapshotFlowBound + "): the leader re-sends chunks faster than copies are retired");
        }
    }

    /** Most InstallSnapshot requests in flight to one member at any time so far. */
    int maxSnapshotRequestsInFlight() {
        return maxSnapshotRequestsInFlight;
    }

    private long delay() {
        long d = minDelay + rnd.nextLong(maxDelay - minDelay + 1);
        if (tailRate > 0 && rnd.nextDouble() < tailRate) {
            d += rnd.nextLong(tailMax);
        }
        return d;
    }

    void unblockAll() {
        for (boolean[] row : blocked) {
            Arrays.fill(row, false);
        }
    }

    /** The final heal: no loss, duplication or long tails, short delays, every link up. */
    void heal() {
        dropRate = 0;
        dupRate = 0;
        tailRate = 0;
        maxDelay = Math.min(maxDelay, minDelay + 1000);
        unblockAll();
    }
}
