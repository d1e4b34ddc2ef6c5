package dev.haseq.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.haseq.launcher.config.ConfigKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigCheckCommandTest {
    private static final String GUIDE_EXAMPLE = Path.of("..", "examples", "evnode.yaml").toString();

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void guideExamplePrintsEveryKeyWithItsSourceThenWarningsAndExitsZero() {
        Cli r = Cli.run("config", "check", "--config", GUIDE_EXAMPLE);

        assertThat(r.exitCode()).isZero();
        assertThat(r.err()).isEmpty();
        List<String> lines = r.out().lines().toList();
        List<String> keyLines = lines.stream().filter(l -> !l.startsWith("#")).toList();
        assertThat(keyLines).hasSize(ConfigKeys.builtIn().all().size());
        assertThat(keyLines).anySatisfy(l -> assertThat(l)
                .matches("raft\\.heartbeat_timeout +\\= \"92ms\" +# \\Q" + GUIDE_EXAMPLE + ":17\\E"));
        assertThat(keyLines).anySatisfy(l -> assertThat(l).matches("raft\\.trailing_logs +\\= 18000 +# .*:22"));
        assertThat(keyLines).anySatisfy(l -> assertThat(l).matches("raft\\.provider +\\= \"native\" +# default"));
        assertThat(keyLines).anySatisfy(l -> assertThat(l)
                .matches("home +\\= \"/home/operator/\\.haseq\" +# default"));
        // warnings come after the keys
        int lastKey = lines.indexOf(keyLines.get(keyLines.size() - 1));
        int warning = lines.indexOf(lines.stream().filter(l -> l.startsWith("# warning:")).findFirst().orElseThrow());
        assertThat(warning).isGreaterThan(lastKey);
        assertThat(lines.get(lines.size() - 1)).isEqualTo("# configuration is valid");
    }

    @Test
    void printedConfigurationIsValidHoconWithTheSameValues() {
        Cli r = Cli.run("config", "check", "--config", GUIDE_EXAMPLE);

        Config printed = ConfigFactory.parseString(r.out());

        assertThat(printed.getString("raft.peers"))
                .isEqualTo("node-2@10.0.0.2:5001, node-3@10.0.0.3:5001, node-4@10.0.0.4:5001, node-5@10.0.0.5:5001");
        assertThat(printed.getString("raft.election_timeout")).isEqualTo("368ms");
        assertThat(printed.getBoolean("raft.enable")).isTrue();
        assertThat(printed.getInt("raft.snapshot_threshold")).isEqualTo(5000);
        assertThat(printed.getString("raft.raft_dir")).isEqualTo("/var/lib/ev-node/raft");
    }

    @Test
    void environmentAndFlagsShowAsTheirSources() {
        Cli r = Cli.run(Map.of("EVNODE_RAFT_SNAP_COUNT", "7"), "config", "check", "--config", GUIDE_EXAMPLE,
                "--evnode.raft.trailing_logs", "100", "--evnode.metrics.enabled", "--home", dir.toString());

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).containsPattern("raft\\.snap_count +\\= 7 +# env EVNODE_RAFT_SNAP_COUNT");
        assertThat(r.out()).containsPattern("raft\\.trailing_logs +\\= 100 +# flag --evnode\\.raft\\.trailing_logs");
        assertThat(r.out()).containsPattern("metrics\\.enabled +\\= true +# flag --evnode\\.metrics\\.enabled");
        assertThat(r.out()).containsPattern("home +\\= \"\\Q" + dir + "\\E\" +# flag --home");
        assertThat(r.out()).containsPattern("node\\.signer_key +\\= \"\\Q" + dir.resolve("config/signer.key")
                + "\\E\" +# default");
    }

    @Test
    void invalidConfigurationPrintsEveryErrorAndExitsOne() throws IOException {
        Path bad = write("evnode.yaml", """
                raft:
                  enable: true
                  node_id: node-1
                  heartbeat_timout: 92ms
                """);

        Cli r = Cli.run(Map.of("EVNODE_NODE_BLOCKTIME", "1s"), "config", "check", "--config", bad.toString());

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("haseq config check: the configuration is invalid (5 errors)")
                .contains("error: unknown key raft.heartbeat_timout (in " + bad + ", line 4); did you mean "
                        + "raft.heartbeat_timeout?")
                .contains("error: unknown environment variable EVNODE_NODE_BLOCKTIME")
                .contains("error: raft.raft_addr is required when raft.enable is true")
                .contains("error: raft.peers is required when raft.enable is true")
                .contains("error: raft.enable requires node.aggregator: true");
    }

    @Test
    void aProviderThatIsNotInstalledIsAnErrorListingTheInstalledOnes() {
        Cli r = Cli.run("config", "check", "--config", GUIDE_EXAMPLE, "--evnode.raft.log_store=rocksdb",
                "--evnode.storage.block_store=nope");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("haseq config check: the configuration is invalid (2 errors)")
                .contains("raft.log_store").contains("rocksdb").contains("chronicle").contains("file")
                .contains("storage.block_store").contains("nope");
    }

    @Test
    void raftRulesFromTheApiSurfaceThroughConfigCheck() {
        Cli r = Cli.run("config", "check", "--config", GUIDE_EXAMPLE, "--evnode.raft.leader_lease_timeout=400ms",
                "--evnode.raft.peers=node-1@10.0.0.9:5001,node-2@10.0.0.2:5001,node-3@10.0.0.3:5001");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("error: raft.leader_lease_timeout (400ms) must be < raft.election_timeout "
                        + "(368ms)")
                .contains("[set by flag --evnode.raft.leader_lease_timeout]")
                .contains("error: raft.peers lists this node's own node_id (node-1)");
    }

    @Test
    void malformedYamlExitsOneNamingFileAndLine() throws IOException {
        Path bad = write("evnode.yaml", "raft:\n  enable: true\n   node_id: x\n");

        Cli r = Cli.run("config", "check", "--config", bad.toString());

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("error: " + bad + ", line 3, column 11: malformed YAML");
    }

    @Test
    void hoconFileIsChecked() throws IOException {
        Path conf = write("haseq.conf", "raft { snap_count = 4 }\nrpc.address = \"127.0.0.1:8000\"\n");

        Cli r = Cli.run("config", "check", "--config", conf.toString());

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).containsPattern("raft\\.snap_count +\\= 4 +# \\Q" + conf + ":1\\E");
        assertThat(r.out()).containsPattern("rpc\\.address +\\= \"127\\.0\\.0\\.1:8000\" +# \\Q" + conf + ":2\\E");
    }

    @Test
    void usageErrorsExitTwo() {
        Cli missingValue = Cli.run("config", "check", "--evnode.raft.node_id");
        Cli stray = Cli.run("config", "check", "extra");
        Cli unknownOption = Cli.run("config", "check", "--bogus");
        Cli noSubcommand = Cli.run("config");
        Cli unknownCommand = Cli.run("launch");

        assertThat(List.of(missingValue, stray, unknownOption, noSubcommand, unknownCommand))
                .allSatisfy(r -> assertThat(r.exitCode()).isEqualTo(2));
        assertThat(missingValue.err()).contains("--evnode.raft.node_id needs a value");
        assertThat(stray.err()).contains("unexpected argument 'extra'");
        assertThat(unknownOption.err()).contains("unexpected argument '--bogus'");
        assertThat(noSubcommand.err()).contains("Missing required subcommand");
        assertThat(unknownCommand.err()).contains("Unmatched argument").contains("'launch'");
    }

    @Test
    void helpDocumentsTheFlagForms() {
        Cli r = Cli.run("config", "check", "--help");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("--evnode.<key>=<value> | --evnode.<key> <value>")
                .contains("EVNODE_RAFT_HEARTBEAT_TIMEOUT");
    }
}
