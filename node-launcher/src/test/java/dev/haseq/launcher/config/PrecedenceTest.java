package dev.haseq.launcher.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PrecedenceTest {
    @TempDir
    Path dir;

    /**
     * Bit 0: the file sets raft.heartbeat_timeout (100ms), bit 1: the environment (200ms), bit 2: a
     * flag (300ms). The highest source present must win, and be reported as the source.
     */
    @ParameterizedTest(name = "sources mask {0}")
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7})
    void theHighestSourceThatSetsAKeyWinsAndIsReported(int mask) {
        Path file = Loading.write(dir, "evnode.yaml", "raft:\n  snap_count: 4\n"
                + ((mask & 1) != 0 ? "  heartbeat_timeout: 100ms\n" : ""));
        Map<String, String> env = new HashMap<>();
        if ((mask & 2) != 0) {
            env.put("EVNODE_RAFT_HEARTBEAT_TIMEOUT", "200ms");
        }
        List<String> flags = new ArrayList<>();
        if ((mask & 4) != 0) {
            flags.add("--evnode.raft.heartbeat_timeout=300ms");
        }
        // keep lease below heartbeat/2 for every variant, from the lowest source
        env.put("EVNODE_RAFT_LEADER_LEASE_TIMEOUT", "40ms");

        HaseqConfig c = Loading.load(env, file, flags.toArray(String[]::new)).orThrow();

        ConfigSource source = c.sourceOf("raft.heartbeat_timeout");
        Duration heartbeat = c.raft().heartbeatTimeout();
        if ((mask & 4) != 0) {
            assertThat(heartbeat).isEqualTo(Duration.ofMillis(300));
            assertThat(source).isEqualTo(new ConfigSource.Flag("--evnode.raft.heartbeat_timeout"));
        } else if ((mask & 2) != 0) {
            assertThat(heartbeat).isEqualTo(Duration.ofMillis(200));
            assertThat(source).isEqualTo(new ConfigSource.Environment("EVNODE_RAFT_HEARTBEAT_TIMEOUT"));
        } else if ((mask & 1) != 0) {
            assertThat(heartbeat).isEqualTo(Duration.ofMillis(100));
            assertThat(source).isEqualTo(new ConfigSource.File(file, 3));
        } else {
            assertThat(heartbeat).isEqualTo(Duration.ofMillis(350));
            assertThat(source).isEqualTo(new ConfigSource.Default());
        }
        // a key set only in the file keeps the file as its source whatever else is set
        assertThat(c.raft().snapCount()).isEqualTo(4);
        assertThat(c.sourceOf("raft.snap_count")).isEqualTo(new ConfigSource.File(file, 2));
        assertThat(c.sourceOf("raft.leader_lease_timeout"))
                .isEqualTo(new ConfigSource.Environment("EVNODE_RAFT_LEADER_LEASE_TIMEOUT"));
    }

    @Test
    void bothFlagFormsSetValuesAndALaterFlagWins() {
        HaseqConfig c = Loading.load(Map.of(), null,
                "--evnode.raft.node_id", "node-7",
                "--evnode.raft.snap_count=5",
                "--evnode.raft.trailing_logs", "900",
                "--evnode.raft.trailing_logs=1000",
                "--evnode.metrics.enabled",
                "--evnode.node.lazy_mode", "false",
                "--evnode.raft.peers=node-2@127.0.0.1:6002,node-3@127.0.0.1:6003").orThrow();

        assertThat(c.raft().nodeId().value()).isEqualTo("node-7");
        assertThat(c.raft().snapCount()).isEqualTo(5);
        assertThat(c.raft().trailingLogs()).isEqualTo(1000);
        assertThat(c.metrics().enabled()).isTrue();
        assertThat(c.node().lazyMode()).isFalse();
        assertThat(c.settings().get("raft.peers").value()).isEqualTo("node-2@127.0.0.1:6002,node-3@127.0.0.1:6003");
        assertThat(c.sourceOf("raft.node_id")).isEqualTo(new ConfigSource.Flag("--evnode.raft.node_id"));
        assertThat(c.sourceOf("metrics.enabled")).isEqualTo(new ConfigSource.Flag("--evnode.metrics.enabled"));
    }

    @Test
    void homeComesFromTheHomeFlagAboveEveryOtherSourceAndMovesThePathDefaults() {
        Path file = Loading.write(dir, "evnode.yaml", "home: /from/file\n");
        Map<String, String> env = Map.of("EVNODE_HOME", "/from/env");

        HaseqConfig fromFile = Loading.load(Map.of(), file).orThrow();
        HaseqConfig fromEnv = Loading.load(env, file).orThrow();
        HaseqConfig fromEvnodeFlag = Loading.load(env, file, "--evnode.home=/from/evnode-flag").orThrow();
        HaseqConfig fromHomeFlag = new ConfigLoader(env, Loading.USER_HOME).load(new ConfigRequest(Optional.of(file),
                Optional.of("/from/home-flag"), EvnodeFlags.parse(List.of("--evnode.home=/from/evnode-flag"),
                ConfigKeys.builtIn()))).orThrow();

        assertThat(fromFile.home()).isEqualTo(Path.of("/from/file"));
        assertThat(fromEnv.home()).isEqualTo(Path.of("/from/env"));
        assertThat(fromEvnodeFlag.home()).isEqualTo(Path.of("/from/evnode-flag"));
        assertThat(fromHomeFlag.home()).isEqualTo(Path.of("/from/home-flag"));
        assertThat(fromHomeFlag.sourceOf("home")).isEqualTo(new ConfigSource.Flag("--home"));
        assertThat(fromHomeFlag.raft().raftDir()).isEqualTo(Path.of("/from/home-flag/raft"));
        assertThat(fromHomeFlag.node().signerKey()).isEqualTo(Path.of("/from/home-flag/config/signer.key"));
        assertThat(fromHomeFlag.settings().get("raft.raft_dir").value()).isEqualTo("/from/home-flag/raft");
    }

    @Test
    void pathsResolveTildeHomeMarkerAndRelativeToHome() {
        HaseqConfig c = Loading.load(Map.of(), null, "--evnode.home=~/nodes/a",
                "--evnode.raft.raft_dir=state/raft", "--evnode.node.signer_key=~/keys/signer.key").orThrow();

        assertThat(c.home()).isEqualTo(Loading.USER_HOME.resolve("nodes/a"));
        assertThat(c.raft().raftDir()).isEqualTo(Loading.USER_HOME.resolve("nodes/a/state/raft"));
        assertThat(c.node().signerKey()).isEqualTo(Loading.USER_HOME.resolve("keys/signer.key"));
    }

    @Test
    void withoutConfigFlagTheFileInHomeConfigIsRead() {
        Path home = dir.resolve("home");
        Path file = Loading.write(home, "config/evnode.yaml", "raft:\n  snap_count: 9\n");

        HaseqConfig c = Loading.loadWithoutFile(home, Map.of()).orThrow();

        assertThat(c.configFile()).contains(file);
        assertThat(c.raft().snapCount()).isEqualTo(9);
    }

    @Test
    void withoutConfigFlagBothDefaultFilesInHomeIsAnError() {
        Path home = dir.resolve("home");
        Loading.write(home, "config/evnode.yaml", "raft:\n  snap_count: 9\n");
        Loading.write(home, "config/haseq.conf", "raft.snap_count = 8\n");

        ConfigLoad load = Loading.loadWithoutFile(home, Map.of());

        assertThat(Loading.errors(load)).singleElement().asString()
                .contains("evnode.yaml").contains("haseq.conf").contains("keep one");
    }

    @Test
    void environmentVariablesWithoutThePrefixAreIgnored() {
        HaseqConfig c = Loading.load(Map.of("PATH", "/bin", "HOME", "/root", "EVNODEX_RAFT_ENABLE", "true",
                "RAFT_ENABLE", "true"), null).orThrow();

        assertThat(c.raft().enable()).isFalse();
    }
}
