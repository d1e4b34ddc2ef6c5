package dev.haseq.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.haseq.api.HostPort;
import dev.haseq.api.NodeId;
import dev.haseq.api.PeerAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RaftSettingsTest {
    private static final Path HOME = Path.of("/var/lib/haseq");

    private static Map<String, String> cluster() {
        Map<String, String> m = new HashMap<>();
        m.put("node.aggregator", "true");
        m.put("raft.enable", "true");
        m.put("raft.node_id", "node-1");
        m.put("raft.raft_addr", "0.0.0.0:5001");
        m.put("raft.peers", "node-2@10.0.0.2:5001,node-3@10.0.0.3:5001");
        return m;
    }

    private static RaftSettings.Parsed parse(Map<String, String> m) {
        return RaftSettings.parse(m, HOME);
    }

    private static List<String> errors(Map<String, String> m) {
        return parse(m).errors().stream().map(ConfigProblem::message).toList();
    }

    @Test
    void absentKeysTakeTheGuidesDefaults() {
        RaftSettings s = parse(cluster()).orThrow();
        assertThat(s.heartbeatTimeout()).isEqualTo(Duration.ofMillis(350));
        assertThat(s.electionTimeout()).isEqualTo(Duration.ofMillis(1000));
        assertThat(s.leaderLeaseTimeout()).isEqualTo(Duration.ofMillis(175));
        assertThat(s.sendTimeout()).isEqualTo(Duration.ofMillis(200));
        assertThat(s.snapshotThreshold()).isEqualTo(500);
        assertThat(s.trailingLogs()).isEqualTo(200);
        assertThat(s.snapCount()).isEqualTo(3);
        assertThat(s.raftDir()).isEqualTo(HOME.resolve("raft"));
        assertThat(s.bootstrap()).isFalse();
        assertThat(s.provider()).isEqualTo("native");
        assertThat(s.logStore()).isEqualTo("chronicle");
        assertThat(s.clusterSize()).isEqualTo(3);
        assertThat(s.quorum()).isEqualTo(2);
    }

    @Test
    void defaultsMapAgreesWithParsedDefaults() {
        Map<String, String> d = RaftSettings.defaults();
        assertThat(d).containsEntry("raft.heartbeat_timeout", "350ms").containsEntry("raft.election_timeout", "1s")
                .containsEntry("raft.leader_lease_timeout", "175ms").containsEntry("raft.send_timeout", "200ms")
                .containsEntry("raft.snapshot_threshold", "500").containsEntry("raft.trailing_logs", "200")
                .containsEntry("raft.snap_count", "3").containsEntry("raft.bootstrap", "false")
                .containsEntry("raft.enable", "false").containsEntry("raft.raft_dir", "<home>/raft");
        assertThat(d.keySet()).isSubsetOf(RaftSettings.KEYS);
    }

    @Test
    void disabledRaftIsASingleSequencerWithoutRequiredKeys() {
        RaftSettings s = parse(Map.of()).orThrow();
        assertThat(s.enable()).isFalse();
        assertThat(s.nodeId()).isEqualTo(NodeId.of("node-1"));
        assertThat(s.raftAddr()).isEqualTo(HostPort.parse("127.0.0.1:5001"));
        assertThat(s.peers()).isEmpty();
        assertThat(s.clusterSize()).isEqualTo(1);
    }

    @Test
    void explicitValuesOverrideDefaults() {
        Map<String, String> m = cluster();
        m.put("raft.heartbeat_timeout", "92ms");
        m.put("raft.election_timeout", "368ms");
        m.put("raft.leader_lease_timeout", "46ms");
        m.put("raft.send_timeout", "50ms");
        m.put("raft.trailing_logs", "18000");
        m.put("raft.snapshot_threshold", "5000");
        m.put("raft.snap_count", "2");
        m.put("raft.raft_dir", "/data/raft");
        m.put("raft.bootstrap", "true");
        m.put("raft.log_store", "file");
        RaftSettings s = parse(m).orThrow();
        assertThat(s.heartbeatTimeout()).isEqualTo(Duration.ofMillis(92));
        assertThat(s.electionTimeout()).isEqualTo(Duration.ofMillis(368));
        assertThat(s.leaderLeaseTimeout()).isEqualTo(Duration.ofMillis(46));
        assertThat(s.sendTimeout()).isEqualTo(Duration.ofMillis(50));
        assertThat(s.trailingLogs()).isEqualTo(18000);
        assertThat(s.snapshotThreshold()).isEqualTo(5000);
        assertThat(s.snapCount()).isEqualTo(2);
        assertThat(s.raftDir()).isEqualTo(Path.of("/data/raft"));
        assertThat(s.bootstrap()).isTrue();
        assertThat(s.logStore()).isEqualTo("file");
        assertThat(s.peers()).containsExactly(PeerAddress.parse("node-2@10.0.0.2:5001"),
                PeerAddress.parse("node-3@10.0.0.3:5001"));
    }

    @Test
    void peersMayBeFoldedWithSpacesAndNewlines() {
        Map<String, String> m = cluster();
        m.put("raft.peers", "node-2@10.0.0.2:5001,\n node-3@10.0.0.3:5001, node-4@10.0.0.4:5001,\nnode-5@10.0.0.5:5001");
        assertThat(parse(m).orThrow().peers()).hasSize(4);
    }

    @Test
    void missingNodeIdIsNamedWithTheFix() {
        Map<String, String> m = cluster();
        m.remove("raft.node_id");
        assertThat(errors(m)).singleElement().asString()
                .contains("raft.node_id is required when raft.enable is true").contains("node_id: \"node-1\"");
    }

    @Test
    void badNodeIdIsNamed() {
        Map<String, String> m = cluster();
        m.put("raft.node_id", "node 1");
        assertThat(errors(m)).singleElement().asString().startsWith("raft.node_id:");
    }

    @Test
    void missingRaftAddrIsNamedWithTheFix() {
        Map<String, String> m = cluster();
        m.remove("raft.raft_addr");
        assertThat(errors(m)).singleElement().asString().contains("raft.raft_addr is required")
                .contains("raft_addr: \"0.0.0.0:5001\"");
    }

    @Test
    void unparsableRaftAddrIsNamed() {
        Map<String, String> m = cluster();
        m.put("raft.raft_addr", "0.0.0.0");
        assertThat(errors(m)).singleElement().asString().contains("raft.raft_addr '0.0.0.0' is not host:port");
    }

    @Test
    void missingPeersAreRequiredWhenRaftIsEnabled() {
        Map<String, String> m = cluster();
        m.remove("raft.peers");
        assertThat(errors(m)).singleElement().asString().contains("raft.peers is required when raft.enable is true")
                .contains("set raft.enable: false");
    }

    @Test
    void malformedPeerEntryIsNamed() {
        Map<String, String> m = cluster();
        m.put("raft.peers", "node-2@10.0.0.2:5001,node-3-10.0.0.3:5001");
        assertThat(errors(m)).singleElement().asString().contains("raft.peers entry 'node-3-10.0.0.3:5001' is malformed")
                .contains("expected nodeID@host:port");
    }

    @Test
    void emptyPeerEntryIsNamed() {
        Map<String, String> m = cluster();
        m.put("raft.peers", "node-2@10.0.0.2:5001,,node-3@10.0.0.3:5001");
        assertThat(errors(m)).singleElement().asString().contains("raft.peers has an empty entry");
    }

    @Test
    void ownIdInPeersIsRefused() {
        Map<String, String> m = cluster();
        m.put("raft.peers", "node-1@10.0.0.1:5001,node-2@10.0.0.2:5001");
        assertThat(errors(m)).singleElement().asString().contains("lists this node's own node_id (node-1)")
                .contains("remove 'node-1@10.0.0.1:5001'");
    }

    @Test
    void duplicateIdsAndAddressesAreRefused() {
        Map<String, String> m = cluster();
        m.put("raft.peers", "node-2@10.0.0.2:5001,node-2@10.0.0.9:5001");
        assertThat(errors(m)).singleElement().asString().contains("lists node id node-2 twice");
        m.put("raft.peers", "node-2@10.0.0.2:5001,node-3@10.0.0.2:5001");
        assertThat(errors(m)).singleElement().asString().contains("lists address 10.0.0.2:5001 twice");
    }

    @Test
    void electionTimeoutBelowHeartbeatIsRefusedWithTheGuidesSuggestion() {
        Map<String, String> m = cluster();
        m.put("raft.election_timeout", "300ms");
        m.put("raft.leader_lease_timeout", "100ms");
        assertThat(errors(m)).singleElement().asString().isEqualTo(
                "raft.election_timeout (300ms) must be >= raft.heartbeat_timeout (350ms); "
                        + "the guide suggests 4 x heartbeat_timeout (1400ms)");
    }

    @Test
    void leaseAtOrAboveElectionTimeoutIsRefused() {
        Map<String, String> m = cluster();
        m.put("raft.leader_lease_timeout", "1s");
        assertThat(errors(m)).singleElement().asString()
                .startsWith("raft.leader_lease_timeout (1s) must be < raft.election_timeout (1s)")
                .contains("heartbeat_timeout / 2 (175ms)");
    }

    @Test
    void raftWithoutAggregatorIsRefused() {
        Map<String, String> m = cluster();
        m.put("node.aggregator", "false");
        assertThat(errors(m)).singleElement().asString().contains("raft.enable requires node.aggregator: true");
    }

    @Test
    void malformedValuesAreNamedWithTheirKey() {
        Map<String, String> m = cluster();
        m.put("raft.heartbeat_timeout", "fast");
        m.put("raft.snapshot_threshold", "lots");
        m.put("raft.snap_count", "0");
        m.put("raft.trailing_logs", "-1");
        m.put("raft.enable", "maybe");
        m.put("raft.send_timeout", "0");
        m.put("raft.provider", "Native!");
        assertThat(errors(m)).anyMatch(e -> e.startsWith("raft.heartbeat_timeout: 'fast' is not a duration"))
                .anyMatch(e -> e.startsWith("raft.snapshot_threshold must be a whole number"))
                .anyMatch(e -> e.startsWith("raft.snap_count must be >= 1"))
                .anyMatch(e -> e.startsWith("raft.trailing_logs must be >= 0"))
                .anyMatch(e -> e.startsWith("raft.enable must be true or false"))
                .anyMatch(e -> e.startsWith("raft.send_timeout must be positive"))
                .anyMatch(e -> e.startsWith("raft.provider must be a provider name"));
    }

    @Test
    void everyErrorIsReportedAtOnceAndOrThrowListsThem() {
        Map<String, String> m = cluster();
        m.remove("raft.node_id");
        m.remove("raft.raft_addr");
        m.put("raft.election_timeout", "100ms");
        RaftSettings.Parsed p = parse(m);
        assertThat(p.settings()).isEmpty();
        assertThat(p.errors()).extracting(ConfigProblem::key)
                .contains("raft.node_id", "raft.raft_addr", "raft.election_timeout");
        assertThatThrownBy(p::orThrow).isInstanceOf(ConfigException.class)
                .hasMessageContaining("raft.node_id").hasMessageContaining("raft.raft_addr");
    }

    /** The guide's "Cluster Sizing" table: nodes, quorum, tolerated failures. */
    @Test
    void quorumAndToleratedFailuresFollowTheGuidesSizingTable() {
        int[][] table = {{3, 2, 1}, {5, 3, 2}, {7, 4, 3}};
        for (int[] row : table) {
            Map<String, String> m = cluster();
            List<String> peers = new java.util.ArrayList<>();
            for (int i = 2; i <= row[0]; i++) {
                peers.add("node-" + i + "@10.0.0." + i + ":5001");
            }
            m.put("raft.peers", String.join(",", peers));
            RaftSettings.Parsed p = parse(m);
            assertThat(p.warnings()).as(row[0] + " nodes: odd, no warning").isEmpty();
            RaftSettings s = p.orThrow();
            assertThat(s.clusterSize()).isEqualTo(row[0]);
            assertThat(s.quorum()).as("quorum of " + row[0]).isEqualTo(row[1]);
            assertThat(s.clusterSize() - s.quorum()).as("failures " + row[0] + " nodes tolerate").isEqualTo(row[2]);
        }
    }

    @Test
    void evenClusterSizeIsAWarningNotAnError() {
        Map<String, String> m = cluster();
        m.put("raft.peers", "node-2@10.0.0.2:5001,node-3@10.0.0.3:5001,node-4@10.0.0.4:5001");
        RaftSettings.Parsed p = parse(m);
        assertThat(p.errors()).isEmpty();
        assertThat(p.warnings()).singleElement().asString().contains("4 members").contains("odd number");
    }

    @Test
    void leaseAboveHalfTheHeartbeatIsAWarning() {
        Map<String, String> m = cluster();
        m.put("raft.leader_lease_timeout", "300ms");
        RaftSettings.Parsed p = parse(m);
        assertThat(p.errors()).isEmpty();
        assertThat(p.warnings()).singleElement().asString()
                .contains("raft.leader_lease_timeout (300ms) is above half of raft.heartbeat_timeout (350ms)");
    }

    @Test
    void theDefaultTimingsPassWithoutWarnings() {
        RaftSettings.Parsed p = parse(cluster());
        assertThat(p.errors()).isEmpty();
        assertThat(p.warnings()).isEmpty();
    }

    @Test
    void timeoutsFarFromTheGuidesFormulasAreWarningsThatNameTheKeyAndTheSuggestion() {
        String[][] cases = {
            // key, value, expected fragment
            {"raft.election_timeout", "500ms", "raft.election_timeout (500ms) is less than twice raft.heartbeat_timeout (350ms)"},
            {"raft.election_timeout", "4s", "raft.election_timeout (4s) is more than 10 x raft.heartbeat_timeout (350ms)"},
            {"raft.leader_lease_timeout", "40ms", "raft.leader_lease_timeout (40ms) is below raft.heartbeat_timeout (350ms) / 8"},
            {"raft.send_timeout", "350ms", "raft.send_timeout (350ms) is not below raft.heartbeat_timeout (350ms)"},
            {"raft.send_timeout", "40ms", "raft.send_timeout (40ms) is below raft.heartbeat_timeout (350ms) / 8"},
        };
        for (String[] c : cases) {
            Map<String, String> m = cluster();
            m.put(c[0], c[1]);
            RaftSettings.Parsed p = parse(m);
            assertThat(p.errors()).as(c[0] + "=" + c[1]).isEmpty();
            assertThat(p.warnings()).as(c[0] + "=" + c[1]).singleElement().satisfies(w -> {
                assertThat(w.key()).isEqualTo(c[0]);
                assertThat(w.toString()).contains(c[2]).contains("guide");
            });
        }
    }

    @Test
    void theGuidesProductionTimingsPassWithoutWarnings() {
        Map<String, String> m = cluster();
        m.put("raft.peers", "node-2@10.0.0.2:5001,node-3@10.0.0.3:5001,node-4@10.0.0.4:5001,node-5@10.0.0.5:5001");
        m.put("raft.heartbeat_timeout", "92ms");
        m.put("raft.election_timeout", "368ms");
        m.put("raft.leader_lease_timeout", "46ms");
        m.put("raft.send_timeout", "50ms");
        RaftSettings.Parsed p = parse(m);
        assertThat(p.errors()).isEmpty();
        assertThat(p.warnings()).isEmpty();
        assertThat(p.orThrow().quorum()).isEqualTo(3);
    }

    @Test
    void providersSelectReportsWhatIsAvailable() {
        assertThatThrownBy(() -> Providers.select(dev.haseq.api.storage.LogStoreProvider.class,
                dev.haseq.api.storage.LogStoreProvider::name, "raft.log_store", "rocks"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("raft.log_store 'rocks' is not an available LogStoreProvider; available: none");
    }
}
