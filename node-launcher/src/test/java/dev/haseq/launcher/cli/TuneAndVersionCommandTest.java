package dev.haseq.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haseq.launcher.config.ConfigLoader;
import dev.haseq.launcher.config.ConfigRequest;
import dev.haseq.launcher.config.HaseqConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TuneAndVersionCommandTest {
    @Test
    void tunePrintsTheGuidesFormulasForRtt23ms() {
        Cli r = Cli.run("tune", "--rtt-max", "23ms");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).containsPattern("(?m)^  heartbeat_timeout: \"92ms\" +# RTT_MAX x 4$")
                .containsPattern("(?m)^  election_timeout: \"368ms\" +# heartbeat_timeout x 4$")
                .containsPattern("(?m)^  leader_lease_timeout: \"46ms\" +# heartbeat_timeout / 2$")
                .containsPattern("(?m)^  send_timeout: \"69ms\" +# RTT_MAX x 3$")
                .contains("uses 50ms")
                .doesNotContain("different regions");
    }

    @Test
    void tuneOutputPastedIntoEvnodeYamlLoadsToTheSameTimings(@TempDir Path dir) throws IOException {
        Cli r = Cli.run("tune", "--rtt-max=1m30s");
        Path file = dir.resolve("evnode.yaml");
        Files.writeString(file, r.out());

        HaseqConfig c = new ConfigLoader(Map.of(), dir).load(ConfigRequest.ofFile(file)).orThrow();

        assertThat(c.raft().heartbeatTimeout()).isEqualTo(Duration.ofMinutes(6));
        assertThat(c.raft().electionTimeout()).isEqualTo(Duration.ofMinutes(24));
        assertThat(c.raft().leaderLeaseTimeout()).isEqualTo(Duration.ofMinutes(3));
        assertThat(c.raft().sendTimeout()).isEqualTo(Duration.ofSeconds(270));
        assertThat(r.out()).contains("different regions");
    }

    @Test
    void tuneRefusesAMissingOrMalformedRtt() {
        Cli missing = Cli.run("tune");
        Cli malformed = Cli.run("tune", "--rtt-max", "23");
        Cli zero = Cli.run("tune", "--rtt-max", "0s");

        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("--rtt-max");
        assertThat(malformed.exitCode()).isEqualTo(2);
        assertThat(malformed.err()).contains("--rtt-max: '23' is not a duration");
        assertThat(zero.exitCode()).isEqualTo(2);
        assertThat(zero.err()).contains("must be positive");
    }

    @Test
    void versionPrintsTheBuildVersionAndRuntime() {
        Cli r = Cli.run("version");
        Cli flag = Cli.run("--version");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).containsPattern("^haseq \\d+\\.\\d+\\.\\d+").doesNotContain("${")
                .contains("java " + Runtime.version());
        assertThat(flag.out()).isEqualTo(r.out());
    }
}
