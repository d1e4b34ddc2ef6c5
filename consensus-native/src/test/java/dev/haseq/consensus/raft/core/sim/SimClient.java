package dev.haseq.consensus.raft.core.sim;

import dev.haseq.api.storage.LogEntry;
import dev.haseq.consensus.raft.core.NotLeader;
import dev.haseq.consensus.raft.core.Proposal;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * The simulated client: proposes numbered payloads, mostly to the leader, and counts a proposal
 * acknowledged when the member it was proposed to applies it at the index and term the core
 * promised. After the final heal it proposes the fresh entry (a negative number) whose commit
 * the liveness check waits for.
 */
final class SimClient {
    private final Simulation sim;
    private long clientSeq;
    private final Map<Long, Pending> pending = new HashMap<>();
    private long acked;
    private long finalAckedIndex = -1;

    private record Pending(int node, long index, long term) {
    }

    SimClient(Simulation sim) {
        this.sim = sim;
    }

    /** Proposals acknowledged so far. */
    long acked() {
        return acked;
    }

    /** Where the fresh proposal made after the final heal was applied (-1: not yet). */
    long finalAckedIndex() {
        return finalAckedIndex;
    }

    /** The next client request: to the leader nine times in ten, else to any member. */
    void proposeNext() {
        SimNode[] nodes = sim.nodes;
        SimNode target = null;
        if (sim.rnd.nextInt(10) != 0) {
            for (SimNode n : nodes) {
                if (n.alive && n.core.isLeader()) {
                    target = n;
                }
            }
        }
        if (target == null) {
            target = nodes[sim.rnd.nextInt(nodes.length)];
        }
        propose(target, ++clientSeq);
        if (sim.crashStorm() && !sim.healed() && target.alive && target.core.isLeader() && sim.rnd.nextInt(8) == 0) {
            sim.crash(target); // dies with the new entry only (or hardly) on its own disk: Raft's Figure 8
        }
    }

    /** After the final heal: {@code leader} gets the fresh proposal unless one of this term is still pending. */
    void proposeFreshUnlessPending(SimNode leader) {
        boolean waiting = pending.values().stream().anyMatch(p -> p.node == leader.idx
                && p.term == leader.core.term() && p.index > leader.core.commitIndex());
        if (!waiting) {
            propose(leader, -(++clientSeq));
        }
    }

    private void propose(SimNode target, long id) {
        if (!target.alive) {
            return;
        }
        byte[] data = new byte[8 + sim.rnd.nextInt(64)];
        ByteBuffer.wrap(data).putLong(id);
        try {
            Proposal p = target.core.propose(data);
            pending.put(id, new Pending(target.idx, p.index(), p.term()));
            sim.trace(target + " proposed #" + id + " at " + p.index() + "@" + p.term());
        } catch (NotLeader e) {
            return;
        }
        sim.afterEvent(target);
    }

    /** {@code node} applied {@code e}: acknowledges the proposal it carries if it was made there. */
    void applied(SimNode node, LogEntry e) {
        if (e.data().length >= 8) {
            long id = ByteBuffer.wrap(e.data()).getLong();
            Pending p = pending.get(id);
            if (p != null && p.node == node.idx && p.index == e.index() && p.term == e.term()) {
                pending.remove(id);
                acked++;
                if (sim.healed() && finalAckedIndex < 0 && id < 0) {
                    finalAckedIndex = e.index();
                    sim.trace("final proposal committed at " + e.index());
                }
            }
        }
    }
}
