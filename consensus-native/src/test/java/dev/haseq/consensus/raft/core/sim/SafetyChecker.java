package dev.haseq.consensus.raft.core.sim;

import dev.haseq.api.NodeId;
import dev.haseq.api.storage.LogEntry;
import dev.haseq.api.storage.TermAndVote;
import dev.haseq.consensus.raft.core.CoreEvent;
import dev.haseq.consensus.raft.core.Message;
import dev.haseq.consensus.raft.core.RaftCore;
import dev.haseq.consensus.raft.core.Ready;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The invariants the simulation checks after every event: election safety (one leader per term),
 * log matching (by chain hashes of every appended prefix), committed entries never change (which
 * covers state machine safety and acknowledged writes never being lost), leader completeness, one
 * vote per node and term as seen on the wire and on durable state, durable terms never going
 * back, entries applied in order without gaps, no lease held while a newer leader exists, a
 * catching-up node never campaigns, and chunk acknowledgements never claim more snapshot bytes
 * than the driver holds. The {@link SimDriver} feeds it what it sees; a violation goes to the
 * {@code fail} callback, which throws.
 */
final class SafetyChecker {
    private final Consumer<String> fail;
    private final Map<Long, NodeId> leaderOfTerm = new HashMap<>();
    private long[] committedChain = new long[1024];
    private long[] commitTerm = new long[1024];
    private long committedMax;
    private final Map<Long, Long> entryChains = new HashMap<>();
    /** (voter, term) -> the candidate it granted its vote to. */
    private final Map<Long, NodeId> votesGranted = new HashMap<>();

    SafetyChecker(Consumer<String> fail) {
        this.fail = fail;
    }

    int leaderTerms() {
        return leaderOfTerm.size();
    }

    /** Log matching: an (index, term) pair always ends the same history, on every node. */
    void entryAppended(SimNode node, LogEntry e, long chain) {
        Long known = entryChains.putIfAbsent(e.index() * 1_000_003L + e.term(), chain);
        if (known != null && known != chain) {
            fail.accept("log matching violated: " + node + " holds entry " + e.index() + " of term " + e.term()
                    + " with a different history than another node");
        }
    }

    void voteGranted(SimNode node, Message.VoteResponse v) {
        NodeId before = votesGranted.putIfAbsent(v.term() * 16 + node.idx, v.to());
        if (before != null && !before.equals(v.to())) {
            fail.accept(node + " granted its vote in term " + v.term() + " to " + before + " and then to " + v.to());
        }
    }

    void onLeader(SimNode node, long term) {
        NodeId prev = leaderOfTerm.putIfAbsent(term, node.id);
        if (prev != null && !prev.equals(node.id)) {
            fail.accept("election safety violated: " + prev + " and " + node + " both leaders of term " + term);
        }
        // Leader completeness: every entry committed in an earlier term is in the new leader's log.
        for (long i = committedMax; i > 0; i--) {
            if (commitTerm[(int) i] > 0 && commitTerm[(int) i] < term) {
                MemLog v = node.visibleLog;
                if (i < v.firstIndex() - 1) {
                    return; // covered by a snapshot, which only holds committed entries
                }
                if (i > v.lastIndex() || v.chain(i) != committedChain[(int) i]) {
                    fail.accept("leader completeness violated: " + node + " leads term " + term + " without committed entry "
                            + i + " (log " + v.firstIndex() + ".." + v.lastIndex() + ")");
                }
                return;
            }
        }
    }

    void check(SimNode node, SimNode[] nodes) {
        if (!node.alive) {
            return;
        }
        RaftCore core = node.core;
        long commit = core.commitIndex();
        while (node.commitSeen < commit) {
            long i = ++node.commitSeen;
            MemLog v = node.visibleLog;
            if (i < v.firstIndex() - 1) {
                continue;
            }
            if (i > v.lastIndex()) {
                fail.accept(node + " commit index " + commit + " is beyond its handed-out log end " + v.lastIndex());
            }
            expectCommitted(node, i, v.chain(i), "commit index");
            if (commitTerm[(int) i] == 0) {
                commitTerm[(int) i] = core.term();
            }
        }
        if (core.hasValidLease()) {
            for (SimNode other : nodes) {
                if (other != node && other.alive && other.core.isLeader() && other.core.term() > core.term()) {
                    fail.accept("lease violated: " + node + " holds a lease in term " + core.term() + " while " + other
                            + " leads term " + other.core.term());
                }
            }
        }
        if (core.isLeader()) {
            for (SimNode other : nodes) {
                if (other != node && other.alive && other.core.hasValidLease() && other.core.term() < core.term()) {
                    fail.accept("lease violated: " + other + " holds a lease in term " + other.core.term() + " while " + node
                            + " leads term " + core.term());
                }
            }
        }
    }

    /** One vote per term on durable state, and the durable term never goes back. */
    void durableHardState(SimNode node, TermAndVote before, TermAndVote after) {
        if (after.term() < before.term()) {
            fail.accept(node + " durable term went back from " + before.term() + " to " + after.term());
        }
        if (after.term() == before.term() && before.votedFor().isPresent()
                && !before.votedFor().equals(after.votedFor())) {
            fail.accept(node + " voted twice in term " + after.term() + ": " + before.votedFor().get() + " then "
                    + after.votedFor());
        }
    }

    /** A node whose state machine is catching up never campaigns. */
    void coreEvent(SimNode node, CoreEvent e) {
        if (e instanceof CoreEvent.ElectionStarted && node.catchingUp) {
            fail.accept(node + " started an election while its state machine is catching up");
        }
    }

    /** The state machine applies every entry once, in order. */
    void applying(SimNode node, LogEntry e) {
        if (e.index() != node.smIndex + 1) {
            fail.accept(node + " applies entry " + e.index() + " after " + node.smIndex + ": a gap or a repeat");
        }
    }

    /**
     * The core acknowledges only snapshot bytes its driver holds: every chunk answer in a Ready
     * (not yet "installed") claims at most the partial snapshot the driver holds when the Ready
     * is handed out.
     */
    void snapshotAnswers(SimNode node, Ready rd) {
        for (Message m : rd.messagesAfterPersist()) {
            if (m instanceof Message.InstallSnapshotResponse r && !r.done() && r.nextOffset() > 0) {
                SimNode.PartialSnapshot p = node.partial;
                if (p == null || p.index != r.snapshotIndex() || p.term != r.snapshotTerm() || p.size < r.nextOffset()) {
                    fail.accept(node + " acknowledges " + r.nextOffset() + " bytes of snapshot " + r.snapshotIndex()
                            + "@" + r.snapshotTerm() + " but its driver holds " + (p == null ? "no partial snapshot"
                            : p.size + " bytes of " + p.index + "@" + p.term));
                }
            }
        }
    }

    /** Committed entries never change: the first chain recorded at an index is the only one allowed. */
    void expectCommitted(SimNode node, long index, long chain, String what) {
        if (index == 0) {
            return;
        }
        if (index >= committedChain.length) {
            int size = (int) Math.max(index + 1, committedChain.length * 2L);
            committedChain = Arrays.copyOf(committedChain, size);
            commitTerm = Arrays.copyOf(commitTerm, size);
        }
        int i = (int) index;
        committedMax = Math.max(committedMax, index);
        if (committedChain[i] == 0) {
            committedChain[i] = chain;
        } else if (committedChain[i] != chain) {
            fail.accept("state machine safety violated: " + node + " has a different " + what + " at index " + index
                    + " than was committed before");
        }
    }
}
