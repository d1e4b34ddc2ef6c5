package dev.haseq.launcher.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haseq.api.HostPort;
import dev.haseq.api.NodeId;
import dev.haseq.api.config.Durations;
import dev.haseq.api.config.RaftSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ReferenceDefaultsTest {
    private final ConfigKeys keys = ConfigKeys.builtIn();

    @Test
    void referenceConfListsExactlyTheseKeysWithTheseDefaults() {
        Map<String, String> expected = new TreeMap<>();
        expected.put("home", "~/.haseq");
        expected.put("node.aggregator", "false");
        expected.put("node.block_time", "1s");
        expected.put("node.max_block_bytes", "1MiB");
        expected.put("node.lazy_mode", "false");
        expected.put("node.lazy_block_interval", "60s");
        expected.put("node.mempool_max_txs", "10000");
        expected.put("node.mempool_max_bytes", "64MiB");
        expected.put("node.max_tx_bytes", "128KiB");
        expected.put("node.signer_key", "<home>/config/signer.key");
        expected.put("raft.enable", "false");
        expected.put("raft.node_id", "");
        expected.put("raft.raft_addr", "");
        expected.put("raft.raft_dir", "<home>/raft");
        expected.put("raft.peers", "");
        expected.put("raft.bootstrap", "false");
        expected.put("raft.heartbeat_timeout", "350ms");
        expected.put("raft.election_timeout", "1000ms");
        expected.put("raft.leader_lease_timeout", "175ms");
        expected.put("raft.send_timeout", "200ms");
        expected.put("raft.snapshot_threshold", "500");
        expected.put("raft.trailing_logs", "200");
        expected.put("raft.snap_count", "3");
        expected.put("raft.provider", "native");
        expected.put("raft.log_store", "chronicle");
        expected.put("rpc.address", "127.0.0.1:7331");
        expected.put("rpc.max_request_bytes", "1MiB");
        expected.put("rpc.peers", "");
        expected.put("storage.data_dir", "<home>/data");
        expected.put("storage.block_store", "chronicle");
        expected.put("storage.stable_store", "file");
        expected.put("storage.snapshot_store", "file");
        expected.put("metrics.enabled", "false");
        expected.put("metrics.address", "127.0.0.1:26660");
        expected.put("p2p.listen_address", "/ip4/0.0.0.0/tcp/26656");
        expected.put("p2p.peers", "");
        expected.put("da.provider", "");
        expected.put("da.address", "");
        expected.put("executor.provider", "kv");

        Map<String, String> actual = new TreeMap<>();
        keys.all().forEach(k -> actual.put(k, keys.defaultText(k)));
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void raftKeysAreExactlyThoseRaftSettingsReads() {
        assertThat(keys.all().stream().filter(k -> k.startsWith("raft.")))
                .containsExactlyInAnyOrderElementsOf(RaftSettings.KEYS);
    }

    @Test
    void raftDefaultsAreTheGuidesDefaultsAsRaftSettingsStatesThem() {
        RaftSettings.defaults().forEach((key, guideDefault) -> {
            String ours = keys.defaultText(key);
            if (key.endsWith("_timeout")) {
                assertThat(Durations.parse(ours)).as(key).isEqualTo(Durations.parse(guideDefault));
            } else {
                assertThat(ours).as(key).isEqualTo(guideDefault);
            }
        });
    }

    @Test
    void loadingNothingGivesTypedDefaultsAllFromTheDefaultSource() {
        HaseqConfig c = Loading.load(Map.of(), null).orThrow();

        Path home = Loading.USER_HOME.resolve(".haseq");
        assertThat(c.home()).isEqualTo(home);
        assertThat(c.configFile()).isEmpty();
        RaftSettings r = c.raft();
        assertThat(r.enable()).isFalse();
        assertThat(r.nodeId()).isEqualTo(NodeId.of(RaftSettings.SINGLE_NODE_ID));
        assertThat(r.raftDir()).isEqualTo(home.resolve("raft"));
        assertThat(r.peers()).isEmpty();
        assertThat(r.heartbeatTimeout()).isEqualTo(Duration.ofMillis(350));
        assertThat(r.electionTimeout()).isEqualTo(Duration.ofMillis(1000));
        assertThat(r.leaderLeaseTimeout()).isEqualTo(Duration.ofMillis(175));
        assertThat(r.sendTimeout()).isEqualTo(Duration.ofMillis(200));
        assertThat(r.snapshotThreshold()).isEqualTo(500);
        assertThat(r.trailingLogs()).isEqualTo(200);
        assertThat(r.snapCount()).isEqualTo(3);
        assertThat(r.provider()).isEqualTo("native");
        assertThat(r.logStore()).isEqualTo("chronicle");

        assertThat(c.node()).isEqualTo(new NodeSettings(false, Duration.ofSeconds(1), 1L << 20, false,
                Duration.ofSeconds(60), 10_000, 64L << 20, 128L << 10, home.resolve("config/signer.key")));
        assertThat(c.rpc()).isEqualTo(new RpcSettings(HostPort.parse("127.0.0.1:7331"), 1L << 20, Map.of()));
        assertThat(c.storage()).isEqualTo(new StorageSettings(home.resolve("data"), "chronicle", "file", "file"));
        assertThat(c.storage().blocksDir()).isEqualTo(home.resolve("data/blocks"));
        assertThat(c.metrics()).isEqualTo(new MetricsSettings(false, HostPort.parse("127.0.0.1:26660")));
        assertThat(c.p2p().listenAddress().host()).isEqualTo("0.0.0.0");
        assertThat(c.p2p().listenAddress().port()).isEqualTo(26656);
        assertThat(c.p2p().peers()).isEmpty();
        assertThat(c.da()).isEqualTo(new DaSettings(Optional.empty(), ""));
        assertThat(c.executor()).isEqualTo(new ExecutorSettings("kv"));

        assertThat(c.settings().keySet()).containsExactlyInAnyOrderElementsOf(keys.all());
        assertThat(c.settings().values()).allSatisfy(s -> assertThat(s.source()).isEqualTo(new ConfigSource.Default()));
        assertThat(c.warnings()).isEmpty();
    }

    @Test
    void environmentNamesAreTheKeyInUpperCaseWithDotsAsUnderscores() {
        assertThat(ConfigKeys.envName("raft.heartbeat_timeout")).isEqualTo("EVNODE_RAFT_HEARTBEAT_TIMEOUT");
        assertThat(keys.keyForEnv("EVNODE_RAFT_HEARTBEAT_TIMEOUT")).contains("raft.heartbeat_timeout");
        assertThat(keys.keyForEnv("EVNODE_NODE_MEMPOOL_MAX_TXS")).contains("node.mempool_max_txs");
        assertThat(keys.keyForEnv("EVNODE_HOME")).contains("home");
        assertThat(keys.keyForEnv("EVNODE_RAFT_HEARTBEAT")).isEmpty();
        // one variable per key, no two keys sharing one
        assertThat(keys.envNames()).hasSameSizeAs(keys.all());
    }

    @Test
    void onlyTheBooleanKeysCountAsBoolean() {
        assertThat(keys.all().stream().filter(keys::isBoolean)).containsExactlyInAnyOrder("node.aggregator",
                "node.lazy_mode", "raft.enable", "raft.bootstrap", "metrics.enabled");
    }
}
