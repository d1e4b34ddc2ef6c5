package dev.haseq.consensus.raft.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.haseq.api.NodeId;
import dev.haseq.api.config.RaftSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CoreConfigTest {

    private static RaftSettings settings(String heartbeat, String election, String lease, String send) {
        Map<String, String> v = new HashMap<>();
        v.put("raft.enable", "true");
        v.put("node.aggregator", "true");
        v.put("raft.node_id", "node-1");
        v.put("raft.raft_addr", "127.0.0.1:5001");
        v.put("raft.peers", "node-2@127.0.0.1:5002,node-3@127.0.0.1:5003");
        if (heartbeat != null) {
            v.put("raft.heartbeat_timeout", heartbeat);
            v.put("raft.election_timeout", election);
            v.put("raft.leader_lease_timeout", lease);
            v.put("raft.send_timeout", send);
        }
        return RaftSettings.parse(v, Path.of("/tmp/haseq-test")).orThrow();
    }

    @Test
    void guideExampleTimingsBecomeTicksOfOneTwentiethOfTheHeartbeatTimeout() {
        RaftSettings s = settings("92ms", "368ms", "46ms", "50ms");
        Duration tick = CoreConfig.recommendedTick(s);
        CoreConfig c = CoreConfig.from(s, tick);

        assertThat(tick).isEqualTo(Duration.ofNanos(4_600_000));
        assertThat(c.heartbeatTimeoutTicks()).isEqualTo(20);
        assertThat(c.heartbeatIntervalTicks()).isEqualTo(2);
        assertThat(c.electionTimeoutTicks()).isEqualTo(80);
        assertThat(c.leaseTimeoutTicks()).isEqualTo(10);
        assertThat(c.sendTimeoutTicks()).isEqualTo(11);
        assertThat(c.self()).isEqualTo(NodeId.of("node-1"));
        assertThat(c.peers()).containsExactly(NodeId.of("node-2"), NodeId.of("node-3"));
        assertThat(c.quorum()).isEqualTo(2);
        assertThat(c.trailingLogs()).isEqualTo(s.trailingLogs());
        assertThat(c.snapshotThreshold()).isEqualTo(s.snapshotThreshold());
    }

    @Test
    void defaultSettingsConvertToo() {
        RaftSettings s = settings(null, null, null, null);
        CoreConfig c = CoreConfig.from(s, CoreConfig.recommendedTick(s));
        assertThat(c.heartbeatTimeoutTicks()).isEqualTo(20);
        assertThat(c.electionTimeoutTicks()).isEqualTo(57);
        assertThat(c.leaseTimeoutTicks()).isEqualTo(10);
        assertThat(c.sendTimeoutTicks()).isEqualTo(11);
    }

    @Test
    void recommendedTickIsClampedBetweenOneAndTwentyMilliseconds() {
        assertThat(CoreConfig.recommendedTick(settings("10ms", "40ms", "5ms", "5ms"))).isEqualTo(Duration.ofMillis(1));
        assertThat(CoreConfig.recommendedTick(settings("2s", "8s", "1s", "1s"))).isEqualTo(Duration.ofMillis(20));
    }

    @Test
    void invalidTimingsAreRefusedWithTheFix() {
        NodeId a = NodeId.of("a");
        List<NodeId> peers = List.of(NodeId.of("b"), NodeId.of("c"));
        assertThatThrownBy(() -> new CoreConfig(a, peers, 10, 1, 30, 30, 4, 1, 1, 1, 0, 1, 1))
                .hasMessageContaining("lease timeout (30 ticks) must be < the election timeout (30 ticks)");
        assertThatThrownBy(() -> new CoreConfig(a, peers, 10, 10, 30, 5, 4, 1, 1, 1, 0, 1, 1))
                .hasMessageContaining("shorter tick");
        assertThatThrownBy(() -> new CoreConfig(a, List.of(a), 10, 1, 30, 5, 4, 1, 1, 1, 0, 1, 1))
                .hasMessageContaining("must not contain this node");
        assertThatThrownBy(() -> CoreConfig.from(settings(null, null, null, null), Duration.ZERO))
                .hasMessageContaining("tick must be positive");
    }
}
