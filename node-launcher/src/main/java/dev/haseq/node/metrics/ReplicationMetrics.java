package dev.haseq.node.metrics;

import dev.haseq.api.NodeId;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * Raft's replication counters as Prometheus counters: the leader's failed sends and snapshot
 * transfers per {@code peer}, and a follower's snapshot receives. The guide's "snapshot
 * transfers" signal is {@code haseq_raft_snapshot_sends_started_total} on the leader and
 * {@code haseq_raft_snapshot_receives_started_total} on the follower; finishes and failures tell
 * whether the transfers get through.
 *
 * <p>The {@code peer} label is a {@code raft.peers} node id: membership is static, so the series
 * are bounded by the cluster size. {@link #knownPeer} creates every peer's series at zero, so
 * {@code increase()} sees the first event too. Thread-safe.
 */
final class ReplicationMetrics {
    private final Counter sendFailures;
    private final Counter snapshotSendsStarted;
    private final Counter snapshotSendsFinished;
    private final Counter snapshotSendFailures;
    private final Counter snapshotReceivesStarted;
    private final Counter snapshotReceiveFailures;

    ReplicationMetrics(PrometheusRegistry registry) {
        sendFailures = perPeer(registry, "haseq_raft_send_failures",
                "Messages to each peer that Raft saw go unacknowledged within raft.send_timeout (it resends them; "
                        + "repeated failures mark the peer unhealthy)");
        snapshotSendsStarted = perPeer(registry, "haseq_raft_snapshot_sends_started",
                "Snapshot transfers this leader started to each peer: the peer needed entries already compacted "
                        + "away (it fell behind by more than raft.trailing_logs)");
        snapshotSendsFinished = perPeer(registry, "haseq_raft_snapshot_sends_finished",
                "Snapshot transfers to each peer that the peer confirmed it holds");
        snapshotSendFailures = perPeer(registry, "haseq_raft_snapshot_send_failures",
                "Snapshot chunks to each peer not acknowledged within raft.send_timeout, or unreadable from the "
                        + "local snapshot store (each is retried)");
        snapshotReceivesStarted = Counter.builder().name("haseq_raft_snapshot_receives_started")
                .help("Snapshot transfers from the leader this node started to receive (it was too far behind to "
                        + "catch up from the leader's log)")
                .withoutExemplars().register(registry);
        snapshotReceiveFailures = Counter.builder().name("haseq_raft_snapshot_receive_failures")
                .help("Snapshots received from the leader that were damaged (size or checksum) and discarded; the "
                        + "leader sends them again")
                .withoutExemplars().register(registry);
    }

    private static Counter perPeer(PrometheusRegistry registry, String name, String help) {
        return Counter.builder().name(name).help(help).labelNames("peer").withoutExemplars().register(registry);
    }

    /** Creates the series of {@code peer} at zero if they do not exist yet. */
    void knownPeer(NodeId peer) {
        String p = peer.value();
        sendFailures.labelValues(p);
        snapshotSendsStarted.labelValues(p);
        snapshotSendsFinished.labelValues(p);
        snapshotSendFailures.labelValues(p);
    }

    void sendFailed(NodeId peer) {
        sendFailures.labelValues(peer.value()).inc();
    }

    void snapshotSendStarted(NodeId peer) {
        snapshotSendsStarted.labelValues(peer.value()).inc();
    }

    void snapshotSendFinished(NodeId peer) {
        snapshotSendsFinished.labelValues(peer.value()).inc();
    }

    void snapshotSendFailed(NodeId peer) {
        snapshotSendFailures.labelValues(peer.value()).inc();
    }

    void snapshotReceiveStarted() {
        snapshotReceivesStarted.inc();
    }

    void snapshotReceiveFailed() {
        snapshotReceiveFailures.inc();
    }
}
