package dev.haseq.consensus.raft.transport;

import dev.haseq.api.NodeId;
import dev.haseq.api.codec.Envelope;
import io.netty.channel.ChannelHandlerContext;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Our connection to one peer: sends our {@link Handshake} as soon as the socket is up, accepts
 * the connection once the peer answers with a handshake for the right cluster and the node id we
 * dialled, then carries only our messages (the peer sends nothing else on it).
 */
final class OutboundConnection extends ConnectionHandler {
    private final PeerLink link;
    private boolean established;

    OutboundConnection(NettyTransport transport, PeerLink link) {
        super(transport, false);
        this.link = link;
    }

    @Override
    protected Optional<NodeId> peer() {
        return Optional.of(link.peer().id());
    }

    @Override
    protected boolean established() {
        return established;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        TransportConfig config = transport.config();
        ctx.writeAndFlush(Frames.encode(ctx.alloc(), Frames.HANDSHAKE,
                Handshake.of(config.clusterId(), config.self()).encode()));
        super.channelActive(ctx);
    }

    @Override
    protected void onFrame(ChannelHandlerContext ctx, Envelope.Frame frame) {
        if (established) {
            throw new FrameException(CloseReason.UNEXPECTED_FRAME, "frame type " + frame.type()
                    + " on an outbound connection after the handshake");
        }
        if (frame.type() == Frames.REJECT) {
            throw new FrameException(CloseReason.REJECTED_BY_PEER, "the peer refused our handshake: "
                    + new String(frame.payload(), StandardCharsets.UTF_8));
        }
        if (frame.type() != Frames.HANDSHAKE) {
            throw new FrameException(CloseReason.NO_HANDSHAKE, "frame type " + frame.type()
                    + " before the handshake reply");
        }
        Handshake reply = Handshake.decode(frame.payload());
        TransportConfig config = transport.config();
        if (!reply.clusterId().equals(config.clusterId())) {
            throw new FrameException(CloseReason.CLUSTER_MISMATCH, link.peer() + " answered for cluster '"
                    + reply.clusterId() + "', ours is '" + config.clusterId() + "'");
        }
        if (!reply.node().equals(link.peer().id())) {
            throw new FrameException(CloseReason.WRONG_PEER, "dialled " + link.peer() + " but node '"
                    + reply.node() + "' answered: fix that address in raft.peers");
        }
        established = true;
        handshakeDone();
        link.established(ctx.channel());
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            link.drainNow();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    protected void disconnected(ChannelHandlerContext ctx) {
        link.disconnected(ctx.channel());
    }
}
