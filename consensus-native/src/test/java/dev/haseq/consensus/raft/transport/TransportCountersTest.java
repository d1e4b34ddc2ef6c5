package dev.haseq.consensus.raft.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haseq.api.NodeId;
import dev.haseq.api.consensus.TransportStats;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TransportCountersTest {
    private static final NodeId N2 = NodeId.of("n2");
    private static final NodeId N3 = NodeId.of("n3");

    @Test
    void statsChargeEachEventToItsPeerAndListEveryReasonWithZeros() {
        TransportCounters c = new TransportCounters(List.of(N2, N3), TransportListener.NONE);
        c.frameSent(N2, 100);
        c.frameSent(N2, 50);
        c.frameReceived(N3, 30);
        c.connected(N3, true);
        c.connectFailed(N2);
        c.sendFailed(N3, SendFailure.QUEUE_OVERFLOW);
        c.connectionClosed(Optional.of(N2), false, CloseReason.WRONG_PEER);
        c.connectionClosed(Optional.empty(), true, CloseReason.GARBAGE);
        c.connectionClosed(Optional.empty(), true, CloseReason.GARBAGE);

        TransportStats s = c.stats();
        assertThat(s.peers()).extracting(TransportStats.PeerTraffic::peer).containsExactly(N2, N3);
        TransportStats.PeerTraffic n2 = s.peers().get(0);
        TransportStats.PeerTraffic n3 = s.peers().get(1);
        assertThat(n2.framesSent()).isEqualTo(2);
        assertThat(n2.bytesSent()).isEqualTo(150);
        assertThat(n2.connectFailures()).isEqualTo(1);
        assertThat(n2.closes()).hasSize(CloseReason.values().length).containsEntry("wrong_peer", 1L)
                .containsEntry("garbage", 0L);
        assertThat(n3.framesReceived()).isEqualTo(1);
        assertThat(n3.bytesReceived()).isEqualTo(30);
        assertThat(n3.connects()).isEqualTo(1);
        assertThat(n3.sendFailures()).containsEntry("queue_overflow", 1L).containsEntry("write_failed", 0L)
                .hasSize(SendFailure.values().length);
        assertThat(s.unidentifiedCloses()).containsEntry("garbage", 2L).containsEntry("oversized_frame", 0L)
                .hasSize(CloseReason.values().length);
        assertThat(c.closes(CloseReason.GARBAGE)).as("totals include the unidentified").isEqualTo(2);
        assertThat(c.framesOut()).isEqualTo(2);
    }

    @Test
    void aNodeIdThatIsNotAConfiguredPeerNeverBecomesAPeerOfItsOwn() {
        AtomicInteger forwarded = new AtomicInteger();
        TransportCounters c = new TransportCounters(List.of(N2), new TransportListener() {
            @Override
            public void connectionClosed(Optional<NodeId> peer, boolean inbound, CloseReason reason) {
                forwarded.incrementAndGet();
            }
        });
        c.connectionClosed(Optional.of(NodeId.of("intruder")), true, CloseReason.UNKNOWN_NODE);

        assertThat(c.stats().peers()).extracting(TransportStats.PeerTraffic::peer).containsExactly(N2);
        assertThat(c.stats().unidentifiedCloses()).containsEntry("unknown_node", 1L);
        assertThat(forwarded).as("the listener still hears it").hasValue(1);
    }
}
