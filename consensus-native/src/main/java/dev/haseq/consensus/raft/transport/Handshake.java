package dev.haseq.consensus.raft.transport;

import dev.haseq.api.NodeId;
import dev.haseq.api.codec.ByteReader;
import dev.haseq.api.codec.ByteWriter;
import dev.haseq.api.codec.CodecException;

/**
 * The first frame in each direction of a transport connection. The dialler sends its own; the
 * acceptor checks it and answers with its own (or a {@link Frames#REJECT} and a close).
 *
 * <p>Mutual TLS ({@code raft.tls.*}) will not change this frame: TLS runs below the framing, and
 * the acceptor will additionally check that {@link #node()} matches the peer certificate's name.
 *
 * @param protocol  the transport protocol version ({@link #PROTOCOL})
 * @param clusterId identifies the cluster (see {@link ClusterId})
 * @param node      the sender's node id
 */
record Handshake(int protocol, String clusterId, NodeId node) {
    static final int PROTOCOL = 1;
    static final int MAX_CLUSTER_ID_BYTES = 256;

    static Handshake of(String clusterId, NodeId node) {
        return new Handshake(PROTOCOL, clusterId, node);
    }

    byte[] encode() {
        return new ByteWriter(16 + clusterId.length() + node.value().length())
                .u16(protocol).string(clusterId).string(node.value()).toByteArray();
    }

    /** Decodes a handshake payload; anything malformed is a {@link FrameException} with reason GARBAGE. */
    static Handshake decode(byte[] payload) {
        try {
            ByteReader in = new ByteReader(payload);
            int protocol = in.u16();
            if (protocol != PROTOCOL) {
                throw new FrameException(CloseReason.GARBAGE, "handshake speaks transport protocol " + protocol
                        + ", this build speaks " + PROTOCOL + ": upgrade every cluster member to a compatible release");
            }
            String cluster = in.string();
            if (cluster.length() > MAX_CLUSTER_ID_BYTES) {
                throw new FrameException(CloseReason.GARBAGE, "handshake cluster id is " + cluster.length()
                        + " characters, at most " + MAX_CLUSTER_ID_BYTES + " allowed");
            }
            NodeId node = NodeId.of(in.string());
            in.expectEnd();
            return new Handshake(protocol, cluster, node);
        } catch (CodecException | IllegalArgumentException e) {
            throw new FrameException(CloseReason.GARBAGE, "malformed handshake: " + e.getMessage());
        }
    }
}
