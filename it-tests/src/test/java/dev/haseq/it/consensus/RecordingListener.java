package dev.haseq.it.consensus;

import dev.haseq.api.NodeId;
import dev.haseq.api.consensus.ConsensusListener;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts one node's consensus events and reports its leadership claims to the cluster's
 * {@link ClusterLedger} (election safety). Fast and thread-safe, as the listener contract asks.
 */
public final class RecordingListener implements ConsensusListener {
    private final NodeId node;
    private final ClusterLedger ledger;
    private final AtomicInteger leaderClaims = new AtomicInteger();
    private final AtomicInteger snapshotsTaken = new AtomicInteger();
    private final AtomicInteger snapshotsInstalled = new AtomicInteger();
    private final AtomicInteger snapshotsSent = new AtomicInteger();

    public RecordingListener(NodeId node, ClusterLedger ledger) {
        this.node = node;
        this.ledger = ledger;
    }

    @Override
    public void leaderChanged(long term, Optional<NodeId> leader, boolean self) {
        if (self) {
            leaderClaims.incrementAndGet();
            ledger.leaderClaim(node, term);
        }
        if (self != leader.map(node::equals).orElse(false)) {
            ledger.violation(node + ": leaderChanged(term " + term + ", leader " + leader + ", self " + self
                    + ") is inconsistent: self must say whether the leader is this node");
        }
    }

    @Override
    public void snapshotTaken(long index, long term) {
        snapshotsTaken.incrementAndGet();
    }

    @Override
    public void snapshotInstalled(long index, long term) {
        snapshotsInstalled.incrementAndGet();
    }

    @Override
    public void snapshotSent(NodeId peer, long index) {
        snapshotsSent.incrementAndGet();
    }

    /** How often this node announced that it became leader. */
    public int leaderClaims() {
        return leaderClaims.get();
    }

    public int snapshotsTaken() {
        return snapshotsTaken.get();
    }

    public int snapshotsInstalled() {
        return snapshotsInstalled.get();
    }

    public int snapshotsSent() {
        return snapshotsSent.get();
    }
}
