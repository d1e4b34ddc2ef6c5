package dev.haseq.consensus.raft.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haseq.api.NodeId;
import dev.haseq.api.codec.Envelope;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A raw socket misbehaving against a live transport: each kind of bad connection is closed and
 * counted under its reason, and the legitimate n1 -> n2 traffic keeps flowing on its unbroken
 * connection throughout.
 */
class HostileConnectionTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static TransportFixture cluster;
    private static int sequence;

    @BeforeAll
    static void startCluster() {
        cluster = new TransportFixture(2, c -> c.withMaxPayloadBytes(64 << 10)
                .withHandshakeTimeout(Duration.ofSeconds(1))); // short for the timeout cases, long enough for a loaded CI machine
        cluster.startAll();
        cluster.awaitFullMesh();
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    private NettyTransport target() {
        return cluster.get(1);
    }

    private Socket dial() throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), cluster.ports.get(1));
        s.setSoTimeout((int) WAIT.toMillis());
        return s;
    }

    /** Reads until the transport closes the socket; fails if it stays open past the wait. */
    private static void assertClosedByPeer(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        byte[] buf = new byte[4096];
        try {
            while (in.read(buf) >= 0) {
                // drain whatever the transport sends before closing (e.g. a REJECT frame)
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the transport left a hostile connection open for " + WAIT, e);
        } catch (SocketException reset) {
            // a reset is a close too
        }
    }

    private void assertLegitTrafficStillFlows() throws InterruptedException {
        int n = ++sequence;
        long connectsBefore = cluster.get(0).counters().connects();
        cluster.get(0).send(cluster.id(1), ByteBuffer.allocate(4).putInt(n).array());
        RecordingHandler.Received r = cluster.handlers.get(1).next(WAIT);
        assertThat(r.from()).isEqualTo(cluster.id(0));
        assertThat(ByteBuffer.wrap(r.payload()).getInt()).isEqualTo(n);
        assertThat(cluster.get(0).counters().connects()).as("n1 never had to reconnect").isEqualTo(connectsBefore);
    }

    private void attack(byte[] bytes, CloseReason expected) throws Exception {
        long before = target().counters().closes(expected);
        try (Socket s = dial()) {
            s.getOutputStream().write(bytes);
            s.getOutputStream().flush();
            assertClosedByPeer(s);
        }
        Await.until(WAIT, expected + " counted", () -> target().counters().closes(expected) == before + 1);
        assertLegitTrafficStillFlows();
    }

    private static byte[] handshake(String cluster, String node) {
        return Envelope.wrap(Frames.HANDSHAKE, Handshake.of(cluster, NodeId.of(node)).encode());
    }

    @Test
    void garbageIsClosedOnTheFirstByte() throws Exception {
        attack("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII), CloseReason.GARBAGE);
    }

    @Test
    void anUnsupportedFrameVersionIsGarbage() throws Exception {
        byte[] frame = handshake(cluster.get(1).config().clusterId(), "n1");
        frame[1] = 9;
        attack(frame, CloseReason.GARBAGE);
    }

    @Test
    void anOversizedLengthIsClosedBeforeAnyPayloadArrives() throws Exception {
        ByteBuffer header = ByteBuffer.allocate(Envelope.HEADER_BYTES);
        header.put((byte) Envelope.MAGIC).put((byte) Envelope.VERSION).putShort((short) Frames.HANDSHAKE)
                .putInt((64 << 10) + 1);
        attack(header.array(), CloseReason.OVERSIZED_FRAME);
    }

    @Test
    void aNegativeLengthIsOversized() throws Exception {
        ByteBuffer header = ByteBuffer.allocate(Envelope.HEADER_BYTES);
        header.put((byte) Envelope.MAGIC).put((byte) Envelope.VERSION).putShort((short) Frames.HANDSHAKE).putInt(-1);
        attack(header.array(), CloseReason.OVERSIZED_FRAME);
    }

    @Test
    void aBadChecksumIsClosed() throws Exception {
        byte[] frame = handshake(cluster.get(1).config().clusterId(), "n1");
        frame[frame.length - 1] ^= 0x5A;
        attack(frame, CloseReason.BAD_CHECKSUM);
    }

    @Test
    void aCorruptedPayloadByteFailsTheChecksum() throws Exception {
        byte[] frame = handshake(cluster.get(1).config().clusterId(), "n1");
        frame[Envelope.HEADER_BYTES + 3] ^= 0x01;
        attack(frame, CloseReason.BAD_CHECKSUM);
    }

    @Test
    void aMessageBeforeTheHandshakeIsClosed() throws Exception {
        attack(Envelope.wrap(Frames.MESSAGE, new byte[] {1, 2, 3}), CloseReason.NO_HANDSHAKE);
    }

    @Test
    void aHandshakeFromAnotherClusterIsRejectedWithAReason() throws Exception {
        long before = target().counters().closes(CloseReason.CLUSTER_MISMATCH);
        try (Socket s = dial()) {
            s.getOutputStream().write(handshake("other-cluster", "n1"));
            Envelope.Frame reject = Envelope.readFrom(s.getInputStream(), 1 << 16);
            assertThat(reject.type()).isEqualTo(Frames.REJECT);
            assertThat(new String(reject.payload(), StandardCharsets.UTF_8)).contains("other-cluster");
            assertClosedByPeer(s);
        }
        Await.until(WAIT, "cluster mismatch counted",
                () -> target().counters().closes(CloseReason.CLUSTER_MISMATCH) == before + 1);
        assertLegitTrafficStillFlows();
    }

    @Test
    void aHandshakeFromAnUnknownNodeIsRejected() throws Exception {
        attack(handshake(cluster.get(1).config().clusterId(), "mallory"), CloseReason.UNKNOWN_NODE);
    }

    @Test
    void aHandshakeClaimingToBeTheReceiverItselfIsRejected() throws Exception {
        attack(handshake(cluster.get(1).config().clusterId(), "n2"), CloseReason.UNKNOWN_NODE);
    }

    @Test
    void aMalformedHandshakePayloadIsGarbage() throws Exception {
        attack(Envelope.wrap(Frames.HANDSHAKE, new byte[] {0, 1, 0, 0, 0, 99}), CloseReason.GARBAGE);
    }

    @Test
    void aSilentConnectionIsClosedAtTheHandshakeTimeout() throws Exception {
        attack(new byte[0], CloseReason.HANDSHAKE_TIMEOUT);
    }

    @Test
    void aHalfSentHandshakeIsClosedAtTheHandshakeTimeout() throws Exception {
        byte[] frame = handshake(cluster.get(1).config().clusterId(), "n1");
        attack(java.util.Arrays.copyOf(frame, frame.length - 3), CloseReason.HANDSHAKE_TIMEOUT);
    }

    @Test
    void anUnexpectedFrameTypeAfterAValidHandshakeIsClosed() throws Exception {
        // Without TLS anyone can claim to be n1: the claim replaces n1's real connection (n2 keeps
        // the newest connection per peer), so n1 reconnects; the odd frame then closes the impostor.
        long connectsBefore = cluster.get(0).counters().connects();
        long before = target().counters().closes(CloseReason.UNEXPECTED_FRAME);
        byte[] hello = handshake(cluster.get(1).config().clusterId(), "n1");
        byte[] odd = Envelope.wrap(Frames.REJECT, new byte[0]);
        byte[] both = new byte[hello.length + odd.length];
        System.arraycopy(hello, 0, both, 0, hello.length);
        System.arraycopy(odd, 0, both, hello.length, odd.length);
        try (Socket s = dial()) {
            s.getOutputStream().write(both); // one write, so n1's reconnect cannot supersede us in between
            Envelope.Frame reply = Envelope.readFrom(s.getInputStream(), 1 << 16);
            assertThat(reply.type()).isEqualTo(Frames.HANDSHAKE);
            assertThat(Handshake.decode(reply.payload()).node()).isEqualTo(cluster.id(1));
            assertClosedByPeer(s);
        }
        Await.until(WAIT, "unexpected frame counted",
                () -> target().counters().closes(CloseReason.UNEXPECTED_FRAME) == before + 1);
        assertThat(target().counters().closes(CloseReason.SUPERSEDED)).isPositive();
        Await.until(WAIT, "n1 reconnected", () -> cluster.get(0).counters().connects() > connectsBefore
                && cluster.get(0).status(cluster.id(1)).connected());
        cluster.get(0).send(cluster.id(1), ByteBuffer.allocate(4).putInt(-7).array());
        assertThat(ByteBuffer.wrap(cluster.handlers.get(1).next(WAIT).payload()).getInt()).isEqualTo(-7);
    }
}
