package dev.haseq.launcher.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haseq.api.HostPort;
import dev.haseq.api.NodeId;
import dev.haseq.api.PeerAddress;
import dev.haseq.api.config.RaftSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileFormatsTest {
    /** The operator guide's "Recommended Production Configuration", as the guide's text has it (indentation lost). */
    private static final String GUIDE_TEXT = """
            # evnode.yaml — paste this raft section into every node's config
            # Replace node_id, raft_addr, and peers with your actual values.
            node:
            aggregator: true
            raft:
            enable: true
            node_id: "node-1" # unique per node
            raft_addr: "0.0.0.0:5001"
            raft_dir: "/var/lib/ev-node/raft" # must be persistent
            # Remote peers list — different on every node
            peers: >-
            node-2@10.0.0.2:5001,
            node-3@10.0.0.3:5001,
            node-4@10.0.0.4:5001,
            node-5@10.0.0.5:5001
            # Timing — tuned for RTT_MAX ≤ 25ms
            heartbeat_timeout: "92ms"
            election_timeout: "368ms"
            leader_lease_timeout: "46ms"
            send_timeout: "50ms"
            # Log retention
            trailing_logs: 18000
            snapshot_threshold: 5000
            snap_count: 3
            """;

    @TempDir
    Path dir;

    @Test
    void shippedExampleIsTheGuidesYamlVerbatimWithItsIndentationRestored() throws IOException {
        List<String> shipped = Files.readAllLines(Loading.examples().resolve("evnode.yaml"));

        assertThat(shipped.stream().map(String::stripLeading).toList()).isEqualTo(GUIDE_TEXT.lines().toList());
        assertThat(shipped).contains("node:", "  aggregator: true", "raft:", "  enable: true", "  peers: >-",
                "    node-2@10.0.0.2:5001,");
    }

    @Test
    void guidesProductionYamlLoadsToExactlyTheValuesItStates() {
        Path file = Loading.examples().resolve("evnode.yaml");

        HaseqConfig c = Loading.load(Map.of(), file).orThrow();

        RaftSettings r = c.raft();
        assertThat(c.node().aggregator()).isTrue();
        assertThat(r.enable()).isTrue();
        assertThat(r.nodeId()).isEqualTo(NodeId.of("node-1"));
        assertThat(r.raftAddr()).isEqualTo(new HostPort("0.0.0.0", 5001));
        assertThat(r.raftDir()).isEqualTo(Path.of("/var/lib/ev-node/raft"));
        assertThat(r.peers()).containsExactly(
                PeerAddress.parse("node-2@10.0.0.2:5001"), PeerAddress.parse("node-3@10.0.0.3:5001"),
                PeerAddress.parse("node-4@10.0.0.4:5001"), PeerAddress.parse("node-5@10.0.0.5:5001"));
        assertThat(r.clusterSize()).isEqualTo(5);
        assertThat(r.heartbeatTimeout()).isEqualTo(Duration.ofMillis(92));
        assertThat(r.electionTimeout()).isEqualTo(Duration.ofMillis(368));
        assertThat(r.leaderLeaseTimeout()).isEqualTo(Duration.ofMillis(46));
        assertThat(r.sendTimeout()).isEqualTo(Duration.ofMillis(50));
        assertThat(r.trailingLogs()).isEqualTo(18000);
        assertThat(r.snapshotThreshold()).isEqualTo(5000);
        assertThat(r.snapCount()).isEqualTo(3);
        assertThat(r.bootstrap()).isFalse();
        assertThat(c.configFile()).contains(file);
        assertThat(c.sourceOf("raft.heartbeat_timeout")).isEqualTo(new ConfigSource.File(file, 17));
        assertThat(c.sourceOf("raft.peers")).isEqualTo(new ConfigSource.File(file, 11));
        assertThat(c.sourceOf("node.aggregator")).isEqualTo(new ConfigSource.File(file, 4));
        assertThat(c.sourceOf("raft.provider")).isEqualTo(new ConfigSource.Default());
        // the guide's config has no P2P and no DA: the guide itself says every node must have P2P
        assertThat(Loading.warnings(Loading.load(Map.of(), file))).singleElement().asString().contains("p2p.peers");
    }

    @Test
    void localExampleClusterPassesCheckWithDistinctPortsPerNode() {
        Set<Integer> ports = new HashSet<>();
        for (int n = 1; n <= 3; n++) {
            Path file = Loading.examples().resolve("local-3-node/node-" + n + ".yaml");
            ConfigLoad load = Loading.load(Map.of(), file);

            assertThat(load.errors()).as(file.toString()).isEmpty();
            HaseqConfig c = load.orThrow();
            assertThat(c.raft().enable()).isTrue();
            assertThat(c.raft().clusterSize()).isEqualTo(3);
            assertThat(c.raft().nodeId().value()).isEqualTo("node-" + n);
            assertThat(c.raft().peers()).allSatisfy(p -> assertThat(p.address().host()).isEqualTo("127.0.0.1"));
            assertThat(c.raft().raftDir()).isEqualTo(Path.of("/tmp/haseq-local/node-" + n + "/raft"));
            assertThat(List.of(c.raft().raftAddr().port(), c.rpc().address().port(), c.metrics().address().port(),
                    c.p2p().listenAddress().port())).allSatisfy(p -> assertThat(ports.add(p)).as("port " + p).isTrue());
            // the only warning is the honest one about /tmp
            assertThat(Loading.warnings(load)).singleElement().asString().contains("temporary storage");
        }
    }

    @Test
    void hoconFileIsReadWithLinesAndSubstitutionsFromTheInjectedEnvironment() {
        Path file = Loading.write(dir, "haseq.conf", """
                node.aggregator = true
                raft {
                  enable = true
                  node_id = ${?NODE_NAME}
                  raft_addr = "127.0.0.1:5001"
                  peers = "node-2@127.0.0.1:5002,node-3@127.0.0.1:5003"
                  heartbeat_timeout = 1m30s
                  election_timeout = 6m
                  leader_lease_timeout = 45s
                  trailing_logs = 18000
                }
                rpc.address = "127.0.0.1:9000"
                """);

        HaseqConfig c = Loading.load(Map.of("NODE_NAME", "node-1"), file).orThrow();

        assertThat(c.raft().nodeId().value()).isEqualTo("node-1");
        assertThat(c.raft().heartbeatTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.raft().electionTimeout()).isEqualTo(Duration.ofMinutes(6));
        assertThat(c.raft().trailingLogs()).isEqualTo(18000);
        assertThat(c.rpc().address().port()).isEqualTo(9000);
        assertThat(c.node().aggregator()).isTrue();
        assertThat(c.sourceOf("raft.heartbeat_timeout")).isEqualTo(new ConfigSource.File(file, 7));
        assertThat(c.sourceOf("rpc.address")).isEqualTo(new ConfigSource.File(file, 12));
    }

    @Test
    void yamlAcceptsDottedKeysPeerListsAndEmptyValues() {
        Path file = Loading.write(dir, "evnode.yaml", """
                node.aggregator: true
                raft:
                  enable: yes
                  node_id: node-1
                  raft_addr: 127.0.0.1:5001
                  raft_dir:
                  peers:
                    - node-2@127.0.0.1:5002
                    - node-3@127.0.0.1:5003
                  snapshot_threshold: 1_000
                p2p:
                """);

        HaseqConfig c = Loading.load(Map.of(), file).orThrow();

        assertThat(c.node().aggregator()).isTrue();
        assertThat(c.raft().enable()).isTrue();
        assertThat(c.raft().peers()).extracting(p -> p.id().value()).containsExactly("node-2", "node-3");
        assertThat(c.raft().snapshotThreshold()).isEqualTo(1000);
        // an empty value leaves the key to the lower sources
        assertThat(c.raft().raftDir()).isEqualTo(c.home().resolve("raft"));
        assertThat(c.sourceOf("raft.raft_dir")).isEqualTo(new ConfigSource.Default());
    }

    @Test
    void emptyYamlFileIsAllDefaults() {
        Path file = Loading.write(dir, "evnode.yaml", "# nothing yet\n");

        HaseqConfig c = Loading.load(Map.of(), file).orThrow();

        assertThat(c.settings().values()).allSatisfy(s -> assertThat(s.source()).isEqualTo(new ConfigSource.Default()));
    }

    @Test
    void malformedYamlNamesFileLineAndProblem() {
        Path file = Loading.write(dir, "evnode.yaml", """
                raft:
                  enable: true
                   node_id: node-1
                """);

        ConfigLoad load = Loading.load(Map.of(), file);

        assertThat(Loading.errors(load)).singleElement().asString()
                .startsWith(file + ", line 3, column ").contains("malformed YAML").contains("mapping values");
    }

    @Test
    void unterminatedYamlPointsAtWhereItBroke() {
        Path file = Loading.write(dir, "evnode.yaml", "raft:\n  peers: [a, b\n");

        assertThat(Loading.errors(Loading.load(Map.of(), file))).singleElement().asString()
                .startsWith(file + ", line 3, column 1: malformed YAML").contains("expected ',' or ']'");
    }

    @Test
    void yamlTabIndentationIsRefusedWithTheReason() {
        Path file = Loading.write(dir, "evnode.yaml", "raft:\n\tenable: true\n");

        assertThat(Loading.errors(Loading.load(Map.of(), file))).singleElement().asString()
                .startsWith(file + ", line 2").contains("TAB");
    }

    @Test
    void aKeyGivenTwiceInYamlIsAnError() {
        Path file = Loading.write(dir, "evnode.yaml", "raft:\n  enable: true\n  enable: false\n");
        Path dotted = Loading.write(dir, "dotted.yaml", "raft:\n  enable: true\nraft.enable: false\n");

        assertThat(Loading.errors(Loading.load(Map.of(), file))).singleElement().asString()
                .startsWith(file + ", line 3").contains("enable");
        assertThat(Loading.errors(Loading.load(Map.of(), dotted))).singleElement().asString()
                .isEqualTo(dotted + ", line 3: key raft.enable is given twice; keep one");
    }

    @Test
    void yamlWithTwoDocumentsOrATopLevelListIsRefused() {
        Path twoDocs = Loading.write(dir, "two.yaml", "raft:\n  enable: false\n---\nraft:\n  enable: true\n");
        Path list = Loading.write(dir, "list.yaml", "- raft\n- node\n");

        assertThat(Loading.errors(Loading.load(Map.of(), twoDocs))).singleElement().asString()
                .contains("second YAML document");
        assertThat(Loading.errors(Loading.load(Map.of(), list))).singleElement().asString()
                .isEqualTo(list + ", line 1: the top level must be a mapping of sections (node:, raft:, ...), found a list");
    }

    @Test
    void malformedHoconNamesFileAndLine() {
        Path file = Loading.write(dir, "haseq.conf", "raft {\n  enable = true\n  node_id = \n");

        assertThat(Loading.errors(Loading.load(Map.of(), file))).singleElement().asString()
                .startsWith(file + ", line ").contains("malformed HOCON");
    }

    @Test
    void missingFileAndUnknownExtensionAreClearErrors() {
        Path missing = dir.resolve("nope.yaml");
        Path toml = Loading.write(dir, "evnode.toml", "[raft]\n");

        assertThat(Loading.errors(Loading.load(Map.of(), missing))).singleElement().asString()
                .isEqualTo(missing + ": config file does not exist; check the --config path");
        assertThat(Loading.errors(Loading.load(Map.of(), toml))).singleElement().asString()
                .contains("unknown config format").contains("*.yaml").contains("*.conf");
    }
}
