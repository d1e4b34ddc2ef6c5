package dev.haseq.it.consensus;

import dev.haseq.api.NodeId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What every node of one test cluster did, across restarts, checked for the two Raft safety
 * properties an outsider can observe through the SPI:
 *
 * <ul>
 *   <li><b>election safety</b>: at most one node claims leadership in a term
 *       ({@code ConsensusListener.leaderChanged(term, self, true)});</li>
 *   <li><b>state machine safety</b>: every node that applies (or restores) index {@code i} sees the
 *       same entry there with the same outcome — the same result, or the same rejection.</li>
 * </ul>
 *
 * <p>Plus breaches of the {@code StateMachine} contract the recording machines notice (an index
 * applied twice or out of order, calls that overlap). Violations are collected, not thrown: a
 * state machine that throws would make the provider fail-stop and hide the cause behind a
 * timeout. {@link #violations()} is asserted empty after every test. Thread-safe.
 */
public final class ClusterLedger {
    /** What happened at one log index on some node: applied with a result, or rejected. */
    public record Outcome(String entry, String result) {
    }

    private final Map<Long, Outcome> outcomes = new HashMap<>();
    private final Map<Long, NodeId> outcomeWitness = new HashMap<>();
    private final Map<Long, NodeId> leaders = new HashMap<>();
    private final List<String> violations = new ArrayList<>();

    /** {@code node} applied, rejected or restored {@code outcome} at {@code index}. */
    public synchronized void record(NodeId node, long index, Outcome outcome) {
        Outcome before = outcomes.putIfAbsent(index, outcome);
        if (before == null) {
            outcomeWitness.put(index, node);
        } else if (!before.equals(outcome)) {
            violations.add("state machine safety: index " + index + " is " + outcome + " on " + node + " but "
                    + before + " on " + outcomeWitness.get(index));
        }
    }

    /** {@code node} announced itself leader of {@code term}. */
    public synchronized void leaderClaim(NodeId node, long term) {
        NodeId before = leaders.putIfAbsent(term, node);
        if (before != null && !before.equals(node)) {
            violations.add("election safety: both " + before + " and " + node + " claimed leadership of term " + term);
        }
    }

    public synchronized void violation(String what) {
        violations.add(what);
    }

    public synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    /** The terms in which some node claimed leadership, with who. */
    public synchronized Map<Long, NodeId> leaders() {
        return Map.copyOf(leaders);
    }
}
