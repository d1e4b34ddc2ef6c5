package dev.haseq.launcher.devcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.haseq.launcher.config.ConfigLoad;
import dev.haseq.launcher.config.ConfigLoader;
import dev.haseq.launcher.config.ConfigRequest;
import dev.haseq.launcher.config.HaseqConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevClusterLayoutTest {
    @TempDir
    Path dir;

    @Test
    void nodeIListensOnBasePlusIForItsApiAndBasePlus100PlusIForRaft() {
        DevClusterLayout layout = new DevClusterLayout(dir, 3, 7330, Duration.ofSeconds(1));

        List<DevClusterLayout.Member> m = layout.members();

        assertThat(m).extracting(DevClusterLayout.Member::id).containsExactly("node-1", "node-2", "node-3");
        assertThat(m.get(0).api()).isEqualTo("127.0.0.1:7331");
        assertThat(m.get(2).raft()).isEqualTo("127.0.0.1:7433");
        assertThat(m.get(1).home()).isEqualTo(dir.resolve("node-2"));
        assertThat(layout.boundPorts()).containsExactlyInAnyOrder(7331, 7332, 7333, 7431, 7432, 7433);
    }

    @Test
    void everyGeneratedNodeConfigurationIsValidAndNamesTheOthersAsPeers() throws Exception {
        DevCluster cluster = new DevCluster(new DevClusterLayout(dir, 5, 20000, Duration.ofMillis(200)),
                List.of("haseq"), Map.of());

        assertThat(cluster.prepare()).as("fresh directory").isFalse();

        Set<Integer> ports = new HashSet<>();
        byte[] key = Files.readAllBytes(dir.resolve("signer.key"));
        for (DevClusterLayout.Member member : cluster.layout().members()) {
            ConfigLoad load = new ConfigLoader(Map.of(), dir).load(ConfigRequest.ofFile(
                    member.home().resolve("config/evnode.yaml")));
            assertThat(load.errors()).as(member.id()).isEmpty();
            HaseqConfig c = load.orThrow();
            assertThat(c.raft().enable()).isTrue();
            assertThat(c.raft().nodeId().value()).isEqualTo(member.id());
            assertThat(c.raft().peers()).hasSize(4).noneMatch(p -> p.id().value().equals(member.id()));
            assertThat(c.rpc().peers()).hasSize(4);
            assertThat(c.node().blockTime()).isEqualTo(Duration.ofMillis(200));
            assertThat(ports.add(c.rpc().address().port())).isTrue();
            assertThat(ports.add(c.raft().raftAddr().port())).isTrue();
            assertThat(Files.readAllBytes(c.node().signerKey())).isEqualTo(key);
        }
        // a second run reuses the homes (the nodes rejoin with their state)
        assertThat(cluster.prepare()).isTrue();
        assertThatThrownBy(() -> new DevCluster(new DevClusterLayout(dir, 3, 20000, Duration.ofMillis(200)),
                List.of("haseq"), Map.of()).prepare()).hasMessageContaining("more than 3 nodes");
    }

    @Test
    void aSingleNodeRunsWithoutRaftPeers() throws Exception {
        DevCluster cluster = new DevCluster(new DevClusterLayout(dir, 1, 20000, Duration.ofSeconds(1)),
                List.of("haseq"), Map.of());
        cluster.prepare();

        HaseqConfig c = new ConfigLoader(Map.of(), dir).load(ConfigRequest.ofFile(
                dir.resolve("node-1/config/evnode.yaml"))).orThrow();

        assertThat(c.raft().enable()).isFalse();
        assertThat(c.raft().peers()).isEmpty();
    }

    @Test
    void impossibleLayoutsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> new DevClusterLayout(dir, 0, 7330, Duration.ofSeconds(1)))
                .hasMessageContaining("--nodes must be 1 to 9");
        assertThatThrownBy(() -> new DevClusterLayout(dir, 3, 65400, Duration.ofSeconds(1)))
                .hasMessageContaining("--base-port 65400 leaves no room");
    }
}
