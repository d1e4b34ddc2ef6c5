package dev.haseq.node.metrics;

import static dev.haseq.node.testing.Blocks.entry;
import static dev.haseq.node.testing.Blocks.next;
import static dev.haseq.node.testing.Blocks.set;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.haseq.api.NodeId;
import dev.haseq.api.consensus.ConsensusStatus;
import dev.haseq.api.consensus.Role;
import dev.haseq.api.consensus.TransportStats;
import dev.haseq.api.storage.StorageEvents;
import dev.haseq.api.testing.ManualClock;
import dev.haseq.node.chain.ChainStateMachine;
import dev.haseq.node.exec.KvExecutor;
import dev.haseq.node.mempool.Mempool;
import dev.haseq.node.mempool.MempoolSettings;
import dev.haseq.node.metrics.PrometheusTextParser.Family;
import dev.haseq.node.testing.FakeConsensusNode;
import dev.haseq.node.testing.InMemoryBlockStore;
import dev.haseq.node.testing.ManualScheduler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class NodeMetricsTest {
    private final NodeMetrics metrics = new NodeMetrics();

    private Map<String, Family> scrape() {
        return PrometheusTextParser.parse(new String(metrics.scrape(), StandardCharsets.UTF_8));
    }

    private static double value(Map<String, Family> f, String family, String sample, Map<String, String> labels) {
        assertThat(f).containsKey(family);
        return f.get(family).sample(sample, labels).orElseThrow(() -> new AssertionError(sample + labels + " missing"))
                .value();
    }

    private static double value(Map<String, Family> f, String name) {
        return value(f, name, name, Map.of());
    }

    @Test
    void exportsEveryMonitoringSignalAndNodeMetricParsableAsPrometheusText() throws Exception {
        KvExecutor executor = new KvExecutor();
        ChainStateMachine chain = new ChainStateMachine(new InMemoryBlockStore(), executor);
        ManualClock clock = new ManualClock(Instant.EPOCH);
        Mempool mempool = new Mempool(new MempoolSettings(10, 1000, 100, 10), executor::validate, new ManualScheduler(clock));
        chain.addListener(metrics);
        chain.addListener(mempool);
        FakeConsensusNode consensus = new FakeConsensusNode(NodeId.of("node-1"), chain);
        consensus.setPeers(List.of(FakeConsensusNode.peer("node-2@10.0.0.2:5001", 7, Optional.of(Duration.ofMillis(250))),
                FakeConsensusNode.peer("node-3@10.0.0.3:5001", 0, Optional.empty())));
        metrics.bindConsensus(consensus::status);
        metrics.bindMempool(mempool);
        consensus.addListener(metrics);

        consensus.elect();
        metrics.electionStarted(1, true);
        metrics.electionStarted(1, false);
        metrics.snapshotSent(NodeId.of("node-2"), 5);
        metrics.snapshotInstalled(5, 1);
        metrics.snapshotTaken(5, 1);
        metrics.sendFailed(NodeId.of("node-3"));
        consensus.propose(entry(next(chain.head(), set("a", "1"), set("b", "2")))).join();
        consensus.propose(entry(next(chain.head(), set("c", "3")))).join();
        mempool.add(set("pending", "x"));
        metrics.blockCommitted(1, Duration.ofMillis(3));
        metrics.blockCommitted(2, Duration.ofMillis(40));
        metrics.proposalFailed(3, new RuntimeException());

        Map<String, Family> f = scrape();
        assertThat(f.get("haseq_raft_leader_changes_total").type()).isEqualTo("counter");
        assertThat(value(f, "haseq_raft_leader_changes_total")).isEqualTo(1);
        assertThat(value(f, "haseq_raft_elections_started_total")).isEqualTo(1);
        assertThat(value(f, "haseq_raft_prevotes_started_total")).isEqualTo(1);
        assertThat(value(f, "haseq_raft_snapshot_sends_started_total", "haseq_raft_snapshot_sends_started_total",
                Map.of("peer", "node-2"))).isEqualTo(1);
        assertThat(value(f, "haseq_raft_snapshots_installed_total")).isEqualTo(1);
        assertThat(value(f, "haseq_raft_snapshots_taken_total")).isEqualTo(1);
        assertThat(value(f, "haseq_raft_send_failures_total", "haseq_raft_send_failures_total",
                Map.of("peer", "node-3"))).isEqualTo(1);
        assertThat(value(f, "haseq_raft_term")).isEqualTo(1);
        assertThat(value(f, "haseq_raft_is_leader")).isEqualTo(1);
        assertThat(value(f, "haseq_raft_commit_index")).isEqualTo(2);
        assertThat(value(f, "haseq_raft_applied_index")).isEqualTo(2);
        assertThat(value(f, "haseq_raft_applied_lag")).isEqualTo(0);
        assertThat(value(f, "haseq_chain_height")).isEqualTo(2);
        assertThat(value(f, "haseq_blocks_applied_total")).isEqualTo(2);
        assertThat(value(f, "haseq_txs_committed_total")).isEqualTo(3);
        assertThat(value(f, "haseq_blocks_produced_total")).isEqualTo(2);
        assertThat(value(f, "haseq_blocks_proposals_failed_total")).isEqualTo(1);
        assertThat(value(f, "haseq_mempool_size")).isEqualTo(1);
        assertThat(value(f, "haseq_mempool_bytes")).isEqualTo(set("pending", "x").size());

        assertThat(f.get("haseq_raft_peer_last_contact_seconds").type()).isEqualTo("gauge");
        assertThat(value(f, "haseq_raft_peer_last_contact_seconds", "haseq_raft_peer_last_contact_seconds",
                Map.of("peer", "node-2"))).isEqualTo(0.25);
        assertThat(f.get("haseq_raft_peer_last_contact_seconds").sample("haseq_raft_peer_last_contact_seconds",
                Map.of("peer", "node-3"))).isEmpty();
        assertThat(value(f, "haseq_raft_peer_match_index", "haseq_raft_peer_match_index", Map.of("peer", "node-2")))
                .isEqualTo(7);

        Family latency = f.get("haseq_block_commit_latency_seconds");
        assertThat(latency.type()).isEqualTo("histogram");
        String h = "haseq_block_commit_latency_seconds";
        assertThat(value(f, h, h + "_count", Map.of())).isEqualTo(2);
        assertThat(value(f, h, h + "_sum", Map.of())).isCloseTo(0.043, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(value(f, h, h + "_bucket", Map.of("le", "0.005"))).isEqualTo(1);
        assertThat(value(f, h, h + "_bucket", Map.of("le", "0.05"))).isEqualTo(2);
    }

    @Test
    void sendFailuresAndSnapshotTransfersAreCountedPerPeerFromZero() {
        FakeConsensusNode consensus = new FakeConsensusNode(NodeId.of("node-1"),
                new ChainStateMachine(new InMemoryBlockStore(), new KvExecutor()));
        consensus.setPeers(List.of(FakeConsensusNode.peer("node-2@10.0.0.2:5001", 0, Optional.empty()),
                FakeConsensusNode.peer("node-3@10.0.0.3:5001", 0, Optional.empty())));
        metrics.bindConsensus(consensus::status);
        List<String> perPeer = List.of("haseq_raft_send_failures_total", "haseq_raft_snapshot_sends_started_total",
                "haseq_raft_snapshot_sends_finished_total", "haseq_raft_snapshot_send_failures_total");

        Map<String, Family> before = scrape();
        for (String name : perPeer) {
            assertThat(before.get(name).type()).as(name).isEqualTo("counter");
            assertThat(before.get(name).samples()).as(name + ": one series per configured peer, at zero")
                    .extracting(x -> x.labels().get("peer"), x -> x.value())
                    .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("node-2", 0.0),
                            org.assertj.core.groups.Tuple.tuple("node-3", 0.0));
        }
        assertThat(value(before, "haseq_raft_snapshot_receives_started_total")).isEqualTo(0);
        assertThat(value(before, "haseq_raft_snapshot_receive_failures_total")).isEqualTo(0);

        metrics.sendFailed(NodeId.of("node-3"));
        metrics.sendFailed(NodeId.of("node-3"));
        metrics.snapshotSent(NodeId.of("node-2"), 40);
        metrics.snapshotSendFailed(NodeId.of("node-2"), 40);
        metrics.snapshotSent(NodeId.of("node-2"), 40);
        metrics.snapshotSendFinished(NodeId.of("node-2"), 40);
        metrics.snapshotReceiveStarted(40, 2);
        metrics.snapshotReceiveFailed(40, 2);
        metrics.snapshotReceiveStarted(40, 2);
        metrics.snapshotInstalled(40, 2);

        Map<String, Family> f = scrape();
        Map<String, Map<String, Double>> expected = Map.of(
                "haseq_raft_send_failures_total", Map.of("node-2", 0.0, "node-3", 2.0),
                "haseq_raft_snapshot_sends_started_total", Map.of("node-2", 2.0, "node-3", 0.0),
                "haseq_raft_snapshot_send_failures_total", Map.of("node-2", 1.0, "node-3", 0.0),
                "haseq_raft_snapshot_sends_finished_total", Map.of("node-2", 1.0, "node-3", 0.0));
        expected.forEach((name, byPeer) -> byPeer.forEach((peer, n) ->
                assertThat(value(f, name, name, Map.of("peer", peer))).as(name + " " + peer).isEqualTo(n)));
        assertThat(f.get("haseq_raft_send_failures_total").sample("haseq_raft_send_failures_total", Map.of()))
                .as("no series without a peer").isEmpty();
        assertThat(value(f, "haseq_raft_snapshot_receives_started_total")).isEqualTo(2);
        assertThat(value(f, "haseq_raft_snapshot_receive_failures_total")).isEqualTo(1);
        assertThat(value(f, "haseq_raft_snapshots_installed_total")).isEqualTo(1);
    }

    @Test
    void appliedIndexLagIsCommitMinusApplied() {
        metrics.bindConsensus(() -> new ConsensusStatus(NodeId.of("n"), Role.FOLLOWER, 3, Optional.empty(), 90, 75, 95,
                0, List.of()));
        Map<String, Family> f = scrape();
        assertThat(value(f, "haseq_raft_applied_lag")).isEqualTo(15);
        assertThat(value(f, "haseq_raft_is_leader")).isEqualTo(0);
    }

    @Test
    void transportCountersAreExportedPerPeerAndReasonWhileTheProviderHasThem() {
        String closed = "haseq_raft_transport_connections_closed_total";
        assertThat(scrape()).as("unbound").doesNotContainKey(closed);
        metrics.bindTransport(Optional::empty);
        assertThat(scrape()).as("a provider without transport counters").doesNotContainKey(closed);

        AtomicReference<TransportStats> stats = new AtomicReference<>(new TransportStats(List.of(
                new TransportStats.PeerTraffic(NodeId.of("node-2"), 10, 1000, 8, 640, 2, 3,
                        Map.of("garbage", 0L, "peer_closed", 4L), Map.of("queue_overflow", 5L)),
                new TransportStats.PeerTraffic(NodeId.of("node-3"), 1, 100, 0, 0, 0, 7,
                        Map.of("garbage", 0L, "peer_closed", 0L), Map.of("queue_overflow", 0L))),
                Map.of("garbage", 6L, "cluster_mismatch", 0L)));
        metrics.bindTransport(() -> Optional.of(stats.get()));
        Map<String, Family> f = scrape();

        String family = closed;
        assertThat(f.get(family).type()).isEqualTo("counter");
        assertThat(value(f, family, closed, Map.of("peer", "node-2", "reason", "peer_closed"))).isEqualTo(4);
        assertThat(value(f, family, closed, Map.of("peer", "(unidentified)", "reason", "garbage"))).isEqualTo(6);
        assertThat(value(f, family, closed, Map.of("peer", "node-3", "reason", "garbage"))).as("zeros exported")
                .isEqualTo(0);
        assertThat(f.get(family).samples()).hasSize(6);
        assertThat(value(f, "haseq_raft_transport_send_failures_total", "haseq_raft_transport_send_failures_total",
                Map.of("peer", "node-2", "reason", "queue_overflow"))).isEqualTo(5);
        Map<String, Double> node2 = Map.of("sent_frames", 10.0, "sent_bytes", 1000.0, "received_frames", 8.0,
                "received_bytes", 640.0, "connects", 2.0, "connect_failures", 3.0);
        node2.forEach((name, expected) -> assertThat(value(f, "haseq_raft_transport_" + name + "_total",
                "haseq_raft_transport_" + name + "_total", Map.of("peer", "node-2"))).as(name).isEqualTo(expected));
        assertThat(value(f, "haseq_raft_transport_connect_failures_total", "haseq_raft_transport_connect_failures_total",
                Map.of("peer", "node-3"))).isEqualTo(7);

        stats.set(new TransportStats(List.of(), Map.of("garbage", 9L)));
        assertThat(value(scrape(), family, closed, Map.of("peer", "(unidentified)", "reason", "garbage")))
                .as("read at every scrape").isEqualTo(9);
    }

    @Test
    void storageRepairsAreCountedPerStoreFromZero() {
        String torn = "haseq_storage_torn_tails_truncated_total";
        Map<String, Family> before = scrape();
        assertThat(value(before, torn, torn, Map.of("store", "raft_log"))).isEqualTo(0);
        assertThat(value(before, torn, torn, Map.of("store", "blocks"))).isEqualTo(0);
        assertThat(value(before, "haseq_storage_corrupt_snapshots_skipped_total",
                "haseq_storage_corrupt_snapshots_skipped_total", Map.of("store", "snapshots"))).isEqualTo(0);

        StorageEvents log = metrics.storageEvents(file -> StoreKind.RAFT_LOG);
        StorageEvents blocks = metrics.storageEvents(file -> StoreKind.BLOCKS);
        log.tornTailTruncated(Path.of("raft-log/1.seg"), 4096, 17);
        log.tornTailTruncated(Path.of("raft-log/1.seg"), 8192, 3);
        blocks.tornTailTruncated(Path.of("blocks/x.cq4"), 0, 100);
        metrics.storageEvents(file -> StoreKind.SNAPSHOTS).corruptSnapshotSkipped(Path.of("snapshots/1-9.snp"), "crc");

        Map<String, Family> f = scrape();
        assertThat(value(f, torn, torn, Map.of("store", "raft_log"))).isEqualTo(2);
        assertThat(value(f, torn, torn, Map.of("store", "blocks"))).isEqualTo(1);
        String bytes = "haseq_storage_torn_tail_dropped_bytes_total";
        assertThat(value(f, bytes, bytes, Map.of("store", "raft_log"))).isEqualTo(20);
        assertThat(value(f, bytes, bytes, Map.of("store", "blocks"))).isEqualTo(100);
        assertThat(value(f, "haseq_storage_corrupt_snapshots_skipped_total", "haseq_storage_corrupt_snapshots_skipped_total",
                Map.of("store", "snapshots"))).isEqualTo(1);
    }

    @Test
    void theTestParserIsStrict() {
        for (String bad : List.of("x 1", "x{a=\"1\" 1\n", "x 1 2 3\n", "1x 1\n", "x{__a=\"1\"} 1\n", "x abc\n",
                "# TYPE x gauge\n# TYPE x gauge\nx 1\n", "# TYPE x counter\nx_sum 1\n", "x 1\ny 1\nx 2\n",
                "x 1\nx 2\n", "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_count 1\nh_sum 1\n",
                "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_count 1\nh_sum 1\n", "x{a=\"\\q\"} 1\n")) {
            assertThatThrownBy(() -> PrometheusTextParser.parse(bad)).as(bad)
                    .isInstanceOf(PrometheusTextParser.ParseException.class);
        }
        assertThat(PrometheusTextParser.parse("# HELP x a \\\\ b\n# TYPE x gauge\nx{a=\"q\\\"\\n\"} -Inf 123\n")
                .get("x").samples().get(0).labels()).containsEntry("a", "q\"\n");
    }
}
