package dev.haseq.consensus.raft.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.haseq.api.NodeId;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class NettyTransportTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static byte[] numbered(int n, int size) {
        ByteBuffer b = ByteBuffer.allocate(size);
        b.putInt(n);
        return b.array();
    }

    private static int number(byte[] payload) {
        return ByteBuffer.wrap(payload).getInt();
    }

    @Test
    void twoTransportsExchangeMessagesBothWays() throws Exception {
        try (TransportFixture f = new TransportFixture(2)) {
            f.startAll();
            f.get(0).send(f.id(1), "ping".getBytes());
            RecordingHandler.Received atB = f.handlers.get(1).next(WAIT);
            assertThat(atB.from()).isEqualTo(f.id(0));
            assertThat(new String(atB.payload())).isEqualTo("ping");

            f.get(1).send(f.id(0), "pong".getBytes());
            RecordingHandler.Received atA = f.handlers.get(0).next(WAIT);
            assertThat(atA.from()).isEqualTo(f.id(1));
            assertThat(new String(atA.payload())).isEqualTo("pong");

            assertThat(f.get(0).counters().framesOut()).isEqualTo(1);
            assertThat(f.get(1).counters().framesIn()).isEqualTo(1);
            assertThat(f.get(1).counters().bytesIn()).isEqualTo(4 + 12);
        }
    }

    @Test
    void threeTransportsDeliverEveryMessageInSendOrderPerPeer() throws Exception {
        try (TransportFixture f = new TransportFixture(3)) {
            f.startAll();
            int count = 2_000;
            for (int i = 0; i < count; i++) {
                f.get(0).send(f.id(1), numbered(i, 1024));
                f.get(0).send(f.id(2), numbered(i, 64));
                f.get(1).send(f.id(2), numbered(count + i, 16));
            }
            List<RecordingHandler.Received> atB = f.handlers.get(1).take(count, WAIT);
            assertThat(atB).extracting(r -> number(r.payload())).containsExactlyElementsOf(
                    java.util.stream.IntStream.range(0, count).boxed().toList());
            List<RecordingHandler.Received> atC = f.handlers.get(2).take(2 * count, WAIT);
            assertThat(atC.stream().filter(r -> r.from().equals(f.id(0))).map(r -> number(r.payload())).toList())
                    .containsExactlyElementsOf(java.util.stream.IntStream.range(0, count).boxed().toList());
            assertThat(atC.stream().filter(r -> r.from().equals(f.id(1))).map(r -> number(r.payload())).toList())
                    .containsExactlyElementsOf(java.util.stream.IntStream.range(count, 2 * count).boxed().toList());
            assertThat(f.get(0).counters().sendFailures(SendFailure.QUEUE_OVERFLOW)).isZero();
        }
    }

    @Test
    void messagesQueuedWhilePeerIsDownArriveAfterItStartsAndAfterItRestarts() throws Exception {
        try (TransportFixture f = new TransportFixture(2)) {
            f.start(0);
            f.get(0).send(f.id(1), numbered(1, 8));
            f.get(0).send(f.id(1), numbered(2, 8));
            assertThat(f.get(0).status(f.id(1)).connected()).isFalse();
            // dialling a peer that is not listening fails and is counted (then retried with backoff)
            Await.until(WAIT, "a failed dial to the absent n2 is counted", () -> f.get(0).counters().connectFailures() > 0);
            f.start(1);
            assertThat(f.handlers.get(1).take(2, WAIT)).extracting(r -> number(r.payload())).containsExactly(1, 2);

            f.stop(1);
            Await.until(WAIT, "n1 notices n2 is gone", () -> !f.get(0).status(f.id(1)).connected());
            for (int i = 3; i <= 5; i++) {
                f.get(0).send(f.id(1), numbered(i, 8));
            }
            f.start(1);
            f.awaitConnected(0, 1);
            assertThat(f.handlers.get(1).take(3, WAIT)).extracting(r -> number(r.payload())).containsExactly(3, 4, 5);
            Await.until(WAIT, "two outbound and two inbound handshakes at n1", () -> f.get(0).counters().connects() >= 4);
        }
    }

    @Test
    void aFullQueueDropsTheOldestMessagesAndCountsThem() throws Exception {
        try (TransportFixture f = new TransportFixture(2, c -> c.withOutboundQueueLimit(5)
                .withReconnect(Duration.ofMillis(10), Duration.ofMillis(50)))) {
            f.start(0);
            for (int i = 0; i < 8; i++) {
                f.get(0).send(f.id(1), numbered(i, 8));
            }
            assertThat(f.get(0).status(f.id(1)).dropped()).isEqualTo(3);
            assertThat(f.get(0).status(f.id(1)).queued()).isEqualTo(5);
            assertThat(f.get(0).counters().sendFailures(SendFailure.QUEUE_OVERFLOW)).isEqualTo(3);
            f.start(1);
            assertThat(f.handlers.get(1).take(5, WAIT)).extracting(r -> number(r.payload()))
                    .containsExactly(3, 4, 5, 6, 7);
        }
    }

    @Test
    void statusReportsConnectionAndLastContact() throws Exception {
        try (TransportFixture f = new TransportFixture(2)) {
            f.startAll();
            f.awaitFullMesh();
            Instant before = Instant.now().minusSeconds(1);
            f.get(1).send(f.id(0), new byte[] {1});
            f.handlers.get(0).next(WAIT);
            PeerLinkStatus s = f.get(0).status(f.id(1));
            assertThat(s.connected()).isTrue();
            assertThat(s.lastContact()).hasValueSatisfying(t -> assertThat(t).isAfter(before));
            assertThat(f.get(0).statuses()).extracting(PeerLinkStatus::peer).containsExactly(f.id(1));
        }
    }

    @Test
    void sendRejectsPayloadsOverTheLimitAndUnknownPeers() {
        try (TransportFixture f = new TransportFixture(2, c -> c.withMaxPayloadBytes(4096))) {
            f.startAll();
            assertThatThrownBy(() -> f.get(0).send(f.id(1), new byte[4097]))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4097").hasMessageContaining("4096");
            assertThatThrownBy(() -> f.get(0).send(NodeId.of("stranger"), new byte[1]))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stranger");
        }
    }

    @Test
    void aReceiverWithASmallerLimitClosesTheConnectionOverAnOversizedFrameAndTheSenderRecovers() throws Exception {
        try (TransportFixture f = new TransportFixture(2)) {
            f.start(0, f.config(0).withMaxPayloadBytes(64 << 10));
            f.start(1, f.config(1).withMaxPayloadBytes(8 << 10));
            f.awaitConnected(0, 1);
            f.get(0).send(f.id(1), new byte[16 << 10]);
            Await.until(WAIT, "n2 counts the oversized frame",
                    () -> f.get(1).counters().closes(CloseReason.OVERSIZED_FRAME) == 1);
            Await.until(WAIT, "n1 reconnects", () -> f.get(0).counters().connects() >= 3);
            f.awaitConnected(0, 1);
            f.get(0).send(f.id(1), numbered(42, 1024));
            assertThat(number(f.handlers.get(1).next(WAIT).payload())).isEqualTo(42);
        }
    }

    @Test
    void aPeerListedAtAnotherNodesAddressIsRefusedAsWrongPeer() {
        try (TransportFixture f = new TransportFixture(3)) {
            f.start(1);
            f.start(2);
            // n1 believes n2 lives at n3's port
            TransportConfig wrong = f.config(0);
            var peers = wrong.peers().stream().map(p -> p.id().equals(f.id(1))
                    ? new dev.haseq.api.PeerAddress(p.id(), new dev.haseq.api.HostPort("127.0.0.1", f.ports.get(2)))
                    : p).toList();
            f.start(0, new TransportConfig(wrong.self(), wrong.bindAddress(), peers, wrong.clusterId(),
                    wrong.maxPayloadBytes(), wrong.connectTimeout(), wrong.handshakeTimeout(), wrong.reconnectMin(),
                    wrong.reconnectMax(), wrong.outboundQueueLimit(), wrong.ioThreads()));
            Await.until(WAIT, "n1 refuses the impostor", () -> f.get(0).counters().closes(CloseReason.WRONG_PEER) >= 1);
            assertThat(f.get(0).status(f.id(1)).connected()).isFalse();
        }
    }

    @Test
    void aTransportOfAnotherClusterIsRejectedAndLearnsWhy() {
        try (TransportFixture f = new TransportFixture(2)) {
            f.start(1);
            f.start(0, f.config(0).withClusterId("someone-elses-cluster"));
            Await.until(WAIT, "n2 refuses n1", () -> f.get(1).counters().closes(CloseReason.CLUSTER_MISMATCH) >= 1);
            Await.until(WAIT, "n1 hears the refusal", () -> f.get(0).counters().closes(CloseReason.REJECTED_BY_PEER) >= 1);
            assertThat(f.get(0).status(f.id(1)).connected()).isFalse();
        }
    }

    @Test
    void closeIsIdempotentAndCountsShutdownCloses() {
        TransportFixture f = new TransportFixture(2);
        f.startAll();
        f.awaitFullMesh();
        f.get(0).close();
        f.get(0).close();
        assertThat(f.get(0).counters().closes(CloseReason.SHUTDOWN)).isEqualTo(2); // its outbound and its inbound
        Await.until(WAIT, "n2 sees n1 go", () -> f.get(1).counters().closes(CloseReason.PEER_CLOSED) == 2);
        f.get(0).send(f.id(1), new byte[1]);
        assertThat(f.get(0).counters().sendFailures(SendFailure.CLOSED)).isEqualTo(1);
        f.close();
    }
}
