package dev.haseq.consensus.raft.transport;

import dev.haseq.api.NodeId;
import dev.haseq.api.codec.Envelope;
import io.netty.channel.ChannelHandlerContext;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A connection a peer dialled: expects the peer's {@link Handshake} first, checks cluster id and
 * membership, answers with ours, then hands every {@link Frames#MESSAGE} payload to the transport.
 * Anything else closes the connection (see {@link CloseReason}).
 */
final class InboundConnection extends ConnectionHandler {
    private NodeId peer;

    InboundConnection(NettyTransport transport) {
        super(transport, true);
    }

    @Override
    protected Optional<NodeId> peer() {
        return Optional.ofNullable(peer);
    }

    @Override
    protected boolean established() {
        return peer != null;
    }

    @Override
    protected void onFrame(ChannelHandlerContext ctx, Envelope.Frame frame) {
        if (peer != null) {
            if (frame.type() != Frames.MESSAGE) {
                throw new FrameException(CloseReason.UNEXPECTED_FRAME, "frame type " + frame.type()
                        + " after the handshake; only messages (" + Frames.MESSAGE + ") are expected");
            }
            transport.delivered(peer, frame.payload());
            return;
        }
        if (frame.type() != Frames.HANDSHAKE) {
            throw new FrameException(CloseReason.NO_HANDSHAKE, "frame type " + frame.type()
                    + " before the handshake");
        }
        Handshake hello = Handshake.decode(frame.payload());
        TransportConfig config = transport.config();
        if (!hello.clusterId().equals(config.clusterId())) {
            reject(ctx, CloseReason.CLUSTER_MISMATCH, "node " + hello.node() + " belongs to cluster '"
                    + hello.clusterId() + "' but " + config.self() + " to '" + config.clusterId()
                    + "': every member's node_id + raft.peers must name the same set of members");
            return;
        }
        if (!config.isPeer(hello.node())) {
            reject(ctx, CloseReason.UNKNOWN_NODE, "node '" + hello.node() + "' is not in raft.peers of "
                    + config.self() + " (members: " + config.peers().stream().map(p -> p.id().value()).toList() + ")");
            return;
        }
        peer = hello.node();
        handshakeDone();
        ctx.writeAndFlush(Frames.encode(ctx.alloc(), Frames.HANDSHAKE,
                Handshake.of(config.clusterId(), config.self()).encode()));
        transport.inboundEstablished(peer, ctx.channel());
    }

    private void reject(ChannelHandlerContext ctx, CloseReason reason, String why) {
        closeAfter(ctx, reason, why, Frames.encode(ctx.alloc(), Frames.REJECT, why.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (peer != null) {
            transport.readComplete();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    protected void disconnected(ChannelHandlerContext ctx) {
        transport.inboundClosed(peer, ctx.channel());
    }
}
