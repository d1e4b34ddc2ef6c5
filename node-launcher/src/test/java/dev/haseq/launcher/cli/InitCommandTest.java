package dev.haseq.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haseq.api.NodeId;
import dev.haseq.api.PeerAddress;
import dev.haseq.launcher.config.ConfigLoader;
import dev.haseq.launcher.config.ConfigRequest;
import dev.haseq.launcher.config.HaseqConfig;
import dev.haseq.node.sign.KeyFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InitCommandTest {
    @TempDir
    Path dir;

    private HaseqConfig load(Path home) {
        return new ConfigLoader(Map.of(), Cli.USER_HOME).load(ConfigRequest.ofFile(home.resolve("config/evnode.yaml")))
                .orThrow();
    }

    @Test
    void initWritesAConfigThatLoadsToTheFlagsAndAnOwnerOnlySigningKey() throws Exception {
        Path home = dir.resolve("node-1");

        Cli r = Cli.run("init", "--home", home.toString(), "--node-id", "node-1", "--raft-addr", "127.0.0.1:5001",
                "--peers", "node-2@127.0.0.1:5002,node-3@127.0.0.1:5003", "--rpc-addr", "127.0.0.1:7331",
                "--rpc-peers", "node-2@127.0.0.1:7332,node-3@127.0.0.1:7333", "--block-time", "250ms",
                "--evnode.raft.heartbeat_timeout=92ms", "--evnode.raft.election_timeout=368ms",
                "--evnode.raft.leader_lease_timeout=46ms");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("wrote " + home.resolve("config/evnode.yaml"))
                .contains("created a new signing key").contains("haseq start --home " + home);
        HaseqConfig c = load(home);
        assertThat(c.home()).isEqualTo(home);
        assertThat(c.node().aggregator()).isTrue();
        assertThat(c.node().blockTime()).isEqualTo(Duration.ofMillis(250));
        assertThat(c.raft().enable()).isTrue();
        assertThat(c.raft().nodeId()).isEqualTo(NodeId.of("node-1"));
        assertThat(c.raft().peers()).containsExactly(PeerAddress.parse("node-2@127.0.0.1:5002"),
                PeerAddress.parse("node-3@127.0.0.1:5003"));
        assertThat(c.raft().heartbeatTimeout()).isEqualTo(Duration.ofMillis(92));
        assertThat(c.rpc().peers()).hasSize(2);
        Path key = home.resolve("config/signer.key");
        assertThat(Files.getPosixFilePermissions(key)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(KeyFile.load(key).getPrivate().getAlgorithm()).isIn("Ed25519", "EdDSA");
    }

    @Test
    void signerKeyFromCopiesTheClustersKeyAndNeverOverwritesADifferentOne() throws Exception {
        Path clusterKey = dir.resolve("cluster.key");
        KeyFile.create(clusterKey, new SecureRandom());
        Path home = dir.resolve("node-2");

        Cli copied = Cli.run("init", "--home", home.toString(), "--signer-key-from", clusterKey.toString());

        assertThat(copied.exitCode()).as(copied.err()).isZero();
        assertThat(copied.out()).contains("copied the signing key");
        Path key = home.resolve("config/signer.key");
        assertThat(key).hasSameBinaryContentAs(clusterKey);
        assertThat(Files.getPosixFilePermissions(key)).isEqualTo(PosixFilePermissions.fromString("rw-------"));

        Path otherKey = dir.resolve("other.key");
        KeyFile.create(otherKey, new SecureRandom());
        Cli refused = Cli.run("init", "--home", home.toString(), "--force", "--signer-key-from", otherKey.toString());

        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("a different signing key already exists at " + key)
                .contains("the configuration was not written");
        assertThat(key).hasSameBinaryContentAs(clusterKey);
    }

    @Test
    void anExistingConfigIsReplacedOnlyWithForceAndTheKeyIsKept() throws Exception {
        Path home = dir.resolve("n");
        assertThat(Cli.run("init", "--home", home.toString()).exitCode()).isZero();
        byte[] key = Files.readAllBytes(home.resolve("config/signer.key"));

        Cli again = Cli.run("init", "--home", home.toString(), "--block-time", "2s");
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("already exists; use --force");
        assertThat(load(home).node().blockTime()).isEqualTo(Duration.ofSeconds(1));

        Cli forced = Cli.run("init", "--home", home.toString(), "--block-time", "2s", "--force");
        assertThat(forced.exitCode()).as(forced.err()).isZero();
        assertThat(forced.out()).contains("kept the existing signing key");
        assertThat(load(home).node().blockTime()).isEqualTo(Duration.ofSeconds(2));
        assertThat(Files.readAllBytes(home.resolve("config/signer.key"))).isEqualTo(key);
    }

    @Test
    void anInvalidConfigurationWritesNothingAndNamesEveryProblem() {
        Path home = dir.resolve("bad");

        Cli r = Cli.run("init", "--home", home.toString(), "--evnode.raft.snapshot_threshold=0",
                "--evnode.node.block_time=0s");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("haseq init: the configuration is invalid (2 errors)")
                .contains("raft.snapshot_threshold must be >= 1")
                .contains("node.block_time must be positive").contains("nothing was written");
        assertThat(home.resolve("config/evnode.yaml")).doesNotExist();
        assertThat(home.resolve("config/signer.key")).doesNotExist();
    }

    @Test
    void peersWithoutANodeIdOrAnUnknownKeyAreUsageErrors() {
        Cli noId = Cli.run("init", "--home", dir.toString(), "--peers", "node-2@127.0.0.1:5002");
        assertThat(noId.exitCode()).isEqualTo(2);
        assertThat(noId.err()).contains("--peers needs --node-id and --raft-addr");

        Cli unknown = Cli.run("init", "--home", dir.toString(), "--evnode.raft.heartbeat_timout=1s");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown key raft.heartbeat_timout");
        assertThat(dir.resolve("config")).doesNotExist();
    }
}
