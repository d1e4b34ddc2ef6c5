package dev.haseq.consensus.raft.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.haseq.api.HostPort;
import dev.haseq.api.NodeId;
import dev.haseq.api.PeerAddress;
import dev.haseq.api.config.RaftSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SmallPartsTest {

    @Test
    void backoffDoublesUpToTheCapWithinTwentyPercentAndResets() {
        Backoff b = new Backoff(Duration.ofMillis(10), Duration.ofMillis(1000), new SplittableRandom(1));
        long[] expected = {10, 20, 40, 80, 160, 320, 640, 1000, 1000};
        for (long e : expected) {
            long ms = b.next().toMillis();
            assertThat(ms).isBetween((long) (e * 0.8) - 1, Math.min(1000, (long) (e * 1.2) + 1));
        }
        for (int i = 0; i < 100; i++) {
            assertThat(b.next()).isLessThanOrEqualTo(Duration.ofMillis(1000));
        }
        b.reset();
        assertThat(b.next().toMillis()).isBetween(7L, 13L);
    }

    @Test
    void clusterIdDependsOnTheMemberSetOnly() {
        String a = ClusterId.derive(List.of(NodeId.of("node-1"), NodeId.of("node-2"), NodeId.of("node-3")));
        String b = ClusterId.derive(List.of(NodeId.of("node-3"), NodeId.of("node-1"), NodeId.of("node-2")));
        String c = ClusterId.derive(List.of(NodeId.of("node-1"), NodeId.of("node-2"), NodeId.of("node-4")));
        assertThat(a).isEqualTo(b).startsWith("raft-").hasSize(5 + 16);
        assertThat(c).isNotEqualTo(a);
    }

    @Test
    void everyMemberOfTheGuidesExampleDerivesTheSameClusterIdAndBindsIndependentlyOfItsPeerAddress() {
        Map<String, String> base = Map.of("node.aggregator", "true", "raft.enable", "true",
                "raft.raft_addr", "0.0.0.0:5001");
        RaftSettings one = RaftSettings.parse(merge(base, "raft.node_id", "node-1", "raft.peers",
                "node-2@10.0.0.2:5001,node-3@10.0.0.3:5001"), Path.of("/tmp/h")).orThrow();
        RaftSettings two = RaftSettings.parse(merge(base, "raft.node_id", "node-2", "raft.peers",
                "node-1@10.0.0.1:5001,node-3@10.0.0.3:5001"), Path.of("/tmp/h")).orThrow();
        TransportConfig c1 = TransportConfig.from(one);
        TransportConfig c2 = TransportConfig.from(two);
        assertThat(c1.clusterId()).isEqualTo(c2.clusterId());
        assertThat(c1.bindAddress()).isEqualTo(HostPort.parse("0.0.0.0:5001"));
        assertThat(c1.peers()).extracting(PeerAddress::address)
                .containsExactly(HostPort.parse("10.0.0.2:5001"), HostPort.parse("10.0.0.3:5001"));
    }

    private static Map<String, String> merge(Map<String, String> base, String... kv) {
        java.util.HashMap<String, String> m = new java.util.HashMap<>(base);
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void handshakeRoundTripsAndRejectsMalformedPayloads() {
        Handshake h = Handshake.of("raft-abc", NodeId.of("node-7"));
        assertThat(Handshake.decode(h.encode())).isEqualTo(h);
        byte[] trailing = java.util.Arrays.copyOf(h.encode(), h.encode().length + 1);
        assertThatThrownBy(() -> Handshake.decode(trailing)).isInstanceOfSatisfying(FrameException.class,
                e -> assertThat(e.reason()).isEqualTo(CloseReason.GARBAGE));
        byte[] otherProtocol = h.encode();
        otherProtocol[1] = 2;
        assertThatThrownBy(() -> Handshake.decode(otherProtocol)).hasMessageContaining("protocol 2");
    }

    @Test
    void configRefusesItsOwnIdAmongPeers() {
        NodeId self = NodeId.of("n1");
        assertThatThrownBy(() -> TransportConfig.of(self, HostPort.parse("127.0.0.1:1"),
                List.of(new PeerAddress(self, HostPort.parse("127.0.0.1:2")))))
                .hasMessageContaining("own id n1");
    }
}
